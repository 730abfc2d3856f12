/**
 * The API for citizen-portal tests: the identity test app (fresh database, a clock the test
 * moves, the local SMS outbox) plus captchas whose answer is known, a certificate authority for
 * citizens' certificates, a files directory for delivered copies, and helpers that register and
 * log citizens in through HTTP as a browser would.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CaptchaService } from '../../infra/captcha/captcha';
import { FileStore } from '../../infra/fileStore';
import { hashPassword } from '../../infra/passwords';
import { Pki } from '../../infra/pki/pki';
import { LocalSocialInsuranceRegistry } from '../../infra/socialInsurance/socialInsuranceRegistry';
import { DEFAULT_CITIZEN_CONFIG, type CitizenConfig } from '../../api/context';
import { TEST_MASTER_KEY } from './certificationServices';
import { http, startTestApp, type HttpResult, type TestApp } from './identityApp';

/** Every captcha of these tests reads this; the answer is case-insensitive. */
export const CAPTCHA_ANSWER = 'ABC234';
export const CITIZEN_PASSWORD = 'Matkhau@2026';

export interface CitizenTestApp extends TestApp {
  filesDir: string;
  pki: Pki;
  socialInsurance: LocalSocialInsuranceRegistry;
}

export async function startCitizenTestApp(citizen: Partial<CitizenConfig> = {}): Promise<CitizenTestApp> {
  const app = await startTestApp();
  const filesDir = mkdtempSync(join(tmpdir(), 'citizen-files-'));
  const pki = new Pki(app.ctx.db, { masterKey: TEST_MASTER_KEY, now: () => app.clock.now().getTime() });
  const socialInsurance = new LocalSocialInsuranceRegistry(app.ctx.db);
  app.ctx.captcha = new CaptchaService(app.ctx.db, app.clock, { text: () => CAPTCHA_ANSWER });
  app.ctx.citizen = { ...DEFAULT_CITIZEN_CONFIG, ...citizen };
  app.ctx.pki = pki;
  app.ctx.socialInsurance = socialInsurance;
  app.ctx.files = new FileStore(app.ctx.db, app.clock, { dir: filesDir, maxBytes: 1024 * 1024 });
  const close = app.close;
  return {
    ...app,
    filesDir,
    pki,
    socialInsurance,
    close: async () => {
      await close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/** A fresh captcha and its answer, as the form sends them. */
export async function captcha(app: TestApp, answer = CAPTCHA_ANSWER): Promise<{ captchaId: string; captcha: string }> {
  const res = await http(app, 'GET', '/api/citizen/captcha');
  if (res.status !== 200) throw new Error(`captcha: ${res.status} ${JSON.stringify(res.body)}`);
  return { captchaId: res.body.captchaId as string, captcha: answer };
}

/** The newest code sent by SMS to `phone` (the local outbox stands in for the citizen's phone). */
export async function lastCitizenOtp(app: TestApp, phone: string): Promise<string> {
  const rows: Array<{ body: string }> = await app.ctx.db.query(`select body from sms_outbox where to_phone = $1 order by seq desc limit 1`, [phone]);
  const m = /\b(\d{6})\b/.exec(rows[0]?.body ?? '');
  if (!m) throw new Error(`no code was sent to ${phone}`);
  return m[1];
}

export async function smsCount(app: TestApp, phone: string): Promise<number> {
  const rows: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from sms_outbox where to_phone = $1`, [phone]);
  return rows[0].n;
}

export async function accountCount(app: TestApp, username?: string): Promise<number> {
  const rows: Array<{ n: number }> = username
    ? await app.ctx.db.query(`select count(*)::int as n from citizen_accounts where username = $1`, [username])
    : await app.ctx.db.query(`select count(*)::int as n from citizen_accounts`);
  return rows[0].n;
}

export interface Person {
  idNumber: string;
  fullName: string;
  birthDate: string;
  phone: string;
  email?: string;
}

let serial = 0;
/** A person with a valid CCCD (Lai Châu, male, born 1990) and a Viettel mobile, unique per call. */
export function newPerson(overrides: Partial<Person> = {}): Person {
  const n = ++serial;
  return {
    idNumber: `012090${String(100000 + n).slice(-6)}`,
    fullName: 'Lò Văn Minh',
    birthDate: '1990-04-12',
    phone: `0386${String(100000 + n).padStart(6, '0')}`,
    ...overrides,
  };
}

/** Registers a citizen by mobile subscriber through every step; answers the account. */
export async function registerByMobile(app: TestApp, person: Person, password = CITIZEN_PASSWORD): Promise<HttpResult> {
  const start = await http(app, 'POST', '/api/citizen/register/mobile', { body: { ...person, ...(await captcha(app)) } });
  if (start.status !== 200) throw new Error(`register: ${start.status} ${JSON.stringify(start.body)}`);
  const code = await lastCitizenOtp(app, person.phone);
  const otp = await http(app, 'POST', '/api/citizen/register/otp', { body: { flowToken: start.body.flowToken, code } });
  if (otp.status !== 200) throw new Error(`register otp: ${otp.status} ${JSON.stringify(otp.body)}`);
  return http(app, 'POST', '/api/citizen/register/complete', { body: { flowToken: start.body.flowToken, password, passwordConfirm: password } });
}

/** Logs a citizen in with password, captcha and the SMS code; answers the session token. */
export async function loginCitizen(app: TestApp, username: string, password = CITIZEN_PASSWORD): Promise<string> {
  const first = await http(app, 'POST', '/api/citizen/login', { body: { username, password, ...(await captcha(app)) } });
  if (first.status !== 200) throw new Error(`login ${username}: ${first.status} ${JSON.stringify(first.body)}`);
  const rows: Array<{ phone: string }> = await app.ctx.db.query('select phone from citizen_accounts where username = $1', [username]);
  const code = await lastCitizenOtp(app, rows[0].phone);
  const second = await http(app, 'POST', '/api/citizen/login/otp', { body: { flowToken: first.body.flowToken, code } });
  if (second.status !== 200) throw new Error(`login otp ${username}: ${second.status} ${JSON.stringify(second.body)}`);
  return second.body.token as string;
}

/** An account as the one-stop desk leaves it: verified at the desk, a temporary password that must be changed. */
export async function insertDeskAccount(app: TestApp, person: Person, temporaryPassword: string): Promise<string> {
  const rows: Array<{ id: string }> = await app.ctx.db.query(
    `insert into citizen_accounts (kind, username, id_number, full_name, full_name_search, birth_date, phone, email, assurance_level, verified_by,
       password_hash, must_change_password, created_at, created_unit_id)
     values ('citizen', $1, $1, $2, lower($2), $3, $4, $5, 'IAL2', 'desk', $6, true, $7, $8) returning id`,
    [person.idNumber, person.fullName, person.birthDate, person.phone, person.email ?? null, await hashPassword(temporaryPassword), app.clock.now(), app.org.deskA],
  );
  return rows[0].id;
}
