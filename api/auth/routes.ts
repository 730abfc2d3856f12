/** Officer login (password, then a code by SMS when required), the session, and the SMS outbox. */
import type { RouteSpec } from '../route';
import { LoginBody, OtpBody, OutboxQuery, PasswordBody } from './inputs';
import { answerOtp } from './otp';
import { login } from './login';
import { loadOfficerView } from './officerView';
import { changePassword } from './password';
import { endSession } from './sessions';
import { listOutbox } from './smsOutbox';

export const authRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/auth/login',
    access: 'public',
    action: 'auth.login',
    summary:
      'Password step: {username, password} → {status:"ok", token, expiresAt, officer}, or {status:"otp_required", challengeToken, phoneHint, expiresAt} after sending a code by SMS',
    input: { body: LoginBody },
    handler: login,
  },
  {
    method: 'post',
    path: '/api/auth/otp',
    access: 'public',
    action: 'auth.otp',
    summary: 'Code step: {challengeToken, code} → {status:"ok", token, expiresAt, officer}',
    input: { body: OtpBody },
    handler: answerOtp,
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    access: 'authenticated',
    action: 'auth.logout',
    summary: 'Ends the calling session',
    handler: async ({ ctx, principal, audit }) => {
      await endSession(ctx, principal!.sessionId);
      audit.target = `officer:${principal!.officerId}`;
      audit.details = { sessionId: principal!.sessionId };
      return { status: 204 };
    },
  },
  {
    method: 'get',
    path: '/api/auth/me',
    access: 'authenticated',
    summary: 'The logged-in officer: {id, username, fullName, rights, units:[{id, code, name, level, oneStop}]}',
    handler: async ({ ctx, principal }) => ({ body: await loadOfficerView(ctx.db, principal!.officerId) }),
  },
  {
    method: 'post',
    path: '/api/auth/password',
    access: 'authenticated',
    action: 'auth.password',
    summary: 'Changes the caller’s password: {currentPassword, newPassword}; ends the caller’s other sessions',
    input: { body: PasswordBody },
    handler: changePassword,
  },
  {
    method: 'get',
    path: '/api/sms-outbox',
    access: { right: 'USER_ADMIN' },
    summary: 'Messages sent or stored for sending, newest first (?page, ?pageSize ≤ 100, ?phone), one-time codes masked',
    input: { query: OutboxQuery },
    handler: listOutbox,
  },
];
