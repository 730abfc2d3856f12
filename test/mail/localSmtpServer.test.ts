/**
 * The embedded SMTP server on its own: a message is stored once per Message-ID whoever sends it
 * again, a message without one is named by its bytes, oversized mail is refused, and the
 * mailbox lists and filters what arrived.
 */
import { expect } from 'chai';
import nodemailer from 'nodemailer';
import { startLocalSmtpServer, type LocalSmtpServer } from '../../infra/mail/localSmtpServer';
import { getMessage, listMessages, rawMessage } from '../../infra/mail/mailbox';
import { createMailTransport, localMailSettings, type MailTransport } from '../../infra/mail/mailTransport';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { MAIL_TEST_TIME, sha256 } from './mailWorld';

async function count(fresh: FreshDatabase): Promise<number> {
  const rows: Array<{ n: number }> = await fresh.db.query('select count(*)::int as n from mail_messages');
  return rows[0].n;
}

describe('mail: the embedded SMTP server and its mailbox', function () {
  this.timeout(60_000);
  let fresh: FreshDatabase;
  let server: LocalSmtpServer;
  let transport: MailTransport;

  before(async () => {
    fresh = await freshDatabase();
    server = await startLocalSmtpServer(fresh.db, { port: 0, maxBytes: 64 * 1024, now: () => MAIL_TEST_TIME });
    transport = createMailTransport(localMailSettings(server.port));
  });
  after(async () => {
    await server?.close();
    await fresh?.close();
  });

  it('stores a message delivered twice with the same Message-ID once, and says so to the sender', async () => {
    const before = await count(fresh);
    const mail = { from: 'no-reply@chungthuc.local', to: 'lap.lai@example.vn', subject: 'Gửi lại sau khi mất xác nhận', text: 'Một thư', messageId: '<lap-lai-1@chungthuc.local>' };
    const first = await transport.sendMail(mail);
    // A resend is a new SMTP transaction (another connection, another Date header), same Message-ID.
    const second = await transport.sendMail({ ...mail, date: new Date(MAIL_TEST_TIME + 3_600_000) });
    expect(first.response).to.match(/^250 OK: stored as [0-9a-f-]{36}$/);
    expect(second.response).to.match(/^250 OK: already stored as [0-9a-f-]{36}$/);
    expect(second.response.split(' ').pop()).to.equal(first.response.split(' ').pop());
    expect(await count(fresh)).to.equal(before + 1);
  });

  it('names a message without Message-ID by the SHA-256 of its bytes, so the same bytes are stored once', async () => {
    const raw = 'From: <may.chu@example.vn>\r\nTo: <khong.ma@example.vn>\r\nSubject: =?UTF-8?B?' + Buffer.from('Thư không có mã').toString('base64') + '?=\r\n\r\nNội dung thô.\r\n';
    const before = await count(fresh);
    const envelope = { from: 'may.chu@example.vn', to: ['khong.ma@example.vn'] };
    await transport.sendMail({ envelope, raw });
    await transport.sendMail({ envelope, raw });
    expect(await count(fresh)).to.equal(before + 1);
    const listed = await listMessages(fresh.db, { to: 'KHONG.MA@example.vn' });
    expect(listed.items).to.have.length(1);
    const stored = (await rawMessage(fresh.db, listed.items[0].id))!;
    expect(stored.messageId).to.equal(`<${sha256(stored.raw)}@local-smtp>`);
    expect(stored.subject).to.equal('Thư không có mã');
    expect(stored.raw.toString('utf8')).to.equal(raw);
  });

  it('refuses a message over the size limit and stores nothing', async () => {
    const before = await count(fresh);
    const err = await transport
      .sendMail({ from: 'a@chungthuc.local', to: 'qua.lon@example.vn', subject: 'Quá lớn', text: 'x'.repeat(200 * 1024) })
      .then(
        () => undefined,
        (e: { responseCode?: number }) => e,
      );
    expect(err?.responseCode).to.equal(552);
    expect(await count(fresh)).to.equal(before);
  });

  it('lists newest first, filters by recipient and by part of the subject, and pages', async () => {
    for (let i = 1; i <= 3; i++) {
      await transport.sendMail({ from: 'no-reply@chungthuc.local', to: i === 2 ? 'nguoi.khac@example.vn' : 'loc.thu@example.vn', subject: `Kết quả hồ sơ 100% số ${i}`, text: `thư ${i}` });
    }
    const all = await listMessages(fresh.db, { subject: 'kết quả HỒ SƠ 100%' });
    expect(all.total).to.equal(3);
    expect(all.items.map((m) => m.subject)).to.deep.equal(['Kết quả hồ sơ 100% số 3', 'Kết quả hồ sơ 100% số 2', 'Kết quả hồ sơ 100% số 1']);
    expect((await listMessages(fresh.db, { subject: 'ket qua ho so 100%' })).total, 'typed without diacritics').to.equal(3);
    expect((await listMessages(fresh.db, { subject: '100_' })).total, 'an underscore is not a wildcard').to.equal(0);
    const mine = await listMessages(fresh.db, { to: 'loc.thu@example.vn', subject: 'kết quả' });
    expect(mine.items.map((m) => m.subject)).to.deep.equal(['Kết quả hồ sơ 100% số 3', 'Kết quả hồ sơ 100% số 1']);
    const page2 = await listMessages(fresh.db, { subject: 'Kết quả', limit: 2, offset: 2 });
    expect(page2).to.deep.include({ total: 3 });
    expect(page2.items.map((m) => m.subject)).to.deep.equal(['Kết quả hồ sơ 100% số 1']);
    const one = (await getMessage(fresh.db, mine.items[0].id))!;
    expect(one.text?.trim()).to.equal('thư 3');
    expect(one.headers.find((h) => h.name === 'subject')).to.not.equal(undefined);
    expect(one.attachments).to.deep.equal([]);
  });

  it('is reachable by any SMTP client (not only through the outbox)', async () => {
    const plain = nodemailer.createTransport({ host: '127.0.0.1', port: server.port, secure: false, ignoreTLS: true });
    const info = await plain.sendMail({ from: 'khac@example.vn', to: ['mot@example.vn', 'Hai@Example.vn'], subject: 'Hai người nhận', text: '.' });
    expect(info.accepted).to.have.length(2);
    const listed = await listMessages(fresh.db, { to: 'hai@example.vn' });
    expect(listed.items[0].envelopeTo).to.deep.equal(['mot@example.vn', 'hai@example.vn']);
  });
  it('keeps a message with a PDF attachment byte for byte, out of line and uncompressed (a base64 PDF does not compress)', async () => {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 40_000 }, (_, i) => (i * 7919) % 251))]);
    await transport.sendMail({ from: 'no-reply@chungthuc.local', to: 'ban.sao@example.vn', subject: 'Bản sao điện tử', text: 'Kèm bản sao.', messageId: '<ban-sao-1@chungthuc.local>', attachments: [{ filename: 'ban-sao.pdf', content: pdf, contentType: 'application/pdf' }] });
    const listed = await listMessages(fresh.db, { to: 'ban.sao@example.vn' });
    const stored = (await rawMessage(fresh.db, listed.items[0].id))!;
    expect(stored.raw.toString('utf8')).to.include(pdf.subarray(0, 57).toString('base64'));
    const rows: Array<{ stored: number; bytes: number; storage: string }> = await fresh.db.query(
      `select pg_column_size(m.raw) as stored, octet_length(m.raw) as bytes, a.attstorage as storage
         from mail_messages m, pg_attribute a where m.message_id = '<ban-sao-1@chungthuc.local>' and a.attrelid = 'mail_messages'::regclass and a.attname = 'raw'`,
    );
    expect(rows[0]).to.deep.equal({ stored: rows[0].bytes, bytes: stored.raw.length, storage: 'e' });
  });
});
