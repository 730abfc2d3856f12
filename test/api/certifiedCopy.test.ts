/**
 * The certified copy through the REST API: one case run by three officers, then what each reader
 * of the copy sees — the officers' document lists, the e-mail in the local mailbox, the public
 * verification page the QR code opens (by token, by number and date, by uploading the file), the
 * CRL and a revocation, and the reception receipt the citizen takes home.
 */
import { expect } from 'chai';
import { parseCrl } from '../../infra/pki/crl';
import type { CaseView } from '../../workflows/certification/types';
import { call, receptionBody, startCaseApp, uploadFile, type CaseApp } from '../support/caseApp';
import { createTestOfficer, login } from '../support/identityApp';
import { pdfText, photographedPage, saveTemp } from '../support/pdfTools';

describe('API: the certified copy, its verification and its delivery', function () {
  this.timeout(120_000);
  let app: CaseApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  let done: CaseView & { verifyUrl: string; email: { status: string; attempts: number } };
  let copy: Buffer;

  async function raw(method: string, path: string, options: { token?: string; body?: Buffer; type?: string } = {}) {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.type ? { 'content-type': options.type } : {}) },
      body: options.body,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  }

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    const officer = async (name: string, fullName: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[]) => {
      ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.copy`, fullName, rights, unitIds });
      tokens[name] = await login(app, `${name}.copy`);
    };
    await officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [app.org.deskA]);
    await officer('leader', 'Lò Văn Hùng', ['CERT_SIGN'], [app.org.communeA]);
    await officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [app.org.communeA]);
    await officer('outsider', 'Vàng Thị Thảo', ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL'], [app.org.communeB]);
    await officer('admin', 'Nguyễn Văn Quản', ['USER_ADMIN'], [app.org.district]);
    await app.ctx.db.query(`update officers set job_title = 'Phó Chủ tịch UBND xã' where id = $1`, [ids.leader]);

    // A scan of two photographed pages, attached in page order: an original of two pages.
    const first = await uploadFile(app, tokens.receiver, await photographedPage(400, 560), 'trang-1.jpg');
    const second = await uploadFile(app, tokens.receiver, await photographedPage(560, 400), 'trang-2.jpg');
    const documents = [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 2, copies: 2 }];
    const received = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, { documents }) });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    const code = received.body.caseCode;
    const scanned = await call<CaseView>(app, 'POST', `/api/cases/${code}/scan`, { token: tokens.receiver, body: { fileId: first, moreFileIds: [second] } });
    expect(scanned.status, JSON.stringify(scanned.body)).to.equal(200);
    expect(scanned.body.scan!.parts.map((p) => p.mimeType)).to.deep.equal(['image/jpeg', 'image/jpeg']);
    for (const [who, action] of [['receiver', 'submit'], ['leader', 'sign'], ['sealer', 'seal']]) {
      const res = await call(app, 'POST', `/api/cases/${code}/${action}`, { token: tokens[who], body: {} });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).to.equal(200);
    }
    for (let i = 0; i < 200; i++) {
      done = (await call(app, 'GET', `/api/cases/${code}`, { token: tokens.sealer })).body;
      if (done.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(done.status).to.equal('completed');
  });
  after(async () => {
    await app?.close();
  });

  it('files the copy in the receiver’s, the leader’s and the sealer’s document lists, and only they and case readers may open it', async () => {
    for (const who of ['receiver', 'leader', 'sealer']) {
      const list = await call(app, 'GET', '/api/documents', { token: tokens[who] });
      expect(list.body.items.map((d: { caseCode: string; kind: string }) => [d.caseCode, d.kind])).to.deep.equal([[done.caseCode, 'certified_copy']]);
    }
    const id = (await call(app, 'GET', '/api/documents', { token: tokens.leader })).body.items[0].id;
    const download = await raw('GET', `/api/documents/${id}`, { token: tokens.leader });
    expect(download.status).to.equal(200);
    expect(download.type).to.equal('application/pdf');
    copy = download.bytes;
    expect((await raw('GET', `/api/documents/${id}`, { token: tokens.outsider })).status).to.equal(404);
    const caseDocs = await call(app, 'GET', `/api/cases/${done.caseCode}/documents`, { token: tokens.sealer });
    expect(caseDocs.body.items.map((d: { kind: string }) => d.kind)).to.deep.equal(['certified_copy']);
  });

  it('e-mails the copy: the case shows it sent once, and the local mailbox holds one message with the PDF', async () => {
    expect(done.delivery!.channels.find((c) => c.channel === 'email')).to.include({ status: 'delivered' });
    expect(done.email).to.include({ status: 'sent', attempts: 1 });
    const inbox = await call(app, 'GET', '/api/mail/messages?to=pao@example.vn', { token: tokens.admin });
    expect(inbox.body.total).to.equal(1);
    const attachment = await raw('GET', `/api/mail/messages/${inbox.body.items[0].id}/attachments/0`, { token: tokens.admin });
    expect(attachment.bytes.equals(copy)).to.equal(true);
  });

  it('opens the public page of the QR code without login: valid, number, signer and seal; a wrong token finds nothing', async () => {
    const url = new URL(done.verifyUrl);
    const page = await raw('GET', `${url.pathname}${url.search}`);
    expect(page.status).to.equal(200);
    const html = page.bytes.toString('utf8');
    expect(html).to.include('Bản sao hợp lệ').and.include(done.certificationNumber!).and.include('Lò Văn Hùng').and.include('UBND xã Nùng Năng');
    expect(html).to.not.include('Giàng A Páo');
    const json = await call(app, 'GET', `/api/public/verify/${done.caseCode}${url.search}`);
    expect(json.body).to.deep.include({ status: 'valid', certificationNumber: done.certificationNumber, sha256: done.result!.sha256 });
    expect(json.body.signatures.map((s: { role: string; intact: boolean; trusted: boolean }) => [s.role, s.intact, s.trusted])).to.deep.equal([
      ['leader', true, true],
      ['seal', true, true],
    ]);
    const wrong = await call(app, 'GET', `/api/public/verify/${done.caseCode}?t=AAAAAAAAAAAAAAAAAAAAAA`);
    expect(wrong.status).to.equal(404);
    expect(wrong.body.error.code).to.equal('COPY_NOT_FOUND');
  });

  it('finds the copy by number and date, and says so in Vietnamese when nothing matches', async () => {
    const day = new Date(Date.parse(done.result!.sealedAt) + 7 * 3_600_000).toISOString().slice(0, 10);
    const found = await call(app, 'GET', `/api/public/verify?number=${encodeURIComponent(done.certificationNumber!)}&date=${day}`);
    expect(found.body.items.map((i: { caseCode: string; status: string }) => [i.caseCode, i.status])).to.deep.equal([[done.caseCode, 'valid']]);
    const none = await raw('GET', `/verify?number=${encodeURIComponent(done.certificationNumber!)}&date=2020-01-01`);
    expect(none.status).to.equal(404);
    expect(none.bytes.toString('utf8')).to.include('Không có bản sao nào được chứng thực');
    const bad = await call(app, 'GET', '/api/public/verify?number=1&date=23/11/2026');
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.include('YYYY-MM-DD');
  });

  it('checks an uploaded file: the issued copy matches the register; one changed byte does not; a non-PDF is refused', async () => {
    const empty = await raw('POST', '/api/public/verify/pdf', { body: Buffer.alloc(0), type: 'application/pdf' });
    expect(empty.status).to.equal(400);
    const issued = await raw('POST', '/api/public/verify/pdf', { body: copy, type: 'application/pdf' });
    expect(JSON.parse(issued.bytes.toString('utf8'))).to.deep.include({ status: 'valid', matchesRegister: true });
    const altered = Buffer.from(copy);
    altered[altered.indexOf('stream\n') + 40] ^= 0x01;
    const verdict = JSON.parse((await raw('POST', '/api/public/verify/pdf', { body: altered, type: 'application/pdf' })).bytes.toString('utf8'));
    expect(verdict).to.include({ status: 'invalid', matchesRegister: false });
    const png = await raw('POST', '/api/public/verify/pdf', { body: Buffer.from('not a pdf'), type: 'application/pdf' });
    expect(png.status).to.equal(400);
  });

  it('publishes the CRL; a revoked leader certificate is listed, and copies it signed before stay valid', async () => {
    const before = parseCrl((await raw('GET', '/api/pki/crl')).bytes);
    expect(before.entries).to.deep.equal([]);
    const certs = await call(app, 'GET', '/api/pki/certificates?kind=person', { token: tokens.admin });
    const leaderCert = certs.body.items.find((c: { officerId: string }) => c.officerId === ids.leader);
    expect(leaderCert).to.not.equal(undefined);
    const revoked = await call(app, 'POST', `/api/pki/certificates/${leaderCert.serial}/revoke`, { token: tokens.admin, body: { reason: 'keyCompromise' } });
    expect(revoked.status, JSON.stringify(revoked.body)).to.equal(200);
    const after = parseCrl((await raw('GET', '/api/pki/crl')).bytes);
    expect(after.entries.map((e) => e.serial)).to.deep.equal([leaderCert.serial]);
    const url = new URL(done.verifyUrl);
    const json = await call(app, 'GET', `/api/public/verify/${done.caseCode}${url.search}`);
    expect(json.body.status).to.equal('valid');
    expect(json.body.signatures[0].revokedAt).to.be.a('string');
    const forbidden = await call(app, 'POST', `/api/pki/certificates/${leaderCert.serial}/revoke`, { token: tokens.sealer, body: { reason: 'keyCompromise' } });
    expect(forbidden.status).to.equal(403);
  });

  it('prints the reception receipt with the citizen, the fee and the appointment', async () => {
    const receipt = await raw('GET', `/api/cases/${done.caseCode}/reception-receipt`, { token: tokens.receiver });
    expect(receipt.status).to.equal(200);
    const text = pdfText(saveTemp(receipt.bytes, 'receipt'), undefined, false).replace(/\s+/g, ' ');
    expect(text).to.include('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ').and.include(done.caseCode).and.include('Giàng A Páo').and.include('8.000 đồng');
    expect((await raw('GET', `/api/cases/${done.caseCode}/reception-receipt`, { token: tokens.outsider })).status).to.equal(404);
  });
});
