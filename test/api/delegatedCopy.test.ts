/**
 * Signing on behalf of the leader, through the REST API on the real workflow: the leader picks the
 * delegate by name, the delegation records its legal form (KT. for a deputy, TUQ. for anyone else),
 * the delegate signs, and the copy, the case, the register, the public verification page and the
 * officers' document lists all say who delegated. Also the verification page itself: one verdict
 * at a time, a page (not JSON) for a wrong token, Vietnamese or English.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { resolveInFiles } from '../../activities/certification/files';
import type { CaseView } from '../../workflows/certification/types';
import { call, caseThrough, pdfBytes, receptionBody, startCaseApp, uploadFile, type CaseApp } from '../support/caseApp';
import { createTestOfficer, sessionFor } from '../support/identityApp';
import { pdfsig, pdfText, saveTemp } from '../support/pdfTools';

describe('API: signing under a delegation, and what the copy’s readers see', function () {
  this.timeout(120_000);
  let app: CaseApp;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string> = {};
  const delegations: Record<string, string> = {};
  let kt: CaseView;

  async function officer(name: string, fullName: string, rights: Parameters<typeof createTestOfficer>[1]['rights'], unitIds: string[], jobTitle?: string) {
    ids[name] = await createTestOfficer(app.ctx.db, { username: `${name}.dlg`, fullName, rights, unitIds });
    if (jobTitle) await app.ctx.db.query('update officers set job_title = $2 where id = $1', [ids[name], jobTitle]);
    tokens[name] = await sessionFor(app, ids[name]);
  }

  async function raw(method: string, path: string, options: { body?: Buffer; type?: string; token?: string } = {}) {
    const res = await fetch(`${app.baseUrl}${path}`, {
      method,
      headers: { ...(options.type ? { 'content-type': options.type } : {}), ...(options.token ? { authorization: `Bearer ${options.token}` } : {}) },
      body: options.body,
    });
    return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', bytes: Buffer.from(await res.arrayBuffer()) };
  }

  /** A case of communeA submitted to the leader. */
  async function submitted(mark: string): Promise<string> {
    const scanFileId = await uploadFile(app, tokens.receiver, pdfBytes(mark));
    const received = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId }) });
    expect(received.status, JSON.stringify(received.body)).to.equal(201);
    const code = received.body.caseCode;
    expect((await call(app, 'POST', `/api/cases/${code}/submit`, { token: tokens.receiver, body: {} })).status).to.equal(200);
    return code;
  }

  async function completed(code: string): Promise<CaseView> {
    for (let i = 0; i < 300; i++) {
      const v = (await call<CaseView>(app, 'GET', `/api/cases/${code}`, { token: tokens.sealer })).body;
      if (v.status === 'completed') return v;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`case ${code} did not complete`);
  }

  /** The text of a case file's last page, whitespace squashed. */
  const lastPageText = (relative: string) => pdfText(saveTemp(readFileSync(resolveInFiles(app.filesDir, relative)), 'dlg')).replace(/[ \t]+/g, ' ');

  before(async () => {
    app = await startCaseApp({ otpRequired: false });
    const { org } = app;
    await officer('chairman', 'Lý Văn Chủ', ['CERT_SIGN'], [org.communeA], 'Chủ tịch UBND xã');
    await officer('deputy', 'Lò Văn Phó', ['CERT_CREATE'], [org.communeA], 'Phó Chủ tịch UBND xã');
    await officer('clerk', 'Đỗ Thị Hộ Tịch', ['CERT_CREATE'], [org.deskA]);
    await officer('receiver', 'Trần Ngọc Lan', ['CERT_CREATE'], [org.deskA]);
    await officer('sealer', 'Phạm Thị Mai', ['CERT_SEAL'], [org.communeA], 'Văn thư');
    await officer('reporter', 'Hoàng Minh Kiểm', ['CERT_REPORT'], [org.district]);
    await officer('leaderB', 'Lý Văn Sơn', ['CERT_SIGN'], [org.communeB]);
    await createTestOfficer(app.ctx.db, { username: 'nghi.dlg', fullName: 'Công Chức Đã Nghỉ', status: 'inactive', unitIds: [org.deskA] });
  });
  after(async () => {
    await app?.close();
  });

  it('lets a leader pick the delegate by name among the unit’s active officers, with the form a delegation would take', async () => {
    const res = await call(app, 'GET', `/api/delegations/candidates?unitId=${app.org.communeA}`, { token: tokens.chairman });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    const byName = new Map<string, { jobTitle: string | null; units: string[]; signature: { form: string; headTitle: string; signerTitle: string } }>(
      res.body.items.map((i: { fullName: string }) => [i.fullName, i]),
    );
    // Himself and the inactive officer are not offered; the desk below the commune is.
    expect([...byName.keys()].sort()).to.deep.equal(['Lò Văn Phó', 'Phạm Thị Mai', 'Trần Ngọc Lan', 'Đỗ Thị Hộ Tịch'].sort());
    expect(byName.get('Lò Văn Phó')).to.deep.include({ jobTitle: 'Phó Chủ tịch UBND xã', signature: { form: 'KT', headTitle: 'Chủ tịch', signerTitle: 'Phó Chủ tịch' } });
    expect(byName.get('Đỗ Thị Hộ Tịch')).to.deep.include({ jobTitle: null, units: ['Bộ phận Một cửa xã Nùng Năng'], signature: { form: 'TUQ', headTitle: 'Chủ tịch', signerTitle: 'Công chức Tư pháp – Hộ tịch' } });

    const search = await call(app, 'GET', `/api/delegations/candidates?unitId=${app.org.communeA}&q=ho%20tich`, { token: tokens.chairman });
    expect(search.body.items.map((i: { fullName: string }) => i.fullName)).to.deep.equal(['Đỗ Thị Hộ Tịch']);
    const foreign = await call(app, 'GET', `/api/delegations/candidates?unitId=${app.org.communeA}`, { token: tokens.leaderB });
    expect(foreign.status).to.equal(403);
    expect(foreign.body.error.code).to.equal('UNIT_OUT_OF_SCOPE');
    const missing = await call(app, 'GET', '/api/delegations/candidates', { token: tokens.chairman });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.message).to.include('Đơn vị: thiếu');
  });

  it('records KT. for the deputy and TUQ. for the clerk when the delegations are given; an older row gets the form it would have had', async () => {
    const give = async (to: string) => {
      const res = await call(app, 'POST', '/api/delegations', {
        token: tokens.chairman,
        body: { unitId: app.org.communeA, toOfficerId: ids[to], validFrom: app.clock.now().toISOString(), validTo: '2026-12-23T10:00:00Z', reason: 'Chủ tịch đi công tác tỉnh' },
      });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      delegations[to] = res.body.id;
      return res.body;
    };
    expect((await give('deputy')).signature).to.deep.equal({ form: 'KT', headTitle: 'Chủ tịch', signerTitle: 'Phó Chủ tịch' });
    expect((await give('clerk')).signature).to.deep.equal({ form: 'TUQ', headTitle: 'Chủ tịch', signerTitle: 'Công chức Tư pháp – Hộ tịch' });
    const stored: Array<{ form: string; head_title: string; delegate_title: string }> = await app.ctx.db.query(
      'select form, head_title, delegate_title from signing_delegations where id = $1',
      [delegations.deputy],
    );
    expect(stored[0]).to.deep.equal({ form: 'KT', head_title: 'Chủ tịch', delegate_title: 'Phó Chủ tịch' });

    // A later change of the deputy's title does not change what his delegation records…
    await app.ctx.db.query(`update officers set job_title = 'Chủ tịch Hội Nông dân' where id = $1`, [ids.deputy]);
    const listed = await call(app, 'GET', '/api/delegations?status=active', { token: tokens.chairman });
    expect(listed.body.items.find((d: { id: string }) => d.id === delegations.deputy).signature.form).to.equal('KT');
    await app.ctx.db.query(`update officers set job_title = 'Phó Chủ tịch UBND xã' where id = $1`, [ids.deputy]);
    // …while a row written without a form (by older code) is read with the one it would have got.
    const older: Array<{ id: string }> = await app.ctx.db.query(
      `insert into signing_delegations (unit_id, from_officer_id, to_officer_id, valid_from, valid_to, reason, created_at, created_by)
       values ($1, $2, $3, $4, $5, 'Ủy quyền cũ', $4, $2) returning id`,
      [app.org.communeA, ids.chairman, ids.sealer, app.clock.now(), new Date('2026-12-01T00:00:00Z')],
    );
    const all = await call(app, 'GET', '/api/delegations', { token: tokens.chairman });
    expect(all.body.items.find((d: { id: string }) => d.id === older[0].id).signature).to.deep.equal({ form: 'TUQ', headTitle: 'Chủ tịch', signerTitle: 'Văn thư' });
  });

  it('a deputy signing under the delegation: "KT. CHỦ TỊCH" above "PHÓ CHỦ TỊCH" on the copy, both signatures valid, the delegation in the signature facts', async () => {
    const code = await submitted(`kt-${process.pid}`);
    const signed = await call<CaseView>(app, 'POST', `/api/cases/${code}/sign`, { token: tokens.deputy, body: {} });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    expect(signed.body.signature!.signedBy).to.deep.equal({ officerId: ids.deputy, fullName: 'Lò Văn Phó' });
    expect(signed.body.signature!.delegation).to.deep.equal({
      delegationId: delegations.deputy,
      delegatedBy: { officerId: ids.chairman, fullName: 'Lý Văn Chủ' },
      form: 'KT',
      headTitle: 'Chủ tịch',
      signerTitle: 'Phó Chủ tịch',
    });
    expect((await call(app, 'POST', `/api/cases/${code}/seal`, { token: tokens.sealer, body: {} })).status).to.equal(200);
    kt = await completed(code);

    const text = lastPageText(kt.result!.path);
    expect(text).to.match(/NGƯỜI THỰC HIỆN CHỨNG THỰC[\s\S]*KT\. CHỦ TỊCH[\s\S]*PHÓ CHỦ TỊCH[\s\S]*\(Chữ ký số\)[\s\S]*Lò Văn Phó/);
    const signatures = await pdfsig(readFileSync(resolveInFiles(app.filesDir, kt.result!.path)));
    expect(signatures.map((s) => [s.commonName, s.validation])).to.deep.equal([
      ['Lò Văn Phó', 'Signature is Valid.'],
      ['UBND xã Nùng Năng', 'Signature is Valid.'],
    ]);
  });

  it('the clerk signing under the delegation: "TUQ. CHỦ TỊCH" above her own title; the chairman’s own signature carries no delegation', async () => {
    const code = await submitted(`tuq-${process.pid}`);
    const signed = await call<CaseView>(app, 'POST', `/api/cases/${code}/sign`, { token: tokens.clerk, body: {} });
    expect(signed.status, JSON.stringify(signed.body)).to.equal(200);
    expect(signed.body.signature!.delegation).to.include({ form: 'TUQ', delegationId: delegations.clerk });
    expect(lastPageText(signed.body.signature!.path)).to.match(/TUQ\. CHỦ TỊCH[\s\S]*CÔNG CHỨC TƯ PHÁP – HỘ TỊCH[\s\S]*Đỗ Thị Hộ Tịch/);

    const own = await caseThrough(app, { receiver: tokens.receiver, leader: tokens.chairman, sealer: tokens.sealer }, [['receiver', 'submit'], ['leader', 'sign'], ['sealer', 'seal']], `own-${process.pid}`);
    const ownView = await completed(own);
    expect(ownView.signature).to.not.have.property('delegation');
    const ownText = lastPageText(ownView.result!.path);
    expect(ownText).to.include('Chủ tịch UBND xã');
    expect(ownText).to.not.match(/KT\.|TUQ\./);

    const year = kt.certificationNumber!.split('/')[1]!.slice(0, 4);
    const register = await call(app, 'GET', `/api/register?unitId=${app.org.communeA}&year=${year}`, { token: tokens.reporter });
    const line = (c: string) => register.body.items.find((i: { caseCode: string }) => i.caseCode === c);
    expect(line(kt.caseCode).signer).to.deep.include({ fullName: 'Lò Văn Phó' });
    expect(line(kt.caseCode).signer.delegation).to.include({ form: 'KT', headTitle: 'Chủ tịch' });
    expect(line(kt.caseCode).signer.delegation.delegatedBy.fullName).to.equal('Lý Văn Chủ');
    expect(line(own).signer).to.deep.equal({ fullName: 'Lý Văn Chủ' });
  });

  it('the verification page names who delegated, in Vietnamese only, dates as dd/mm/yyyy HH:mm; the JSON answer too', async () => {
    const url = new URL((await call(app, 'GET', `/api/cases/${kt.caseCode}`, { token: tokens.sealer })).body.verifyUrl);
    const page = await raw('GET', `${url.pathname}${url.search}`);
    expect(page.status).to.equal(200);
    const html = page.bytes.toString('utf8');
    expect(html).to.include('data-verdict="ok"').and.include('Bản sao hợp lệ').and.include('KT. Chủ tịch: ký theo ủy quyền của Lý Văn Chủ (Phó Chủ tịch)');
    expect(html).to.not.include('Valid copy').and.not.include('signed on behalf');
    expect(html).to.match(/<th>Thời điểm chứng thực<\/th><td>\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}<\/td>/);
    // One verdict on the page (the upload script's own markup aside).
    expect(html.split('<script>')[0]!.match(/data-verdict="/g)).to.have.length(1);

    const english = (await raw('GET', `${url.pathname}${url.search}&lang=en`)).bytes.toString('utf8');
    expect(english).to.include('<html lang="en">').and.include('Valid copy').and.include('KT. Chủ tịch: signed on behalf of Lý Văn Chủ');
    expect(english).to.not.include('Bản sao hợp lệ');

    const json = await call(app, 'GET', `/api/public/verify/${kt.caseCode}${url.search}`);
    expect(json.body.signer.delegation).to.deep.equal({ form: 'KT', headTitle: 'Chủ tịch', signerTitle: 'Phó Chủ tịch', delegatedBy: 'Lý Văn Chủ' });
  });

  it('answers a wrong token, a missing one and a bad date with a red page, not JSON; finds a copy by its number and the date as printed', async () => {
    for (const path of [`/verify/${kt.caseCode}?t=AAAAAAAAAAAAAAAAAAAAAA`, `/verify/${kt.caseCode}`]) {
      const page = await raw('GET', path);
      expect(page.status, path).to.equal(404);
      expect(page.type).to.match(/^text\/html/);
      const html = page.bytes.toString('utf8');
      expect(html).to.include('data-verdict="bad"').and.include('Không tìm thấy bản sao chứng thực theo mã QR này');
      expect(html).to.include('Kiểm tra một tệp bản sao');
    }
    const badDate = await raw('GET', '/verify?number=1&date=31/02/2026');
    expect(badDate.status).to.equal(400);
    expect(badDate.type).to.match(/^text\/html/);
    expect(badDate.bytes.toString('utf8')).to.include('data-verdict="bad"').and.include('ngày chứng thực (date)');
    // The form's date is typed as printed on the copy.
    const none = await raw('GET', `/verify?number=${encodeURIComponent(kt.certificationNumber!)}&date=01/01/2020`);
    expect(none.status).to.equal(404);
    expect(none.bytes.toString('utf8')).to.include(`Không có bản sao nào được chứng thực với số ${kt.certificationNumber} ngày 01/01/2020.`);
    const day = new Date(Date.parse(kt.result!.sealedAt) + 7 * 3_600_000).toISOString().slice(0, 10).split('-').reverse().join('/');
    const found = await raw('GET', `/verify?number=${encodeURIComponent(kt.certificationNumber!)}&date=${day}`);
    expect(found.status).to.equal(200);
    expect(found.bytes.toString('utf8')).to.include('data-verdict="ok"');
  });

  it('checks an uploaded file into one verdict: green for the issued copy, red for a changed byte or a file that is not a PDF', async () => {
    const copy = readFileSync(resolveInFiles(app.filesDir, kt.result!.path));
    const issued = await raw('POST', `/verify/pdf?name=${encodeURIComponent('ban-sao.pdf')}`, { body: copy, type: 'application/pdf' });
    expect(issued.status).to.equal(200);
    const good = issued.bytes.toString('utf8');
    expect(good).to.include('data-verdict="ok"').and.include('ban-sao.pdf').and.include('ký theo ủy quyền của Lý Văn Chủ');
    expect(good.match(/data-verdict=/g)).to.have.length(1);

    const altered = Buffer.from(copy);
    altered[altered.indexOf('stream\n') + 40] ^= 0x01;
    const tampered = (await raw('POST', '/verify/pdf?lang=en', { body: altered, type: 'application/pdf' })).bytes.toString('utf8');
    expect(tampered).to.include('data-verdict="bad"').and.include('not a valid certified copy');
    expect(tampered).to.not.include('data-verdict="ok"').and.not.include('Tệp đã bị thay đổi');

    const notPdf = await raw('POST', '/verify/pdf', { body: Buffer.from('hello'), type: 'application/pdf' });
    expect(notPdf.status).to.equal(400);
    expect(notPdf.bytes.toString('utf8')).to.include('data-verdict="bad"').and.include('Hãy gửi nội dung tệp PDF');
    const audited: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from audit_log where action = 'public.verify_pdf'`);
    expect(audited[0].n).to.equal(3);
  });

  it('files the copy in the signer’s “Giấy tờ của tôi”, filtered by case code and date, each file named by its kind and case', async () => {
    const mine = await call(app, 'GET', '/api/documents', { token: tokens.deputy });
    expect(mine.body.items.map((d: { caseCode: string; role: string }) => [d.caseCode, d.role])).to.deep.equal([[kt.caseCode, 'signer']]);
    const item = mine.body.items[0];
    expect(item.fileName).to.equal(`${kt.caseCode}-ban-sao-chung-thuc.pdf`);
    expect(item.verifyUrl).to.match(new RegExp(`/verify/${kt.caseCode.replace(/\./g, '\\.')}\\?t=`));

    const receiverDocs = async (query: string) => (await call(app, 'GET', `/api/documents${query}`, { token: tokens.receiver })).body;
    expect((await receiverDocs('')).total).to.equal(2);
    expect((await receiverDocs(`?q=${kt.caseCode.slice(-6)}`)).items.map((d: { caseCode: string }) => d.caseCode)).to.deep.equal([kt.caseCode]);
    const day = new Date(Date.parse(item.createdAt) + 7 * 3_600_000).toISOString().slice(0, 10);
    expect((await receiverDocs(`?from=${day}&to=${day}`)).total).to.equal(2);
    expect((await receiverDocs('?to=2020-01-01')).total).to.equal(0);
    const reversed = await call(app, 'GET', `/api/documents?from=${day}&to=2020-01-01`, { token: tokens.receiver });
    expect(reversed.status).to.equal(400);
    expect(reversed.body.error.message).to.include('đến ngày không được trước từ ngày');

    const download = await raw('GET', `/api/documents/${item.id}`, { token: tokens.deputy });
    expect(download.status).to.equal(200);
    expect(download.disposition).to.include(`filename="${kt.caseCode}-ban-sao-chung-thuc.pdf"`);
  });
});
