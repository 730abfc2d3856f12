/** Failures the citizen-account workflow and its activities hand to callers: a stable code, Vietnamese first. */
import { ActivityFailure, ApplicationFailure } from '@temporalio/common';
import { ACCOUNT_REQUEST_ERRORS, type AccountRequestErrorCode } from './messages';

export function accountFailure(code: AccountRequestErrorCode, vi: string, en: string, facts: Record<string, unknown> = {}): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message: `${vi} / ${en}`, details: [{ code, vi, en, ...facts }], nonRetryable: true });
}

/** An activity's own coded failure passes through; anything else asks the officer to try again. */
export function asAccountFailure(err: unknown): ApplicationFailure {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && Object.prototype.hasOwnProperty.call(ACCOUNT_REQUEST_ERRORS, cause.type)) {
    return ApplicationFailure.create({ type: cause.type, message: cause.message, details: cause.details ?? undefined, nonRetryable: true });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return accountFailure('ACTION_FAILED', `Chưa thực hiện được, vui lòng thử lại (${reason})`, `Could not be done, try again (${reason})`);
}
