/**
 * E-mail through real SMTP: MailOutbox → nodemailer → the embedded SMTP server → mail_messages,
 * on a fresh database. Sending is idempotent per key, failures are recorded and retried, and
 * what arrives is what was sent, byte for byte.
 */
import { expect } from 'chai';
import { SMTPServer } from 'smtp-server';
import { startLocalSmtpServer, type LocalSmtpServer } from '../../infra/mail/localSmtpServer';
import { getMessage, listMessages, messageAttachment } from '../../infra/mail/mailbox';
import { holderIsGone, LEASE_MS, MailOutbox, MailSendError, messageIdFor } from '../../infra/mail/mailOutbox';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { createDataSource, IDLE_IN_TRANSACTION_MS, POOL_WAIT_MS } from '../../db/dataSource';
import { createMailTransport, DEFAULT_MAIL_FROM, localMailSettings } from '../../infra/mail/mailTransport';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { closedPort, countedTransport, MAIL_TEST_TIME, samplePdf, sha256 } from './mailWorld';

const SUBJECT = '[UBND xã Nùng Năng] Bản sao chứng thực điện tử số 000123/2026/SCT-BS';
const TEXT = 'Kính gửi Ông/Bà Giàng Thị Dợ,\n\nỦy ban nhân dân xã gửi Ông/Bà bản sao điện tử được chứng thực từ bản chính — hồ sơ đã hoàn thành.\nTrân trọng.';

async function rejection(p: Promise<unknown>): Promise<MailSendError> {
  const outcome = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  if (!(outcome instanceof MailSendError)) throw new Error(`expected a MailSendError, got ${String(outcome)}`);
  return outcome;
}

describe('mail: sending through the outbox and the embedded SMTP server', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let server: LocalSmtpServer;
  let clock = MAIL_TEST_TIME;
  const now = () => clock;

  before(async () => {
    fresh = await freshDatabase();
    server = await startLocalSmtpServer(fresh.db, { port: 0, now });
  });
  after(async () => {
    await server?.close();
    await fresh?.close();
  });

  it('delivers a Vietnamese e-mail with a PDF attachment intact, and records it as sent', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const pdf = samplePdf('case 1');
    const result = await outbox.send({
      key: 'case:000.15.43.H35-261201-0001:result-email',
      caseCode: '000.15.43.H35-261201-0001',
      to: 'Giang.Thi.Do@Example.VN',
      subject: SUBJECT,
      text: TEXT,
      attachments: [{ filename: 'bản-sao-chứng-thực.pdf', content: pdf, contentType: 'application/pdf' }],
    });
    expect(result).to.deep.equal({ status: 'sent', attempts: 1, messageId: messageIdFor('case:000.15.43.H35-261201-0001:result-email', DEFAULT_MAIL_FROM) });
    expect(result.messageId).to.match(/^<[0-9a-f]{40}@chungthuc\.local>$/);
    expect(sent()).to.equal(1);

    const listed = await listMessages(fresh.db, { to: 'giang.thi.do@example.vn' });
    expect(listed.total).to.equal(1);
    const message = (await getMessage(fresh.db, listed.items[0].id))!;
    expect(message.messageId).to.equal(result.messageId);
    expect(message.subject).to.equal(SUBJECT);
    expect(message.text?.trim()).to.equal(TEXT);
    expect(message.envelopeTo).to.deep.equal(['giang.thi.do@example.vn']);
    expect(message.envelopeFrom).to.equal('no-reply@chungthuc.local');
    expect(message.from).to.contain('Một cửa điện tử');
    expect(message.date?.getTime()).to.equal(MAIL_TEST_TIME);
    expect(message.receivedAt.getTime()).to.equal(MAIL_TEST_TIME);
    expect(message.headers.find((h) => h.name === 'x-case-code')?.value).to.equal('000.15.43.H35-261201-0001');
    expect(message.attachments).to.deep.equal([{ index: 0, filename: 'bản-sao-chứng-thực.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf) }]);
    const attachment = (await messageAttachment(fresh.db, message.id, 0))!;
    expect(sha256(attachment.content)).to.equal(sha256(pdf));
    expect(attachment.filename).to.equal('bản-sao-chứng-thực.pdf');
    expect(await messageAttachment(fresh.db, message.id, 1)).to.equal(undefined);

    const status = await outbox.status('case:000.15.43.H35-261201-0001:result-email');
    expect(status).to.deep.include({ status: 'sent', attempts: 1, lastError: null, messageId: result.messageId });
    expect(status?.sentAt?.getTime()).to.equal(MAIL_TEST_TIME);
  });

  it('sends a key once: the second call answers already_sent without touching SMTP', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const mail = { key: 'case:000.15.43.H35-261201-0002:result-email', to: 'a.nguyen@example.vn', subject: 'Hồ sơ đã hoàn thành', text: 'Nội dung' };
    const first = await outbox.send(mail);
    const second = await outbox.send(mail);
    expect(first.status).to.equal('sent');
    expect(second).to.deep.equal({ status: 'already_sent', messageId: first.messageId, attempts: 1 });
    expect(sent()).to.equal(1);
    expect((await listMessages(fresh.db, { to: 'a.nguyen@example.vn' })).total).to.equal(1);
  });

  it('lets only one of several simultaneous attempts of a key reach SMTP', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const mail = { key: 'case:000.15.43.H35-261201-0003:result-email', to: 'song.song@example.vn', subject: 'Gửi đồng thời', text: 'Một lần thôi' };
    const outcomes = await Promise.allSettled([outbox.send(mail), outbox.send(mail), outbox.send(mail)]);
    const fulfilled = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value.status] : []));
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as MailSendError).code] : []));
    expect(fulfilled.filter((s) => s === 'sent')).to.have.length(1);
    expect(fulfilled.filter((s) => s !== 'sent').every((s) => s === 'already_sent'), JSON.stringify(fulfilled)).to.equal(true);
    expect(refused.every((c) => c === 'SEND_IN_PROGRESS'), JSON.stringify(outcomes.map((o) => (o.status === 'rejected' ? String(o.reason) : o.value.status)))).to.equal(true);
    expect(sent()).to.equal(1);
    expect(await outbox.status(mail.key)).to.deep.include({ status: 'sent', attempts: 1 });
  });

  it('delivers 120 e-mails at once through a pool of 3 connections: no send waits for a second connection while holding one', async () => {
    const small = createDataSource(fresh.url, 3);
    await small.initialize();
    try {
      const { transport, sent } = countedTransport(server.port);
      const outbox = new MailOutbox(small, transport, { from: DEFAULT_MAIL_FROM, now });
      const mails = Array.from({ length: 120 }, (_, i) => ({ key: `burst:${process.pid}:${i}`, to: `dong.loat.${i}@example.vn`, subject: `Gửi đồng loạt ${i}`, text: `Thư số ${i}` }));
      // Five attempts of one key among them still reach SMTP once.
      const repeated = { key: `burst:${process.pid}:lap-lai`, to: 'lap.lai@example.vn', subject: 'Lặp lại', text: '.' };
      const outcomes = await Promise.allSettled([...mails, ...Array.from({ length: 5 }, () => repeated)].map((m) => outbox.send(m)));
      const failures = outcomes.flatMap((o, i) => (o.status === 'rejected' ? [`${i}: ${String(o.reason)}`] : []));
      expect(failures.filter((f) => !f.includes('SEND_IN_PROGRESS') && !f.includes('đang được gửi')), failures.join('\n')).to.deep.equal([]);
      expect(outcomes.slice(0, 120).every((o) => o.status === 'fulfilled' && o.value.status === 'sent')).to.equal(true);
      expect(sent()).to.equal(121);
      const rows: Array<{ n: number }> = await fresh.db.query(`select count(*)::int as n from mail_outbox where key like $1 and status = 'sent' and lease_owner is null`, [`burst:${process.pid}:%`]);
      expect(rows[0]!.n).to.equal(121);
      expect((await listMessages(fresh.db, { to: 'dong.loat.119@example.vn' })).total).to.equal(1);
    } finally {
      await small.destroy();
    }
  });

  it('takes over a send whose attempt died holding the lease, once the lease has run out', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const mail = { key: `case:000.15.43.H35-261201-0009:result-email`, to: 'bi.ngat@example.vn', subject: 'Lượt gửi bị ngắt', text: '.' };
    await outbox.send(mail);
    // An attempt claimed the row and its process died before SMTP answered.
    await fresh.db.query(`update mail_outbox set status = 'sending', lease_owner = gen_random_uuid(), lease_until = $2 where key = $1`, [mail.key, new Date(clock + LEASE_MS)]);
    const held = await rejection(outbox.send(mail));
    expect(held.code).to.equal('SEND_IN_PROGRESS');
    expect(sent()).to.equal(1);
    clock += LEASE_MS;
    try {
      expect((await outbox.send(mail)).status).to.equal('sent');
    } finally {
      clock = MAIL_TEST_TIME;
    }
    expect(sent()).to.equal(2);
  });

  it('takes over at once a lease whose holder process on this host is gone, never one whose holder runs', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const mail = { key: `case:000.15.43.H35-261201-0010:result-email`, to: 'tho.chet@example.vn', subject: 'Tiến trình gửi đã chết', text: '.' };
    // A worker killed during the send: its pid no longer exists (the child below has exited).
    const dead = spawnSync(process.execPath, ['-e', '0']).pid;
    const hold = (holder: string) =>
      fresh.db.query(`insert into mail_outbox (key, to_address, subject, status, attempts, message_id, created_at, lease_owner, lease_until, lease_holder)
                      values ($1, $2, $3, 'sending', 1, $4, $5, gen_random_uuid(), $6, $7)
                      on conflict (key) do update set status = 'sending', lease_owner = gen_random_uuid(), lease_until = $6, lease_holder = $7`,
        [mail.key, mail.to, mail.subject, `<${randomUUID()}@test>`, new Date(clock), new Date(clock + LEASE_MS), holder]);
    // Held by a live process (this one, as another attempt would be): it waits.
    await hold(`${hostname()}/${process.pid}`);
    expect((await rejection(outbox.send(mail))).code).to.equal('SEND_IN_PROGRESS');
    // Held by a process of another machine whose state nobody here can know: it waits too.
    await hold(`another-host/${dead}`);
    expect((await rejection(outbox.send(mail))).code).to.equal('SEND_IN_PROGRESS');
    expect(sent()).to.equal(0);
    await hold(`${hostname()}/${dead}`);
    expect((await outbox.send(mail)).status).to.equal('sent');
    expect(sent()).to.equal(1);
    expect(holderIsGone(`${hostname()}/${process.pid}`)).to.equal(false);
  });

  it('has the server end a transaction left idle, and a caller wait for a pooled connection only so long', async () => {
    const runner = fresh.db.createQueryRunner();
    try {
      const rows: Array<{ idle_in_transaction_session_timeout: string }> = await runner.query('show idle_in_transaction_session_timeout');
      expect(rows[0]!.idle_in_transaction_session_timeout).to.equal(`${IDLE_IN_TRANSACTION_MS / 60_000}min`);
    } finally {
      await runner.release();
    }
    const pool = (fresh.db.driver as unknown as { master: { options: { connectionTimeoutMillis?: number } } }).master;
    expect(pool.options.connectionTimeoutMillis).to.equal(POOL_WAIT_MS);
  });

  it('records a failed attempt (SMTP server down), then succeeds on the retry with attempts 2 and the same Message-ID', async () => {
    const port = await closedPort();
    const outbox = new MailOutbox(fresh.db, createMailTransport(localMailSettings(port)), {
      from: DEFAULT_MAIL_FROM,
      now,
    });
    const key = 'case:000.15.43.H35-261201-0004:result-email';
    const mail = { key, caseCode: '000.15.43.H35-261201-0004', to: 'cho.lai@example.vn', subject: 'Thử lại', text: 'Lần hai sẽ tới' };
    clock = MAIL_TEST_TIME + 60_000;
    const err = await rejection(outbox.send(mail));
    expect(err.code).to.equal('SMTP_FAILED');
    expect(err.retryable).to.equal(true);
    expect(err.message).to.match(/^Gửi thư tới cho\.lai@example\.vn không thành công \(lần thử 1\): .*ECONNREFUSED.* \/ Sending the e-mail to cho\.lai@example\.vn failed \(attempt 1\)/);
    const failed = (await outbox.status(key))!;
    expect(failed).to.deep.include({ status: 'failed', attempts: 1, sentAt: null });
    expect(failed.lastError).to.match(/ECONNREFUSED/);
    expect(failed.lastAttemptAt?.getTime()).to.equal(MAIL_TEST_TIME + 60_000);
    expect((await listMessages(fresh.db, { to: 'cho.lai@example.vn' })).total).to.equal(0);

    const late = await startLocalSmtpServer(fresh.db, { port, now });
    try {
      clock = MAIL_TEST_TIME + 120_000;
      const retried = await outbox.send(mail);
      expect(retried).to.deep.equal({ status: 'sent', attempts: 2, messageId: failed.messageId });
    } finally {
      await late.close();
      clock = MAIL_TEST_TIME;
    }
    const done = (await outbox.status(key))!;
    expect(done).to.deep.include({ status: 'sent', attempts: 2, lastError: null });
    expect(done.lastAttemptAt?.getTime()).to.equal(MAIL_TEST_TIME + 120_000);
    const listed = await outbox.list({ caseCode: '000.15.43.H35-261201-0004' });
    expect(listed.total).to.equal(1);
    expect(listed.items[0]).to.deep.include({ key, to: 'cho.lai@example.vn', status: 'sent', attempts: 2 });
    expect((await outbox.list({ status: 'failed' })).items.map((i) => i.key)).to.not.include(key);
  });

  it('resends with the same Message-ID when the "sent" mark was lost, and the embedded server keeps one message', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const mail = { key: 'case:000.15.43.H35-261201-0005:result-email', to: 'mat.dau@example.vn', subject: 'Mất dấu đã gửi', text: '.' };
    const first = await outbox.send(mail);
    // The process died between SMTP's "250 OK" and the UPDATE: the row still says 'sending'.
    await fresh.db.query(`update mail_outbox set status = 'sending', sent_at = null where key = $1`, [mail.key]);
    const again = await outbox.send(mail);
    expect(again).to.deep.equal({ status: 'sent', attempts: 2, messageId: first.messageId });
    expect(sent(), 'SMTP saw the message twice').to.equal(2);
    const listed = await listMessages(fresh.db, { to: 'mat.dau@example.vn' });
    expect(listed.total, 'the mailbox holds it once').to.equal(1);
    expect(listed.items[0].messageId).to.equal(first.messageId);
  });

  it('marks a permanent refusal (unknown mailbox) as not worth retrying, and keeps the server reply', async () => {
    const refusing = new SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo: (_address, _session, callback) => callback(Object.assign(new Error('5.1.1 Hộp thư không tồn tại'), { responseCode: 550 })),
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', () => resolve()));
    const port = (refusing.server.address() as { port: number }).port;
    try {
      const outbox = new MailOutbox(fresh.db, createMailTransport(localMailSettings(port)), {
        from: DEFAULT_MAIL_FROM,
        now,
      });
      const err = await rejection(outbox.send({ key: 'refused:1', to: 'khong.co@example.vn', subject: 'Không tới', text: '.' }));
      expect(err.code).to.equal('SMTP_FAILED');
      expect(err.retryable).to.equal(false);
      const status = (await outbox.status('refused:1'))!;
      expect(status).to.deep.include({ status: 'failed', attempts: 1 });
      expect(status.lastError).to.contain('550');
    } finally {
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });

  it('refuses an invalid e-mail and a key reused for another e-mail, without sending', async () => {
    const { transport, sent } = countedTransport(server.port);
    const outbox = new MailOutbox(fresh.db, transport, { from: DEFAULT_MAIL_FROM, now });
    const invalid = await rejection(outbox.send({ key: 'bad:1', to: 'không phải địa chỉ', subject: 'X', text: '.' }));
    expect(invalid.code).to.equal('INVALID_MAIL');
    expect(invalid.retryable).to.equal(false);
    expect(invalid.vi).to.contain('địa chỉ người nhận không hợp lệ');
    expect(await outbox.status('bad:1')).to.equal(undefined);

    await outbox.send({ key: 'reuse:1', to: 'mot@example.vn', subject: 'Thư một', text: '.' });
    const conflict = await rejection(outbox.send({ key: 'reuse:1', to: 'hai@example.vn', subject: 'Thư một', text: '.' }));
    expect(conflict.code).to.equal('KEY_CONFLICT');
    expect(conflict.retryable).to.equal(false);
    expect(sent()).to.equal(1);
    expect((await listMessages(fresh.db, { to: 'hai@example.vn' })).total).to.equal(0);
  });
});
