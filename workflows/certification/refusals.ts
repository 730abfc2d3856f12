/** Failures the workflow hands to callers: a stable code and a message, Vietnamese first. */
import { ApplicationFailure } from '@temporalio/common';
import type { CaseErrorCode, CaseErrorDetails } from './messages';

export function caseFailure(code: CaseErrorCode, vi: string, en: string, field?: string): ApplicationFailure {
  const details: CaseErrorDetails = field === undefined ? { code, vi, en } : { code, vi, en, field };
  return ApplicationFailure.create({ type: code, message: `${vi} / ${en}`, details: [details], nonRetryable: true });
}

export function invalidInput(field: string, vi: string, en: string): ApplicationFailure {
  return caseFailure('INVALID_INPUT', `Dữ liệu không hợp lệ — ${field}: ${vi}`, `Invalid input — ${field}: ${en}`, field);
}
