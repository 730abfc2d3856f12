/**
 * The password step of a login. Unknown user, inactive user and wrong password get the same
 * answer after the same amount of work (an argon2 verification), and wrong passwords lock a
 * username that has no account just as they lock an account, so neither the answer nor the lock
 * tells which usernames exist. A locked account answers 423 with the time the lock ends. Login
 * requests are limited per username and per client address (429). While codes are required, the
 * right password leads to a code by SMS (challenge.ts), and an officer without a phone cannot
 * complete the login.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../infra/passwords';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { accountLocked, invalidCredentials, secondFactorMissing, smsNotSent } from './authErrors';
import { challengeFor } from './challenge';
import { LoginBody } from './inputs';
import { recordFailedPassword, recordRightPassword } from './lockout';
import { loadOfficerView } from './officerView';
import { endSession, otpSmsBody, phoneHint, startActiveSession } from './sessions';
import { clientAddress, countFailure, limitRequests, lockedUntil } from './throttle';

/** Wrong passwords for a username without a usable account, counted like an account's. */
const NO_ACCOUNT = 'officer-password-no-account';
/** An account's run of wrong passwords has no time limit; this one lasts a day. */
const NO_ACCOUNT_WINDOW_MS = 24 * 3_600_000;

interface LoginRow {
  id: string;
  full_name: string;
  phone: string | null;
  status: 'active' | 'inactive';
  password_hash: string;
  locked_until: Date | null;
}

let dummyHash: Promise<string> | undefined;
/** A hash no password matches, verified for unknown users so they cost as much as known ones. */
function unmatchableHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64'));
  return dummyHash;
}

/** No active account by this name: the same work, the same answers and the same lock as a wrong password. */
async function refuseWithoutAccount(call: Call, username: string, password: string, officer: LoginRow | undefined): Promise<never> {
  const { ctx, audit } = call;
  const reason = officer ? 'inactive' : 'unknown-user';
  const now = ctx.clock.now();
  const locked = await lockedUntil(ctx, NO_ACCOUNT, username);
  if (locked) {
    audit.details = { reason, username, locked: true, lockedUntil: locked.toISOString() };
    throw accountLocked(locked, now);
  }
  await verifyPassword(officer?.password_hash ?? (await unmatchableHash()), password);
  const outcome = await countFailure(ctx, NO_ACCOUNT, username, { limit: ctx.auth.maxFailedLogins, windowMs: NO_ACCOUNT_WINDOW_MS, lockMs: ctx.auth.lockoutMs });
  if (outcome.kind === 'counted') {
    audit.details = { reason, username };
    throw invalidCredentials();
  }
  audit.details = { reason, username, lockedUntil: outcome.until.toISOString(), ...(outcome.kind === 'locked-now' ? { lockout: true } : {}) };
  throw accountLocked(outcome.until, now);
}

export async function login(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  await limitRequests(call, 'officer-login', 'address', clientAddress(call));
  const { username, password } = parseInput(LoginBody, req.body);
  audit.details = { username };
  await limitRequests(call, 'officer-login', 'account', username);
  const rows: LoginRow[] = await ctx.db.query(
    'select id, full_name, phone, status, password_hash, locked_until from officers where username = $1',
    [username],
  );
  const officer = rows[0];
  if (officer) {
    audit.actorId = officer.id;
    audit.actorName = officer.full_name;
    audit.target = `officer:${officer.id}`;
  }
  if (!officer || officer.status !== 'active') return refuseWithoutAccount(call, username, password, officer);

  const now = ctx.clock.now();
  if (officer.locked_until && officer.locked_until > now) {
    audit.details = { reason: 'locked', username, lockedUntil: officer.locked_until.toISOString() };
    throw accountLocked(officer.locked_until, now);
  }
  if (!(await verifyPassword(officer.password_hash, password))) {
    const outcome = await recordFailedPassword(ctx, officer.id);
    if (outcome.kind === 'counted') {
      audit.details = { reason: 'wrong-password', username, failedLogins: outcome.failedLogins };
      throw invalidCredentials();
    }
    audit.details = {
      reason: outcome.kind === 'locked-now' ? 'wrong-password' : 'locked',
      username,
      lockedUntil: outcome.until.toISOString(),
      ...(outcome.kind === 'locked-now' ? { lockout: true } : {}),
    };
    throw accountLocked(outcome.until, now);
  }
  const cleared = await recordRightPassword(ctx, officer.id);
  if (cleared.lockedUntil) {
    audit.details = { reason: 'locked', username, lockedUntil: cleared.lockedUntil.toISOString() };
    throw accountLocked(cleared.lockedUntil, now);
  }

  const ip = req.ip ?? null;
  if (ctx.auth.otpRequired) {
    // A password alone never opens a session while codes are required.
    if (!officer.phone) {
      audit.details = { reason: 'no-phone', username };
      throw secondFactorMissing();
    }
    const challenge = await challengeFor(ctx, officer.id, ip);
    audit.details = { stage: 'otp', username, sessionId: challenge.sessionId, ...(challenge.kind === 'reused' ? { codeReused: true } : {}) };
    if (challenge.kind === 'new') {
      try {
        await ctx.sms.send(officer.phone, otpSmsBody(challenge.code, ctx.auth.otpTtlMs), 'login-otp', { secrets: [challenge.code] });
      } catch (err) {
        // A challenge whose code never left cannot be answered: close it rather than leave it open.
        await endSession(ctx, challenge.sessionId);
        throw Object.assign(smsNotSent(), { cause: err });
      }
    }
    return {
      body: {
        status: 'otp_required',
        challengeToken: challenge.challengeToken,
        phoneHint: phoneHint(officer.phone),
        expiresAt: challenge.expiresAt.toISOString(),
        codeSentAt: challenge.sentAt.toISOString(),
        codeReused: challenge.kind === 'reused',
      },
    };
  }
  const session = await startActiveSession(ctx, officer.id, ip);
  audit.details = { stage: 'active', username, sessionId: session.sessionId };
  return {
    body: { status: 'ok', token: session.token, expiresAt: session.expiresAt.toISOString(), officer: await loadOfficerView(ctx.db, officer.id) },
  };
}
