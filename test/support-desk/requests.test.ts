/**
 * Support requests over REST on the real workflow, PostgreSQL and SMTP path: filing with the seed's
 * form and attachments recognised by content, refusals that create nothing, the seed's search,
 * the scope of each side, and a request's way from the handler's queue to its outcome e-mail.
 */
import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { docx } from '../support/officeFiles';
import { call, newKey, pdfBytes, startCaseApp, type CaseApp, clockAtEngineTime } from '../support/caseApp';
import { createTestOfficer, sessionFor } from '../support/identityApp';

async function upload(app: CaseApp, token: string, data: Buffer, name: string) {
  const res = await fetch(`${app.baseUrl}/api/support/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), 'idempotency-key': newKey() },
    body: data,
  });
  return { status: res.status, body: (await res.json()) as { fileId?: string; error?: { code: string; message: string } } };
}

const form = (unitId: string, over: Record<string, unknown> = {}) => ({
  unitId,
  serviceGroup: 'dvcqg',
  service: 'Thanh toán nghĩa vụ tài chính về đất đai',
  requesterName: 'Đào Mạnh Luân',
  requesterPhone: '0912 345 678',
  contactName: 'Phạm Thị Thúy Hằng',
  contactPhone: '0987654321',
  feedbackEmail: 'PhanHoi@NungNang.example.vn',
  title: 'Nùng Năng - hỗ trợ cấu hình URL API thanh toán nghĩa vụ tài chính đất đai',
  description: 'Đề nghị cấu hình API cho Nùng Năng:\n1. API dịch vụ: API BNDP thanh toán thuế đất\n- URL API: https://dvc.nungnang.example.vn/api',
  ...over,
});

describe('Support requests over REST', function () {
  this.timeout(240_000);
  let app: CaseApp;
  let requester: string;
  let otherCommune: string;
  let handler: string;
  let handlerId: string;

  before(async () => {
    app = await startCaseApp();
    // Filed at the app's clock, timed by the engine's: one time for both.
    await clockAtEngineTime(app);
    requester = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'yc.nungnang', fullName: 'Đào Mạnh Luân', rights: ['SUPPORT_MANAGE'], unitIds: [app.org.communeA] }));
    otherCommune = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'yc.banbo', rights: ['SUPPORT_MANAGE'], unitIds: [app.org.communeB] }));
    handlerId = await createTestOfficer(app.ctx.db, { username: 'ht.tinh', fullName: 'Lê Văn Hỗ Trợ', rights: ['SUPPORT_HANDLE'], unitIds: [app.org.province] });
    handler = await sessionFor(app, handlerId);
  });
  after(async () => app?.close());

  const count = async () => ((await app.ctx.db.query('select count(*)::int as n from support_requests')) as Array<{ n: number }>)[0]!.n;

  it('files a request with two attachments: 201 with its code, 8 working hours ahead, the attachments listed; the same key files nothing more', async () => {
    const pdf = await upload(app, requester, pdfBytes('cong-van', 1), 'Công văn đề nghị.pdf');
    const word = await upload(app, requester, docx(), 'Danh sách API.docx');
    expect([pdf.status, word.status]).to.deep.equal([201, 201]);
    const key = randomUUID();
    const body = form(app.org.communeA, { attachmentFileIds: [pdf.body.fileId, word.body.fileId] });
    const first = await call(app, 'POST', '/api/support/requests', { token: requester, body, key });
    expect(first.status, JSON.stringify(first.body)).to.equal(201);
    expect(first.body.code).to.match(/^YC-\d{6}-[0-9A-Z]{5}$/);
    expect(first.body.status).to.equal('received');
    expect(first.body.form.requesterPhone).to.equal('0912345678');
    expect(first.body.form.feedbackEmail).to.equal('phanhoi@nungnang.example.vn');
    expect(first.body.form.attachments.map((a: { name: string }) => a.name)).to.deep.equal(['Công văn đề nghị.pdf', 'Danh sách API.docx']);
    expect(Date.parse(first.body.dueAt)).to.be.greaterThan(Date.parse(first.body.filedAt));
    const again = await call(app, 'POST', '/api/support/requests', { token: requester, body, key });
    expect([again.status, again.body.code]).to.deep.equal([201, first.body.code]);
    const download = await fetch(`${app.baseUrl}/api/support/requests/${first.body.code}/attachments/${word.body.fileId}`, { headers: { authorization: `Bearer ${requester}` } });
    expect(download.status).to.equal(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(docx())).to.equal(true);
    expect(download.headers.get('content-disposition')).to.contain('attachment');
  });

  it('refuses a renamed attachment by its content, and a form with missing or wrong fields — in Vietnamese, naming each field, creating nothing', async () => {
    const renamed = await upload(app, requester, Buffer.concat([Buffer.from('MZ'), Buffer.alloc(300, 0x90)]), 'huong-dan.pdf');
    expect(renamed.status).to.equal(415);
    expect(renamed.body.error!.message).to.contain('chương trình chạy được');
    const before = await count();
    const res = await call(app, 'POST', '/api/support/requests', {
      token: requester,
      body: form(app.org.communeA, { requesterName: '', requesterPhone: '12345', feedbackEmail: 'khong-phai-email', title: ' ', serviceGroup: 'bao-tri', description: undefined }),
    });
    expect(res.status).to.equal(400);
    const fields = (res.body.error.details.fields as Array<{ field: string }>).map((f) => f.field).sort();
    expect(fields).to.deep.equal(['description', 'feedbackEmail', 'requesterName', 'requesterPhone', 'serviceGroup', 'title']);
    expect(res.body.error.message).to.contain('Email phản hồi').and.to.contain('Tên yêu cầu');
    const foreignFile = await call(app, 'POST', '/api/support/requests', { token: requester, body: form(app.org.communeA, { attachmentFileIds: [randomUUID()] }) });
    expect([foreignFile.status, foreignFile.body.error.code]).to.deep.equal([422, 'ATTACHMENT_NOT_USABLE']);
    const otherUnit = await call(app, 'POST', '/api/support/requests', { token: requester, body: form(app.org.communeB) });
    expect(otherUnit.status).to.equal(403);
    expect(await count()).to.equal(before);
  });

  it('lists by the seed’s search fields, newest first, within the caller’s scope only', async () => {
    app.clock.advance(60_000);
    const filed = await call(app, 'POST', '/api/support/requests', { token: requester, body: form(app.org.communeA, { title: 'Lỗi đồng bộ hồ sơ sang Cổng', serviceGroup: 'chungThuc', requesterName: 'Phạm Thị Thúy Hằng' }) });
    expect(filed.status).to.equal(201);
    const list = async (token: string, query: string) => (await call(app, 'GET', `/api/support/requests?${query}`, { token })).body;
    const byTitle = await list(requester, 'title=đồng bộ');
    expect(byTitle.items.map((i: { code: string }) => i.code)).to.deep.equal([filed.body.code]);
    expect(byTitle.items[0]).to.include({ requester: 'Phạm Thị Thúy Hằng', status: 'received', statusVi: 'Mới tiếp nhận' });
    expect((await list(requester, 'serviceGroup=chungThuc&requester=hằng')).total).to.equal(1);
    expect((await list(requester, 'status=done')).total).to.equal(0);
    const all = await list(requester, '');
    expect(all.items[0].code, 'newest first').to.equal(filed.body.code);
    expect((await list(otherCommune, '')).total, 'another commune sees none of them').to.equal(0);
    expect((await call(app, 'GET', `/api/support/requests/${filed.body.code}`, { token: otherCommune })).status).to.equal(404);
    expect((await list(handler, '')).total, 'the province’s team sees them all').to.equal(all.total);
    const bad = await call(app, 'GET', '/api/support/requests?from=2026-02-30&status=xong', { token: requester });
    expect(bad.status).to.equal(400);
  });

  it('goes from the handler’s queue through a question and its answer to the outcome, e-mailed once to the feedback address', async () => {
    const filed = await call(app, 'POST', '/api/support/requests', { token: requester, body: form(app.org.communeA, { title: 'Không nhận được biên lai thanh toán', notifyEachChange: false }) });
    const code = filed.body.code as string;
    const queue = await call(app, 'GET', '/api/support/queue', { token: handler });
    const dues = queue.body.items.map((i: { dueAt: string | null }) => i.dueAt).filter(Boolean).map((d: string) => Date.parse(d));
    expect(dues).to.deep.equal([...dues].sort((a, b) => a - b));
    expect(queue.body.items.map((i: { code: string }) => i.code)).to.include(code);

    const take = await call(app, 'POST', `/api/support/requests/${code}/take`, { token: handler, body: {} });
    expect([take.status, take.body.status, take.body.handler?.fullName]).to.deep.equal([200, 'in_progress', 'Lê Văn Hỗ Trợ']);
    const notMine = await call(app, 'POST', `/api/support/requests/${code}/resolve`, { token: requester, body: { text: 'Tự xử lý xong rồi' } });
    expect(notMine.status).to.equal(403);
    const ask = await call(app, 'POST', `/api/support/requests/${code}/ask`, { token: handler, body: { text: 'Đơn vị gửi giúp mã biên lai bị lỗi?' } });
    expect([ask.body.status, ask.body.dueAt]).to.deep.equal(['waiting', undefined]);
    const answer = await call(app, 'POST', `/api/support/requests/${code}/answer`, { token: requester, body: { text: 'Mã biên lai BL-2026-001' } });
    expect(answer.body.status).to.equal('in_progress');
    expect(answer.body.waits[0]).to.include({ question: 'Đơn vị gửi giúp mã biên lai bị lỗi?', answer: 'Mã biên lai BL-2026-001' });
    const done = await call(app, 'POST', `/api/support/requests/${code}/resolve`, { token: handler, body: { text: 'Đã gửi lại biên lai về địa phương' } });
    expect([done.status, done.body.status]).to.deep.equal([200, 'done']);
    const again = await call(app, 'POST', `/api/support/requests/${code}/resolve`, { token: handler, body: { text: 'Đã gửi lại biên lai về địa phương' } });
    expect([again.status, again.body.error.code]).to.deep.equal([409, 'WRONG_STATE']);

    let mails: Array<{ subject: string; text_body: string }> = [];
    for (let i = 0; i < 200 && mails.length === 0; i++) {
      mails = await app.ctx.db.query(`select subject, text_body from mail_messages where 'phanhoi@nungnang.example.vn' = any(envelope_to) and subject like $1`, [`[${code}]%`]);
      if (mails.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(mails).to.have.length(1);
    expect(mails[0]!.subject).to.equal(`[${code}] Kết quả xử lý yêu cầu hỗ trợ: Đã xử lý xong`);
    expect(mails[0]!.text_body).to.contain('Đã gửi lại biên lai về địa phương').and.to.contain('đúng hạn');
    const detail = await call(app, 'GET', `/api/support/requests/${code}`, { token: requester });
    expect(detail.body.events.map((e: { kind: string }) => e.kind).slice(0, 5)).to.deep.equal(['received', 'taken', 'asked', 'answered', 'done']);
    const audited: Array<{ action: string }> = await app.ctx.db.query(`select action from audit_log where target = $1 order by seq`, [`support:${code}`]);
    expect(audited.map((a) => a.action)).to.include.members(['support.file', 'support.take', 'support.ask', 'support.answer', 'support.resolve', 'support.event.done']);
  });

  it('counts on the supervisors’ SLA dashboard: filed, done on time, late, open', async () => {
    const supervisor = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'gs.huyen', rights: ['CASE_SUPERVISE'], unitIds: [app.org.district] }));
    const day = new Date(app.clock.now().getTime() + 7 * 3_600_000).toISOString().slice(0, 10);
    const res = await call(app, 'GET', `/api/supervision/dashboard?from=${day}&to=${day}`, { token: supervisor });
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    expect(res.body.support).to.deep.equal({ received: 3, done: 1, doneOnTime: 1, closedLate: 0, open: 2, openLate: 0 });
  });
});
