/**
 * Citizen sessions of the portal. A bearer token is 32 random bytes and only its SHA-256 is
 * stored, in `citizen_sessions` — a table officers' logins never touch, so an officer's token
 * opens no citizen route and a citizen's token no officer route. An account that must change its
 * password (opened at the desk with a password sent by SMS, or reset) gets a session that only
 * opens the routes marked for it.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Request } from 'express';
import type { AppContext } from '../context';
import { ApiError, unauthenticated } from '../errors';
import { citizenConfigOf } from './services';

export interface CitizenPrincipal {
  accountId: string;
  sessionId: string;
  kind: 'citizen' | 'business';
  /** The ID number of a citizen, the tax code of a business. */
  username: string;
  idNumber: string;
  fullName: string;
  mustChangePassword: boolean;
}

export function newCitizenToken(): string {
  return randomBytes(32).toString('base64url');
}

export function citizenTokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function bearer(req: Request): string | undefined {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}

export const passwordChangeRequired = () =>
  new ApiError(
    403,
    'PASSWORD_CHANGE_REQUIRED',
    'Bạn cần đổi mật khẩu trước khi sử dụng Cổng dịch vụ công (mật khẩu hiện tại là mật khẩu tạm được cấp qua SMS).',
    'Change your password first: the current one is a temporary password sent by SMS.',
  );

/** The citizen of a live session, or a 401; a 403 when the account must change its password first. */
export async function authenticateCitizen(ctx: AppContext, req: Request, options: { openBeforePasswordChange: boolean }): Promise<CitizenPrincipal> {
  const token = bearer(req);
  if (!token) throw unauthenticated();
  const rows: Array<{ id: string; account_id: string; kind: 'citizen' | 'business'; username: string; id_number: string; full_name: string; must_change_password: boolean }> =
    await ctx.db.query(
      `select s.id, s.account_id, a.kind, a.username, a.id_number, a.full_name, a.must_change_password
       from citizen_sessions s join citizen_accounts a on a.id = s.account_id
       where s.token_hash = $1 and s.ended_at is null and s.expires_at > $2 and a.status = 'active'`,
      [citizenTokenHash(token), ctx.clock.now()],
    );
  const s = rows[0];
  if (!s) throw unauthenticated();
  const principal: CitizenPrincipal = {
    accountId: s.account_id,
    sessionId: s.id,
    kind: s.kind,
    username: s.username,
    idNumber: s.id_number,
    fullName: s.full_name,
    mustChangePassword: s.must_change_password,
  };
  if (principal.mustChangePassword && !options.openBeforePasswordChange) throw passwordChangeRequired();
  return principal;
}

export interface IssuedCitizenSession {
  sessionId: string;
  token: string;
  expiresAt: Date;
}

export async function startCitizenSession(ctx: AppContext, accountId: string, method: 'password' | 'certificate', ip: string | null): Promise<IssuedCitizenSession> {
  const token = newCitizenToken();
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + citizenConfigOf(ctx).sessionTtlMs);
  const rows: Array<{ id: string }> = await ctx.db.query(
    `insert into citizen_sessions (token_hash, account_id, method, created_at, expires_at, ip) values ($1, $2, $3, $4, $5, $6) returning id`,
    [citizenTokenHash(token), accountId, method, now, expiresAt, ip],
  );
  return { sessionId: rows[0].id, token, expiresAt };
}

export async function endCitizenSession(ctx: AppContext, sessionId: string): Promise<void> {
  await ctx.db.query('update citizen_sessions set ended_at = $2 where id = $1 and ended_at is null', [sessionId, ctx.clock.now()]);
}
