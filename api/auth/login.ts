/**
 * The password step of a login. Unknown user, inactive user and wrong password get the same
 * answer after the same amount of work (an argon2 verification), so the answer does not tell
 * which usernames exist. A locked account answers 423 with the time the lock ends.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword, verifyPassword } from '../../infra/passwords';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { accountLocked, invalidCredentials, smsNotSent } from './authErrors';
import { LoginBody } from './inputs';
import { recordFailedPassword, recordRightPassword } from './lockout';
import { loadOfficerView } from './officerView';
import { endSession, otpSmsBody, phoneHint, startActiveSession, startOtpChallenge } from './sessions';

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

export async function login(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  const { username, password } = parseInput(LoginBody, req.body);
  const rows: LoginRow[] = await ctx.db.query(
    'select id, full_name, phone, status, password_hash, locked_until from officers where username = $1',
    [username],
  );
  const officer = rows[0];
  if (!officer) {
    await verifyPassword(await unmatchableHash(), password);
    audit.details = { reason: 'unknown-user', username };
    throw invalidCredentials();
  }
  audit.actorId = officer.id;
  audit.actorName = officer.full_name;
  audit.target = `officer:${officer.id}`;

  if (officer.status !== 'active') {
    await verifyPassword(officer.password_hash, password);
    audit.details = { reason: 'inactive', username };
    throw invalidCredentials();
  }
  if (officer.locked_until && officer.locked_until > ctx.clock.now()) {
    audit.details = { reason: 'locked', username, lockedUntil: officer.locked_until.toISOString() };
    throw accountLocked(officer.locked_until);
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
    throw accountLocked(outcome.until);
  }
  const cleared = await recordRightPassword(ctx, officer.id);
  if (cleared.lockedUntil) {
    audit.details = { reason: 'locked', username, lockedUntil: cleared.lockedUntil.toISOString() };
    throw accountLocked(cleared.lockedUntil);
  }

  const ip = req.ip ?? null;
  if (ctx.auth.otpRequired && officer.phone) {
    const challenge = await startOtpChallenge(ctx, officer.id, ip);
    audit.details = { stage: 'otp', username, sessionId: challenge.sessionId };
    try {
      await ctx.sms.send(officer.phone, otpSmsBody(challenge.code, ctx.auth.otpTtlMs), 'login-otp', { secrets: [challenge.code] });
    } catch (err) {
      // A challenge whose code never left cannot be answered: close it rather than leave it open.
      await endSession(ctx, challenge.sessionId);
      throw Object.assign(smsNotSent(), { cause: err });
    }
    return {
      body: {
        status: 'otp_required',
        challengeToken: challenge.challengeToken,
        phoneHint: phoneHint(officer.phone),
        expiresAt: challenge.expiresAt.toISOString(),
      },
    };
  }
  const session = await startActiveSession(ctx, officer.id, ip);
  audit.details = { stage: 'active', username, sessionId: session.sessionId };
  return {
    body: { status: 'ok', token: session.token, expiresAt: session.expiresAt.toISOString(), officer: await loadOfficerView(ctx.db, officer.id) },
  };
}
