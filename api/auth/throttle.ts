/**
 * Counters of the login and code routes, kept in PostgreSQL (`auth_throttles`) so that several
 * API processes count together. A counter is a fixed window opened by its first hit: `hits`
 * since `window_start`, reset once the window has passed. Every count is one INSERT … ON
 * CONFLICT statement, so parallel requests cannot slip past a limit. Times come from the
 * injectable clock.
 *
 * Two uses: request rates (per account and per client address; beyond the limit, 429 with
 * Retry-After and the time to try again), and wrong answers counted across challenges (wrong
 * codes, wrong passwords for a username without an account), which lock their subject.
 */
import type { AppContext } from '../context';
import { ApiError } from '../errors';
import type { Call } from '../route';
import { localMomentVi } from './authErrors';
import { updateReturning } from './updateReturning';

const DAY_MS = 24 * 3_600_000;

export interface Count {
  hits: number;
  /** When the window of this count ends. */
  resetAt: Date;
}

/** Rows whose window ended long ago and that hold no lock are dropped, a few at each count. */
async function pruneStale(ctx: AppContext, now: Date, windowMs: number): Promise<void> {
  await ctx.db.query(
    `delete from auth_throttles where (bucket, key) in (
       select bucket, key from auth_throttles where window_start < $1 and (locked_until is null or locked_until < $2) limit 50)`,
    [new Date(now.getTime() - Math.max(DAY_MS, windowMs)), now],
  );
}

/** One more hit on (bucket, key) within a window of `windowMs` opened by its first hit. */
export async function countHit(ctx: AppContext, bucket: string, key: string, windowMs: number): Promise<Count> {
  const now = ctx.clock.now();
  await pruneStale(ctx, now, windowMs);
  const rows: Array<{ window_start: Date; hits: number }> = await ctx.db.query(
    `insert into auth_throttles as t (bucket, key, window_start, hits) values ($1, $2, $3, 1)
     on conflict (bucket, key) do update set
       window_start = case when t.window_start <= $4 then excluded.window_start else t.window_start end,
       hits = case when t.window_start <= $4 then 1 else t.hits + 1 end
     returning window_start, hits`,
    [bucket, key, now, new Date(now.getTime() - windowMs)],
  );
  return { hits: rows[0].hits, resetAt: new Date(rows[0].window_start.getTime() + windowMs) };
}

/** Forgets a counter (a right answer ends the run of wrong ones); a lock it holds stays. */
export async function clearCount(ctx: AppContext, bucket: string, key: string): Promise<void> {
  await ctx.db.query(`update auth_throttles set hits = 0, window_start = $3 where bucket = $1 and key = $2`, [bucket, key, ctx.clock.now()]);
}

/** The end of the lock (bucket, key) holds now, if any. */
export async function lockedUntil(ctx: AppContext, bucket: string, key: string): Promise<Date | undefined> {
  const rows: Array<{ locked_until: Date }> = await ctx.db.query(
    `select locked_until from auth_throttles where bucket = $1 and key = $2 and locked_until > $3`,
    [bucket, key, ctx.clock.now()],
  );
  return rows[0]?.locked_until;
}

export type FailureOutcome =
  | { kind: 'counted'; failures: number }
  /** This failure reached the limit: the subject is locked from now on, and its count starts again. */
  | { kind: 'locked-now'; until: Date }
  /** A parallel failure reached the limit first. */
  | { kind: 'already-locked'; until: Date };

/**
 * One more wrong answer of a subject; the one that reaches `limit` within the window locks the
 * subject for `lockMs` (on the counter's row, unless `lock` puts the lock elsewhere, e.g. on the
 * officer's account) and starts the count again.
 */
export async function countFailure(
  ctx: AppContext,
  bucket: string,
  key: string,
  rule: { limit: number; windowMs: number; lockMs: number },
): Promise<FailureOutcome> {
  const counted = await countHit(ctx, bucket, key, rule.windowMs);
  if (counted.hits < rule.limit) return { kind: 'counted', failures: counted.hits };
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + rule.lockMs);
  const locked = await updateReturning<{ locked_until: Date }>(
    ctx.db,
    `update auth_throttles set hits = 0, window_start = $3, locked_until = $4 where bucket = $1 and key = $2 and hits >= $5 returning locked_until`,
    [bucket, key, now, until, rule.limit],
  );
  if (locked[0]) return { kind: 'locked-now', until: locked[0].locked_until };
  return { kind: 'already-locked', until: (await lockedUntil(ctx, bucket, key)) ?? until };
}

/** Whole minutes, at least one. */
function minutesUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 60_000));
}

export function retryAfterSeconds(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}

export const tooManyAttempts = (retryAt: Date, now: Date) =>
  Object.assign(
    new ApiError(
      429,
      'TOO_MANY_ATTEMPTS',
      `Bạn đã thử quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau ${localMomentVi(retryAt)} (khoảng ${minutesUntil(retryAt, now)} phút nữa).`,
      `Too many attempts; try again after ${retryAt.toISOString()}.`,
      { retryAt: retryAt.toISOString(), retryAfterSeconds: retryAfterSeconds(retryAt, now) },
    ),
    { headers: { 'Retry-After': String(retryAfterSeconds(retryAt, now)) } },
  );

/** The client's address as the API sees it (behind a local reverse proxy, the forwarded one). */
export function clientAddress(call: Call): string {
  return call.req.ip ?? 'unknown';
}

/**
 * Counts a request of a login or code route against its limit — per client address, or per
 * account (the username as typed, whether or not it exists) — and refuses it beyond.
 */
export async function limitRequests(call: Call, bucket: string, by: 'address' | 'account', key: string): Promise<void> {
  const { ctx } = call;
  const limit = by === 'address' ? ctx.auth.ratePerAddress : ctx.auth.ratePerAccount;
  const counted = await countHit(ctx, `${bucket}:${by}`, key, ctx.auth.rateWindowMs);
  if (counted.hits <= limit) return;
  call.audit.details = { ...call.audit.details, reason: 'rate-limited', limitedBy: by, retryAt: counted.resetAt.toISOString() };
  throw tooManyAttempts(counted.resetAt, ctx.clock.now());
}
