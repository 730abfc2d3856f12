/**
 * An officer changes their own password. The current password must be given; wrong ones count
 * toward the same lockout as wrong logins, because a stolen session token must not become an
 * unlimited way to guess the password. The guess that reaches the limit locks the account and
 * ends the session that made it; while the account is locked the change is refused. On success
 * every other session of the officer ends, so a session opened with the old password is closed.
 */
import { checkPasswordRule, hashPassword, verifyPassword } from '../../infra/passwords';
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { accountLocked, passwordUnchanged, wrongPassword } from './authErrors';
import { PasswordBody } from './inputs';
import { recordFailedPassword } from './lockout';
import { endSession } from './sessions';
import { updateReturning } from './updateReturning';

export async function changePassword(call: Call): Promise<Reply> {
  const { ctx, req, audit } = call;
  const principal = call.principal!;
  audit.target = `officer:${principal.officerId}`;
  const { currentPassword, newPassword } = parseInput(PasswordBody, req.body);
  const rows: Array<{ password_hash: string; locked_until: Date | null }> = await ctx.db.query(
    'select password_hash, locked_until from officers where id = $1',
    [principal.officerId],
  );
  const officer = rows[0];
  if (officer.locked_until && officer.locked_until > ctx.clock.now()) {
    audit.details = { reason: 'locked', lockedUntil: officer.locked_until.toISOString() };
    throw accountLocked(officer.locked_until, ctx.clock.now());
  }
  if (!(await verifyPassword(officer.password_hash, currentPassword))) {
    const outcome = await recordFailedPassword(ctx, principal.officerId);
    if (outcome.kind === 'counted') {
      audit.details = { reason: 'wrong-password', failedLogins: outcome.failedLogins };
      throw wrongPassword();
    }
    await endSession(ctx, principal.sessionId);
    audit.details = { reason: 'wrong-password', lockedUntil: outcome.until.toISOString(), lockout: outcome.kind === 'locked-now', sessionEnded: true };
    throw accountLocked(outcome.until, ctx.clock.now());
  }
  checkPasswordRule(newPassword);
  if (newPassword === currentPassword) throw passwordUnchanged();

  const hash = await hashPassword(newPassword);
  const now = ctx.clock.now();
  const ended = await ctx.db.transaction(async (m) => {
    await m.query('update officers set password_hash = $2, password_changed_at = $3, failed_logins = 0, locked_until = null where id = $1', [
      principal.officerId,
      hash,
      now,
    ]);
    const closed = await updateReturning<{ id: string }>(
      m,
      'update sessions set ended_at = $3 where officer_id = $1 and id <> $2 and ended_at is null returning id',
      [principal.officerId, principal.sessionId, now],
    );
    return closed.length;
  });
  audit.details = { otherSessionsEnded: ended };
  return { status: 204 };
}
