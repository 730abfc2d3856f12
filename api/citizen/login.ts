/**
 * Citizen login with the ID number (or tax code), the password and a captcha, then the code sent
 * by SMS to the account's phone (seed 001 part I.4, way 1). An unknown username, a disabled
 * account and a wrong password get the same 401 after the same argon2 work, and wrong passwords
 * in a row lock a username without an account just as they lock an account (423), so the
 * answers do not tell which usernames exist. Login requests are limited per username and per
 * client address (429). The flow token never opens the portal: the right code gives a new
 * session token.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../infra/passwords';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { loadProfile, recordFailedPassword, recordRightPassword } from './accounts';
import { startCitizenSession } from './citizenAuth';
import { accountLocked, invalidCredentials } from './citizenErrors';
import { FlowTokenBody, LoginBody, OtpAnswerBody } from './inputs';
import { answerCode, endFlow, resendCode, startFlow } from './otpFlows';
import { requireCaptcha } from './registration';
import { citizenConfigOf } from './services';
import { clientAddress, countFailure, limitRequests, lockedUntil } from '../auth/throttle';

/** Wrong passwords for a username without a usable account, counted like an account's. */
const NO_ACCOUNT = 'citizen-password-no-account';
/** An account's run of wrong passwords has no time limit; this one lasts a day. */
const NO_ACCOUNT_WINDOW_MS = 24 * 3_600_000;

interface LoginRow {
  id: string;
  username: string;
  phone: string;
  status: 'active' | 'disabled';
  password_hash: string | null;
  locked_until: Date | null;
}

let dummyHash: Promise<string> | undefined;
/** A hash no password matches, verified for unknown users so they cost as much as known ones. */
function unmatchableHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

export async function findAccountByUsername(call: Call, username: string): Promise<LoginRow | undefined> {
  const rows: LoginRow[] = await call.ctx.db.query(
    `select id, username, phone, status, password_hash, locked_until from citizen_accounts where username = $1`,
    [username],
  );
  return rows[0];
}

/** No usable account by this name: the same work, the same answers and the same lock as a wrong password. */
async function refuseWithoutAccount(call: Call, username: string, password: string, account: LoginRow | undefined): Promise<never> {
  const { ctx, audit } = call;
  const reason = !account ? 'unknown-user' : account.status !== 'active' ? 'disabled' : 'no-password';
  const now = ctx.clock.now();
  const locked = await lockedUntil(ctx, NO_ACCOUNT, username);
  if (locked) {
    audit.details = { method: 'password', reason, locked: true, lockedUntil: locked.toISOString() };
    throw accountLocked(locked, now);
  }
  await verifyPassword(account?.password_hash ?? (await unmatchableHash()), password);
  const c = citizenConfigOf(ctx);
  const outcome = await countFailure(ctx, NO_ACCOUNT, username, { limit: c.maxFailedLogins, windowMs: NO_ACCOUNT_WINDOW_MS, lockMs: c.lockoutMs });
  if (outcome.kind === 'counted') {
    audit.details = { method: 'password', reason };
    throw invalidCredentials();
  }
  audit.details = { method: 'password', reason, lockedUntil: outcome.until.toISOString(), ...(outcome.kind === 'locked-now' ? { lockout: true } : {}) };
  throw accountLocked(outcome.until, now);
}

export async function loginWithPassword(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  await limitRequests(call, 'citizen-login', 'address', clientAddress(call));
  const { username, password, captchaId, captcha } = parseInput(LoginBody, req.body);
  audit.actorName = `citizen:${username}`;
  audit.details = { method: 'password' };
  await limitRequests(call, 'citizen-login', 'account', username);
  await requireCaptcha(ctx, captchaId, captcha);
  const account = await findAccountByUsername(call, username);
  if (!account || account.status !== 'active' || !account.password_hash) return refuseWithoutAccount(call, username, password, account);
  audit.target = `citizen-account:${account.id}`;
  const now = ctx.clock.now();
  if (account.locked_until && account.locked_until > now) {
    audit.details = { method: 'password', reason: 'locked', lockedUntil: account.locked_until.toISOString() };
    throw accountLocked(account.locked_until, now);
  }
  if (!(await verifyPassword(account.password_hash, password))) {
    const outcome = await recordFailedPassword(ctx, account.id);
    if (outcome.kind === 'counted') {
      audit.details = { method: 'password', reason: 'wrong-password', failedLogins: outcome.failedLogins };
      throw invalidCredentials();
    }
    audit.details = { method: 'password', reason: outcome.kind === 'locked-now' ? 'wrong-password' : 'locked', lockedUntil: outcome.until.toISOString(), ...(outcome.kind === 'locked-now' ? { lockout: true } : {}) };
    throw accountLocked(outcome.until, now);
  }
  const cleared = await recordRightPassword(ctx, account.id);
  if (cleared.lockedUntil) {
    audit.details = { method: 'password', reason: 'locked', lockedUntil: cleared.lockedUntil.toISOString() };
    throw accountLocked(cleared.lockedUntil, now);
  }
  const { flowId, delivery: _delivery, ...sent } = await startFlow(ctx, { purpose: 'login', phone: account.phone, accountId: account.id, ip: req.ip ?? null });
  audit.details = { method: 'password', stage: 'otp', flowId };
  return { body: { status: 'otp_required', ...sent } };
}

export async function answerLoginCode(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  const { flowToken, code } = parseInput(OtpAnswerBody, req.body);
  const flow = await answerCode(call, 'login', flowToken, code, (details) => (audit.details = details));
  const accountId = flow.account_id!;
  await endFlow(ctx.db, flow.id, ctx.clock.now(), 'completed');
  const rows: Array<{ username: string; status: string }> = await ctx.db.query('select username, status from citizen_accounts where id = $1', [accountId]);
  audit.actorName = `citizen:${rows[0].username}`;
  audit.target = `citizen-account:${accountId}`;
  if (rows[0].status !== 'active') {
    audit.details = { flowId: flow.id, reason: 'disabled' };
    throw invalidCredentials();
  }
  const session = await startCitizenSession(ctx, accountId, 'password', req.ip ?? null);
  audit.details = { method: 'password', flowId: flow.id, sessionId: session.sessionId };
  const account = await loadProfile(ctx.db, accountId);
  return { body: { status: 'ok', token: session.token, expiresAt: session.expiresAt.toISOString(), mustChangePassword: account.mustChangePassword, account } };
}

export async function resendLoginCode(call: Call): Promise<Reply> {
  const { flowToken } = parseInput(FlowTokenBody, call.req.body);
  const { flowId, delivery: _delivery, ...answer } = await resendCode(call, 'login', flowToken);
  call.audit.details = { flowId };
  return { body: { status: 'otp_sent', ...answer } };
}
