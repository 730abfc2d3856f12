/**
 * Idempotency keys on state-changing calls, so a double click or a retried request never acts
 * twice. The client sends `Idempotency-Key: <1–200 printable characters>`, a fresh value per
 * intended action. The first request with a key claims it (a row with no answer yet), runs, and
 * stores its status and body; a later request with the same key and the same method, path and
 * body gets the stored answer back (header `Idempotent-Replayed: true`) without running again.
 * The same key with another request is refused (422); a duplicate arriving while the first is
 * still running is told to wait (409). Server errors (5xx) are not stored: the key is released
 * so a retry may run. Keys belong to the officer who sent them and live 24 hours.
 */
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import { canonicalJson, type AlongsideWrite } from './audit/auditLog';
import type { AppContext } from './context';
import { ApiError } from './errors';
import type { Reply } from './route';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
export const KEY_TTL_MS = 24 * 3_600_000;
/**
 * A claim still unanswered after this long belongs to a request that never finished (the server
 * stopped between acting and storing the answer); the key may then be taken over. Node answers
 * or drops a request long before (its request timeout is 5 minutes).
 */
export const STALE_CLAIM_MS = 10 * 60_000;

const KEY_PATTERN = /^[\x20-\x7e]{1,200}$/;

/** The key a request carries, checked; undefined when it has none and none is required. */
export function readIdempotencyKey(req: Request, required: boolean): string | undefined {
  const raw = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (raw === undefined) {
    if (!required) return undefined;
    throw new ApiError(
      400,
      'IDEMPOTENCY_KEY_REQUIRED',
      `Thao tác này cần khóa chống gửi trùng: gửi kèm tiêu đề ${IDEMPOTENCY_KEY_HEADER} (một mã ngẫu nhiên như UUID, tạo mới cho mỗi thao tác).`,
      `This call needs an ${IDEMPOTENCY_KEY_HEADER} header: a random value such as a UUID, new for each intended action.`,
    );
  }
  const key = Array.isArray(raw) ? raw.join(', ') : raw;
  if (!KEY_PATTERN.test(key) || key.trim() === '') {
    throw new ApiError(
      400,
      'IDEMPOTENCY_KEY_INVALID',
      `Khóa chống gửi trùng (${IDEMPOTENCY_KEY_HEADER}) không hợp lệ: phải gồm 1–200 ký tự in được (chữ không dấu, chữ số, dấu câu), ví dụ một UUID.`,
      `The ${IDEMPOTENCY_KEY_HEADER} header must be 1–200 printable ASCII characters, e.g. a UUID.`,
    );
  }
  return key;
}

/** What makes two requests "the same": method, path with query, and the body (JSON canonically, raw bytes as they are). */
export function requestHash(method: string, path: string, body: unknown): string {
  const h = createHash('sha256').update(method.toUpperCase()).update('\n').update(path).update('\n');
  if (Buffer.isBuffer(body)) h.update('raw\n').update(body);
  else h.update('json\n').update(canonicalJson(body ?? null));
  return h.digest('hex');
}

export interface KeyedRequest {
  officerId: string;
  key: string;
  method: string;
  path: string;
  hash: string;
}

/** What the audit entry of the first call said, so a replay's entry names the same thing. */
export interface StoredAudit {
  action: string;
  target: string | null;
  unitId: string | null;
}

export type Claim = { kind: 'claimed' } | { kind: 'replay'; status: number; reply: Reply; audit: StoredAudit };

interface KeyRow {
  method: string;
  path: string;
  request_hash: string;
  status: number | null;
  response: StoredResponse | null;
  created_at: Date;
}

interface StoredResponse {
  reply: Omit<Reply, 'file'> & { file?: { contentType: string; filename: string; inline?: boolean; base64: string } };
  audit: StoredAudit;
}

const inProgress = () =>
  new ApiError(409, 'IDEMPOTENCY_IN_PROGRESS', 'Yêu cầu này đang được xử lý, vui lòng chờ.', 'This request is still being processed; please wait.');

function reused(row: KeyRow, r: KeyedRequest): ApiError {
  const same = row.method === r.method && row.path === r.path;
  return new ApiError(
    422,
    'IDEMPOTENCY_KEY_REUSED',
    same
      ? `Khóa chống gửi trùng (${IDEMPOTENCY_KEY_HEADER}) này đã được dùng cho cùng thao tác nhưng với nội dung khác. Mỗi thao tác mới cần một khóa mới.`
      : `Khóa chống gửi trùng (${IDEMPOTENCY_KEY_HEADER}) này đã được dùng cho một thao tác khác (${row.method} ${row.path}). Mỗi thao tác mới cần một khóa mới.`,
    `This ${IDEMPOTENCY_KEY_HEADER} was already used for a different request (${row.method} ${row.path}); use a new key for each action.`,
    { method: row.method, path: row.path },
  );
}

const PURGE_EVERY_MS = 60_000;
/** When each database's expired keys were last removed, on its clock (a clock set back counts as due). */
const lastPurgeAt = new WeakMap<object, number>();

/**
 * Claims the key for this request, or answers what an earlier request with it got. Throws 422
 * for a key used on another request and 409 while the first request is still running.
 */
export async function claimIdempotencyKey(ctx: AppContext, r: KeyedRequest): Promise<Claim> {
  const now = ctx.clock.now();
  const expiredBefore = new Date(now.getTime() - KEY_TTL_MS);
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  // Expired keys are removed lazily, here, once a minute at most: an expired key met below is removed on its own.
  const lastPurge = lastPurgeAt.get(ctx.db);
  if (lastPurge === undefined || Math.abs(now.getTime() - lastPurge) >= PURGE_EVERY_MS) {
    lastPurgeAt.set(ctx.db, now.getTime());
    await ctx.db.query('delete from idempotency_keys where created_at < $1', [expiredBefore]);
  }
  // A few rounds: between a lost insert and the read, the holder may release the key (5xx).
  for (let round = 0; round < 3; round++) {
    const inserted: Array<{ key: string }> = await ctx.db.query(
      `insert into idempotency_keys (officer_id, key, method, path, request_hash, created_at) values ($1, $2, $3, $4, $5, $6)
       on conflict (officer_id, key) do nothing returning key`,
      [r.officerId, r.key, r.method, r.path, r.hash, now],
    );
    if (inserted.length > 0) return { kind: 'claimed' };
    const rows: KeyRow[] = await ctx.db.query(
      'select method, path, request_hash, status, response, created_at from idempotency_keys where officer_id = $1 and key = $2',
      [r.officerId, r.key],
    );
    const row = rows[0];
    if (!row) continue;
    if (row.created_at < expiredBefore) {
      await ctx.db.query('delete from idempotency_keys where officer_id = $1 and key = $2 and created_at = $3', [r.officerId, r.key, row.created_at]);
      continue;
    }
    if (row.request_hash !== r.hash) throw reused(row, r);
    if (row.status === null || row.response === null) {
      if (row.created_at >= staleBefore) throw inProgress();
      const taken: Array<{ key: string }> = await ctx.db.query(
        `with taken as (
           update idempotency_keys set created_at = $3 where officer_id = $1 and key = $2 and status is null and created_at = $4 returning key
         ) select key from taken`,
        [r.officerId, r.key, now, row.created_at],
      );
      if (taken.length > 0) return { kind: 'claimed' };
      continue;
    }
    const stored = row.response.reply;
    const reply: Reply = stored.file
      ? {
          ...stored,
          file: { contentType: stored.file.contentType, filename: stored.file.filename, inline: stored.file.inline, data: Buffer.from(stored.file.base64, 'base64') },
        }
      : (stored as Reply);
    return { kind: 'replay', status: row.status, reply, audit: row.response.audit };
  }
  throw inProgress();
}

/**
 * The statement that stores a claimed key's answer (below 500 only: see releaseIdempotencyKey),
 * written with the request's audit entry (api/route.ts) or on its own when that entry is spooled.
 */
export function idempotencyCompletion(ctx: AppContext, r: KeyedRequest, status: number, reply: Reply, audit: StoredAudit): AlongsideWrite {
  const { file, ...rest } = reply;
  const stored: StoredResponse = {
    reply: { ...rest, ...(file ? { file: { contentType: file.contentType, filename: file.filename, inline: file.inline, base64: file.data.toString('base64') } } : {}) },
    audit,
  };
  return {
    sql: (n) =>
      `update idempotency_keys set status = $${n + 2}, response = $${n + 3}::jsonb, completed_at = $${n + 4} where officer_id = $${n} and key = $${n + 1} and status is null`,
    params: [r.officerId, r.key, status, JSON.stringify(stored), ctx.clock.now()],
  };
}

/** Gives a claimed key back after a server error, so the client's retry runs instead of replaying the error. */
export async function releaseIdempotencyKey(ctx: AppContext, r: KeyedRequest): Promise<void> {
  await ctx.db.query('delete from idempotency_keys where officer_id = $1 and key = $2 and status is null', [r.officerId, r.key]);
}

/**
 * Stores a key's outcome (its answer, or its release after a 5xx) that could not be stored when
 * the request ended — the database was away — by trying again in the background, the pause
 * doubling from `firstMs` to 5 s, for as long as the claim would otherwise block the key
 * (STALE_CLAIM_MS). Without it, the officer's retry would be told "still being processed" for
 * ten minutes after PostgreSQL came back.
 */
export function settleInBackground(store: () => Promise<void>, log: (err: unknown) => void, forMs = STALE_CLAIM_MS, firstMs = 250): Promise<boolean> {
  const until = Date.now() + forMs;
  return (async () => {
    let last: unknown;
    for (let pause = firstMs; Date.now() < until; pause = Math.min(pause * 2, 5_000)) {
      await new Promise((r) => setTimeout(r, pause));
      try {
        await store();
        return true;
      } catch (err) {
        last = err;
      }
    }
    log(last);
    return false;
  })();
}
