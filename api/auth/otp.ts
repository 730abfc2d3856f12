/**
 * The second step of a login: the 6-digit code sent by SMS. A wrong code uses up one attempt of
 * the challenge; after `otpMaxAttempts` wrong codes, or once the code has expired, the challenge
 * is closed and the officer logs in again. Wrong codes are also counted per officer across his
 * challenges: `otpMaxFailures` within `otpFailureWindowMs` lock the account as wrong passwords
 * do, end his challenges and tell him by SMS (whoever typed them knew the password). The right
 * code turns the same row into a session with a new token, so the challenge token never opens
 * the API. Requests are limited per officer and per client address.
 */
import { parseInput } from '../errors';
import { hashToken, type Call, type Reply } from '../route';
import type { AppContext } from '../context';
import { accountLocked, invalidCredentials, lockedByWrongCodes, lockNoticeSms, otpExpired, otpInvalid } from './authErrors';
import { OtpBody } from './inputs';
import { loadOfficerView } from './officerView';
import { endSession, newToken, otpHash, sameHash } from './sessions';
import { clearCount, clientAddress, countFailure, limitRequests } from './throttle';
import { updateReturning } from './updateReturning';

/** Wrong codes of one officer across his challenges. */
const WRONG_CODES = 'officer-otp-failures';

interface ChallengeRow {
  id: string;
  officer_id: string;
  otp_hash: string | null;
  otp_attempts: number;
  otp_expires_at: Date | null;
  ended_at: Date | null;
  full_name: string;
  username: string;
  phone: string | null;
  status: 'active' | 'inactive';
  locked_until: Date | null;
}

/**
 * The wrong code that reaches the officer's limit: the account locks (the lock logins check), his
 * open challenges end and he is told by SMS; a notice that cannot be sent does not change the answer.
 */
async function lockAfterWrongCodes(ctx: AppContext, challenge: ChallengeRow, until: Date): Promise<boolean> {
  const now = ctx.clock.now();
  await ctx.db.query(
    `update officers set locked_until = greatest(coalesce(locked_until, $2), $2), failed_logins = 0 where id = $1`,
    [challenge.officer_id, until],
  );
  await ctx.db.query(`update sessions set ended_at = $2 where officer_id = $1 and stage = 'otp' and ended_at is null`, [challenge.officer_id, now]);
  if (!challenge.phone) return false;
  try {
    await ctx.sms.send(challenge.phone, lockNoticeSms(challenge.username, until), 'login-locked');
    return true;
  } catch (err) {
    console.error('the SMS telling an officer his account is locked could not be sent', err);
    return false;
  }
}

export async function answerOtp(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  await limitRequests(call, 'officer-otp', 'address', clientAddress(call));
  const { challengeToken, code } = parseInput(OtpBody, req.body);
  const rows: ChallengeRow[] = await ctx.db.query(
    `select s.id, s.officer_id, s.otp_hash, s.otp_attempts, s.otp_expires_at, s.ended_at, o.full_name, o.username, o.phone, o.status, o.locked_until
     from sessions s join officers o on o.id = s.officer_id
     where s.token_hash = $1 and s.stage = 'otp'`,
    [hashToken(challengeToken)],
  );
  const challenge = rows[0];
  if (!challenge) {
    audit.details = { reason: 'unknown-challenge' };
    throw otpExpired();
  }
  audit.actorId = challenge.officer_id;
  audit.actorName = challenge.full_name;
  audit.target = `officer:${challenge.officer_id}`;
  await limitRequests(call, 'officer-otp', 'account', challenge.officer_id);
  const max = ctx.auth.otpMaxAttempts;
  const now = ctx.clock.now();

  // Locked meanwhile (wrong passwords, or wrong codes of another challenge): this one is over too.
  if (challenge.locked_until && challenge.locked_until > now) {
    await endSession(ctx, challenge.id);
    audit.details = { reason: 'locked', sessionId: challenge.id, lockedUntil: challenge.locked_until.toISOString() };
    throw accountLocked(challenge.locked_until, now);
  }

  const exhausted = challenge.otp_attempts >= max;
  const expired = !challenge.otp_expires_at || challenge.otp_expires_at <= now;
  if (challenge.ended_at || exhausted || expired) {
    await endSession(ctx, challenge.id);
    audit.details = { reason: exhausted ? 'attempts-exhausted' : expired ? 'expired' : 'closed', sessionId: challenge.id };
    throw otpExpired();
  }

  if (!challenge.otp_hash || !sameHash(otpHash(challenge.id, code), challenge.otp_hash)) {
    // Counted in one conditional UPDATE: parallel guesses cannot exceed the limit.
    const counted = await updateReturning<{ otp_attempts: number }>(
      ctx.db,
      `update sessions set otp_attempts = otp_attempts + 1, ended_at = case when otp_attempts + 1 >= $2 then $3::timestamptz end
       where id = $1 and stage = 'otp' and ended_at is null and otp_attempts < $2 and otp_expires_at > $3
       returning otp_attempts`,
      [challenge.id, max, now],
    );
    if (!counted[0]) {
      audit.details = { reason: 'attempts-exhausted', sessionId: challenge.id };
      throw otpExpired();
    }
    const attemptsLeft = Math.max(0, max - counted[0].otp_attempts);
    const a = ctx.auth;
    const overall = await countFailure(ctx, WRONG_CODES, challenge.officer_id, { limit: a.otpMaxFailures, windowMs: a.otpFailureWindowMs, lockMs: a.lockoutMs });
    if (overall.kind === 'counted') {
      audit.details = { reason: 'wrong-code', sessionId: challenge.id, attemptsLeft, wrongCodes: overall.failures };
      throw otpInvalid(attemptsLeft);
    }
    const noticeSent = overall.kind === 'locked-now' ? await lockAfterWrongCodes(ctx, challenge, overall.until) : undefined;
    audit.details = { reason: 'wrong-code', sessionId: challenge.id, lockedUntil: overall.until.toISOString(), ...(overall.kind === 'locked-now' ? { lockout: true, noticeSent } : {}) };
    throw overall.kind === 'locked-now' ? lockedByWrongCodes(overall.until, now, noticeSent === true) : accountLocked(overall.until, now);
  }

  if (challenge.status !== 'active') {
    await endSession(ctx, challenge.id);
    audit.details = { reason: 'inactive', sessionId: challenge.id };
    throw invalidCredentials();
  }

  const token = newToken();
  const expiresAt = new Date(now.getTime() + ctx.auth.sessionTtlMs);
  const activated = await updateReturning<{ id: string }>(
    ctx.db,
    `update sessions set stage = 'active', token_hash = $2, otp_hash = null, expires_at = $3
     where id = $1 and stage = 'otp' and ended_at is null and otp_attempts < $4 and otp_expires_at > $5
     returning id`,
    [challenge.id, hashToken(token), expiresAt, max, now],
  );
  if (!activated[0]) {
    // Answered twice at once: the other request won (or the code just expired).
    audit.details = { reason: 'already-used', sessionId: challenge.id };
    throw otpExpired();
  }
  await clearCount(ctx, WRONG_CODES, challenge.officer_id);
  audit.details = { sessionId: challenge.id };
  return { body: { status: 'ok', token, expiresAt: expiresAt.toISOString(), officer: await loadOfficerView(ctx.db, challenge.officer_id) } };
}
