/**
 * Which login challenge a right password gets. An officer has at most one live challenge: a new
 * login within `otpReuseMs` of the last code answers with that challenge (under a new token, so
 * only the latest login can answer it; its wrong codes stay counted) and sends nothing; a later
 * login ends it and sends a new code, at most `otpSmsPerHour` codes an hour. The officer's row is
 * locked meanwhile, so parallel logins cannot together send more.
 */
import { hashToken } from '../route';
import type { AppContext } from '../context';
import { otpSmsLimit } from './authErrors';
import { newToken, startOtpChallenge } from './sessions';

const HOUR_MS = 3_600_000;

export type Challenge =
  | { kind: 'new'; sessionId: string; challengeToken: string; code: string; expiresAt: Date; sentAt: Date }
  | { kind: 'reused'; sessionId: string; challengeToken: string; expiresAt: Date; sentAt: Date };

export async function challengeFor(ctx: AppContext, officerId: string, ip: string | null): Promise<Challenge> {
  const { auth } = ctx;
  const now = ctx.clock.now();
  return ctx.db.transaction(async (m) => {
    await m.query('select id from officers where id = $1 for update', [officerId]);
    const live: Array<{ id: string; created_at: Date; otp_expires_at: Date }> = await m.query(
      `select id, created_at, otp_expires_at from sessions
       where officer_id = $1 and stage = 'otp' and ended_at is null and otp_expires_at > $2 and otp_attempts < $3
       order by created_at desc limit 1`,
      [officerId, now, auth.otpMaxAttempts],
    );
    const last = live[0];
    if (last && last.created_at.getTime() > now.getTime() - auth.otpReuseMs) {
      const challengeToken = newToken();
      await m.query('update sessions set token_hash = $2 where id = $1', [last.id, hashToken(challengeToken)]);
      return { kind: 'reused', sessionId: last.id, challengeToken, expiresAt: last.otp_expires_at, sentAt: last.created_at };
    }
    // Every challenge sent one code; those that became sessions keep their otp_expires_at.
    const sent: Array<{ created_at: Date }> = await m.query(
      `select created_at from sessions where officer_id = $1 and otp_expires_at is not null and created_at > $2 order by created_at`,
      [officerId, new Date(now.getTime() - HOUR_MS)],
    );
    if (sent.length >= auth.otpSmsPerHour) {
      const freedAt = new Date(sent[sent.length - auth.otpSmsPerHour].created_at.getTime() + HOUR_MS);
      throw otpSmsLimit(auth.otpSmsPerHour, freedAt, now);
    }
    // Only the newest code is valid: earlier challenges end.
    await m.query(`update sessions set ended_at = $2 where officer_id = $1 and stage = 'otp' and ended_at is null`, [officerId, now]);
    const issued = await startOtpChallenge(ctx, officerId, ip, m);
    return { kind: 'new', ...issued, sentAt: now };
  });
}
