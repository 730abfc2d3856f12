/**
 * Sessions and login challenges. A bearer token is 32 random bytes; only its SHA-256 is stored,
 * so a copy of the database opens no session. An OTP challenge is a session row in stage 'otp'
 * whose token only the /api/auth/otp endpoint accepts; the code itself is stored hashed with the
 * session id as salt.
 */
import { createHash, randomBytes, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { AppContext } from '../context';
import { hashToken } from '../route';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function otpHash(sessionId: string, code: string): string {
  return createHash('sha256').update(`${sessionId}:${code}`).digest('hex');
}

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** "*******789": enough for the officer to recognise the phone, not enough to learn it. */
export function phoneHint(phone: string): string {
  const visible = Math.min(3, phone.length);
  return '*'.repeat(phone.length - visible) + phone.slice(phone.length - visible);
}

export function otpSmsBody(code: string, ttlMs: number): string {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000));
  return `Mã OTP đăng nhập hệ thống chứng thực: ${code}. Mã có hiệu lực ${minutes} phút.`;
}

export interface IssuedSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
}

export async function startActiveSession(ctx: AppContext, officerId: string, ip: string | null): Promise<IssuedSession> {
  const token = newToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.auth.sessionTtlMs);
  const rows: Array<{ id: string }> = await ctx.db.query(
    `insert into sessions (token_hash, officer_id, stage, created_at, expires_at, ip) values ($1, $2, 'active', $3, $4, $5) returning id`,
    [hashToken(token), officerId, now, expiresAt, ip],
  );
  return { sessionId: rows[0].id, token, expiresAt };
}

export interface IssuedChallenge {
  sessionId: string;
  challengeToken: string;
  code: string;
  expiresAt: Date;
}

/** The row lives only as long as its code; turning it into a session sets a new lifetime. `db`: the caller's transaction. */
export async function startOtpChallenge(ctx: AppContext, officerId: string, ip: string | null, db: Pick<EntityManager, 'query'> = ctx.db): Promise<IssuedChallenge> {
  const sessionId = randomUUID();
  const challengeToken = newToken();
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ctx.auth.otpTtlMs);
  await db.query(
    `insert into sessions (id, token_hash, officer_id, stage, otp_hash, otp_attempts, otp_expires_at, created_at, expires_at, ip)
     values ($1, $2, $3, 'otp', $4, 0, $5, $6, $5, $7)`,
    [sessionId, hashToken(challengeToken), officerId, otpHash(sessionId, code), expiresAt, now, ip],
  );
  return { sessionId, challengeToken, code, expiresAt };
}

export async function endSession(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.query('update sessions set ended_at = $2 where id = $1 and ended_at is null', [sessionId, ctx.clock.now()]);
}
