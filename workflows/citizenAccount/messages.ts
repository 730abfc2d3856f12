/**
 * The citizen-account workflow's updates and query, shared by the workflow and the API. Each
 * update answers the request's view, or fails with an ApplicationFailure whose `type` is one of
 * ACCOUNT_REQUEST_ERRORS and whose details[0] is { code, vi, en, ...facts }.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AccountRequestView, CancelInput, ConfirmOtpInput, OfficerActionInput } from './types';

export const CITIZEN_ACCOUNT_WORKFLOW_TYPE = 'citizenAccount';

export function citizenAccountWorkflowId(requestId: string): string {
  return `citizen-account-${requestId}`;
}

export const accountRequestQuery = defineQuery<AccountRequestView>('accountRequest');
export const sendOtpUpdate = defineUpdate<AccountRequestView, [OfficerActionInput]>('sendOtp');
export const confirmOtpUpdate = defineUpdate<AccountRequestView, [ConfirmOtpInput]>('confirmOtp');
export const cancelRequestUpdate = defineUpdate<AccountRequestView, [CancelInput]>('cancelRequest');

/** Stable failure codes with the HTTP status the API answers. */
export const ACCOUNT_REQUEST_ERRORS = {
  WRONG_STATE: 409,
  NOT_OWN_UNIT: 403,
  OTP_NOT_SENT: 409,
  OTP_RESEND_TOO_SOON: 429,
  OTP_SEND_LIMIT: 429,
  OTP_EXPIRED: 422,
  OTP_INVALID: 422,
  OTP_LOCKED: 422,
  ACCOUNT_EXISTS: 409,
  INVALID_INPUT: 400,
  ACTION_FAILED: 503,
} as const;

export type AccountRequestErrorCode = keyof typeof ACCOUNT_REQUEST_ERRORS;
