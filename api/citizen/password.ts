/**
 * "Quên mật khẩu": the username and a captcha, the code sent by SMS to the account's phone, then
 * a new password typed twice. It is also how a citizen whose desk-issued password SMS never
 * arrived gets in (SPEC B, known problems). The first answer is the same whether or not the
 * username has a usable account — "if it has one, a code went to its phone" — and so are the
 * answers to the codes and re-sends that follow (otpFlows.ts). A reset clears the must-change
 * flag and any lockout and ends every session of the account. "Đổi mật khẩu": logged in, the
 * current password and the new one twice; wrong current passwords count toward the lockout, as
 * at login.
 */
import { checkCitizenPassword } from '../../domain/citizenPassword';
import { hashPassword, verifyPassword } from '../../infra/passwords';
import { updateReturning } from '../auth/updateReturning';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { endOtherSessions, recordFailedPassword } from './accounts';
import { endCitizenSession } from './citizenAuth';
import { accountLocked, passwordUnchanged, ruleRefused, wrongCurrentPassword } from './citizenErrors';
import { ChangePasswordBody, FlowTokenBody, ForgotPasswordBody, NewPasswordBody, OtpAnswerBody } from './inputs';
import { findAccountByUsername } from './login';
import { answerCode, finishVerifiedFlow, resendCode, startFlow } from './otpFlows';
import { requireCaptcha } from './registration';
import { clientAddress, limitRequests } from '../auth/throttle';

export async function forgotPassword(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  await limitRequests(call, 'citizen-recover', 'address', clientAddress(call));
  const { username, captchaId, captcha } = parseInput(ForgotPasswordBody, req.body);
  audit.actorName = `citizen:${username}`;
  await limitRequests(call, 'citizen-recover', 'account', username);
  await requireCaptcha(ctx, captchaId, captcha);
  const found = await findAccountByUsername(call, username);
  const account = found && found.status === 'active' ? found : undefined;
  if (account) audit.target = `citizen-account:${account.id}`;
  const { flowId, delivery, ...sent } = await startFlow(ctx, {
    purpose: 'recover',
    phone: account?.phone ?? null,
    accountId: account?.id,
    subject: username,
    ip: req.ip ?? null,
  });
  audit.details = { flowId, delivery, ...(found && !account ? { reason: 'disabled' } : {}) };
  return { body: { status: 'otp_sent', ...sent } };
}

export async function answerRecoveryCode(call: Call): Promise<Reply> {
  const { flowToken, code } = parseInput(OtpAnswerBody, call.req.body);
  const flow = await answerCode(call, 'recover', flowToken, code, (details) => (call.audit.details = details));
  call.audit.target = `citizen-account:${flow.account_id}`;
  call.audit.details = { flowId: flow.id };
  return { body: { status: 'otp_verified', next: 'password' } };
}

export async function resendRecoveryCode(call: Call): Promise<Reply> {
  const { flowToken } = parseInput(FlowTokenBody, call.req.body);
  const { flowId, delivery, ...answer } = await resendCode(call, 'recover', flowToken);
  call.audit.details = { flowId, delivery };
  return { body: { status: 'otp_sent', ...answer } };
}

export async function resetPassword(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const { flowToken, password, passwordConfirm } = parseInput(NewPasswordBody, call.req.body);
  const rule = checkCitizenPassword(password, passwordConfirm);
  if (!rule.ok) throw ruleRefused(rule, 'password', { missing: rule.missing });
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  const result = await ctx.db.transaction(async (m) => {
    const flow = await finishVerifiedFlow(m, 'recover', flowToken, now);
    const rows = await updateReturning<{ username: string }>(
      m,
      `update citizen_accounts set password_hash = $2, password_changed_at = $3, must_change_password = false, failed_logins = 0, locked_until = null
       where id = $1 returning username`,
      [flow.account_id, hash, now],
    );
    return { flowId: flow.id, accountId: flow.account_id!, username: rows[0].username, sessionsEnded: await endOtherSessions(m, flow.account_id!, null, now) };
  });
  audit.actorName = `citizen:${result.username}`;
  audit.target = `citizen-account:${result.accountId}`;
  audit.details = { flowId: result.flowId, sessionsEnded: result.sessionsEnded };
  return { body: { status: 'password_reset' } };
}

export async function changePassword(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const citizen = call.citizen!;
  audit.target = `citizen-account:${citizen.accountId}`;
  const { currentPassword, password, passwordConfirm } = parseInput(ChangePasswordBody, call.req.body);
  const rows: Array<{ password_hash: string | null; locked_until: Date | null }> = await ctx.db.query(
    'select password_hash, locked_until from citizen_accounts where id = $1',
    [citizen.accountId],
  );
  const account = rows[0];
  if (account.locked_until && account.locked_until > ctx.clock.now()) {
    audit.details = { reason: 'locked', lockedUntil: account.locked_until.toISOString() };
    throw accountLocked(account.locked_until, ctx.clock.now());
  }
  if (!account.password_hash || !(await verifyPassword(account.password_hash, currentPassword))) {
    const outcome = await recordFailedPassword(ctx, citizen.accountId);
    if (outcome.kind === 'counted') {
      audit.details = { reason: 'wrong-password', failedLogins: outcome.failedLogins };
      throw wrongCurrentPassword();
    }
    // A stolen session must not become a way to guess the password: the guess that locks also ends it.
    await endCitizenSession(ctx, citizen.sessionId);
    audit.details = { reason: 'wrong-password', lockedUntil: outcome.until.toISOString(), lockout: outcome.kind === 'locked-now', sessionEnded: true };
    throw accountLocked(outcome.until, ctx.clock.now());
  }
  const rule = checkCitizenPassword(password, passwordConfirm);
  if (!rule.ok) throw ruleRefused(rule, 'password', { missing: rule.missing });
  if (password === currentPassword) throw passwordUnchanged();
  const hash = await hashPassword(password);
  const now = ctx.clock.now();
  const ended = await ctx.db.transaction(async (m) => {
    await m.query(
      `update citizen_accounts set password_hash = $2, password_changed_at = $3, must_change_password = false, failed_logins = 0, locked_until = null where id = $1`,
      [citizen.accountId, hash, now],
    );
    return endOtherSessions(m, citizen.accountId, citizen.sessionId, now);
  });
  audit.details = { otherSessionsEnded: ended, wasRequired: citizen.mustChangePassword };
  return { status: 204 };
}
