/**
 * The second step of a login: the 6-digit code sent by SMS. A wrong code uses up one attempt;
 * after `otpMaxAttempts` wrong codes, or once the code has expired, the challenge is closed and
 * the officer logs in again. The right code turns the same row into a session with a new token,
 * so the challenge token never opens the API.
 */
import { parseInput } from '../errors';
import { hashToken, type Call, type Reply } from '../route';
import { invalidCredentials, otpExpired, otpInvalid } from './authErrors';
import { OtpBody } from './inputs';
import { loadOfficerView } from './officerView';
import { endSession, newToken, otpHash, sameHash } from './sessions';
import { updateReturning } from './updateReturning';

interface ChallengeRow {
  id: string;
  officer_id: string;
  otp_hash: string | null;
  otp_attempts: number;
  otp_expires_at: Date | null;
  ended_at: Date | null;
  full_name: string;
  status: 'active' | 'inactive';
}

export async function answerOtp(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  const { challengeToken, code } = parseInput(OtpBody, req.body);
  const rows: ChallengeRow[] = await ctx.db.query(
    `select s.id, s.officer_id, s.otp_hash, s.otp_attempts, s.otp_expires_at, s.ended_at, o.full_name, o.status
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
  const max = ctx.auth.otpMaxAttempts;
  const now = ctx.clock.now();

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
    audit.details = { reason: 'wrong-code', sessionId: challenge.id, attemptsLeft };
    throw otpInvalid(attemptsLeft);
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
  audit.details = { sessionId: challenge.id };
  return { body: { status: 'ok', token, expiresAt: expiresAt.toISOString(), officer: await loadOfficerView(ctx.db, challenge.officer_id) } };
}
