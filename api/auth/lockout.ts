/**
 * Wrong passwords in a row lock the account for a while. The counter and the lock change in one
 * conditional UPDATE, so concurrent guesses cannot slip past the limit, and a guess arriving
 * while the account is locked is not counted (the lock already answers it).
 */
import type { AppContext } from '../context';
import { updateReturning } from './updateReturning';

export type FailedPasswordOutcome =
  | { kind: 'counted'; failedLogins: number }
  /** This guess reached the limit: the account is locked from now on. */
  | { kind: 'locked-now'; until: Date }
  /** Another request locked the account meanwhile. */
  | { kind: 'already-locked'; until: Date };

export async function recordFailedPassword(ctx: AppContext, officerId: string): Promise<FailedPasswordOutcome> {
  const now = ctx.clock.now();
  const until = new Date(now.getTime() + ctx.auth.lockoutMs);
  const rows = await updateReturning<{ failed_logins: number; locked_until: Date | null }>(
    ctx.db,
    `update officers set
       failed_logins = case when failed_logins + 1 >= $2 then 0 else failed_logins + 1 end,
       locked_until = case when failed_logins + 1 >= $2 then $3::timestamptz else null end
     where id = $1 and (locked_until is null or locked_until <= $4)
     returning failed_logins, locked_until`,
    [officerId, ctx.auth.maxFailedLogins, until, now],
  );
  const row = rows[0];
  if (!row) {
    const current: Array<{ locked_until: Date | null }> = await ctx.db.query('select locked_until from officers where id = $1', [officerId]);
    return { kind: 'already-locked', until: current[0]?.locked_until ?? until };
  }
  return row.locked_until ? { kind: 'locked-now', until: row.locked_until } : { kind: 'counted', failedLogins: row.failed_logins };
}

/** A right password clears the counter, unless the account got locked meanwhile (then the lock's end is returned). */
export async function recordRightPassword(ctx: AppContext, officerId: string): Promise<{ lockedUntil?: Date }> {
  const now = ctx.clock.now();
  const rows = await updateReturning<{ id: string }>(
    ctx.db,
    `update officers set failed_logins = 0, locked_until = null where id = $1 and (locked_until is null or locked_until <= $2) returning id`,
    [officerId, now],
  );
  if (rows[0]) return {};
  const current: Array<{ locked_until: Date | null }> = await ctx.db.query('select locked_until from officers where id = $1', [officerId]);
  return { lockedUntil: current[0]?.locked_until ?? now };
}
