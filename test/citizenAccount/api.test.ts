/**
 * Citizen accounts at the one-stop desk through the API (seed 000 part B): the ID scan upload and
 * its refusals, the lookup, the request with its form, codes read from the SMS outbox, the list
 * with its filters, and the refusals an officer meets.
 */
import { expect } from 'chai';
import { readdirSync } from 'node:fs';
import { call, startCaseApp, type CaseApp } from '../support/caseApp';
import { createTestOfficer, login } from '../support/identityApp';
import { docx, idCardPdf, PNG, xlsx } from '../support/officeFiles';
import { pdfText, saveTemp } from '../support/pdfTools';

async function uploadIdScan(app: CaseApp, token: string, data: Buffer, name: string) {
  const res = await fetch(`${app.baseUrl}/api/citizen-accounts/id-scans`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), 'idempotency-key': `u-${Math.random()}` },
    body: data,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return { status: res.status, body: (await res.json()) as any };
}

/** Every file the store holds on disk. */
function storedFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name);
}

describe('citizen accounts at the one-stop desk (API)', function () {
  this.timeout(120_000);
  let app: CaseApp;
  let token: string;
  let outsiderToken: string;
  let officerId: string;

  before(async () => {
    app = await startCaseApp();
    officerId = await createTestOfficer(app.ctx.db, { username: 'motcua.thu', fullName: 'Lường Thị Thu', rights: ['ACCOUNT_CREATE'], unitIds: [app.org.deskA], phone: '0912000401' });
    // Holds the right but sits at the commune, not at its one-stop desk.
    await createTestOfficer(app.ctx.db, { username: 'xa.lan', fullName: 'Phạm Văn Lân', rights: ['ACCOUNT_CREATE'], unitIds: [app.org.communeA], phone: '0912000402' });
    token = await login(app, 'motcua.thu');
    outsiderToken = await login(app, 'xa.lan');
  });
  after(async () => app?.close());

  describe('the ID scan: one doc, docx or pdf of at most 5 MB, checked by content', () => {
    const refusals: Array<[string, () => Promise<Buffer> | Buffer, string, number, string, RegExp]> = [
      ['5 MB + 1 byte', async () => Buffer.concat([await idCardPdf(1), Buffer.alloc(5 * 1024 * 1024 + 1 - (await idCardPdf(1)).length, 0x20)]), 'CCCD.pdf', 413, 'FILE_TOO_LARGE', /5 MB/],
      ['a .pdf that is really a PNG', () => PNG, 'CCCD.pdf', 415, 'FILE_EXTENSION_MISMATCH', /PNG/],
      ['a .docx that is a zip of something else', () => xlsx(), 'CCCD.docx', 415, 'FILE_EXTENSION_MISMATCH', /docx/],
      ['an empty file', () => Buffer.alloc(0), 'CCCD.pdf', 400, 'FILE_EMPTY', /trống/],
    ];
    for (const [what, bytes, name, status, code, message] of refusals) {
      it(`refuses ${what} with a clear message and stores nothing`, async () => {
        const before = storedFiles(app.filesDir).length;
        const rows = await app.ctx.db.query('select count(*)::int as n from uploaded_files');
        const res = await uploadIdScan(app, token, await bytes(), name);
        expect(res.status, JSON.stringify(res.body)).to.equal(status);
        expect(res.body.error.code).to.equal(code);
        expect(res.body.error.message).to.match(message);
        expect(storedFiles(app.filesDir)).to.have.length(before);
        expect(await app.ctx.db.query('select count(*)::int as n from uploaded_files')).to.deep.equal(rows);
      });
    }

    it('accepts a Word file and a PDF, recognised by content', async () => {
      const word = await uploadIdScan(app, token, docx(), 'CCCD 2 mặt.docx');
      expect(word.status).to.equal(201);
      expect(word.body.mimeType).to.equal('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
      const pdf = await uploadIdScan(app, token, await idCardPdf(2), 'CCCD.pdf');
      expect(pdf.body).to.include({ mimeType: 'application/pdf', pages: 2 });
    });
  });

  it('walks a request from lookup to the account, with the form, the codes and the list', async () => {
    const idNumber = '012090005678';
    const lookup = await call(app, 'GET', `/api/citizen-accounts/lookup?idNumber=${idNumber}`, { token });
    expect(lookup.body).to.include({ exists: false });

    const scan = await uploadIdScan(app, token, docx(), 'CCCD.docx');
    const body = { citizen: { fullName: 'Sùng Thị Mỷ', citizenId: idNumber, birthDate: '1990-04-04', phone: '+84 987 111 222', email: 'my@example.vn' }, unitId: app.org.deskA, idScanFileId: scan.body.fileId };
    const started = await call(app, 'POST', '/api/citizen-accounts/requests', { token, body });
    expect(started.status, JSON.stringify(started.body)).to.equal(201);
    expect(started.body).to.include({ status: 'awaiting_otp' });
    expect(started.body.citizen.phone).to.equal('0987111222');
    const id: string = started.body.requestId;

    const form = await fetch(`${app.baseUrl}${started.body.form.url}`, { headers: { authorization: `Bearer ${token}` } });
    expect(form.headers.get('content-type')).to.equal('application/pdf');
    const text = pdfText(saveTemp(Buffer.from(await form.arrayBuffer()), 'form'));
    expect(text).to.include('Sùng Thị Mỷ').and.include(idNumber).and.include('0987111222');

    expect((await call(app, 'POST', `/api/citizen-accounts/requests/${id}/confirm`, { token, body: { otp: '123456' } })).body.error.code).to.equal('OTP_NOT_SENT');
    const sent = await call(app, 'POST', `/api/citizen-accounts/requests/${id}/otp`, { token });
    expect(sent.body.otp.sends).to.equal(1);
    const again = await call(app, 'POST', `/api/citizen-accounts/requests/${id}/otp`, { token });
    expect(again.status).to.equal(429);
    expect(again.body.error.message).to.match(/chờ \d+ giây/);

    const sms: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = '0987111222' and purpose = 'account-otp'`);
    const code = /\b(\d{6})\b/.exec(sms[0]!.body)![1]!;
    const wrong = await call(app, 'POST', `/api/citizen-accounts/requests/${id}/confirm`, { token, body: { otp: code === '999999' ? '000000' : '999999' } });
    expect(wrong.status).to.equal(422);
    expect(wrong.body.error).to.deep.include({ code: 'OTP_INVALID', details: { triesLeft: 4 } });
    expect(wrong.body.error.message).to.include('Còn 4 lần');
    expect((await call(app, 'POST', `/api/citizen-accounts/requests/${id}/confirm`, { token, body: { otp: '12a456' } })).body.error.code).to.equal('INVALID_INPUT');

    const created = await call(app, 'POST', `/api/citizen-accounts/requests/${id}/confirm`, { token, body: { otp: code } });
    expect(created.status, JSON.stringify(created.body)).to.equal(200);
    expect(created.body.status).to.equal('created');
    let view = created.body;
    for (let i = 0; i < 50 && view.account.passwordSms === 'pending'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await call(app, 'GET', `/api/citizen-accounts/requests/${id}`, { token })).body;
    }
    expect(view.account.passwordSms).to.equal('sent');

    const list = await call(app, 'GET', `/api/citizen-accounts?name=sung thi&officerId=${officerId}&unitId=${app.org.deskA}&phone=0987111222&idNumber=0120900`, { token });
    expect(list.body.total).to.equal(1);
    expect(list.body.items[0]).to.include({ fullName: 'Sùng Thị Mỷ', idNumber, officerName: 'Lường Thị Thu', unitName: 'Bộ phận Một cửa xã Nùng Năng', mustChangePassword: true });
    const none = await call(app, 'GET', '/api/citizen-accounts?name=không có ai', { token });
    expect(none.body).to.include({ total: 0, message: 'Không tìm thấy tài khoản thỏa mãn các tiêu chí trên' });
    const badRange = await call(app, 'GET', '/api/citizen-accounts?from=2026-12-01&to=2026-11-01', { token });
    expect(badRange.status).to.equal(400);

    expect((await call(app, 'GET', `/api/citizen-accounts/lookup?idNumber=${idNumber}`, { token })).body).to.include({ exists: true });
    const twice = await call(app, 'POST', '/api/citizen-accounts/requests', { token, body });
    expect(twice.status).to.equal(409);
    expect(twice.body.error.code).to.equal('ACCOUNT_EXISTS');
    expect(twice.body.error.message).to.include('đã có tài khoản');

    const audit = JSON.stringify(await app.ctx.db.query(`select details from audit_log where action like 'citizen-accounts.%'`));
    expect(audit).to.not.include(code);

    // At reception the account fills the form, and the case delivers to it.
    await createTestOfficer(app.ctx.db, { username: 'tiepnhan.hoa', fullName: 'Lò Thị Hoa', rights: ['CERT_CREATE'], unitIds: [app.org.communeA], phone: '0912000404' });
    const receiver = await login(app, 'tiepnhan.hoa');
    const filled = await call(app, 'GET', `/api/reception/citizen?idNumber=${idNumber}`, { token: receiver });
    // What the form needs, and the account's contact only masked: any desk may look a number up.
    expect(filled.body).to.deep.equal({
      citizen: { fullName: 'Sùng Thị Mỷ', citizenId: idNumber, birthDate: '1990-04-04' },
      portalAccount: { phoneHint: '*******222', emailHint: 'm***@example.vn' },
    });
    expect(JSON.stringify(filled.body)).to.not.include('0987111222').and.not.include('my@example.vn');
    const received = await call(app, 'POST', '/api/cases', {
      token: receiver,
      body: { unitId: app.org.communeA, citizen: filled.body.citizen, documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }] },
    });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    const account: Array<{ id: string }> = await app.ctx.db.query('select id from citizen_accounts where id_number = $1', [idNumber]);
    // The copy still goes to the account, and to its e-mail when none was typed.
    expect(received.body.citizen).to.include({ portalAccountId: account[0].id, email: 'my@example.vn' });
    expect((await call(app, 'GET', '/api/reception/citizen?idNumber=012090001111', { token: receiver })).status).to.equal(404);
    // Every lookup is audited with who asked and the number, masked; found or not.
    const lookups: Array<{ actor_name: string; target: string | null; outcome: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select actor_name, target, outcome, details from audit_log where action = 'reception.citizen-from-portal' order by seq`,
    );
    expect(lookups.map((l) => [l.actor_name, l.target, l.outcome, l.details.idNumber, l.details.found])).to.deep.equal([
      ['Lò Thị Hoa', `citizen-account:${account[0].id}`, 'success', `${idNumber.slice(0, 4)}******${idNumber.slice(-2)}`, true],
      ['Lò Thị Hoa', null, 'refused', '0120******11', false],
    ]);
  });

  it('explains what is wrong with the form, field by field, and starts nothing', async () => {
    const scan = await uploadIdScan(app, token, await idCardPdf(1), 'CCCD.pdf');
    const before = await app.ctx.db.query('select count(*)::int as n from account_requests');
    const bad = await call(app, 'POST', '/api/citizen-accounts/requests', {
      token,
      body: { citizen: { fullName: 'Lò Văn A', citizenId: '012090009999', birthDate: '1990-01-01', phone: '0123', email: 'không-phải-email' }, unitId: app.org.deskA, idScanFileId: scan.body.fileId },
    });
    expect(bad.status).to.equal(400);
    const fields = (bad.body.error.details.fields as Array<{ field: string }>).map((f) => f.field);
    expect(fields).to.include.members(['citizen.phone', 'citizen.email']);
    const wrongYear = await call(app, 'POST', '/api/citizen-accounts/requests', {
      token,
      body: { citizen: { fullName: 'Lò Văn A', citizenId: '012090009999', birthDate: '1985-01-01', phone: '0987333444' }, unitId: app.org.deskA, idScanFileId: scan.body.fileId },
    });
    expect(wrongYear.body.error.details.fields.map((f: { field: string; label: string }) => [f.field, f.label])).to.deep.equal([['citizen.birthDate', 'Ngày sinh']]);
    expect(wrongYear.body.error.message).to.include('không khớp với số CCCD');
    const wrongUnit = await call(app, 'POST', '/api/citizen-accounts/requests', {
      token,
      body: { citizen: { fullName: 'Lò Văn A', citizenId: '012090009999', birthDate: '1990-01-01', phone: '0987333444' }, unitId: app.org.deskB, idScanFileId: scan.body.fileId },
    });
    expect(wrongUnit.status).to.equal(422);
    expect(wrongUnit.body.error.code).to.equal('UNIT_NOT_ONE_STOP');
    const notDesk = await call(app, 'POST', '/api/citizen-accounts/requests', {
      token: outsiderToken,
      body: { citizen: { fullName: 'Lò Văn A', citizenId: '012090009999', birthDate: '1990-01-01', phone: '0987333444' }, unitId: app.org.communeA, idScanFileId: scan.body.fileId },
    });
    expect(notDesk.status).to.equal(422);
    expect(notDesk.body.error.code).to.equal('ONE_STOP_NOT_ASSIGNED');
    expect(await app.ctx.db.query('select count(*)::int as n from account_requests')).to.deep.equal(before);
  });

  it('cancels a request with a reason, after which it takes no code', async () => {
    const scan = await uploadIdScan(app, token, await idCardPdf(1), 'CCCD.pdf');
    const started = await call(app, 'POST', '/api/citizen-accounts/requests', {
      token,
      body: { citizen: { fullName: 'Thào A Lử', citizenId: '012090007777', birthDate: '1990-09-09', phone: '0987555666' }, unitId: app.org.deskA, idScanFileId: scan.body.fileId },
    });
    const id = started.body.requestId;
    const cancelled = await call(app, 'POST', `/api/citizen-accounts/requests/${id}/cancel`, { token, body: { reason: 'Công dân chưa mang CCCD' } });
    expect(cancelled.body.status).to.equal('cancelled');
    const late = await call(app, 'POST', `/api/citizen-accounts/requests/${id}/otp`, { token });
    expect(late.status).to.equal(409);
    expect(late.body.error.message).to.include('đã kết thúc');
    // The commune's officer sees the desk below it; another commune's desk does not.
    expect((await call(app, 'GET', `/api/citizen-accounts/requests/${id}`, { token: outsiderToken })).status).to.equal(200);
    await createTestOfficer(app.ctx.db, { username: 'motcua.bo', fullName: 'Lý Thị Bo', rights: ['ACCOUNT_CREATE'], unitIds: [app.org.deskB], phone: '0912000403' });
    const other = await call(app, 'GET', `/api/citizen-accounts/requests/${id}`, { token: await login(app, 'motcua.bo') });
    expect(other.status).to.equal(404);
  });
});
