/**
 * The desk's account-request rules a deployment may tune; the legal ones (a code lives 2 minutes,
 * 6 digits) stay fixed. ACCOUNT_REQUEST_ABANDON_MINUTES (default 30): a request nobody touched
 * for that long ends by itself.
 */
import type { AccountRequestRules } from '../../workflows/citizenAccount/types';

export function accountRequestRulesFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<AccountRequestRules> {
  const raw = env.ACCOUNT_REQUEST_ABANDON_MINUTES;
  if (raw === undefined || raw === '') return {};
  const minutes = Number(raw);
  if (!Number.isFinite(minutes) || minutes < 5 || minutes > 24 * 60) {
    throw new Error(`ACCOUNT_REQUEST_ABANDON_MINUTES must be a number of minutes between 5 and 1440, got ${raw}`);
  }
  return { abandonAfterMs: Math.round(minutes * 60_000) };
}
