import { invalidArgument } from './errors';
import { durationMs, enums, msDuration, temporal, type Failure, type RetryPolicy } from './proto';
import type { NormalizedRetryPolicy } from './state';

const RS = enums.RetryState;
export const RetryState = {
  IN_PROGRESS: RS.RETRY_STATE_IN_PROGRESS,
  NON_RETRYABLE_FAILURE: RS.RETRY_STATE_NON_RETRYABLE_FAILURE,
  TIMEOUT: RS.RETRY_STATE_TIMEOUT,
  MAXIMUM_ATTEMPTS_REACHED: RS.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED,
  RETRY_POLICY_NOT_SET: RS.RETRY_STATE_RETRY_POLICY_NOT_SET,
  CANCEL_REQUESTED: RS.RETRY_STATE_CANCEL_REQUESTED,
} as const;

/** Fills the server defaults (1 s initial, ×2, 100× cap, unlimited attempts) and checks the policy like the real server. */
export function normalizeRetryPolicy(policy: RetryPolicy | null | undefined, defaultMaximumAttempts = 0): NormalizedRetryPolicy {
  const initialIntervalMs = durationMs(policy?.initialInterval) || 1000;
  const backoffCoefficient = policy?.backoffCoefficient || 2;
  const maximumIntervalMs = durationMs(policy?.maximumInterval) || 100 * initialIntervalMs;
  const maximumAttempts = policy?.maximumAttempts ?? defaultMaximumAttempts;
  if (backoffCoefficient < 1) throw invalidArgument('BackoffCoefficient cannot be less than 1.');
  if (maximumIntervalMs < initialIntervalMs) throw invalidArgument('MaximumInterval cannot be less than InitialInterval on retry policy.');
  if (maximumAttempts < 0) throw invalidArgument('MaximumAttempts cannot be negative on retry policy.');
  return {
    initialIntervalMs,
    backoffCoefficient,
    maximumIntervalMs,
    maximumAttempts,
    nonRetryableErrorTypes: [...(policy?.nonRetryableErrorTypes ?? [])],
  };
}

export function retryPolicyMessage(p: NormalizedRetryPolicy): RetryPolicy {
  return {
    initialInterval: msDuration(p.initialIntervalMs),
    backoffCoefficient: p.backoffCoefficient,
    maximumInterval: msDuration(p.maximumIntervalMs),
    maximumAttempts: p.maximumAttempts,
    nonRetryableErrorTypes: p.nonRetryableErrorTypes,
  };
}

function failureIsRetryable(failure: Failure | null | undefined, policy: NormalizedRetryPolicy): boolean {
  if (!failure) return true;
  if (failure.terminatedFailureInfo || failure.canceledFailureInfo) return false;
  if (failure.serverFailureInfo?.nonRetryable) return false;
  const app = failure.applicationFailureInfo;
  if (app) {
    if (app.nonRetryable) return false;
    if (app.type && policy.nonRetryableErrorTypes.includes(app.type)) return false;
  }
  const timeout = failure.timeoutFailureInfo;
  if (timeout) {
    const name = TIMEOUT_TYPE_NAMES[timeout.timeoutType ?? 0];
    if (policy.nonRetryableErrorTypes.includes(name)) return false;
  }
  return true;
}

const TIMEOUT_TYPE_NAMES: Record<number, string> = {
  0: 'Unspecified',
  1: 'StartToClose',
  2: 'ScheduleToStart',
  3: 'ScheduleToClose',
  4: 'Heartbeat',
};

export type RetryDecision = { retry: true; backoffMs: number } | { retry: false; retryState: temporal.api.enums.v1.RetryState };

/**
 * Whether attempt `attempt` (1-based), which just failed with `failure`, gets another try,
 * and after how long. `expiresAt` is the schedule-to-close (or execution) deadline, if any.
 */
export function decideRetry(
  policy: NormalizedRetryPolicy | undefined,
  attempt: number,
  failure: Failure | null | undefined,
  now: number,
  expiresAt: number | undefined,
): RetryDecision {
  if (!policy) return { retry: false, retryState: RetryState.RETRY_POLICY_NOT_SET };
  if (!failureIsRetryable(failure, policy)) return { retry: false, retryState: RetryState.NON_RETRYABLE_FAILURE };
  if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) {
    return { retry: false, retryState: RetryState.MAXIMUM_ATTEMPTS_REACHED };
  }
  const explicit = durationMs(failure?.applicationFailureInfo?.nextRetryDelay);
  const computed = Math.min(policy.initialIntervalMs * Math.pow(policy.backoffCoefficient, attempt - 1), policy.maximumIntervalMs);
  const backoffMs = explicit > 0 ? explicit : computed;
  if (expiresAt !== undefined && now + backoffMs >= expiresAt) return { retry: false, retryState: RetryState.TIMEOUT };
  return { retry: true, backoffMs };
}
