/**
 * Routes are declared as data: method, path, who may call (a right, any logged-in officer, or
 * anyone) and how the call is audited. The router enforces authentication and the right before
 * the handler runs; the handler enforces unit scope on the units it touches. Every
 * state-changing call — allowed or refused — lands in the audit trail with its outcome.
 */
import { createHash } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';
import type { Right } from '../domain/rights';
import { appendAudit } from './audit/auditLog';
import type { AppContext } from './context';
import { ApiError, errorBody, toApiError, unauthenticated } from './errors';
import { loadPrincipal, requireRight, type Principal } from './principal';

export type Access = { right: Right } | 'authenticated' | 'public';

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
  /** Present on every route whose access is not 'public'. */
  principal: Principal | undefined;
  audit: AuditNote;
}

export interface Reply {
  status?: number;
  body?: unknown;
  /** A download instead of JSON. */
  file?: { contentType: string; filename: string; data: Buffer };
}

export interface RouteSpec {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, e.g. '/api/admin/users/:id/rights'. */
  path: string;
  access: Access;
  summary: string;
  /** Audit action name; state-changing routes are audited by default under `method path`. */
  action?: string;
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
  const rows: Array<{ id: string; officer_id: string }> = await ctx.db.query(
    `select id, officer_id from sessions where token_hash = $1 and stage = 'active' and ended_at is null and expires_at > $2`,
    [hashToken(token), ctx.clock.now()],
  );
  const s = rows[0];
  if (!s) throw unauthenticated();
  const p = await loadPrincipal(ctx.db, s.officer_id, s.id);
  if (!p) throw unauthenticated();
  return p;
}

function isAudited(route: RouteSpec): boolean {
  return route.action !== undefined || route.method !== 'get';
}

function outcomeOf(status: number): 'success' | 'refused' | 'error' {
  return status < 400 ? 'success' : status < 500 ? 'refused' : 'error';
}

async function handle(route: RouteSpec, ctx: AppContext, req: Request, res: Response): Promise<void> {
  const call: Call = { req, ctx, principal: undefined, audit: {} };
  let reply: Reply | undefined;
  let failure: ApiError | undefined;
  try {
    if (route.access !== 'public') {
      call.principal = await authenticate(ctx, req);
      if (typeof route.access === 'object') requireRight(call.principal, route.access.right);
    }
    reply = await route.handler(call);
  } catch (err) {
    failure = toApiError(err);
    if (failure.status >= 500) console.error(err);
  }
  const status = failure ? failure.status : (reply?.status ?? 200);
  if (isAudited(route)) {
    const p = call.principal;
    await appendAudit(ctx.db, {
      at: ctx.clock.now(),
      actorId: call.audit.actorId ?? p?.officerId ?? null,
      actorName: call.audit.actorName ?? p?.fullName ?? null,
      unitId: call.audit.unitId ?? (p && p.unitIds.length === 1 ? p.unitIds[0] : null),
      action: route.action ?? `${route.method.toUpperCase()} ${route.path}`,
      target: call.audit.target ?? null,
      outcome: outcomeOf(status),
      status,
      details: { ...(call.audit.details ?? {}), ...(failure ? { code: failure.code } : {}) },
      ip: req.ip ?? null,
    }).catch((err: unknown) => console.error('audit append failed', err));
  }
  if (failure) {
    res.status(failure.status).json(errorBody(failure));
  } else if (reply?.file) {
    res.status(status).type(reply.file.contentType).attachment(reply.file.filename).send(reply.file.data);
  } else if (reply?.body === undefined) {
    res.status(status === 200 ? 204 : status).end();
  } else {
    res.status(status).json(reply.body);
  }
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
