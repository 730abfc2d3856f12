/**
 * The mail routes: the embedded server's mailbox for user administrators (list, one message, its
 * .eml, an attachment), the outbox for administrators and for supervisors of the cases' units.
 * Messages arrive through real SMTP from the outbox.
 */
import { expect } from 'chai';
import { startLocalSmtpServer, type LocalSmtpServer } from '../../infra/mail/localSmtpServer';
import { MailOutbox } from '../../infra/mail/mailOutbox';
import { DEFAULT_MAIL_FROM } from '../../infra/mail/mailTransport';
import { createTestOfficer, http, sessionFor, startTestApp, type TestApp } from '../support/identityApp';
import { countedTransport, samplePdf, sha256 } from './mailWorld';

const CASE_A = '000.15.43.H35-261123-0001';

async function download(app: TestApp, path: string, token: string): Promise<{ status: number; type: string | null; disposition: string | null; body: Buffer }> {
  const res = await fetch(`${app.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), body: Buffer.from(await res.arrayBuffer()) };
}

/** The projection row a case's workflow would keep; only its unit matters here. */
async function caseOf(app: TestApp, code: string, unitId: string, receivedBy: string): Promise<void> {
  const at = app.clock.now();
  await app.ctx.db.query(
    `insert into certification_cases (case_code, unit_id, status, received_by, received_at, overall_due_at, citizen_name, citizen_id, view, updated_at, version)
     values ($1, $2, 'completed', $3, $4, $4, 'Giàng Thị Dợ', '012090001234', '{}', $4, 1)`,
    [code, unitId, receivedBy, at],
  );
}

describe('mail API: mailbox and outbox', function () {
  this.timeout(120_000);
  let app: TestApp;
  let smtp: LocalSmtpServer;
  let admin: string;
  let clerk: string;
  let supervisorA: string;
  let supervisorB: string;
  let messageId: string;
  const pdf = samplePdf('api');

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    smtp = await startLocalSmtpServer(app.ctx.db, { port: 0, now: () => app.clock.now().getTime() });
    const adminId = await createTestOfficer(app.ctx.db, { username: 'mail.admin', rights: ['USER_ADMIN'], unitIds: [app.org.communeA] });
    admin = await sessionFor(app, adminId);
    clerk = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'mail.clerk', rights: ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'AUDIT'], unitIds: [app.org.communeA] }));
    supervisorA = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'mail.sup.a', rights: ['CASE_SUPERVISE'], unitIds: [app.org.communeA] }));
    supervisorB = await sessionFor(app, await createTestOfficer(app.ctx.db, { username: 'mail.sup.b', rights: ['CASE_SUPERVISE'], unitIds: [app.org.communeB] }));
    await caseOf(app, CASE_A, app.org.communeA, adminId);

    const outbox = new MailOutbox(app.ctx.db, countedTransport(smtp.port).transport, { from: DEFAULT_MAIL_FROM, now: () => app.clock.now().getTime() });
    await outbox.send({
      key: `case:${CASE_A}:result-email`,
      caseCode: CASE_A,
      to: 'giang.thi.do@example.vn',
      subject: 'Bản sao chứng thực điện tử số 1/2026/SCT-BS',
      text: 'Kính gửi Ông/Bà Giàng Thị Dợ',
      attachments: [{ filename: `ban-sao-chung-thuc-${CASE_A}.pdf`, content: pdf, contentType: 'application/pdf' }],
    });
    await outbox.send({ key: 'notice:1', to: 'khac@example.vn', subject: 'Thông báo chung', text: '.' });
    const rows: Array<{ id: string }> = await app.ctx.db.query(`select id from mail_messages where 'giang.thi.do@example.vn' = any(envelope_to)`);
    messageId = rows[0].id;
  });
  after(async () => {
    await smtp?.close();
    await app?.close();
  });

  it('lists the mailbox for a user administrator, filtered and paged', async () => {
    const all = await http(app, 'GET', '/api/mail/messages', { token: admin });
    expect(all.status).to.equal(200);
    expect(all.body).to.deep.include({ total: 2, page: 1, pageSize: 50 });
    expect(all.body.items.map((m: { subject: string }) => m.subject)).to.deep.equal(['Thông báo chung', 'Bản sao chứng thực điện tử số 1/2026/SCT-BS']);
    const mine = await http(app, 'GET', `/api/mail/messages?to=${encodeURIComponent('Giang.Thi.Do@example.vn')}&subject=${encodeURIComponent('ban sao')}`, { token: admin });
    expect(mine.body.total).to.equal(1);
    expect(mine.body.items[0]).to.deep.include({ id: messageId, attachmentCount: 1, envelopeTo: ['giang.thi.do@example.vn'] });
    const page2 = await http(app, 'GET', '/api/mail/messages?pageSize=1&page=2', { token: admin });
    expect(page2.body.items.map((m: { id: string }) => m.id)).to.deep.equal([messageId]);
    const bad = await http(app, 'GET', '/api/mail/messages?pageSize=500', { token: admin });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.contain('Số dòng mỗi trang: cỡ trang tối đa là 100');
  });

  it('shows one message with its headers, text and attachments, and keeps the reading in the audit trail', async () => {
    const res = await http(app, 'GET', `/api/mail/messages/${messageId}`, { token: admin });
    expect(res.status).to.equal(200);
    expect(res.body).to.deep.include({ subject: 'Bản sao chứng thực điện tử số 1/2026/SCT-BS', envelopeFrom: 'no-reply@chungthuc.local' });
    expect(res.body.text.trim()).to.equal('Kính gửi Ông/Bà Giàng Thị Dợ');
    expect(res.body.headers.some((h: { name: string; value: string }) => h.name === 'x-case-code' && h.value === CASE_A)).to.equal(true);
    expect(res.body.attachments).to.deep.equal([{ index: 0, filename: `ban-sao-chung-thuc-${CASE_A}.pdf`, contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }]);
    const audit: Array<{ action: string; target: string; outcome: string }> = await app.ctx.db.query(`select action, target, outcome from audit_log where action like 'mail.%' order by seq`);
    expect(audit).to.deep.include({ action: 'mail.read', target: `mail:${messageId}`, outcome: 'success' });
  });

  it('downloads the raw message and the attachment byte for byte', async () => {
    const raw = await download(app, `/api/mail/messages/${messageId}/raw`, admin);
    expect(raw.status).to.equal(200);
    expect(raw.type).to.match(/^message\/rfc822/);
    expect(raw.disposition).to.contain(`${messageId}.eml`);
    const stored: Array<{ raw: Buffer }> = await app.ctx.db.query('select raw from mail_messages where id = $1', [messageId]);
    expect(sha256(raw.body)).to.equal(sha256(stored[0].raw));
    expect(raw.body.toString('latin1')).to.contain('Subject: =?UTF-8?');

    const attachment = await download(app, `/api/mail/messages/${messageId}/attachments/0`, admin);
    expect(attachment.status).to.equal(200);
    expect(attachment.type).to.match(/^application\/pdf/);
    expect(attachment.disposition).to.match(/^attachment; filename="?ban-sao-chung-thuc-000\.15\.43\.H35-261123-0001\.pdf"?$/);
    expect(sha256(attachment.body)).to.equal(sha256(pdf));

    const audit: Array<{ action: string; details: { attachment?: number } }> = await app.ctx.db.query(`select action, details from audit_log where target = $1 order by seq`, [`mail:${messageId}`]);
    expect(audit.map((a) => a.action)).to.include.members(['mail.read.raw', 'mail.read.attachment']);
    expect(audit.find((a) => a.action === 'mail.read.attachment')?.details.attachment).to.equal(0);
  });

  it('answers 404 for a missing message or attachment and 400 for a malformed one, in Vietnamese', async () => {
    const missing = await http(app, 'GET', '/api/mail/messages/7f1d2c1e-0000-4000-8000-000000000000', { token: admin });
    expect(missing.status).to.equal(404);
    expect(missing.body.error.message).to.equal('Không tìm thấy thư.');
    expect((await http(app, 'GET', `/api/mail/messages/${messageId}/attachments/3`, { token: admin })).status).to.equal(404);
    const badId = await http(app, 'GET', '/api/mail/messages/khong-phai-uuid/raw', { token: admin });
    expect(badId.status).to.equal(400);
    expect(badId.body.error.message).to.contain('mã thư không hợp lệ');
    const badIndex = await http(app, 'GET', `/api/mail/messages/${messageId}/attachments/-1`, { token: admin });
    expect(badIndex.status).to.equal(400);
    expect(badIndex.body.error.message).to.contain('số thứ tự tệp đính kèm');
  });

  it('refuses the mailbox to officers without USER_ADMIN, and to anyone without a session', async () => {
    for (const path of ['/api/mail/messages', `/api/mail/messages/${messageId}`, `/api/mail/messages/${messageId}/raw`, `/api/mail/messages/${messageId}/attachments/0`]) {
      for (const token of [clerk, supervisorA]) {
        const res = await http(app, 'GET', path, { token });
        expect(res.status, path).to.equal(403);
        expect(res.body.error.code, path).to.equal('RIGHT_REQUIRED');
      }
      expect((await http(app, 'GET', path)).status, path).to.equal(401);
    }
  });

  it('shows the outbox: everything to administrators, the e-mails of their units’ cases to supervisors', async () => {
    const all = await http(app, 'GET', '/api/mail/outbox', { token: admin });
    expect(all.status).to.equal(200);
    expect(all.body.total).to.equal(2);
    const row = all.body.items.find((i: { key: string }) => i.key === `case:${CASE_A}:result-email`);
    expect(row).to.deep.include({ caseCode: CASE_A, to: 'giang.thi.do@example.vn', status: 'sent', attempts: 1, lastError: null });

    const mine = await http(app, 'GET', '/api/mail/outbox', { token: supervisorA });
    expect(mine.status).to.equal(200);
    expect(mine.body.items.map((i: { key: string }) => i.key)).to.deep.equal([`case:${CASE_A}:result-email`]);
    const other = await http(app, 'GET', `/api/mail/outbox?caseCode=${CASE_A}`, { token: supervisorB });
    expect(other.body).to.deep.include({ total: 0, items: [] });

    expect((await http(app, 'GET', '/api/mail/outbox?status=failed', { token: admin })).body.total).to.equal(0);
    const bad = await http(app, 'GET', '/api/mail/outbox?status=lost', { token: admin });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.message).to.contain('trạng thái phải là sending, sent hoặc failed');
    expect((await http(app, 'GET', '/api/mail/outbox', { token: clerk })).status).to.equal(403);
  });
});
