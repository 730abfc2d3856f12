/**
 * The dev inboxes: public, unmasked views of the local SMS outbox and the embedded mailbox, open
 * only when the deployment enables them — by default exactly when nothing leaves the machine.
 */
import { expect } from 'chai';
import { devInboxesFromEnv } from '../../api/dev/settings';
import { storeReceivedMessage } from '../../infra/mail/localSmtpServer';
import { createTestOfficer, http, startTestApp, TEST_PASSWORD, type TestApp } from '../support/identityApp';

function mail(to: string, subject: string, text: string, messageId: string): Buffer {
  return Buffer.from(
    [
      'From: "Một cửa điện tử" <no-reply@chungthuc.local>',
      `To: ${to}`,
      `Subject: =?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`,
      `Message-ID: <${messageId}@chungthuc.local>`,
      'MIME-Version: 1.0',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: 8bit',
      '',
      text,
      '',
    ].join('\r\n'),
  );
}

describe('dev inboxes (GET /api/dev/sms, /api/dev/mail)', function () {
  this.timeout(60_000);

  describe('DEV_INBOXES', () => {
    it('defaults to on only with the local SMS provider and no outside mail server', () => {
      expect(devInboxesFromEnv({})).to.equal(true);
      expect(devInboxesFromEnv({ SMS_PROVIDER: 'local', SMTP_URL: '', SMTP_HOST: ' ' })).to.equal(true);
      expect(devInboxesFromEnv({ SMS_PROVIDER: 'http' })).to.equal(false);
      expect(devInboxesFromEnv({ SMTP_URL: 'smtp://relay.noibo:25' })).to.equal(false);
      expect(devInboxesFromEnv({ SMTP_HOST: 'smtp.example.vn' })).to.equal(false);
    });

    it('follows an explicit setting either way, and refuses anything but true or false', () => {
      expect(devInboxesFromEnv({ DEV_INBOXES: 'false' })).to.equal(false);
      expect(devInboxesFromEnv({ DEV_INBOXES: 'true', SMS_PROVIDER: 'http', SMTP_HOST: 'smtp.example.vn' })).to.equal(true);
      expect(() => devInboxesFromEnv({ DEV_INBOXES: 'yes' })).to.throw(/DEV_INBOXES must be true or false/);
    });
  });

  describe('the routes', () => {
    let app: TestApp;
    let mailId: string;

    before(async () => {
      app = await startTestApp();
      await app.ctx.sms.send('0912000601', 'Mã đăng nhập của anh/chị: 482913. Hiệu lực 5 phút.', 'login-otp', { secrets: ['482913'] });
      app.clock.advance(1000);
      await app.ctx.sms.send('0987111222', 'Mã OTP xác nhận tạo tài khoản dịch vụ công: 105377.', 'account-otp', { secrets: ['105377'] });
      app.clock.advance(1000);
      await app.ctx.sms.send('0912000601', 'Mã đăng nhập của anh/chị: 730051. Hiệu lực 5 phút.', 'login-otp', { secrets: ['730051'] });
      mailId = (await storeReceivedMessage(app.ctx.db, mail('cong.dan@example.vn', 'Kết quả chứng thực', 'Bản sao đã được chứng thực.', 'm1'), { from: 'no-reply@chungthuc.local', to: ['cong.dan@example.vn'] }, app.clock.now())).id;
      await storeReceivedMessage(app.ctx.db, mail('khac@example.vn', 'Thông báo khác', 'Nội dung khác.', 'm2'), { from: 'no-reply@chungthuc.local', to: ['khac@example.vn'] }, app.clock.now());
    });
    after(async () => app?.close());

    it('answer as missing routes while disabled', async () => {
      for (const setting of [undefined, false]) {
        app.ctx.devInboxes = setting;
        for (const path of ['/api/dev/sms', '/api/dev/mail', `/api/dev/mail/${mailId}`]) {
          const res = await http(app, 'GET', path);
          expect(res.status, path).to.equal(404);
          expect(res.body.error.code, path).to.equal('ROUTE_NOT_FOUND');
          expect(res.body.error.message, path).to.equal(`Không có chức năng GET ${path}.`);
        }
      }
    });

    it('list every SMS newest first, codes readable, without a session', async () => {
      app.ctx.devInboxes = true;
      const res = await http(app, 'GET', '/api/dev/sms');
      expect(res.status).to.equal(200);
      expect(res.headers.get('cache-control')).to.equal('no-store');
      expect(res.body.total).to.equal(3);
      expect(res.body.items.map((m: { body: string }) => /\d{6}/.exec(m.body)?.[0])).to.deep.equal(['730051', '105377', '482913']);
      expect(res.body.items[0]).to.include({ toPhone: '0912000601', purpose: 'login-otp', provider: 'local', status: 'stored' });
    });

    it('filter by phone, written any usual way', async () => {
      app.ctx.devInboxes = true;
      const res = await http(app, 'GET', `/api/dev/sms?phone=${encodeURIComponent('+84 912 000 601')}`);
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(2);
      expect(res.body.items.map((m: { toPhone: string }) => m.toPhone)).to.deep.equal(['0912000601', '0912000601']);
      const paged = await http(app, 'GET', '/api/dev/sms?phone=0912000601&pageSize=1&page=2');
      expect(paged.body.items).to.have.length(1);
      expect(paged.body.items[0].body).to.include('482913');
      const bad = await http(app, 'GET', '/api/dev/sms?phone=12ab');
      expect(bad.status).to.equal(400);
      expect(bad.body.error.details.fields[0].field).to.equal('phone');
    });

    it('shows a login code that really logs the officer in', async () => {
      app.ctx.devInboxes = true;
      await createTestOfficer(app.ctx.db, { username: 'thu.lt', rights: ['ACCOUNT_CREATE'], unitIds: [app.org.deskA], phone: '0912000602' });
      const first = await http(app, 'POST', '/api/auth/login', { body: { username: 'thu.lt', password: TEST_PASSWORD } });
      const inbox = await http(app, 'GET', '/api/dev/sms?phone=0912000602');
      const code = /\b(\d{6})\b/.exec(inbox.body.items[0].body)![1];
      const second = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: first.body.challengeToken, code } });
      expect(second.status, JSON.stringify(second.body)).to.equal(200);
    });

    it('list the mailbox and open one message', async () => {
      app.ctx.devInboxes = true;
      const list = await http(app, 'GET', '/api/dev/mail');
      expect(list.status).to.equal(200);
      expect(list.body.total).to.equal(2);
      expect(list.body.items.map((m: { subject: string }) => m.subject)).to.deep.equal(['Thông báo khác', 'Kết quả chứng thực']);
      const filtered = await http(app, 'GET', '/api/dev/mail?to=Cong.Dan@example.vn');
      expect(filtered.body.items.map((m: { id: string }) => m.id)).to.deep.equal([mailId]);
      const one = await http(app, 'GET', `/api/dev/mail/${mailId}`);
      expect(one.status).to.equal(200);
      expect(one.body).to.include({ subject: 'Kết quả chứng thực' });
      expect(one.body.text).to.include('Bản sao đã được chứng thực.');
      const missing = await http(app, 'GET', '/api/dev/mail/00000000-0000-4000-8000-000000000000');
      expect(missing.status).to.equal(404);
      expect(missing.body.error.code).to.equal('NOT_FOUND');
      expect((await http(app, 'GET', '/api/dev/mail/abc')).status).to.equal(400);
    });
  });
});
