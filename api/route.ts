/**
 * Routes are declared as data: method, path, who may call (a right, any one of several rights,
 * any logged-in officer, or anyone) and how the call is audited. The router enforces
 * authentication and the right before the handler runs; the handler enforces unit scope on the
 * units it touches. Every state-changing call — allowed or refused — lands in the audit trail
 * with its outcome, and runs at most once per Idempotency-Key (api/idempotency.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import type { ZodType } from 'zod';
import { RIGHTS, type Right } from '../domain/rights';
import { recordAudit } from './audit/auditSpool';
import { findUnstorableText, unstorableTextRefusal } from './input/storableText';
import type { AppContext } from './context';
import { ApiError, errorBody, toApiError, unauthenticated } from './errors';
import {
  claimIdempotencyKey,
  idempotencyCompletion,
  readIdempotencyKey,
  releaseIdempotencyKey,
  REPLAYED_HEADER,
  requestHash,
  settleInBackground,
  type Claim,
  type KeyedRequest,
} from './idempotency';
import { principalOfSession, requireRight, type Principal } from './principal';
import { authenticateCitizen, type CitizenPrincipal } from './citizen/citizenAuth';

/** 'citizen': a logged-in citizen of the portal (citizen_sessions); officers' sessions never qualify, nor the reverse. */
export type Access = { right: Right } | { anyOf: readonly Right[] } | 'authenticated' | 'public' | 'citizen';

export interface AuditNote {
  /** What the call acted on, e.g. "officer:<id>" or "unit:<code>". */
  target?: string;
  unitId?: string | null;
  details?: Record<string, unknown>;
  /** Who acted, when the call itself establishes it (a login). */
  actorId?: string;
  actorName?: string;
}

export interface Call {
  req: Request;
  ctx: AppContext;
  /** Present on every officer route (access neither 'public' nor 'citizen'). */
  principal: Principal | undefined;
  /** Present on every 'citizen' route. */
  citizen?: CitizenPrincipal;
  audit: AuditNote;
  /** The request's Idempotency-Key, when it sent one (already claimed: the handler runs once per key). */
  idempotencyKey?: string;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** A download instead of JSON; `inline` lets the browser show it instead of saving it. */
  file?: { contentType: string; filename: string; data: Buffer; inline?: boolean };
  /** A file on disk, sent in chunks rather than read into memory. */
  stream?: { contentType: string; filename: string; path: string; inline?: boolean };
  /** Extra response headers. */
  headers?: Record<string, string>;
}

export interface RouteInput {
  params?: ZodType;
  query?: ZodType;
  body?: ZodType;
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, e.g. '/api/admin/users/:id/rights'. */
  path: string;
  access: Access;
  summary: string;
  /** Audit action name; state-changing routes are audited by default under `method path`. */
  action?: string;
  /** The schemas the handler validates its input with; the OpenAPI document is built from them. */
  input?: RouteInput;
  /** What a successful answer contains, for the OpenAPI document. */
  output?: string;
  /**
   * State-changing routes accept an Idempotency-Key header (api/idempotency.ts); 'required'
   * refuses a call without one.
   */
  idempotency?: 'optional' | 'required';
  /**
   * The body is raw bytes (an upload) instead of JSON, read only after the caller is
   * authenticated and allowed, up to `maxBytes` (413 beyond).
   */
  rawBody?: {
    maxBytes: (ctx: AppContext) => number;
    tooLarge: (maxBytes: number) => ApiError;
    /** The media types the OpenAPI document lists; the content itself decides what is accepted. */
    contentTypes: readonly string[];
  };
  /**
   * A 'citizen' route that an account which must first change its password may still call (the
   * change itself, the profile, logout); every other one answers 403 PASSWORD_CHANGE_REQUIRED.
   */
  openBeforePasswordChange?: boolean;
  handler: (call: Call) => Promise<Reply> | Reply;
}

export function bearerToken(req: Request): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The officer of a live, fully logged-in session, or a 401. */
export async function authenticate(ctx: AppContext, req: Request): Promise<Principal> {
  const token = bearerToken(req);
  if (!token) throw unauthenticated();
  const p = await principalOfSession(ctx.db, hashToken(token), ctx.clock.now());
  if (!p) throw unauthenticated();
  return p;
}

function isAudited(route: RouteSpec): boolean {
  return route.action !== undefined || route.method !== 'get';
}

function outcomeOf(status: number): 'success' | 'refused' | 'error' {
  return status < 400 ? 'success' : status < 500 ? 'refused' : 'error';
}

/** The right check of a route: one right, or any one of several. */
function requireAccess(p: Principal, access: Access): void {
  if (typeof access !== 'object') return;
  if ('right' in access) return requireRight(p, access.right);
  if (access.anyOf.some((r) => p.rights.has(r))) return;
  const names = access.anyOf.map((r) => `"${RIGHTS[r]}" (${r})`).join(', ');
  throw new ApiError(403, 'RIGHT_REQUIRED', `Bạn cần có một trong các quyền: ${names}.`, `You need one of the rights ${access.anyOf.join(', ')}.`, {
    anyOf: access.anyOf,
  });
}

/** Reads an upload's bytes into req.body, within the route's size limit. */
async function readRawBody(spec: NonNullable<RouteSpec['rawBody']>, ctx: AppContext, req: Request, res: Response): Promise<void> {
  const limit = spec.maxBytes(ctx);
  try {
    await new Promise<void>((resolve, reject) => {
      express.raw({ type: () => true, limit })(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
    });
  } catch (err) {
    const e = err as { type?: string; status?: number };
    if (e?.type === 'entity.too.large') throw spec.tooLarge(limit);
    if (typeof e?.status === 'number' && e.status < 500) {
      throw new ApiError(
        400,
        'BODY_UNREADABLE',
        'Không đọc được nội dung gửi lên (đường truyền bị ngắt hoặc kiểu nén không được hỗ trợ), vui lòng gửi lại.',
        'The request body could not be read (connection cut, or unsupported encoding); please send it again.',
      );
    }
    throw err;
  }
}

/** `attachment` or `inline`, with the file name kept for any language (RFC 6266 / 5987). */
function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

async function send(res: Response, status: number, reply: Reply): Promise<void> {
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.file) {
    const { file } = reply;
    if (file.inline) res.status(status).type(file.contentType).setHeader('Content-Disposition', contentDisposition('inline', file.filename)).send(file.data);
    else res.status(status).type(file.contentType).attachment(file.filename).send(file.data);
  } else if (reply.stream) {
    const { stream } = reply;
    const size = (await stat(stream.path)).size;
    res.status(status).type(stream.contentType);
    res.setHeader('Content-Length', String(size));
    res.setHeader('Content-Disposition', contentDisposition(stream.inline ? 'inline' : 'attachment', stream.filename));
    await pipeline(createReadStream(stream.path), res).catch((err: unknown) => {
      // A client that goes away mid-download is not a server error; anything else before the headers is.
      if (!res.headersSent) throw err;
      res.destroy();
    });
  } else if (reply.body === undefined) {
    res.status(status === 200 ? 204 : status).end();
  } else {
    res.status(status).json(reply.body);
  }
}

async function handle(route: RouteSpec, ctx: AppContext, req: Request, res: Response): Promise<void> {
  const call: Call = { req, ctx, principal: undefined, audit: {} };
  const action = route.action ?? `${route.method.toUpperCase()} ${route.path}`;
  let reply: Reply | undefined;
  let failure: ApiError | undefined;
  let keyed: KeyedRequest | undefined;
  let replay: (Extract<Claim, { kind: 'replay' }> & { key: string }) | undefined;
  try {
    // Path segments are decoded per route: checked here as bodies and queries are at the door.
    const badParam = findUnstorableText(req.params);
    if (badParam) throw unstorableTextRefusal(badParam);
    if (route.access === 'citizen') {
      call.citizen = await authenticateCitizen(ctx, req, { openBeforePasswordChange: route.openBeforePasswordChange === true });
    } else if (route.access !== 'public') {
      call.principal = await authenticate(ctx, req);
      requireAccess(call.principal, route.access);
    }
    if (route.rawBody) await readRawBody(route.rawBody, ctx, req, res);
    // Public routes (login) take no key: there is no officer yet to own it.
    if (call.principal && route.method !== 'get') {
      const key = readIdempotencyKey(req, route.idempotency === 'required');
      if (key !== undefined) {
        const request = { officerId: call.principal.officerId, key, method: req.method, path: req.originalUrl, hash: requestHash(req.method, req.originalUrl, req.body) };
        const claim = await claimIdempotencyKey(ctx, request);
        if (claim.kind === 'replay') replay = { ...claim, key };
        else {
          keyed = request;
          call.idempotencyKey = key;
        }
      }
    }
    if (!replay) reply = await route.handler(call);
  } catch (err) {
    failure = toApiError(err);
    if (failure.status >= 500) console.error(err);
  }
  const p = call.principal;
  if (replay) {
    // The first call did the work and has its own entry; this one only records that it was answered again.
    await recordAudit(ctx.db, ctx.auditSpool, {
      at: ctx.clock.now(),
      actorId: p?.officerId ?? null,
      actorName: p?.fullName ?? null,
      unitId: replay.audit.unitId,
      action: 'idempotency.replay',
      target: replay.audit.target,
      outcome: outcomeOf(replay.status),
      status: replay.status,
      details: { replayOf: replay.audit.action, idempotencyKey: replay.key },
      ip: req.ip ?? null,
    });
    await send(res, replay.status, { ...replay.reply, headers: { ...replay.reply.headers, [REPLAYED_HEADER]: 'true' } });
    return;
  }
  const status = failure ? failure.status : (reply?.status ?? 200);
  const out: Reply = failure ? { body: errorBody(failure), ...(failure.headers ? { headers: failure.headers } : {}) } : (reply ?? {});
  const unitId = call.audit.unitId ?? (p && p.unitIds.length === 1 ? p.unitIds[0] : null);
  const keyAnswer = keyed && status < 500 ? idempotencyCompletion(ctx, keyed, status, out, { action, target: call.audit.target ?? null, unitId }) : undefined;
  let keySettled = false;
  if (isAudited(route)) {
    // Before the answer: a request that changed something is not answered without its row. The
    // key's answer is stored in the same statement when the row goes straight to the database.
    keySettled = await recordAudit(
      ctx.db,
      ctx.auditSpool,
      {
        at: ctx.clock.now(),
        actorId: call.audit.actorId ?? p?.officerId ?? null,
        // Citizens are named, not numbered: actor_id refers to officers.
        actorName: call.audit.actorName ?? p?.fullName ?? (call.citizen ? `citizen:${call.citizen.username}` : null),
        unitId,
        action,
        target: call.audit.target ?? null,
        outcome: outcomeOf(status),
        status,
        details: { ...(call.audit.details ?? {}), ...(failure ? { code: failure.code } : {}), ...(keyed ? { idempotencyKey: keyed.key } : {}) },
        ip: req.ip ?? null,
      },
      keyAnswer,
    );
  }
  if (keyed && !keySettled) {
    const k = keyed;
    const settle = () => (keyAnswer ? ctx.db.query(keyAnswer.sql(1), keyAnswer.params).then(() => undefined) : releaseIdempotencyKey(ctx, k));
    try {
      await settle();
    } catch (err) {
      // The answer still goes out; the key's outcome is stored once the database answers again.
      console.error(`idempotency key update failed (${err instanceof Error ? err.message : String(err)}); storing it again in the background`);
      void settleInBackground(settle, (last) => console.error('idempotency key update given up; the claim is taken over once stale', last));
    }
  }
  await send(res, status, out);
}

export function buildRouter(routes: readonly RouteSpec[], ctx: AppContext): Router {
  const router = express.Router();
  for (const route of routes) {
    router[route.method](route.path, (req, res, next) => {
      handle(route, ctx, req, res).catch(next);
    });
  }
  return router;
}
