import { expect } from 'chai';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AuthConfig } from '../../api/context';
import { hashToken } from '../../api/route';
import { HttpSmsSender, SmsDeliveryError } from '../../infra/sms/httpSmsSender';
import { smsSenderFromEnv } from '../../infra/sms/smsFromEnv';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import { createTestOfficer, http, lastOtp, login, sessionFor, startTestApp, TEST_PASSWORD, type TestApp } from '../support/identityApp';

const MINUTE = 60_000;

/** 09:00 in Hà Nội on the given day of November 2026; each test starts on its own day so times are predictable. */
function novemberDay(day: number): Date {
  return new Date(Date.UTC(2026, 10, day, 2, 0, 0));
}

interface AuditRow {
  action: string;
  actor_id: string | null;
  actor_name: string | null;
  target: string | null;
  outcome: string;
  status: number;
  details: Record<string, unknown>;
}

async function auditOf(app: TestApp, action: string, actorId: string | null): Promise<AuditRow[]> {
  return app.ctx.db.query(
    `select action, actor_id, actor_name, target, outcome, status, details from audit_log
     where action = $1 and actor_id is not distinct from $2 order by seq`,
    [action, actorId],
  );
}

/** A code that is certainly not `code`. */
function otherCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

/** A gateway double on a real port: records what it receives and answers as told. */
interface Gateway {
  url: string;
  received: Array<{ headers: IncomingHttpHeaders; body: { to: string; text: string; sender?: string } }>;
  answer: { status: number; body: string };
  close(): Promise<void>;
}

async function startGateway(): Promise<Gateway> {
  const gateway: Omit<Gateway, 'url' | 'close'> = { received: [], answer: { status: 200, body: '{"id":"gw-1"}' } };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      gateway.received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      res.writeHead(gateway.answer.status, { 'content-type': 'application/json' }).end(gateway.answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(gateway, {
    url: `http://127.0.0.1:${port}/send`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

describe('officer authentication', function () {
  this.timeout(120_000);
  let app: TestApp;

  before(async () => {
    app = await startTestApp();
  });
  after(async () => {
    await app?.close();
  });

  describe('login without a code', () => {
    it('never opens a session on a password alone while codes are required: an officer without a phone is told to ask for one', async () => {
      app.clock.set(novemberDay(23));
      const id = await createTestOfficer(app.ctx.db, { username: 'khong.so', fullName: 'Hà Văn Không', rights: ['CERT_SIGN'], unitIds: [app.org.communeA] });
      const wrong = await http(app, 'POST', '/api/auth/login', { body: { username: 'khong.so', password: 'sai-mat-khau-1' } });
      expect(wrong.status).to.equal(401);
      expect(wrong.body.error.code).to.equal('INVALID_CREDENTIALS');
      // Only the right password learns why the login cannot complete.
      const right = await http(app, 'POST', '/api/auth/login', { body: { username: 'Khong.So', password: TEST_PASSWORD } });
      expect(right.status).to.equal(403);
      expect(right.body.error.code).to.equal('SECOND_FACTOR_MISSING');
      expect(right.body.error.message).to.equal(
        'Tài khoản của bạn chưa có số điện thoại di động để nhận mã OTP, nên chưa thể đăng nhập. Vui lòng liên hệ quản trị viên để cập nhật số điện thoại.',
      );
      expect(right.body).to.not.have.nested.property('token');
      const sessions: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from sessions where officer_id = $1', [id]);
      expect(sessions[0].n).to.equal(0);
      const audit = await auditOf(app, 'auth.login', id);
      expect(audit.map((a) => [a.status, a.details.reason])).to.deep.equal([
        [401, 'wrong-password'],
        [403, 'no-phone'],
      ]);

      // Once the administrator records a phone, the code goes there and opens the session.
      await app.ctx.db.query(`update officers set phone = '0912000999' where id = $1`, [id]);
      expect(await login(app, 'khong.so')).to.be.a('string');
    });

    it('opens a session at once when the deployment does not require a code, sending no SMS, with a case-insensitive username', async () => {
      const plain = await startTestApp({ otpRequired: false });
      try {
        plain.clock.set(novemberDay(23));
        const id = await createTestOfficer(plain.ctx.db, {
          username: 'nguyen.an',
          fullName: 'Nguyễn Văn An',
          rights: ['CERT_SIGN', 'CERT_CREATE'],
          unitIds: [plain.org.deskA, plain.org.communeA],
        });
        const res = await http(plain, 'POST', '/api/auth/login', { body: { username: '  Nguyen.AN ', password: TEST_PASSWORD } });
        expect(res.status).to.equal(200);
        expect(res.body.status).to.equal('ok');
        expect(res.body.token).to.match(/^[A-Za-z0-9_-]{43}$/);
        expect(res.body.expiresAt).to.equal(new Date(novemberDay(23).getTime() + plain.ctx.auth.sessionTtlMs).toISOString());
        const officer = {
          id,
          username: 'nguyen.an',
          fullName: 'Nguyễn Văn An',
          phone: null,
          rights: ['CERT_CREATE', 'CERT_SIGN'],
          units: [
            { id: plain.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng', level: 'commune', oneStop: false },
            { id: plain.org.deskA, code: '000.15.43.H35.01', name: 'Bộ phận Một cửa xã Nùng Năng', level: 'office', oneStop: true },
          ],
        };
        expect(res.body.officer).to.deep.equal(officer);
        const me = await http(plain, 'GET', '/api/auth/me', { token: res.body.token });
        expect(me.status).to.equal(200);
        expect(me.body).to.deep.equal(officer);

        // Only the hash of the token is stored.
        const sessions: Array<{ token_hash: string; stage: string }> = await plain.ctx.db.query('select token_hash, stage from sessions where officer_id = $1', [id]);
        expect(sessions).to.deep.equal([{ token_hash: hashToken(res.body.token), stage: 'active' }]);
        const audit = await auditOf(plain, 'auth.login', id);
        expect(audit).to.have.length(1);
        expect(audit[0]).to.include({ outcome: 'success', status: 200, actor_name: 'Nguyễn Văn An', target: `officer:${id}` });
        expect(audit[0].details).to.include({ stage: 'active', username: 'nguyen.an' });

        await createTestOfficer(plain.ctx.db, { username: 'co.phone', phone: '0912000111', unitIds: [plain.org.communeB] });
        const withPhone = await http(plain, 'POST', '/api/auth/login', { body: { username: 'co.phone', password: TEST_PASSWORD } });
        expect(withPhone.body.status).to.equal('ok');
        const sms: Array<{ n: number }> = await plain.ctx.db.query('select count(*)::int as n from sms_outbox');
        expect(sms[0].n).to.equal(0);
      } finally {
        await plain.close();
      }
    });
  });

  describe('login with a code sent by SMS', () => {
    // Each test has its own officer: wrong codes and codes sent are counted per officer.
    let phone = '';
    let username = '';
    let officerId: string;
    let serial = 0;

    beforeEach(async () => {
      serial++;
      phone = `09123457${String(serial).padStart(2, '0')}`;
      username = `tran.binh${serial}`;
      officerId = await createTestOfficer(app.ctx.db, { username, fullName: 'Trần Thị Bình', phone, rights: ['CERT_CREATE'], unitIds: [app.org.deskB] });
    });

    async function challenge(): Promise<{ challengeToken: string; code: string; expiresAt: string; phoneHint: string; codeReused: boolean }> {
      // Beyond the minute in which a new login reuses the live code.
      app.clock.advance(app.ctx.auth.otpReuseMs + 1000);
      const res = await http(app, 'POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.status).to.equal('otp_required');
      return { ...res.body, code: await lastOtp(app, phone) };
    }

    it('sends the code, refuses the challenge token as a session, and opens a session with a new token', async () => {
      app.clock.set(novemberDay(24));
      const c = await challenge();
      const sentAt = app.clock.now();
      expect(c.phoneHint).to.equal(`*******${phone.slice(-3)}`);
      expect(c.codeReused).to.equal(false);
      expect(c.expiresAt).to.equal(new Date(sentAt.getTime() + 5 * MINUTE).toISOString());
      const sms: Array<{ body: string; purpose: string; status: string }> = await app.ctx.db.query(
        'select body, purpose, status from sms_outbox where to_phone = $1 order by created_at desc limit 1',
        [phone],
      );
      expect(sms[0]).to.deep.equal({ body: `Mã OTP đăng nhập hệ thống chứng thực: ${c.code}. Mã có hiệu lực 5 phút.`, purpose: 'login-otp', status: 'stored' });

      // The challenge is not a session.
      expect((await http(app, 'GET', '/api/auth/me', { token: c.challengeToken })).status).to.equal(401);
      const row: Array<{ id: string; otp_hash: string; stage: string }> = await app.ctx.db.query('select id, otp_hash, stage from sessions where token_hash = $1', [
        hashToken(c.challengeToken),
      ]);
      expect(row[0].stage).to.equal('otp');
      expect(row[0].otp_hash).to.match(/^[0-9a-f]{64}$/);

      const ok = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: c.code } });
      expect(ok.status).to.equal(200);
      expect(ok.body.status).to.equal('ok');
      expect(ok.body.token).to.not.equal(c.challengeToken);
      expect(ok.body.expiresAt).to.equal(new Date(sentAt.getTime() + app.ctx.auth.sessionTtlMs).toISOString());
      expect(ok.body.officer).to.include({ id: officerId, username, fullName: 'Trần Thị Bình' });
      expect((await http(app, 'GET', '/api/auth/me', { token: ok.body.token })).status).to.equal(200);

      // The same row became the session; the challenge token no longer works anywhere.
      const after: Array<{ id: string; stage: string; otp_hash: string | null; token_hash: string }> = await app.ctx.db.query(
        'select id, stage, otp_hash, token_hash from sessions where id = $1',
        [row[0].id],
      );
      expect(after[0]).to.deep.equal({ id: row[0].id, stage: 'active', otp_hash: null, token_hash: hashToken(ok.body.token) });
      expect((await http(app, 'GET', '/api/auth/me', { token: c.challengeToken })).status).to.equal(401);
      const again = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: c.code } });
      expect(again.status).to.equal(401);
      expect(again.body.error.code).to.equal('OTP_EXPIRED');

      const audit = await auditOf(app, 'auth.otp', officerId);
      expect(audit.map((a) => a.outcome)).to.deep.equal(['success']);
      const logins = await auditOf(app, 'auth.login', officerId);
      expect(logins.at(-1)?.details).to.include({ stage: 'otp', username });
    });

    it('closes the challenge after the allowed number of wrong codes, even for the right code afterwards', async () => {
      const c = await challenge();
      const wrong = otherCode(c.code);
      const left: number[] = [];
      for (let i = 0; i < app.ctx.auth.otpMaxAttempts; i++) {
        const res = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: wrong } });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('OTP_INVALID');
        left.push(res.body.error.details.attemptsLeft);
      }
      expect(left).to.deep.equal([4, 3, 2, 1, 0]);
      const afterAll = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: c.code } });
      expect(afterAll.status).to.equal(401);
      expect(afterAll.body.error.code).to.equal('OTP_EXPIRED');
      expect(afterAll.body.error.message).to.match(/đăng nhập lại/);
      const row: Array<{ otp_attempts: number; ended: boolean; stage: string }> = await app.ctx.db.query(
        'select otp_attempts, ended_at is not null as ended, stage from sessions where token_hash = $1',
        [hashToken(c.challengeToken)],
      );
      expect(row[0]).to.deep.equal({ otp_attempts: 5, ended: true, stage: 'otp' });

      const failures = (await auditOf(app, 'auth.otp', officerId)).filter((a) => a.outcome === 'refused');
      expect(failures.map((a) => a.details.reason)).to.deep.equal(['wrong-code', 'wrong-code', 'wrong-code', 'wrong-code', 'wrong-code', 'attempts-exhausted']);
      expect(failures.map((a) => a.details.code)).to.include.members(['OTP_INVALID', 'OTP_EXPIRED']);
    });

    it('counts parallel guesses one by one, so they cannot exceed the allowed attempts', async () => {
      const c = await challenge();
      // As many as the officer's request limit lets through.
      const n = app.ctx.auth.ratePerAccount;
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) => http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: otherCode(String(Number(c.code) + i)) } })),
      );
      const codes = answers.map((a) => a.body.error.code as string);
      expect(codes.filter((x) => x === 'OTP_INVALID')).to.have.length(app.ctx.auth.otpMaxAttempts);
      expect(codes.filter((x) => x === 'OTP_EXPIRED')).to.have.length(n - app.ctx.auth.otpMaxAttempts);
      const row: Array<{ otp_attempts: number }> = await app.ctx.db.query('select otp_attempts from sessions where token_hash = $1', [hashToken(c.challengeToken)]);
      expect(row[0].otp_attempts).to.equal(app.ctx.auth.otpMaxAttempts);
    });

    it('refuses a code once it has expired', async () => {
      const c = await challenge();
      app.clock.advance(app.ctx.auth.otpTtlMs);
      const res = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: c.code } });
      expect(res.status).to.equal(401);
      expect(res.body.error.code).to.equal('OTP_EXPIRED');
      // A new login sends a new code that works.
      expect(await login(app, username)).to.be.a('string');
    });

    it('accepts a code just before it expires', async () => {
      const c = await challenge();
      app.clock.advance(app.ctx.auth.otpTtlMs - 1);
      const res = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.challengeToken, code: c.code } });
      expect(res.status).to.equal(200);
    });

    it('answers 503 and closes the challenge when the SMS cannot be sent', async () => {
      const gateway = await startGateway();
      const local = app.ctx.sms;
      try {
        app.ctx.sms = new HttpSmsSender(app.ctx.db, () => app.clock.now(), { url: gateway.url, token: 'gw-secret' });
        gateway.answer = { status: 502, body: '{"error":"upstream down"}' };
        app.clock.advance(1000);
        const res = await http(app, 'POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
        expect(res.status).to.equal(503);
        expect(res.body.error.code).to.equal('SMS_NOT_SENT');
        expect(res.body.error.message).to.match(/Không gửi được tin nhắn/);
        const open: Array<{ n: number }> = await app.ctx.db.query(
          `select count(*)::int as n from sessions where officer_id = $1 and stage = 'otp' and ended_at is null`,
          [officerId],
        );
        expect(open[0].n).to.equal(0);

        // With the gateway working, the code it received opens the session.
        gateway.answer = { status: 200, body: '{"id":"gw-77"}' };
        const first = await http(app, 'POST', '/api/auth/login', { body: { username, password: TEST_PASSWORD } });
        expect(first.body.status).to.equal('otp_required');
        const text = gateway.received.at(-1)!.body.text;
        const code = /\b(\d{6})\b/.exec(text)![1];
        const second = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: first.body.challengeToken, code } });
        expect(second.status).to.equal(200);
      } finally {
        app.ctx.sms = local;
        await gateway.close();
      }
    });
  });

  describe('the second factor across challenges', () => {
    it('counts wrong codes per officer across his challenges, locks the account at the limit, ends his challenges and tells him by SMS', async () => {
      app.clock.set(novemberDay(24));
      app.clock.advance(4 * 3_600_000);
      const phone = '0912000301';
      const id = await createTestOfficer(app.ctx.db, { username: 'doan.ma', fullName: 'Lù Văn Đoán', phone, unitIds: [app.org.communeA] });
      const start = async () => {
        app.clock.advance(app.ctx.auth.otpReuseMs + 1000);
        const res = await http(app, 'POST', '/api/auth/login', { body: { username: 'doan.ma', password: TEST_PASSWORD } });
        expect(res.status, JSON.stringify(res.body)).to.equal(200);
        return { token: res.body.challengeToken as string, code: await lastOtp(app, phone) };
      };
      const guess = (c: { token: string; code: string }) => http(app, 'POST', '/api/auth/otp', { body: { challengeToken: c.token, code: otherCode(c.code) } });
      const max = app.ctx.auth.otpMaxFailures;
      expect(max).to.equal(10);

      // A first challenge used up (5 wrong codes), then a second one: the count goes on.
      const first = await start();
      for (let i = 0; i < app.ctx.auth.otpMaxAttempts; i++) expect((await guess(first)).body.error.code).to.equal('OTP_INVALID');
      // Later, beyond the request limit's window but within the hour wrong codes are counted over.
      app.clock.advance(app.ctx.auth.rateWindowMs);
      const second = await start();
      const third = await start();
      // The third login ended the second challenge: only the newest code is valid.
      expect((await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: second.token, code: second.code } })).body.error.code).to.equal('OTP_EXPIRED');
      for (let i = app.ctx.auth.otpMaxAttempts; i < max - 1; i++) expect((await guess(third)).body.error.code).to.equal('OTP_INVALID');
      const locking = await guess(third);
      expect(locking.status).to.equal(423);
      expect(locking.body.error.code).to.equal('ACCOUNT_LOCKED');
      const until = new Date(app.clock.now().getTime() + app.ctx.auth.lockoutMs);
      expect(locking.body.error.details).to.deep.equal({ lockedUntil: until.toISOString(), cause: 'otp' });
      expect(locking.body.error.message).to.match(/^Mã OTP không đúng\. Bạn đã nhập sai mã OTP quá nhiều lần nên tài khoản bị tạm khóa đến \d\d:\d\d ngày 24\/11\/2026; một tin nhắn/);
      expect(locking.body.error.message).to.include('mật khẩu của bạn có thể đã bị lộ');
      expect(locking.headers.get('retry-after')).to.equal(String(app.ctx.auth.lockoutMs / 1000));

      const notice: Array<{ purpose: string; body: string }> = await app.ctx.db.query('select purpose, body from sms_outbox where to_phone = $1 order by seq desc limit 1', [phone]);
      expect(notice[0].purpose).to.equal('login-locked');
      expect(notice[0].body).to.match(/^Tài khoản doan\.ma \(hệ thống chứng thực\) bị tạm khóa đến .* do nhập sai mã OTP nhiều lần\. Nếu không phải bạn, hãy đổi mật khẩu và báo quản trị viên\.$/);
      const row: Array<{ locked_until: Date }> = await app.ctx.db.query('select locked_until from officers where id = $1', [id]);
      expect(row[0].locked_until.toISOString()).to.equal(until.toISOString());
      const open: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from sessions where officer_id = $1 and ended_at is null`, [id]);
      expect(open[0].n).to.equal(0);

      // Locked as after wrong passwords: even the right password is refused.
      const rightPassword = await http(app, 'POST', '/api/auth/login', { body: { username: 'doan.ma', password: TEST_PASSWORD } });
      expect(rightPassword.status).to.equal(423);
      expect(rightPassword.body.error.message).to.include('nhập sai mật khẩu hoặc mã OTP');

      const audit = (await auditOf(app, 'auth.otp', id)).filter((a) => a.details.lockout === true);
      expect(audit).to.have.length(1);
      expect(audit[0].details).to.include({ reason: 'wrong-code', noticeSent: true, code: 'ACCOUNT_LOCKED' });

      // After the lock, a login and its right code work, and the count starts again.
      app.clock.advance(app.ctx.auth.lockoutMs);
      const after = await start();
      expect((await guess(after)).body.error.details.attemptsLeft).to.equal(app.ctx.auth.otpMaxAttempts - 1);
      expect((await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: after.token, code: after.code } })).status).to.equal(200);
    });

    it('answers a new login within a minute with the live challenge and no new SMS, and sends at most OTP_SMS_PER_HOUR codes an hour', async () => {
      app.clock.set(novemberDay(24));
      app.clock.advance(6 * 3_600_000);
      const phone = '0912000302';
      await createTestOfficer(app.ctx.db, { username: 'bam.lien', phone, unitIds: [app.org.communeA] });
      const attempt = () => http(app, 'POST', '/api/auth/login', { body: { username: 'bam.lien', password: TEST_PASSWORD } });
      const sent = async () => ((await app.ctx.db.query(`select count(*)::int as n from sms_outbox where to_phone = $1`, [phone])) as Array<{ n: number }>)[0].n;

      const first = await attempt();
      const sentAt = app.clock.now();
      expect(first.body).to.include({ status: 'otp_required', codeReused: false, codeSentAt: sentAt.toISOString() });
      const code = await lastOtp(app, phone);
      app.clock.advance(30_000);
      const again = await attempt();
      expect(again.body).to.include({ status: 'otp_required', codeReused: true, codeSentAt: sentAt.toISOString(), expiresAt: first.body.expiresAt });
      expect(again.body.challengeToken).to.not.equal(first.body.challengeToken);
      expect(await sent()).to.equal(1);
      // Only the latest login holds the challenge; the code it was sent still works.
      expect((await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: first.body.challengeToken, code } })).body.error.code).to.equal('OTP_EXPIRED');
      expect((await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: again.body.challengeToken, code } })).status).to.equal(200);

      // Codes sent an hour: the first plus four more, then 429 until the first is an hour old.
      const perHour = app.ctx.auth.otpSmsPerHour;
      for (let i = 1; i < perHour; i++) {
        app.clock.advance(app.ctx.auth.otpReuseMs);
        expect((await attempt()).body.codeReused).to.equal(false);
      }
      expect(await sent()).to.equal(perHour);
      app.clock.advance(app.ctx.auth.otpReuseMs);
      const capped = await attempt();
      expect(capped.status).to.equal(429);
      expect(capped.body.error.code).to.equal('OTP_SMS_LIMIT');
      const freedAt = new Date(sentAt.getTime() + 3_600_000);
      expect(capped.body.error.details.retryAt).to.equal(freedAt.toISOString());
      expect(capped.body.error.message).to.match(/^Đã gửi 5 mã OTP tới số điện thoại của bạn trong một giờ qua, đạt số lần tối đa\. Vui lòng thử lại sau \d\d:\d\d ngày 24\/11\/2026\.$/);
      expect(Number(capped.headers.get('retry-after'))).to.equal((freedAt.getTime() - app.clock.now().getTime()) / 1000);
      expect(await sent()).to.equal(perHour);
      app.clock.set(freedAt);
      app.clock.advance(1);
      expect((await attempt()).body.status).to.equal('otp_required');
      expect(await sent()).to.equal(perHour + 1);
    });
  });

  describe('request limits per account and per address', () => {
    /** A request as if from `address` (the API trusts a proxy on the loopback interface). */
    async function from(address: string, path: string, body: unknown): Promise<{ status: number; body: { error: { code: string; message: string; details: Record<string, unknown> } }; retryAfter: string | null }> {
      const res = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': address }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; details: Record<string, unknown> } }, retryAfter: res.headers.get('retry-after') };
    }
    let saved: AuthConfig;

    before(() => {
      saved = app.ctx.auth;
      app.ctx.auth = { ...saved, ratePerAccount: 3, ratePerAddress: 6 };
    });
    after(() => {
      app.ctx.auth = saved;
    });

    it('answers 429 with Retry-After and the time to try again, per username and per client address, on the login and code routes', async () => {
      app.clock.set(novemberDay(25));
      app.clock.advance(5 * 3_600_000); // 14:00 in Hà Nội
      const windowEnd = new Date(app.clock.now().getTime() + app.ctx.auth.rateWindowMs);
      const login = (address: string, username: string) => from(address, '/api/auth/login', { username, password: 'sai-mat-khau-1' });

      // Per username, whatever the address and whether or not it exists.
      for (let i = 0; i < 3; i++) expect((await login(`198.51.100.${i + 1}`, 'ai.do')).status).to.equal(401);
      const limited = await login('198.51.100.9', 'ai.do');
      expect(limited.status).to.equal(429);
      expect(limited.body.error.code).to.equal('TOO_MANY_ATTEMPTS');
      expect(limited.body.error.message).to.equal('Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau 14:15 ngày 25/11/2026 (khoảng 15 phút nữa).');
      expect(limited.retryAfter).to.equal(String(app.ctx.auth.rateWindowMs / 1000));
      expect(limited.body.error.details).to.deep.equal({ retryAt: windowEnd.toISOString(), retryAfterSeconds: app.ctx.auth.rateWindowMs / 1000 });
      expect((await login('198.51.100.9', 'nguoi.khac')).status).to.equal(401);

      // Per address: six requests, whichever usernames.
      for (let i = 0; i < 6; i++) expect((await login('203.0.113.7', `ten.${i}`)).status).to.equal(401);
      expect((await login('203.0.113.7', 'ten.6')).status).to.equal(429);
      expect((await login('203.0.113.8', 'ten.6')).status).to.equal(401);

      // The code route, per address.
      for (let i = 0; i < 6; i++) expect((await from('203.0.113.9', '/api/auth/otp', { challengeToken: `gia-${i}`, code: '123456' })).status).to.equal(401);
      const codes = await from('203.0.113.9', '/api/auth/otp', { challengeToken: 'gia-7', code: '123456' });
      expect(codes.status).to.equal(429);
      expect(codes.retryAfter).to.equal(String(app.ctx.auth.rateWindowMs / 1000));

      // Refusals are audited; once the window has passed the limits start again.
      const audit: Array<{ status: number; details: Record<string, unknown> }> = await app.ctx.db.query(
        `select status, details from audit_log where action = 'auth.login' and details->>'reason' = 'rate-limited' order by seq`,
      );
      expect(audit.map((a) => [a.status, a.details.limitedBy])).to.deep.equal([
        [429, 'account'],
        [429, 'address'],
      ]);
      app.clock.set(windowEnd);
      expect((await login('198.51.100.9', 'ai.do')).status).to.equal(401);
      expect((await login('203.0.113.7', 'ten.7')).status).to.equal(401);
    });

    it('limits the code route per officer too, whichever addresses his answers come from', async () => {
      app.clock.set(novemberDay(25));
      app.clock.advance(7 * 3_600_000);
      const phone = '0912000303';
      await createTestOfficer(app.ctx.db, { username: 'nhieu.noi', phone, unitIds: [app.org.communeA] });
      const first = await from('198.51.100.20', '/api/auth/login', { username: 'nhieu.noi', password: TEST_PASSWORD });
      const token = (first.body as unknown as { challengeToken: string }).challengeToken;
      const code = await lastOtp(app, phone);
      for (let i = 0; i < 3; i++) expect((await from(`198.51.100.${30 + i}`, '/api/auth/otp', { challengeToken: token, code: otherCode(code) })).status).to.equal(401);
      expect((await from('198.51.100.40', '/api/auth/otp', { challengeToken: token, code })).status).to.equal(429);
    });
  });

  describe('wrong passwords and locked or inactive accounts', () => {
    it('answers the same for an unknown user, an inactive user and a wrong password', async () => {
      app.clock.set(novemberDay(25));
      const inactive = await createTestOfficer(app.ctx.db, { username: 'da.nghi', status: 'inactive', unitIds: [app.org.communeA] });
      await createTestOfficer(app.ctx.db, { username: 'dang.lam', unitIds: [app.org.communeA] });
      const unknown = await http(app, 'POST', '/api/auth/login', { body: { username: 'khong.co', password: TEST_PASSWORD } });
      const off = await http(app, 'POST', '/api/auth/login', { body: { username: 'da.nghi', password: TEST_PASSWORD } });
      const wrong = await http(app, 'POST', '/api/auth/login', { body: { username: 'dang.lam', password: 'sai-mat-khau-1' } });
      for (const res of [unknown, off, wrong]) expect(res.status).to.equal(401);
      expect(off.body).to.deep.equal(unknown.body);
      expect(wrong.body).to.deep.equal(unknown.body);
      expect(unknown.body.error).to.include({ code: 'INVALID_CREDENTIALS', message: 'Tên đăng nhập hoặc mật khẩu không đúng.' });

      const offAudit = await auditOf(app, 'auth.login', inactive);
      expect(offAudit[0]).to.include({ outcome: 'refused', status: 401 });
      expect(offAudit[0].details).to.include({ reason: 'inactive', username: 'da.nghi', code: 'INVALID_CREDENTIALS' });
      const unknownAudit = (await auditOf(app, 'auth.login', null)).filter((a) => a.details.username === 'khong.co');
      expect(unknownAudit[0].details).to.include({ reason: 'unknown-user' });
    });

    it('locks the account after too many wrong passwords, refuses even the right one, and opens again after the lockout', async () => {
      app.clock.set(novemberDay(26));
      const id = await createTestOfficer(app.ctx.db, { username: 'hay.quen', fullName: 'Lê Hay Quên', phone: '0912000201', unitIds: [app.org.communeB] });
      const attempt = (password: string) => http(app, 'POST', '/api/auth/login', { body: { username: 'hay.quen', password } });
      for (let i = 1; i < app.ctx.auth.maxFailedLogins; i++) {
        expect((await attempt('sai-mat-khau-1')).body.error.code).to.equal('INVALID_CREDENTIALS');
      }
      const counted: Array<{ failed_logins: number }> = await app.ctx.db.query('select failed_logins from officers where id = $1', [id]);
      expect(counted[0].failed_logins).to.equal(app.ctx.auth.maxFailedLogins - 1);

      const locking = await attempt('sai-mat-khau-1');
      expect(locking.status).to.equal(423);
      expect(locking.body.error.code).to.equal('ACCOUNT_LOCKED');
      expect(locking.body.error.message).to.include('đến 09:15 ngày 26/11/2026');
      const locked: Array<{ failed_logins: number; locked_until: Date }> = await app.ctx.db.query('select failed_logins, locked_until from officers where id = $1', [id]);
      expect(locked[0].failed_logins).to.equal(0);
      expect(locked[0].locked_until.toISOString()).to.equal(new Date(novemberDay(26).getTime() + app.ctx.auth.lockoutMs).toISOString());

      app.clock.advance(app.ctx.auth.lockoutMs - 1);
      const rightWhileLocked = await attempt(TEST_PASSWORD);
      expect(rightWhileLocked.status).to.equal(423);
      expect(rightWhileLocked.body.error.message).to.include('đến 09:15 ngày 26/11/2026');

      app.clock.advance(1);
      const ok = await attempt(TEST_PASSWORD);
      expect(ok.status).to.equal(200);
      const cleared: Array<{ failed_logins: number; locked_until: Date | null }> = await app.ctx.db.query('select failed_logins, locked_until from officers where id = $1', [id]);
      expect(cleared[0]).to.deep.equal({ failed_logins: 0, locked_until: null });

      const audit = await auditOf(app, 'auth.login', id);
      expect(audit.map((a) => [a.status, a.details.reason])).to.deep.equal([
        [401, 'wrong-password'],
        [401, 'wrong-password'],
        [401, 'wrong-password'],
        [401, 'wrong-password'],
        [423, 'wrong-password'],
        [423, 'locked'],
        [200, undefined],
      ]);
      expect(audit[4].details).to.include({ lockout: true, code: 'ACCOUNT_LOCKED' });
      expect(audit[5].details).to.include({ username: 'hay.quen', code: 'ACCOUNT_LOCKED' });
      expect(audit.every((a) => a.actor_id === id && a.actor_name === 'Lê Hay Quên')).to.equal(true);
    });
  });

  describe('parallel wrong passwords', () => {
    it('lock the account at the limit and are not counted beyond it', async () => {
      app.clock.set(novemberDay(26));
      app.clock.advance(3_600_000);
      const id = await createTestOfficer(app.ctx.db, { username: 'doan.nhanh', unitIds: [app.org.communeB] });
      const answers = await Promise.all(
        Array.from({ length: 10 }, () => http(app, 'POST', '/api/auth/login', { body: { username: 'doan.nhanh', password: 'sai-mat-khau-1' } })),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).to.have.length(app.ctx.auth.maxFailedLogins - 1);
      expect(statuses.filter((s) => s === 423)).to.have.length(10 - (app.ctx.auth.maxFailedLogins - 1));
      const row: Array<{ failed_logins: number; locked: boolean }> = await app.ctx.db.query(
        'select failed_logins, locked_until is not null as locked from officers where id = $1',
        [id],
      );
      expect(row[0]).to.deep.equal({ failed_logins: 0, locked: true });
      const lockouts = (await auditOf(app, 'auth.login', id)).filter((a) => a.details.lockout === true);
      expect(lockouts).to.have.length(1);
    });
  });

  describe('usernames without an account', () => {
    it('lock after the same number of wrong passwords as an account, with the same answers', async () => {
      app.clock.set(novemberDay(26));
      app.clock.advance(2 * 3_600_000);
      await createTestOfficer(app.ctx.db, { username: 'co.that', phone: '0912000207', unitIds: [app.org.communeB] });
      const answers = async (username: string) => {
        const out: Array<[number, string]> = [];
        for (let i = 0; i < app.ctx.auth.maxFailedLogins + 1; i++) {
          const res = await http(app, 'POST', '/api/auth/login', { body: { username, password: `sai-mat-khau-${i}` } });
          out.push([res.status, res.body.error.message]);
        }
        return out;
      };
      const real = await answers('co.that');
      const ghost = await answers('khong.ton.tai');
      expect(ghost).to.deep.equal(real);
      expect(real.map(([status]) => status)).to.deep.equal([401, 401, 401, 401, 423, 423]);
      // The ghost's lock ends when an account's would.
      app.clock.advance(app.ctx.auth.lockoutMs);
      const later = await http(app, 'POST', '/api/auth/login', { body: { username: 'khong.ton.tai', password: 'sai-mat-khau-9' } });
      expect(later.status).to.equal(401);
    });
  });

  describe('sessions', () => {
    it('ends the session at logout', async () => {
      app.clock.set(novemberDay(27));
      const id = await createTestOfficer(app.ctx.db, { username: 've.som', phone: '0912000202', unitIds: [app.org.communeA] });
      const token = await login(app, 've.som');
      const other = await login(app, 've.som');
      const out = await http(app, 'POST', '/api/auth/logout', { token });
      expect(out.status).to.equal(204);
      expect((await http(app, 'GET', '/api/auth/me', { token })).status).to.equal(401);
      expect((await http(app, 'POST', '/api/auth/logout', { token })).status).to.equal(401);
      expect((await http(app, 'GET', '/api/auth/me', { token: other })).status).to.equal(200);
      const audit = await auditOf(app, 'auth.logout', id);
      expect(audit.map((a) => [a.outcome, a.status])).to.deep.equal([['success', 204]]);
    });

    it('expires a session after its lifetime', async () => {
      await createTestOfficer(app.ctx.db, { username: 'het.gio', phone: '0912000203', unitIds: [app.org.communeA] });
      const token = await login(app, 'het.gio');
      app.clock.advance(app.ctx.auth.sessionTtlMs - 1);
      expect((await http(app, 'GET', '/api/auth/me', { token })).status).to.equal(200);
      app.clock.advance(1);
      const expired = await http(app, 'GET', '/api/auth/me', { token });
      expect(expired.status).to.equal(401);
      expect(expired.body.error.code).to.equal('UNAUTHENTICATED');
    });
  });

  describe('password change', () => {
    it('checks the current password and the rule, ends the other sessions, and the new password works', async () => {
      app.clock.set(novemberDay(28));
      const id = await createTestOfficer(app.ctx.db, { username: 'doi.mk', phone: '0912000204', unitIds: [app.org.communeA] });
      const mine = await login(app, 'doi.mk');
      const elsewhere = await login(app, 'doi.mk');
      const change = (body: unknown) => http(app, 'POST', '/api/auth/password', { token: mine, body });

      const wrong = await change({ currentPassword: 'khong-phai-1', newPassword: 'MatKhauMoi2026' });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error).to.include({ code: 'WRONG_PASSWORD', message: 'Mật khẩu hiện tại không đúng.' });
      const weak = await change({ currentPassword: TEST_PASSWORD, newPassword: 'ngan1' });
      expect(weak.status).to.equal(400);
      expect(weak.body.error.code).to.equal('WEAK_PASSWORD');
      const noDigit = await change({ currentPassword: TEST_PASSWORD, newPassword: 'chikhongcoso' });
      expect(noDigit.body.error.code).to.equal('WEAK_PASSWORD');
      const same = await change({ currentPassword: TEST_PASSWORD, newPassword: TEST_PASSWORD });
      expect(same.status).to.equal(400);
      expect(same.body.error.code).to.equal('PASSWORD_UNCHANGED');
      expect((await http(app, 'GET', '/api/auth/me', { token: elsewhere })).status).to.equal(200);

      app.clock.advance(MINUTE);
      const done = await change({ currentPassword: TEST_PASSWORD, newPassword: 'MatKhauMoi2026' });
      expect(done.status).to.equal(204);
      const row: Array<{ password_changed_at: Date; failed_logins: number }> = await app.ctx.db.query(
        'select password_changed_at, failed_logins from officers where id = $1',
        [id],
      );
      expect(row[0]).to.deep.equal({ password_changed_at: app.clock.now(), failed_logins: 0 });

      expect((await http(app, 'GET', '/api/auth/me', { token: mine })).status).to.equal(200);
      expect((await http(app, 'GET', '/api/auth/me', { token: elsewhere })).status).to.equal(401);
      const old = await http(app, 'POST', '/api/auth/login', { body: { username: 'doi.mk', password: TEST_PASSWORD } });
      expect(old.status).to.equal(401);
      expect(await login(app, 'doi.mk', 'MatKhauMoi2026')).to.be.a('string');

      const audit = await auditOf(app, 'auth.password', id);
      expect(audit.map((a) => [a.status, a.details.code ?? null])).to.deep.equal([
        [400, 'WRONG_PASSWORD'],
        [400, 'WEAK_PASSWORD'],
        [400, 'WEAK_PASSWORD'],
        [400, 'PASSWORD_UNCHANGED'],
        [204, null],
      ]);
      expect(audit[4].details).to.include({ otherSessionsEnded: 1 });
    });

    it('counts wrong current passwords toward the lockout and ends the session that reaches it', async () => {
      app.clock.set(novemberDay(29));
      await createTestOfficer(app.ctx.db, { username: 'doan.mo', phone: '0912000205', unitIds: [app.org.communeA] });
      const token = await login(app, 'doan.mo');
      let last = await http(app, 'POST', '/api/auth/password', { token, body: { currentPassword: 'doan-1', newPassword: 'MatKhauMoi2026' } });
      for (let i = 1; i < app.ctx.auth.maxFailedLogins; i++) {
        expect(last.body.error.code).to.equal('WRONG_PASSWORD');
        last = await http(app, 'POST', '/api/auth/password', { token, body: { currentPassword: `doan-${i + 1}`, newPassword: 'MatKhauMoi2026' } });
      }
      expect(last.status).to.equal(423);
      expect(last.body.error.code).to.equal('ACCOUNT_LOCKED');
      expect((await http(app, 'GET', '/api/auth/me', { token })).status).to.equal(401);
      expect((await http(app, 'POST', '/api/auth/login', { body: { username: 'doan.mo', password: TEST_PASSWORD } })).status).to.equal(423);
    });
  });

  describe('SMS outbox', () => {
    it('lists messages newest first with codes masked, filters by phone, pages, and needs USER_ADMIN', async () => {
      app.clock.set(novemberDay(30));
      const admin = await createTestOfficer(app.ctx.db, { username: 'quan.tri', rights: ['USER_ADMIN'], unitIds: [app.org.district] });
      const clerk = await createTestOfficer(app.ctx.db, { username: 'van.thu', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
      const phone = '0988000123';
      await createTestOfficer(app.ctx.db, { username: 'co.ma', phone, unitIds: [app.org.communeA] });
      app.clock.advance(1000);
      const challenge = await http(app, 'POST', '/api/auth/login', { body: { username: 'co.ma', password: TEST_PASSWORD } });
      const code = await lastOtp(app, phone);
      app.clock.advance(1000);
      await app.ctx.sms.send(phone, 'Hồ sơ 000.15.43.H35-261130-0001 đã có kết quả; mã tra cứu 424242.', 'case-result');

      const token = await sessionFor(app, admin);
      const res = await http(app, 'GET', `/api/sms-outbox?phone=${phone}`, { token });
      expect(res.status).to.equal(200);
      expect(res.body.total).to.equal(2);
      expect(res.body.items.map((m: { purpose: string }) => m.purpose)).to.deep.equal(['case-result', 'login-otp']);
      // Every run of exactly six digits is hidden, whatever the message: a code must never show, even in a new kind of SMS.
      expect(res.body.items[0].body).to.equal('Hồ sơ 000.15.43.H35-******-0001 đã có kết quả; mã tra cứu ******.');
      expect(res.body.items[1]).to.include({ toPhone: phone, body: 'Mã OTP đăng nhập hệ thống chứng thực: ******. Mã có hiệu lực 5 phút.', provider: 'local', status: 'stored' });
      expect(JSON.stringify(res.body)).to.not.include(code);

      const paged = await http(app, 'GET', '/api/sms-outbox?page=2&pageSize=1', { token });
      expect(paged.body).to.include({ page: 2, pageSize: 1 });
      expect(paged.body.items).to.have.length(1);
      expect(paged.body.items[0].purpose).to.equal('login-otp');
      expect(paged.body.total).to.be.greaterThan(2);

      const tooBig = await http(app, 'GET', '/api/sms-outbox?pageSize=101', { token });
      expect(tooBig.status).to.equal(400);
      expect(tooBig.body.error.message).to.include('cỡ trang tối đa là 100');

      expect((await http(app, 'GET', '/api/sms-outbox', { token: await sessionFor(app, clerk) })).status).to.equal(403);
      expect((await http(app, 'GET', '/api/sms-outbox')).status).to.equal(401);
      // The masked outbox does not let the admin finish someone else's login.
      const guess = await http(app, 'POST', '/api/auth/otp', { body: { challengeToken: challenge.body.challengeToken, code: '000000' } });
      expect(guess.status).to.equal(401);
    });
  });

  describe('malformed requests', () => {
    async function raw(path: string, body: string, contentType = 'application/json'): Promise<{ status: number; body: { error: { code: string; message: string } } }> {
      const res = await fetch(`${app.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
      return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
    }

    it('answers 400 in Vietnamese, never 500', async () => {
      const cases: Array<[string, unknown, RegExp]> = [
        ['/api/auth/login', undefined, /nội dung gửi lên phải là một đối tượng JSON/],
        ['/api/auth/login', [], /nội dung gửi lên phải là một đối tượng JSON/],
        ['/api/auth/login', {}, /thiếu tên đăng nhập.*thiếu mật khẩu/],
        ['/api/auth/login', { username: 42, password: TEST_PASSWORD }, /tên đăng nhập phải là chuỗi ký tự/],
        ['/api/auth/login', { username: '   ', password: '' }, /tên đăng nhập không được để trống.*mật khẩu không được để trống/],
        ['/api/auth/login', { username: 'a', password: 'x'.repeat(300) }, /mật khẩu dài tối đa 256 ký tự/],
        ['/api/auth/otp', { challengeToken: 'abc', code: '12345' }, /mã OTP phải gồm đúng 6 chữ số/],
        ['/api/auth/otp', { code: 123456 }, /thiếu mã phiên xác thực.*mã OTP phải là chuỗi 6 chữ số/],
      ];
      for (const [path, body, message] of cases) {
        const res = await http(app, 'POST', path, { body });
        expect(res.status, `${path} ${JSON.stringify(body)}`).to.equal(400);
        expect(res.body.error.code).to.equal('INVALID_INPUT');
        expect(res.body.error.message).to.match(message);
      }
      const broken = await raw('/api/auth/login', '{"username": "a",');
      expect(broken.status).to.equal(400);
      expect(broken.body.error).to.include({ code: 'MALFORMED_JSON', message: 'Nội dung gửi lên không phải JSON hợp lệ.' });
      const text = await raw('/api/auth/login', 'username=a&password=b', 'application/x-www-form-urlencoded');
      expect(text.status).to.equal(400);

      await createTestOfficer(app.ctx.db, { username: 'sai.dang', phone: '0912000206', unitIds: [app.org.communeA] });
      const token = await login(app, 'sai.dang');
      const pw = await http(app, 'POST', '/api/auth/password', { token, body: { currentPassword: TEST_PASSWORD } });
      expect(pw.status).to.equal(400);
      expect(pw.body.error.message).to.match(/thiếu mật khẩu mới/);
    });

    it('never writes passwords, codes or tokens into the audit trail', async () => {
      const rows: Array<{ details: string }> = await app.ctx.db.query('select details::text as details from audit_log');
      const all = rows.map((r) => r.details).join('\n');
      expect(all).to.not.include(TEST_PASSWORD);
      expect(all).to.not.include('MatKhauMoi2026');
      expect(all).to.not.match(/"(password|currentPassword|newPassword|token|challengeToken|code)":\s*"[^"A-Z_]/);
      const tokens: Array<{ token_hash: string }> = await app.ctx.db.query('select token_hash from sessions');
      for (const t of tokens) expect(all).to.not.include(t.token_hash);
    });
  });
});

describe('SMS over an HTTP gateway', function () {
  this.timeout(120_000);
  let app: TestApp;
  let gateway: Gateway;

  before(async () => {
    app = await startTestApp();
    gateway = await startGateway();
  });
  after(async () => {
    await gateway?.close();
    await app?.close();
  });

  it('posts {to, text, sender} with the bearer token and records the message as sent with the gateway id', async () => {
    const sender = new HttpSmsSender(app.ctx.db, () => app.clock.now(), { url: gateway.url, token: 'gw-secret', senderName: 'UBND-XA' });
    gateway.answer = { status: 200, body: '{"id": 9876, "accepted": true}' };
    const sent = await sender.send('0912345678', 'Xin chào', 'test');
    expect(sent.status).to.equal('sent');
    const got = gateway.received.at(-1)!;
    expect(got.headers.authorization).to.equal('Bearer gw-secret');
    expect(got.headers['content-type']).to.equal('application/json');
    expect(got.body).to.deep.equal({ to: '0912345678', text: 'Xin chào', sender: 'UBND-XA' });
    const row: Array<{ provider: string; status: string; provider_ref: string; body: string }> = await app.ctx.db.query(
      'select provider, status, provider_ref, body from sms_outbox where id = $1',
      [sent.id],
    );
    expect(row[0]).to.deep.equal({ provider: 'http', status: 'sent', provider_ref: '9876', body: 'Xin chào' });
  });

  it('records a refused message as failed and throws a clear error', async () => {
    const sender = new HttpSmsSender(app.ctx.db, () => app.clock.now(), { url: gateway.url, token: 'gw-secret' });
    gateway.answer = { status: 401, body: '{"error":"bad token"}' };
    const err = await sender.send('0912345678', 'Lần hai', 'test').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(SmsDeliveryError);
    expect((err as Error).message).to.include('HTTP 401').and.include('bad token').and.include(gateway.url);
    expect(gateway.received.at(-1)!.body).to.deep.equal({ to: '0912345678', text: 'Lần hai' });
    const row: Array<{ provider: string; status: string; provider_ref: string | null }> = await app.ctx.db.query(
      'select provider, status, provider_ref from sms_outbox where id = $1',
      [(err as SmsDeliveryError).outboxId],
    );
    expect(row[0]).to.deep.equal({ provider: 'http', status: 'failed', provider_ref: null });
  });

  it('records an unreachable gateway as failed', async () => {
    const closed = await startGateway();
    const url = closed.url;
    await closed.close();
    const sender = new HttpSmsSender(app.ctx.db, () => app.clock.now(), { url, token: 't' });
    const err = await sender.send('0912345678', 'Không tới', 'test').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(SmsDeliveryError);
    const row: Array<{ status: string }> = await app.ctx.db.query('select status from sms_outbox where id = $1', [(err as SmsDeliveryError).outboxId]);
    expect(row[0].status).to.equal('failed');
  });

  it('is chosen by SMS_PROVIDER, with a clear error for a missing address or an unknown provider', () => {
    const now = () => app.clock.now();
    expect(smsSenderFromEnv(app.ctx.db, now, {})).to.be.instanceOf(LocalSmsSender);
    expect(smsSenderFromEnv(app.ctx.db, now, { SMS_PROVIDER: 'http', SMS_HTTP_URL: gateway.url, SMS_HTTP_TOKEN: 't' })).to.be.instanceOf(HttpSmsSender);
    expect(() => smsSenderFromEnv(app.ctx.db, now, { SMS_PROVIDER: 'http' })).to.throw(/SMS_HTTP_URL/);
    expect(() => smsSenderFromEnv(app.ctx.db, now, { SMS_PROVIDER: 'http', SMS_HTTP_URL: 'ftp://x', SMS_HTTP_TOKEN: 't' })).to.throw(/http\(s\)/);
    expect(() => smsSenderFromEnv(app.ctx.db, now, { SMS_PROVIDER: 'http', SMS_HTTP_URL: gateway.url })).to.throw(/SMS_HTTP_TOKEN/);
    expect(() => smsSenderFromEnv(app.ctx.db, now, { SMS_PROVIDER: 'viettel' })).to.throw(/SMS_PROVIDER must be 'local' or 'http', got 'viettel'/);
  });
});
