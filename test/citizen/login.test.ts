import { expect } from 'chai';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpSmsSender } from '../../infra/sms/httpSmsSender';
import { issueCitizenCertificate, signChallengeCms } from '../../infra/pki/citizenCertificates';
import { http, createTestOfficer, login as officerLogin } from '../support/identityApp';
import {
  captcha,
  CITIZEN_PASSWORD,
  insertDeskAccount,
  lastCitizenOtp,
  loginCitizen,
  newPerson,
  registerByMobile,
  smsCount,
  startCitizenTestApp,
  type CitizenTestApp,
  type Person,
} from '../support/citizenApp';

/** An SMS gateway double that holds every answer until released. */
async function startHeldGateway(): Promise<{ url: string; received(): number; release(status: number): void; close(): Promise<void> }> {
  const held: ServerResponse[] = [];
  let count = 0;
  let releasedWith: number | undefined;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      if (releasedWith !== undefined) res.writeHead(releasedWith).end('{}');
      else held.push(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    received: () => count,
    release(status) {
      releasedWith = status;
      for (const res of held.splice(0)) res.writeHead(status).end('{}');
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('citizen login, password recovery and change through the API', function () {
  this.timeout(60_000);
  let app: CitizenTestApp;

  before(async () => {
    app = await startCitizenTestApp();
  });
  after(async () => {
    await app?.close();
  });

  async function registered(overrides: Partial<Person> = {}): Promise<Person> {
    const person = newPerson(overrides);
    const res = await registerByMobile(app, person);
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    return person;
  }

  async function passwordStep(username: string, password: string) {
    return http(app, 'POST', '/api/citizen/login', { body: { username, password, ...(await captcha(app)) } });
  }

  /** A recovery's code leaves without the answer waiting for it: the code once `phone` has more than `before` messages. */
  async function codeSentAfter(phone: string, before: number): Promise<string> {
    for (let i = 0; i < 200 && (await smsCount(app, phone)) <= before; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return lastCitizenOtp(app, phone);
  }

  async function forgot(username: string) {
    return http(app, 'POST', '/api/citizen/password/forgot', { body: { username, ...(await captcha(app)) } });
  }

  describe('with ID number, password, captcha and the SMS code', () => {
    it('sends a code to the account’s phone and opens a session with the right code', async () => {
      const person = await registered();
      // Typed with spaces, as on the card.
      const first = await passwordStep(`${person.idNumber.slice(0, 6)} ${person.idNumber.slice(6)}`, CITIZEN_PASSWORD);
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body).to.include({ status: 'otp_required', phoneHint: `*******${person.phone.slice(-3)}` });
      expect(first.body).to.not.have.property('token');
      // The flow token opens nothing.
      expect((await http(app, 'GET', '/api/citizen/me', { token: first.body.flowToken })).status).to.equal(401);
      const sms: Array<{ purpose: string; body: string }> = await app.ctx.db.query(`select purpose, body from sms_outbox where to_phone = $1 order by seq desc limit 1`, [person.phone]);
      expect(sms[0].purpose).to.equal('citizen-login-otp');
      expect(sms[0].body).to.match(/^Mã OTP đăng nhập Cổng dịch vụ công: \d{6}\./);

      const code = await lastCitizenOtp(app, person.phone);
      const second = await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code } });
      expect(second.status, JSON.stringify(second.body)).to.equal(200);
      expect(second.body).to.include({ status: 'ok', mustChangePassword: false });
      expect(second.body.account).to.include({ username: person.idNumber, assuranceLevel: 'IAL2', verifiedBy: 'mobile' });
      const token = second.body.token as string;
      const stored: Array<{ token_hash: string; method: string }> = await app.ctx.db.query('select token_hash, method from citizen_sessions');
      expect(stored.map((s) => s.token_hash)).to.not.include(token);
      expect(stored.some((s) => s.method === 'password')).to.equal(true);

      const me = await http(app, 'GET', '/api/citizen/me', { token });
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ idNumber: person.idNumber, fullName: person.fullName, assuranceLevel: 'IAL2', verifiedBy: 'mobile', verifiedByLabel: 'Thuê bao di động' });
      expect(me.body).to.not.have.any.keys('passwordHash', 'failedLogins', 'lockedUntil', 'certificateFingerprint');

      // The same code does not open a second session.
      const replay = await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code } });
      expect(replay.status).to.equal(401);

      const audit: Array<{ action: string; actor_id: string | null; actor_name: string; details: unknown }> = await app.ctx.db.query(
        `select action, actor_id, actor_name, details from audit_log where action in ('citizen.login', 'citizen.login.otp') and outcome = 'success'`,
      );
      expect(audit.map((a) => a.action)).to.deep.equal(['citizen.login', 'citizen.login.otp']);
      for (const a of audit) {
        expect(a.actor_id).to.equal(null);
        expect(a.actor_name).to.equal(`citizen:${person.idNumber}`);
        expect(JSON.stringify(a.details)).to.not.include(code).and.not.include(token).and.not.include(CITIZEN_PASSWORD);
      }

      const out = await http(app, 'POST', '/api/citizen/logout', { token });
      expect(out.status).to.equal(204);
      expect((await http(app, 'GET', '/api/citizen/me', { token })).status).to.equal(401);
    });

    it('answers an unknown user and a wrong password alike, refuses a wrong captcha, and sends no code', async () => {
      const person = await registered();
      const before = await smsCount(app, person.phone);
      const wrong = await passwordStep(person.idNumber, 'Sai@12345');
      const unknown = await passwordStep('012090999999', CITIZEN_PASSWORD);
      for (const res of [wrong, unknown]) {
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('INVALID_CREDENTIALS');
      }
      expect(wrong.body.error.message).to.equal(unknown.body.error.message);
      const badCaptcha = await http(app, 'POST', '/api/citizen/login', { body: { username: person.idNumber, password: CITIZEN_PASSWORD, ...(await captcha(app, 'nope')) } });
      expect(badCaptcha.status).to.equal(400);
      expect(badCaptcha.body.error.code).to.equal('CAPTCHA_INVALID');
      expect(await smsCount(app, person.phone)).to.equal(before);
    });

    it('locks the account after 5 wrong passwords in a row, even against the right one, until the lock ends', async () => {
      const person = await registered();
      for (let i = 0; i < 4; i++) expect((await passwordStep(person.idNumber, `Sai@1234${i}`)).status).to.equal(401);
      const fifth = await passwordStep(person.idNumber, 'Sai@12345');
      expect(fifth.status).to.equal(423);
      expect(fifth.body.error.code).to.equal('ACCOUNT_LOCKED');
      expect(fifth.body.error.message).to.include('Quên mật khẩu');
      const right = await passwordStep(person.idNumber, CITIZEN_PASSWORD);
      expect(right.status).to.equal(423);
      app.clock.advance(15 * 60_000 + 1000);
      const later = await passwordStep(person.idNumber, CITIZEN_PASSWORD);
      expect(later.status, JSON.stringify(later.body)).to.equal(200);
      const audit: Array<{ details: { lockout?: boolean } }> = await app.ctx.db.query(`select details from audit_log where action = 'citizen.login' and details->>'lockout' = 'true'`);
      expect(audit).to.have.length(1);
    });

    it('ends a login after 5 wrong codes; re-sends are spaced and only the latest code counts', async () => {
      const person = await registered();
      const first = await passwordStep(person.idNumber, CITIZEN_PASSWORD);
      const stale = await lastCitizenOtp(app, person.phone);
      expect((await http(app, 'POST', '/api/citizen/login/otp/resend', { body: { flowToken: first.body.flowToken } })).status).to.equal(429);
      app.clock.advance(60_000);
      expect((await http(app, 'POST', '/api/citizen/login/otp/resend', { body: { flowToken: first.body.flowToken } })).status).to.equal(200);
      const latest = await lastCitizenOtp(app, person.phone);
      const wrong = [stale, '000000', '111111', '222222', '333333'].filter((c) => c !== latest).slice(0, 4);
      for (const c of wrong) expect((await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code: c } })).body.error.code).to.equal('OTP_INVALID');
      const last = await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code: latest === '444444' ? '555555' : '444444' } });
      expect(last.body.error.details.triesLeft).to.equal(0);
      const right = await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code: latest } });
      expect(right.status).to.equal(401);
      expect(right.body.error.code).to.equal('FLOW_EXPIRED');
      const sessions: Array<{ n: number }> = await app.ctx.db.query(
        `select count(*)::int as n from citizen_sessions s join citizen_accounts a on a.id = s.account_id where a.username = $1`,
        [person.idNumber],
      );
      expect(sessions[0].n).to.equal(0);
    });

    it('limits the codes one phone receives in an hour across logins', async () => {
      const limited = await startCitizenTestApp({ otpMaxPerPhonePerHour: 3 });
      try {
        const person = newPerson();
        expect((await registerByMobile(limited, person)).status).to.equal(201); // one code
        const step = async () => http(limited, 'POST', '/api/citizen/login', { body: { username: person.idNumber, password: CITIZEN_PASSWORD, ...(await captcha(limited)) } });
        expect((await step()).status).to.equal(200);
        expect((await step()).status).to.equal(200);
        const third = await step();
        expect(third.status).to.equal(429);
        expect(third.body.error.code).to.equal('OTP_PHONE_LIMIT');
        limited.clock.advance(3_600_001);
        expect((await step()).status).to.equal(200);
      } finally {
        await limited.close();
      }
    });
  });

  describe('what an anonymous caller learns about an account', () => {
    /** An answer without what differs by nature: the flow token. */
    const bare = (res: { status: number; body: Record<string, unknown> }) => ({ status: res.status, body: { ...res.body, flowToken: typeof res.body.flowToken } });

    it('answers a recovery alike with or without an account: the start, re-sends, wrong codes and the lock they lead to', async () => {
      app.clock.advance(6 * 3_600_000);
      const person = await registered();
      const nobody = '012090999998';
      const users = [nobody, person.idNumber];
      const both = async (step: (username: string, i: number) => Promise<{ status: number; body: Record<string, unknown> }>) => {
        const [a, b] = [await step(users[0], 0), await step(users[1], 1)];
        expect(bare(a)).to.deep.equal(bare(b));
        return [a, b];
      };
      const sent = await smsCount(app, person.phone);
      const firsts = await both((u) => forgot(u));
      expect(firsts[0].status).to.equal(200);
      expect(Object.keys(firsts[0].body).sort()).to.deep.equal(['flowToken', 'otpExpiresAt', 'resendAfter', 'sendsLeft', 'status']);
      const code = await codeSentAfter(person.phone, sent);
      const wrong = code === '000000' ? '111111' : '000000';
      const tokens = firsts.map((f) => f.body.flowToken as string);
      const resend = await both((_u, i) => http(app, 'POST', '/api/citizen/password/forgot/resend', { body: { flowToken: tokens[i] } }));
      expect(resend[0].body.error).to.include({ code: 'OTP_RESEND_TOO_SOON' });
      for (let k = 0; k < 5; k++) await both((_u, i) => http(app, 'POST', '/api/citizen/password/forgot/otp', { body: { flowToken: tokens[i], code: wrong } }));

      // A second recovery later within the hour: wrong codes count on, per username, to the same lock.
      app.clock.advance(15 * 60_000);
      const seconds = await both((u) => forgot(u));
      const again = seconds.map((f) => f.body.flowToken as string);
      const answers: Array<{ status: number; body: Record<string, unknown> }> = [];
      for (let k = 0; k < 5; k++) answers.push((await both((_u, i) => http(app, 'POST', '/api/citizen/password/forgot/otp', { body: { flowToken: again[i], code: wrong } })))[0]);
      expect(answers.map((a) => a.status)).to.deep.equal([401, 401, 401, 401, 423]);
      expect((answers[4].body.error as { code: string }).code).to.equal('OTP_LOCKED');
      const locked = await both((u) => forgot(u));
      expect(locked[0].status).to.equal(423);

      // Only the account's phone got codes; the username without an account sent nothing anywhere.
      expect(await smsCount(app, person.phone)).to.equal(sent + 2);
      const flows: Array<{ phone: string | null; account_id: string | null; subject: string }> = await app.ctx.db.query(
        'select phone, account_id, subject from citizen_otp_flows where subject = $1',
        [nobody],
      );
      expect(flows).to.have.length(2);
      expect(flows.every((f) => f.phone === null && f.account_id === null)).to.equal(true);
    });

    it('does not wait for the SMS gateway to answer a recovery, so a slow or failing gateway shows nothing', async () => {
      const person = await registered();
      const gateway = await startHeldGateway();
      const local = app.ctx.sms;
      try {
        app.ctx.sms = new HttpSmsSender(app.ctx.db, () => app.clock.now(), { url: gateway.url, token: 'gw' });
        // The gateway holds its answer: a handler waiting for it would not answer at all.
        const res = await forgot(person.idNumber);
        expect(res.status).to.equal(200);
        expect(gateway.received()).to.be.at.most(1);
        gateway.release(502);
        for (let i = 0; i < 200 && gateway.received() === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(gateway.received()).to.equal(1);
      } finally {
        app.ctx.sms = local;
        await gateway.close();
      }
    });

    it('locks a username without an account after as many wrong passwords as an account, with the same answers', async () => {
      app.clock.advance(6 * 3_600_000);
      const person = await registered();
      const run = async (username: string) => {
        const out: Array<[number, string]> = [];
        for (let i = 0; i < 6; i++) {
          const res = await passwordStep(username, `Sai@1234${i}`);
          out.push([res.status, res.body.error.message]);
        }
        return out;
      };
      const real = await run(person.idNumber);
      const ghost = await run('012090999997');
      expect(ghost).to.deep.equal(real);
      expect(real.map(([status]) => status)).to.deep.equal([401, 401, 401, 401, 423, 423]);
    });

    it('counts wrong codes across logins: the limit locks the account as wrong passwords do', async () => {
      app.clock.advance(6 * 3_600_000);
      const person = await registered();
      const code = async (flowToken: string, c: string) => http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken, code: c } });
      const first = await passwordStep(person.idNumber, CITIZEN_PASSWORD);
      const right = await lastCitizenOtp(app, person.phone);
      const wrong = right === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i++) expect((await code(first.body.flowToken, wrong)).body.error.code).to.equal('OTP_INVALID');
      app.clock.advance(60_000);
      const second = await passwordStep(person.idNumber, CITIZEN_PASSWORD);
      for (let i = 0; i < 4; i++) expect((await code(second.body.flowToken, wrong)).body.error.code).to.equal('OTP_INVALID');
      const locking = await code(second.body.flowToken, wrong);
      expect(locking.status).to.equal(423);
      expect(locking.body.error.code).to.equal('ACCOUNT_LOCKED');
      expect(locking.body.error.message).to.include('nhập sai mật khẩu hoặc mã OTP');
      expect((await passwordStep(person.idNumber, CITIZEN_PASSWORD)).status).to.equal(423);
      const row: Array<{ locked: boolean }> = await app.ctx.db.query('select locked_until > $2 as locked from citizen_accounts where username = $1', [person.idNumber, app.clock.now()]);
      expect(row[0].locked).to.equal(true);
    });

    it('limits login requests per username, with an account or not (429 with Retry-After)', async () => {
      app.clock.advance(6 * 3_600_000);
      const saved = app.ctx.auth;
      app.ctx.auth = { ...saved, ratePerAccount: 2 };
      try {
        const person = await registered();
        expect((await passwordStep(person.idNumber, 'Sai@12340')).status).to.equal(401);
        expect((await passwordStep(person.idNumber, 'Sai@12341')).status).to.equal(401);
        const limited = await passwordStep(person.idNumber, CITIZEN_PASSWORD);
        expect(limited.status).to.equal(429);
        expect(limited.body.error.code).to.equal('TOO_MANY_ATTEMPTS');
        expect(limited.body.error.message).to.match(/^Bạn đã thử quá nhiều lần trong thời gian ngắn\. Vui lòng thử lại sau \d\d:\d\d ngày \d\d\/\d\d\/\d{4} \(khoảng 15 phút nữa\)\.$/);
        expect(limited.headers.get('retry-after')).to.equal('900');
        // Not even a captcha was spent on it, and the same answer comes for a name without an account.
        expect((await passwordStep('012090999996', 'Sai@12340')).status).to.equal(401);
        expect((await passwordStep('012090999996', 'Sai@12341')).status).to.equal(401);
        expect((await passwordStep('012090999996', 'Sai@12342')).status).to.equal(429);
        app.clock.advance(15 * 60_000);
        expect((await passwordStep(person.idNumber, CITIZEN_PASSWORD)).status).to.equal(200);
      } finally {
        app.ctx.auth = saved;
      }
    });
  });

  describe('an account opened at the one-stop desk', () => {
    it('must change the temporary password before anything else', async () => {
      const person = newPerson();
      const accountId = await insertDeskAccount(app, person, 'TamThoi@123');
      const token = await loginCitizen(app, person.idNumber, 'TamThoi@123');
      const me = await http(app, 'GET', '/api/citizen/me', { token });
      expect(me.status).to.equal(200);
      expect(me.body).to.include({ mustChangePassword: true, verifiedBy: 'desk' });
      for (const path of ['/api/citizen/documents', '/api/citizen/notifications']) {
        const res = await http(app, 'GET', path, { token });
        expect(res.status, path).to.equal(403);
        expect(res.body.error.code, path).to.equal('PASSWORD_CHANGE_REQUIRED');
      }
      const same = await http(app, 'POST', '/api/citizen/password', { token, body: { currentPassword: 'TamThoi@123', password: 'TamThoi@123', passwordConfirm: 'TamThoi@123' } });
      expect(same.body.error.code).to.equal('PASSWORD_UNCHANGED');
      const weak = await http(app, 'POST', '/api/citizen/password', { token, body: { currentPassword: 'TamThoi@123', password: 'abcdefgh', passwordConfirm: 'abcdefgh' } });
      expect(weak.body.error.code).to.equal('PASSWORD_WEAK');
      const changed = await http(app, 'POST', '/api/citizen/password', { token, body: { currentPassword: 'TamThoi@123', password: 'MoiDoi#2026', passwordConfirm: 'MoiDoi#2026' } });
      expect(changed.status, JSON.stringify(changed.body)).to.equal(204);
      expect((await http(app, 'GET', '/api/citizen/documents', { token })).status).to.equal(200);
      const rows: Array<{ must_change_password: boolean }> = await app.ctx.db.query('select must_change_password from citizen_accounts where id = $1', [accountId]);
      expect(rows[0].must_change_password).to.equal(false);
      expect((await passwordStep(person.idNumber, 'TamThoi@123')).status).to.equal(401);
      expect((await passwordStep(person.idNumber, 'MoiDoi#2026')).status).to.equal(200);
    });
  });

  describe('password change and recovery', () => {
    it('changes the password with the current one and ends the other sessions; wrong current passwords count toward the lock', async () => {
      const person = await registered();
      const a = await loginCitizen(app, person.idNumber);
      const b = await loginCitizen(app, person.idNumber);
      const wrong = await http(app, 'POST', '/api/citizen/password', { token: a, body: { currentPassword: 'Sai@12345', password: 'Khac#2026x', passwordConfirm: 'Khac#2026x' } });
      expect(wrong.status).to.equal(400);
      expect(wrong.body.error.code).to.equal('WRONG_PASSWORD');
      const failed: Array<{ failed_logins: number }> = await app.ctx.db.query('select failed_logins from citizen_accounts where username = $1', [person.idNumber]);
      expect(failed[0].failed_logins).to.equal(1);
      const mismatch = await http(app, 'POST', '/api/citizen/password', { token: a, body: { currentPassword: CITIZEN_PASSWORD, password: 'Khac#2026x', passwordConfirm: 'Khac#2026y' } });
      expect(mismatch.body.error.code).to.equal('PASSWORD_MISMATCH');
      const ok = await http(app, 'POST', '/api/citizen/password', { token: a, body: { currentPassword: CITIZEN_PASSWORD, password: 'Khac#2026x', passwordConfirm: 'Khac#2026x' } });
      expect(ok.status).to.equal(204);
      expect((await http(app, 'GET', '/api/citizen/me', { token: a })).status).to.equal(200);
      expect((await http(app, 'GET', '/api/citizen/me', { token: b })).status).to.equal(401);
    });

    it('resets a forgotten password by SMS code: clears the lock and the must-change flag, ends every session', async () => {
      const person = newPerson();
      await insertDeskAccount(app, person, 'TamThoi@123');
      const session = await loginCitizen(app, person.idNumber, 'TamThoi@123');
      for (let i = 0; i < 5; i++) await passwordStep(person.idNumber, `Sai@1234${i}`);
      expect((await passwordStep(person.idNumber, 'TamThoi@123')).status).to.equal(423);

      const badCaptcha = await http(app, 'POST', '/api/citizen/password/forgot', { body: { username: person.idNumber, ...(await captcha(app, 'x')) } });
      expect(badCaptcha.body.error.code).to.equal('CAPTCHA_INVALID');

      const sent = await smsCount(app, person.phone);
      const first = await http(app, 'POST', '/api/citizen/password/forgot', { body: { username: person.idNumber, ...(await captcha(app)) } });
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      // Not even the phone's last digits: the same answer comes for a username without an account.
      expect(first.body).to.not.have.property('phoneHint');
      await codeSentAfter(person.phone, sent);
      const early = await http(app, 'POST', '/api/citizen/password/reset', { body: { flowToken: first.body.flowToken, password: 'LayLai@2026', passwordConfirm: 'LayLai@2026' } });
      expect(early.body.error.code).to.equal('OTP_NOT_VERIFIED');
      // A registration or login flow token is not a recovery one, nor the reverse.
      expect((await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, person.phone) } })).status).to.equal(401);
      const otp = await http(app, 'POST', '/api/citizen/password/forgot/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, person.phone) } });
      expect(otp.status, JSON.stringify(otp.body)).to.equal(200);
      const mismatch = await http(app, 'POST', '/api/citizen/password/reset', { body: { flowToken: first.body.flowToken, password: 'LayLai@2026', passwordConfirm: 'LayLai@2027' } });
      expect(mismatch.body.error.code).to.equal('PASSWORD_MISMATCH');
      const reset = await http(app, 'POST', '/api/citizen/password/reset', { body: { flowToken: first.body.flowToken, password: 'LayLai@2026', passwordConfirm: 'LayLai@2026' } });
      expect(reset.status, JSON.stringify(reset.body)).to.equal(200);

      expect((await http(app, 'GET', '/api/citizen/me', { token: session })).status).to.equal(401);
      const rows: Array<{ must_change_password: boolean; failed_logins: number; locked_until: Date | null }> = await app.ctx.db.query(
        'select must_change_password, failed_logins, locked_until from citizen_accounts where username = $1',
        [person.idNumber],
      );
      expect(rows[0]).to.deep.equal({ must_change_password: false, failed_logins: 0, locked_until: null });
      const token = await loginCitizen(app, person.idNumber, 'LayLai@2026');
      expect((await http(app, 'GET', '/api/citizen/documents', { token })).status).to.equal(200);
      const audit: Array<{ details: unknown }> = await app.ctx.db.query(`select details from audit_log where action like 'citizen.password%'`);
      for (const a of audit) expect(JSON.stringify(a.details)).to.not.include('LayLai@2026').and.not.include(first.body.flowToken);
    });
  });

  describe('with a digital-signature certificate', () => {
    async function signedBy(cert: { certificatePem: string; privateKeyPem: string }, purpose: 'register' | 'login') {
      const c = await http(app, 'POST', '/api/citizen/certificate/challenge', { body: { purpose } });
      return { challengeId: c.body.challengeId as string, signature: signChallengeCms(c.body.challenge as string, cert.certificatePem, cert.privateKeyPem) };
    }

    it('opens a session without a code, by fingerprint or, for a renewed certificate, by ID number', async () => {
      const person = newPerson({ idNumber: '012090888001', fullName: 'Vàng A Dình' });
      const cert = await issueCitizenCertificate(app.pki, { idNumber: person.idNumber, fullName: person.fullName });
      const reg = await http(app, 'POST', '/api/citizen/register/certificate', {
        body: { ...(await signedBy(cert, 'register')), birthDate: person.birthDate, phone: person.phone, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD },
      });
      expect(reg.status, JSON.stringify(reg.body)).to.equal(201);
      const sms = await smsCount(app, person.phone);

      const signed = await signedBy(cert, 'login');
      const res = await http(app, 'POST', '/api/citizen/login/certificate', { body: signed });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.account).to.include({ username: person.idNumber, assuranceLevel: 'IAL3' });
      expect(await smsCount(app, person.phone)).to.equal(sms);
      expect((await http(app, 'GET', '/api/citizen/me', { token: res.body.token })).status).to.equal(200);
      // Single use.
      expect((await http(app, 'POST', '/api/citizen/login/certificate', { body: signed })).body.error.code).to.equal('CHALLENGE_INVALID');

      const before: Array<{ certificate_fingerprint: string }> = await app.ctx.db.query('select certificate_fingerprint from citizen_accounts where username = $1', [person.idNumber]);
      const renewed = await issueCitizenCertificate(app.pki, { idNumber: person.idNumber, fullName: person.fullName });
      const again = await http(app, 'POST', '/api/citizen/login/certificate', { body: await signedBy(renewed, 'login') });
      expect(again.status, JSON.stringify(again.body)).to.equal(200);
      const after: Array<{ certificate_fingerprint: string }> = await app.ctx.db.query('select certificate_fingerprint from citizen_accounts where username = $1', [person.idNumber]);
      expect(after[0].certificate_fingerprint).to.not.equal(before[0].certificate_fingerprint);
    });

    it('lets an account registered by mobile in with a certificate naming its ID number; refuses a certificate with no account and a revoked one', async () => {
      const person = await registered();
      const cert = await issueCitizenCertificate(app.pki, { idNumber: person.idNumber, fullName: person.fullName });
      const res = await http(app, 'POST', '/api/citizen/login/certificate', { body: await signedBy(cert, 'login') });
      expect(res.status, JSON.stringify(res.body)).to.equal(200);
      expect(res.body.account).to.include({ verifiedBy: 'mobile', assuranceLevel: 'IAL2' });

      const nobody = await issueCitizenCertificate(app.pki, { idNumber: '012090888999', fullName: 'Chưa Đăng Ký' });
      const none = await http(app, 'POST', '/api/citizen/login/certificate', { body: await signedBy(nobody, 'login') });
      expect(none.status).to.equal(401);
      expect(none.body.error.code).to.equal('CERTIFICATE_NOT_REGISTERED');

      await app.pki.revoke(cert.serial, 'keyCompromise');
      const revoked = await http(app, 'POST', '/api/citizen/login/certificate', { body: await signedBy(cert, 'login') });
      expect(revoked.status).to.equal(401);
      expect(revoked.body.error.code).to.match(/REVOKED/);
    });
  });

  describe('citizen and officer sessions are apart', () => {
    it('refuses an officer’s token on every citizen route and a citizen’s token on officer routes', async () => {
      const { ROUTES } = await import('../../api/app');
      await createTestOfficer(app.ctx.db, { username: 'admin.a', rights: ['USER_ADMIN', 'AUDIT'], unitIds: [app.org.deskA], phone: '0912000777' });
      const officer = await officerLogin(app, 'admin.a');
      const person = await registered();
      const citizen = await loginCitizen(app, person.idNumber);

      const citizenRoutes = ROUTES.filter((r) => r.access === 'citizen');
      expect(citizenRoutes.length).to.be.greaterThan(5);
      for (const r of citizenRoutes) {
        const path = r.path.replace(':id', '00000000-0000-4000-8000-000000000000');
        const res = await http(app, r.method.toUpperCase(), path, { token: officer, ...(r.method === 'get' ? {} : { body: {} }) });
        expect(res.status, `${r.method} ${r.path}`).to.equal(401);
        expect(res.body.error.code).to.equal('UNAUTHENTICATED');
      }
      for (const path of ['/api/auth/me', '/api/documents', '/api/admin/users', '/api/audit']) {
        const res = await http(app, 'GET', path, { token: citizen });
        expect(res.status, path).to.equal(401);
      }
      // Both still work where they belong.
      expect((await http(app, 'GET', '/api/auth/me', { token: officer })).status).to.equal(200);
      expect((await http(app, 'GET', '/api/citizen/me', { token: citizen })).status).to.equal(200);
    });
  });
});
