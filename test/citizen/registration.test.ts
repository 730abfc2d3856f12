import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { expect } from 'chai';
import forge from 'node-forge';
import { issueCitizenCertificate, signChallengeCms } from '../../infra/pki/citizenCertificates';
import { parseChallenge } from '../../signer/protocol';
import { http } from '../support/identityApp';
import {
  accountCount,
  captcha,
  CITIZEN_PASSWORD,
  insertDeskAccount,
  lastCitizenOtp,
  newPerson,
  registerByMobile,
  smsCount,
  startCitizenTestApp,
  type CitizenTestApp,
} from '../support/citizenApp';

/** A certificate with a citizen's name and CCCD, signed by its own key: an authority nobody trusts. */
function selfSignedCitizenCertificate(idNumber: string, fullName: string): { certificatePem: string; privateKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date('2026-01-01T00:00:00Z');
  cert.validity.notAfter = new Date('2028-01-01T00:00:00Z');
  // forge reads valueTagClass as the value's ASN.1 type (its typings say class) and takes binary
  // strings: a Vietnamese name goes as UTF-8 bytes in a UTF8String.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const attrs: forge.pki.CertificateField[] = [
    { name: 'commonName', value: forge.util.encodeUtf8(fullName), valueTagClass: utf8 },
    { type: '0.9.2342.19200300.100.1.1', value: `CCCD:${idNumber}`, valueTagClass: utf8 },
    { name: 'countryName', value: 'VN' },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  cert.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  return { certificatePem: forge.pki.certificateToPem(cert), privateKeyPem };
}

describe('citizen self-registration through the API', function () {
  this.timeout(60_000);
  let app: CitizenTestApp;

  before(async () => {
    app = await startCitizenTestApp();
  });
  after(async () => {
    await app?.close();
  });

  async function start(path: string, body: object) {
    return http(app, 'POST', `/api/citizen/register/${path}`, { body: { ...body, ...(await captcha(app)) } });
  }

  async function auditActions(): Promise<Array<{ action: string; actor_id: string | null; actor_name: string | null; outcome: string; details: Record<string, unknown> }>> {
    return app.ctx.db.query(`select action, actor_id, actor_name, outcome, details from audit_log where action like 'citizen.%' order by seq`);
  }

  describe('by mobile subscriber', () => {
    it('registers in three steps: details and captcha, the code by SMS, the password twice (IAL2, verified by mobile)', async () => {
      const person = newPerson({ email: 'minh@example.vn' });
      const first = await start('mobile', person);
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body).to.include({ status: 'otp_sent', phoneHint: `*******${person.phone.slice(-3)}`, sendsLeft: 4 });
      expect(new Date(first.body.otpExpiresAt).getTime() - app.clock.now().getTime()).to.equal(120_000);
      const sms: Array<{ body: string; purpose: string }> = await app.ctx.db.query('select body, purpose from sms_outbox where to_phone = $1', [person.phone]);
      expect(sms).to.have.length(1);
      expect(sms[0].purpose).to.equal('citizen-register-otp');
      expect(sms[0].body).to.match(/^Mã OTP đăng ký tài khoản Cổng dịch vụ công: \d{6}\. Mã có hiệu lực 2 phút\./);

      // No account before the last step.
      expect(await accountCount(app, person.idNumber)).to.equal(0);
      const code = await lastCitizenOtp(app, person.phone);
      const otp = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code } });
      expect(otp.status, JSON.stringify(otp.body)).to.equal(200);
      expect(otp.body).to.deep.equal({ status: 'otp_verified', next: 'password' });

      const done = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(done.status, JSON.stringify(done.body)).to.equal(201);
      expect(done.body.account).to.include({
        kind: 'citizen',
        username: person.idNumber,
        idNumber: person.idNumber,
        fullName: 'Lò Văn Minh',
        birthDate: '1990-04-12',
        phone: person.phone,
        email: 'minh@example.vn',
        assuranceLevel: 'IAL2',
        verifiedBy: 'mobile',
        mustChangePassword: false,
      });
      expect(done.body.account).to.not.have.any.keys('passwordHash', 'password_hash', 'failedLogins');
      const stored: Array<{ password_hash: string }> = await app.ctx.db.query('select password_hash from citizen_accounts where username = $1', [person.idNumber]);
      expect(stored[0].password_hash).to.match(/^\$argon2id\$/);

      // The flow is spent: its token cannot open a second account nor be answered again.
      const again = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(again.status).to.equal(401);
      expect(again.body.error.code).to.equal('FLOW_EXPIRED');

      // Audited as the citizen, never with the code, the password or the token.
      const entries = await auditActions();
      expect(entries.map((e) => e.action)).to.include.members(['citizen.register.start', 'citizen.register.otp', 'citizen.register.complete']);
      for (const e of entries) {
        expect(e.actor_id).to.equal(null);
        if (e.outcome === 'success') expect(e.actor_name).to.equal(`citizen:${person.idNumber}`);
        const text = JSON.stringify(e.details);
        expect(text).to.not.include(code);
        expect(text).to.not.include(CITIZEN_PASSWORD);
        expect(text).to.not.include(first.body.flowToken);
      }
      const flows: Array<{ otp_hash: string | null; token_hash: string }> = await app.ctx.db.query('select otp_hash, token_hash from citizen_otp_flows');
      for (const f of flows) expect(f.token_hash).to.not.equal(first.body.flowToken);
    });

    it('refuses a wrong captcha before anything is sent', async () => {
      const person = newPerson();
      const res = await http(app, 'POST', '/api/citizen/register/mobile', { body: { ...person, ...(await captcha(app, 'WRONG1')) } });
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('CAPTCHA_INVALID');
      expect(res.body.error.message).to.include('Mã xác thực (captcha) không đúng');
      expect(await smsCount(app, person.phone)).to.equal(0);
      // A captcha answers once: the right answer to a used captcha fails too.
      const c = await captcha(app);
      expect((await http(app, 'POST', '/api/citizen/register/mobile', { body: { ...person, ...c } })).status).to.equal(200);
      const reused = await http(app, 'POST', '/api/citizen/register/mobile', { body: { ...newPerson(), ...c } });
      expect(reused.body.error.code).to.equal('CAPTCHA_INVALID');
    });

    it('checks the ID number, the date of birth against its digits and the mobile number, field by field', async () => {
      const bad = await start('mobile', { ...newPerson(), idNumber: '012345678', birthDate: '1991-04-12', phone: '024 3825 1234' });
      expect(bad.status).to.equal(400);
      expect(bad.body.error.code).to.equal('INVALID_INPUT');
      const fields = (bad.body.error.details.fields as Array<{ field: string; problem: string }>).map((f) => f.field);
      expect(fields).to.include.members(['idNumber', 'phone']);
      const year = await start('mobile', { ...newPerson(), birthDate: '1991-04-12' });
      expect(year.status).to.equal(400);
      expect(year.body.error.details.fields[0]).to.deep.include({ field: 'birthDate' });
      expect(year.body.error.details.fields[0].problem).to.include('không khớp với số CCCD');
    });

    it('refuses a weak password and two different passwords, naming what is missing, and creates no account', async () => {
      const person = newPerson();
      const first = await start('mobile', person);
      await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, person.phone) } });
      const weak = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: 'matkhau2026', passwordConfirm: 'matkhau2026' } });
      expect(weak.status).to.equal(400);
      expect(weak.body.error.code).to.equal('PASSWORD_WEAK');
      expect(weak.body.error.message).to.include('còn thiếu: chữ hoa, ký tự đặc biệt');
      expect(weak.body.error.details.missing).to.deep.equal(['upper', 'special']);
      const mismatch = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: 'Matkhau@2025' } });
      expect(mismatch.status).to.equal(400);
      expect(mismatch.body.error.code).to.equal('PASSWORD_MISMATCH');
      expect(await accountCount(app, person.idNumber)).to.equal(0);
      // The flow is still open for a corrected password.
      const ok = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(ok.status).to.equal(201);
    });

    it('refuses the password step before the code is confirmed', async () => {
      const person = newPerson();
      const first = await start('mobile', person);
      const early = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(early.status).to.equal(409);
      expect(early.body.error.code).to.equal('OTP_NOT_VERIFIED');
      expect(await accountCount(app, person.idNumber)).to.equal(0);
    });

    it('lets a code expire after 2 minutes; a re-send gives a new one', async () => {
      const person = newPerson();
      const first = await start('mobile', person);
      const code = await lastCitizenOtp(app, person.phone);
      app.clock.advance(120_001);
      const late = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code } });
      expect(late.status).to.equal(401);
      expect(late.body.error.code).to.equal('OTP_EXPIRED');
      expect(late.body.error.message).to.include('Gửi lại OTP');
      const resent = await http(app, 'POST', '/api/citizen/register/otp/resend', { body: { flowToken: first.body.flowToken } });
      expect(resent.status, JSON.stringify(resent.body)).to.equal(200);
      expect(resent.body.sendsLeft).to.equal(3);
      const fresh = await lastCitizenOtp(app, person.phone);
      const ok = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: fresh } });
      expect(ok.status).to.equal(200);
      expect(await accountCount(app, person.idNumber)).to.equal(0);
    });

    it('accepts only the latest code after a re-send, spaces re-sends by 60 s and allows 5 sends', async () => {
      const person = newPerson();
      const first = await start('mobile', person);
      const stale = await lastCitizenOtp(app, person.phone);
      const tooSoon = await http(app, 'POST', '/api/citizen/register/otp/resend', { body: { flowToken: first.body.flowToken } });
      expect(tooSoon.status).to.equal(429);
      expect(tooSoon.body.error.code).to.equal('OTP_RESEND_TOO_SOON');
      expect(tooSoon.body.error.details.retryAfterSeconds).to.equal(60);
      app.clock.advance(60_000);
      expect((await http(app, 'POST', '/api/citizen/register/otp/resend', { body: { flowToken: first.body.flowToken } })).status).to.equal(200);
      const latest = await lastCitizenOtp(app, person.phone);
      if (latest !== stale) {
        const old = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: stale } });
        expect(old.status).to.equal(401);
        expect(old.body.error.code).to.equal('OTP_INVALID');
      }
      for (let i = 0; i < 3; i++) {
        app.clock.advance(60_000);
        expect((await http(app, 'POST', '/api/citizen/register/otp/resend', { body: { flowToken: first.body.flowToken } })).status).to.equal(200);
      }
      app.clock.advance(60_000);
      const sixth = await http(app, 'POST', '/api/citizen/register/otp/resend', { body: { flowToken: first.body.flowToken } });
      expect(sixth.status).to.equal(429);
      expect(sixth.body.error.code).to.equal('OTP_SEND_LIMIT');
      expect(await smsCount(app, person.phone)).to.equal(5);
      const ok = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, person.phone) } });
      expect(ok.status).to.equal(200);
    });

    it('ends the registration after 5 wrong codes; even the right one is then refused', async () => {
      const person = newPerson();
      const first = await start('mobile', person);
      const right = await lastCitizenOtp(app, person.phone);
      const wrong = right === '000000' ? '111111' : '000000';
      const left: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: wrong } });
        expect(res.status).to.equal(401);
        expect(res.body.error.code).to.equal('OTP_INVALID');
        left.push(res.body.error.details.triesLeft as number);
      }
      expect(left).to.deep.equal([4, 3, 2, 1, 0]);
      const after = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: right } });
      expect(after.status).to.equal(401);
      expect(after.body.error.code).to.equal('FLOW_EXPIRED');
      const resend = await http(app, 'POST', '/api/citizen/register/otp/resend', { body: { flowToken: first.body.flowToken } });
      expect(resend.body.error.code).to.equal('FLOW_EXPIRED');
      expect(await accountCount(app, person.idNumber)).to.equal(0);
    });

    it('answers a start for an ID number that has an account as for a new one, and says it exists only to whoever confirms the code', async () => {
      const mine = newPerson();
      expect((await registerByMobile(app, mine)).status).to.equal(201);
      const stranger = newPerson();
      const other = newPerson();
      const twice = await start('mobile', { ...mine, phone: other.phone });
      const fresh = await start('mobile', stranger);
      // Same status and shape, the same timings: nothing tells the caller that the number is taken.
      expect([twice.status, fresh.status]).to.deep.equal([200, 200]);
      const shape = (b: Record<string, unknown>) => ({ ...b, flowToken: typeof b.flowToken, phoneHint: typeof b.phoneHint });
      expect(shape(twice.body)).to.deep.equal(shape(fresh.body));
      // The code goes to the phone typed; confirming it is when the existing account is said.
      const exists = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: twice.body.flowToken, code: await lastCitizenOtp(app, other.phone) } });
      expect(exists.status).to.equal(409);
      expect(exists.body.error.code).to.equal('ACCOUNT_EXISTS');
      expect(exists.body.error.message).to.include('Quên mật khẩu');
      expect(exists.body.error.message).to.include('Bộ phận một cửa');
      // The flow is over: no password can be set through it.
      const done = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: twice.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(done.body.error.code).to.equal('FLOW_EXPIRED');

      const atDesk = newPerson();
      await insertDeskAccount(app, atDesk, 'Tam@1234');
      const desk = await start('mobile', atDesk);
      expect(desk.status).to.equal(200);
      const deskCode = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: desk.body.flowToken, code: await lastCitizenOtp(app, atDesk.phone) } });
      expect(deskCode.body.error.code).to.equal('ACCOUNT_EXISTS');
      expect(await accountCount(app, atDesk.idNumber)).to.equal(1);
      const audit = (await auditActions()).filter((a) => a.action === 'citizen.register.otp' && a.outcome === 'refused');
      expect(audit.slice(-2).map((a) => [a.details.reason, a.details.code])).to.deep.equal([
        ['account-exists', 'ACCOUNT_EXISTS'],
        ['account-exists', 'ACCOUNT_EXISTS'],
      ]);
    });

    it('counts wrong codes per phone across registrations: the limit ends them and refuses new ones to that phone for a while', async () => {
      app.clock.advance(3 * 3_600_000);
      const phone = newPerson().phone;
      const a = await start('mobile', { ...newPerson(), phone });
      app.clock.advance(60_000);
      const b = await start('mobile', { ...newPerson(), phone });
      const code = await lastCitizenOtp(app, phone);
      const wrong = code === '000000' ? '111111' : '000000';
      const answers: string[] = [];
      for (const flow of [a, a, a, a, a, b, b, b, b, b]) {
        const res = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: flow.body.flowToken, code: wrong } });
        answers.push(res.body.error.code);
      }
      expect(answers).to.deep.equal([...Array(9).fill('OTP_INVALID'), 'OTP_LOCKED']);
      const again = await start('mobile', { ...newPerson(), phone });
      expect(again.status).to.equal(423);
      expect(again.body.error.code).to.equal('OTP_LOCKED');
      expect(again.body.error.message).to.match(/^Đã nhập sai mã OTP quá nhiều lần cho số điện thoại này\. Vui lòng đăng ký lại sau \d\d:\d\d ngày/);
      expect(Number(again.headers.get('retry-after'))).to.be.greaterThan(0);
      expect((await start('mobile', newPerson())).status).to.equal(200);
      app.clock.advance(15 * 60_000);
      expect((await start('mobile', { ...newPerson(), phone })).status).to.equal(200);
    });

    it('refuses at the last step when the desk opened the account meanwhile', async () => {
      const person = newPerson();
      const first = await start('mobile', person);
      await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, person.phone) } });
      await insertDeskAccount(app, person, 'Tam@1234');
      const done = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(done.status).to.equal(409);
      expect(done.body.error.code).to.equal('ACCOUNT_EXISTS');
      const rows: Array<{ verified_by: string }> = await app.ctx.db.query('select verified_by from citizen_accounts where id_number = $1', [person.idNumber]);
      expect(rows).to.deep.equal([{ verified_by: 'desk' }]);
    });
  });

  describe('as a business', () => {
    it('registers with the tax code as username and the representative’s identity', async () => {
      const rep = newPerson({ fullName: 'Nguyễn Thị Hoa', idNumber: '012190000777', birthDate: '1990-01-02' });
      const body = {
        taxCode: '0101248141-001',
        businessName: 'Chi nhánh Công ty Cổ phần FPT tại Lai Châu',
        representativeIdNumber: rep.idNumber,
        representativeName: rep.fullName,
        representativeBirthDate: rep.birthDate,
        phone: rep.phone,
        email: 'lienhe@fpt.example.vn',
      };
      const first = await start('business', body);
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, rep.phone) } });
      const done = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(done.status, JSON.stringify(done.body)).to.equal(201);
      expect(done.body.account).to.include({
        kind: 'business',
        username: '0101248141-001',
        taxCode: '0101248141-001',
        businessName: 'Chi nhánh Công ty Cổ phần FPT tại Lai Châu',
        idNumber: rep.idNumber,
        fullName: 'Nguyễn Thị Hoa',
        assuranceLevel: 'IAL2',
        verifiedBy: 'mobile',
      });
      // The representative may still open a personal account; the business may not register twice (typed without the dash).
      app.clock.advance(60_000);
      const again = await start('business', { ...body, taxCode: '0101248141001' });
      expect(again.status).to.equal(200);
      const taken = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: again.body.flowToken, code: await lastCitizenOtp(app, rep.phone) } });
      expect(taken.status).to.equal(409);
      expect(taken.body.error.message).to.include('Mã số thuế này đã có tài khoản');
      expect((await registerByMobile(app, rep)).status).to.equal(201);
    });

    it('refuses a tax code with a wrong check digit', async () => {
      const rep = newPerson();
      const res = await start('business', {
        taxCode: '0101248142',
        businessName: 'Công ty TNHH Một thành viên',
        representativeIdNumber: rep.idNumber,
        representativeName: rep.fullName,
        representativeBirthDate: rep.birthDate,
        phone: rep.phone,
        email: 'a@b.vn',
      });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields[0].field).to.equal('taxCode');
      expect(res.body.error.details.fields[0].problem).to.include('sai chữ số kiểm tra');
    });
  });

  describe('by social-insurance number', () => {
    it('sends the code to the phone the registry knows and opens an IAL2 account verified by social insurance', async () => {
      const person = newPerson({ fullName: 'Tao Thị Lan', idNumber: '012190000555', birthDate: '1990-07-30' });
      await app.socialInsurance.put('0123456789', { idNumber: person.idNumber, fullName: person.fullName, birthDate: person.birthDate, phone: person.phone });
      const first = await start('social-insurance', { socialInsuranceNumber: '01 2345 6789', birthDate: person.birthDate });
      expect(first.status, JSON.stringify(first.body)).to.equal(200);
      expect(first.body.phoneHint).to.equal(`*******${person.phone.slice(-3)}`);
      await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: first.body.flowToken, code: await lastCitizenOtp(app, person.phone) } });
      const done = await http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: first.body.flowToken, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD } });
      expect(done.status, JSON.stringify(done.body)).to.equal(201);
      expect(done.body.account).to.include({
        username: person.idNumber,
        fullName: 'Tao Thị Lan',
        phone: person.phone,
        socialInsuranceNumber: '0123456789',
        assuranceLevel: 'IAL2',
        verifiedBy: 'social_insurance',
      });
    });

    it('answers an unknown number and a wrong date of birth alike, and sends nothing', async () => {
      const person = newPerson();
      await app.socialInsurance.put('0987654321', { idNumber: person.idNumber, fullName: person.fullName, birthDate: person.birthDate, phone: person.phone });
      const wrongDate = await start('social-insurance', { socialInsuranceNumber: '0987654321', birthDate: '1990-04-13' });
      const unknown = await start('social-insurance', { socialInsuranceNumber: '0987654320', birthDate: person.birthDate });
      for (const res of [wrongDate, unknown]) {
        expect(res.status).to.equal(422);
        expect(res.body.error.code).to.equal('SOCIAL_INSURANCE_NOT_MATCHED');
      }
      expect(wrongDate.body.error.message).to.equal(unknown.body.error.message);
      expect(await smsCount(app, person.phone)).to.equal(0);
      const short = await start('social-insurance', { socialInsuranceNumber: '12345', birthDate: person.birthDate });
      expect(short.status).to.equal(400);
      expect(short.body.error.details.fields[0].problem).to.include('10 chữ số');
    });
  });

  describe('by digital-signature certificate', () => {
    async function challenge(purpose: 'register' | 'login') {
      const res = await http(app, 'POST', '/api/citizen/certificate/challenge', { body: { purpose } });
      expect(res.status, JSON.stringify(res.body)).to.equal(201);
      return res.body as { challengeId: string; challenge: string; expiresAt: string };
    }

    it('opens an IAL3 account from a signed challenge: identity from the certificate, the rest typed', async () => {
      const person = newPerson({ idNumber: '012090777001', fullName: 'Lù Văn Sáng' });
      const cert = await issueCitizenCertificate(app.pki, { idNumber: person.idNumber, fullName: person.fullName });
      const c = await challenge('register');
      expect(new Date(c.expiresAt).getTime() - app.clock.now().getTime()).to.equal(5 * 60_000);
      const signature = signChallengeCms(c.challenge, cert.certificatePem, cert.privateKeyPem);
      const body = { challengeId: c.challengeId, signature, birthDate: person.birthDate, phone: person.phone, email: 'sang@example.vn', password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD };

      // A birth date that contradicts the CCCD's digits is refused without using up the challenge.
      const wrongYear = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...body, birthDate: '1991-04-12' } });
      expect(wrongYear.status).to.equal(400);
      expect(wrongYear.body.error.details.fields[0].field).to.equal('birthDate');
      const weak = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...body, password: 'abc', passwordConfirm: 'abc' } });
      expect(weak.body.error.code).to.equal('PASSWORD_WEAK');

      const done = await http(app, 'POST', '/api/citizen/register/certificate', { body });
      expect(done.status, JSON.stringify(done.body)).to.equal(201);
      expect(done.body.account).to.include({ username: person.idNumber, fullName: 'Lù Văn Sáng', assuranceLevel: 'IAL3', verifiedBy: 'certificate', phone: person.phone });
      expect(done.body.account.certificateSubject).to.include('CCCD:012090777001');
      const rows: Array<{ certificate_fingerprint: string }> = await app.ctx.db.query('select certificate_fingerprint from citizen_accounts where username = $1', [person.idNumber]);
      expect(rows[0].certificate_fingerprint).to.match(/^[0-9a-f]{64}$/);

      // Single use: the same signature again is refused.
      const replay = await http(app, 'POST', '/api/citizen/register/certificate', { body });
      expect(replay.status).to.equal(401);
      expect(replay.body.error.code).to.equal('CHALLENGE_INVALID');

      // The challenge is never written into the audit trail.
      const audit: Array<{ details: unknown }> = await app.ctx.db.query(`select details from audit_log where action like 'citizen.%'`);
      for (const a of audit) expect(JSON.stringify(a.details)).to.not.include(c.challenge);
    });

    it('shows who the certificate names before the rest is typed, without using the signature up', async () => {
      const person = newPerson({ idNumber: '012090777003', fullName: 'Sùng Thị Dợ' });
      const cert = await issueCitizenCertificate(app.pki, { idNumber: person.idNumber, fullName: person.fullName });
      const c = await challenge('register');
      const signed = { challengeId: c.challengeId, signature: signChallengeCms(c.challenge, cert.certificatePem, cert.privateKeyPem) };
      const shown = await http(app, 'POST', '/api/citizen/certificate/identity', { body: signed });
      expect(shown.status, JSON.stringify(shown.body)).to.equal(200);
      expect(shown.body).to.deep.equal({
        idNumber: '012090777003',
        fullName: 'Sùng Thị Dợ',
        issuer: 'CA chứng thực điện tử nội bộ',
        validTo: new Date(new X509Certificate(cert.certificatePem).validTo).toISOString(),
        certificateSerial: cert.serial,
      });
      expect(await accountCount(app, person.idNumber)).to.equal(0);
      // The same signature then opens the account.
      const done = await http(app, 'POST', '/api/citizen/register/certificate', {
        body: { ...signed, birthDate: person.birthDate, phone: person.phone, email: 'do@example.vn', password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD },
      });
      expect(done.status, JSON.stringify(done.body)).to.equal(201);
      expect(done.body.account).to.include({ fullName: 'Sùng Thị Dợ', email: 'do@example.vn', verifiedBy: 'certificate' });

      // Already registered: said at once, before anything is typed.
      const again = await challenge('register');
      const exists = await http(app, 'POST', '/api/citizen/certificate/identity', { body: { challengeId: again.challengeId, signature: signChallengeCms(again.challenge, cert.certificatePem, cert.privateKeyPem) } });
      expect([exists.status, exists.body.error.code]).to.deep.equal([409, 'ACCOUNT_EXISTS']);
      // Only a registration challenge; a signature over other text uses the challenge up.
      const forLogin = await challenge('login');
      const wrongPurpose = await http(app, 'POST', '/api/citizen/certificate/identity', { body: { challengeId: forLogin.challengeId, signature: signChallengeCms(forLogin.challenge, cert.certificatePem, cert.privateKeyPem) } });
      expect(wrongPurpose.body.error.code).to.equal('CHALLENGE_INVALID');
      const other = await challenge('register');
      const forged = await http(app, 'POST', '/api/citizen/certificate/identity', { body: { challengeId: other.challengeId, signature: signChallengeCms(`${other.challenge}x`, cert.certificatePem, cert.privateKeyPem) } });
      expect(forged.body.error.code).to.equal('SIGNATURE_INVALID');
      const retried = await http(app, 'POST', '/api/citizen/certificate/identity', { body: { challengeId: other.challengeId, signature: signChallengeCms(other.challenge, cert.certificatePem, cert.privateKeyPem) } });
      expect(retried.body.error.code).to.equal('CHALLENGE_INVALID');

      const audit: Array<{ outcome: string; actor_name: string | null }> = await app.ctx.db.query(`select outcome, actor_name from audit_log where action = 'citizen.certificate.identity' order by seq`);
      expect(audit[0]).to.deep.equal({ outcome: 'success', actor_name: 'citizen:012090777003' });
      expect(audit).to.have.length(5);
    });

    it('issues challenges the local signer recognises, and tells the page where that signer listens', async () => {
      const c = await challenge('login');
      expect(parseChallenge(c.challenge)).to.deep.equal({ purpose: 'login', issuedAt: app.clock.now() });
      const where = await http(app, 'GET', '/api/citizen/certificate/signer');
      expect(where.body).to.deep.equal({ url: 'http://127.0.0.1:18765', protocol: 'chungthuc-local-signer', version: 1 });
      const before = app.ctx.citizen!;
      app.ctx.citizen = { ...before, signerUrl: 'http://localhost:24680' };
      try {
        expect((await http(app, 'GET', '/api/citizen/certificate/signer')).body.url).to.equal('http://localhost:24680');
      } finally {
        app.ctx.citizen = before;
      }
    });

    it('refuses an expired challenge, a challenge for login, an existing account and a certificate of another authority', async () => {
      const person = newPerson({ idNumber: '012090777002' });
      const cert = await issueCitizenCertificate(app.pki, { idNumber: person.idNumber, fullName: person.fullName });
      const base = { birthDate: person.birthDate, phone: person.phone, password: CITIZEN_PASSWORD, passwordConfirm: CITIZEN_PASSWORD };

      const old = await challenge('register');
      app.clock.advance(5 * 60_000 + 1);
      const expired = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...base, challengeId: old.challengeId, signature: signChallengeCms(old.challenge, cert.certificatePem, cert.privateKeyPem) } });
      expect(expired.body.error.code).to.equal('CHALLENGE_INVALID');

      const forLogin = await challenge('login');
      const wrongPurpose = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...base, challengeId: forLogin.challengeId, signature: signChallengeCms(forLogin.challenge, cert.certificatePem, cert.privateKeyPem) } });
      expect(wrongPurpose.body.error.code).to.equal('CHALLENGE_INVALID');

      // Signed over another text than the challenge.
      const c = await challenge('register');
      const forged = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...base, challengeId: c.challengeId, signature: signChallengeCms(`${c.challenge}x`, cert.certificatePem, cert.privateKeyPem) } });
      expect(forged.status).to.equal(401);
      expect(forged.body.error.code).to.equal('SIGNATURE_INVALID');

      // A certificate naming the same person, from an authority nobody configured.
      const stranger = selfSignedCitizenCertificate(person.idNumber, person.fullName);
      const c1 = await challenge('register');
      const untrusted = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...base, challengeId: c1.challengeId, signature: signChallengeCms(c1.challenge, stranger.certificatePem, stranger.privateKeyPem) } });
      expect(untrusted.status).to.equal(401);
      expect(untrusted.body.error.code).to.equal('CERTIFICATE_UNTRUSTED');
      expect(await accountCount(app, person.idNumber)).to.equal(0);

      await insertDeskAccount(app, person, 'Tam@1234');
      const c2 = await challenge('register');
      const exists = await http(app, 'POST', '/api/citizen/register/certificate', { body: { ...base, challengeId: c2.challengeId, signature: signChallengeCms(c2.challenge, cert.certificatePem, cert.privateKeyPem) } });
      expect(exists.status).to.equal(409);
      expect(exists.body.error.code).to.equal('ACCOUNT_EXISTS');
      const rows: Array<{ verified_by: string }> = await app.ctx.db.query('select verified_by from citizen_accounts where id_number = $1', [person.idNumber]);
      expect(rows).to.deep.equal([{ verified_by: 'desk' }]);
    });
  });
});
