/**
 * The certification workflow's updates and query, shared by the workflow and its callers:
 *
 *   const view = await handle.executeUpdate(signUpdate, { args: [{ actor, idempotencyKey }] });
 *
 * Every update answers the new case view, or fails with an ApplicationFailure whose `type` is one
 * of CASE_ERRORS and whose message reads "Tiếng Việt / English" (details[0] = { code, vi, en,
 * field? }). Refusals by a validator (right, unit, state, input) leave nothing in the history.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type {
  AttachScanInput,
  CaseView,
  ComplexExtensionPreview,
  CorrectOriginalsInput,
  ExtendInput,
  RefuseInput,
  ReturnToOfficerInput,
  SealInput,
  SetComplexInput,
  SignInput,
  SubmitInput,
  WithdrawInput,
} from './types';

export const CERTIFICATION_WORKFLOW_TYPE = 'certification';

export function certificationWorkflowId(caseCode: string): string {
  return `certification-${caseCode}`;
}

/** The case code of a certification case's workflow id; undefined for any other workflow. */
export function caseCodeOfWorkflowId(workflowId: string): string | undefined {
  return workflowId.startsWith('certification-') ? workflowId.slice('certification-'.length) : undefined;
}

export const caseViewQuery = defineQuery<CaseView>('caseView');
/** While the case is at reception and not complex: what marking it complex would grant; else null. */
export const complexExtensionQuery = defineQuery<ComplexExtensionPreview | null>('complexExtension');

export const attachScanUpdate = defineUpdate<CaseView, [AttachScanInput]>('attachScan');
export const setComplexUpdate = defineUpdate<CaseView, [SetComplexInput]>('setComplex');
export const correctOriginalsUpdate = defineUpdate<CaseView, [CorrectOriginalsInput]>('correctOriginals');
export const submitUpdate = defineUpdate<CaseView, [SubmitInput]>('submit');
export const signUpdate = defineUpdate<CaseView, [SignInput]>('sign');
export const returnToOfficerUpdate = defineUpdate<CaseView, [ReturnToOfficerInput]>('returnToOfficer');
export const sealUpdate = defineUpdate<CaseView, [SealInput]>('seal');
export const refuseUpdate = defineUpdate<CaseView, [RefuseInput]>('refuse');
export const extendUpdate = defineUpdate<CaseView, [ExtendInput]>('extend');
export const withdrawUpdate = defineUpdate<CaseView, [WithdrawInput]>('withdraw');

/**
 * Stable failure codes (ApplicationFailure.type) with the HTTP status an API should answer.
 * The first group comes from validators (nothing recorded); the second from an accepted action
 * whose work failed (recorded in the history as a failed update, the case unchanged).
 */
export const CASE_ERRORS = {
  INVALID_INPUT: 400,
  RIGHT_REQUIRED: 403,
  UNIT_OUT_OF_SCOPE: 403,
  WRONG_STATE: 409,
  BUSY: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  SCAN_REQUIRED: 422,
  EXTENSION_NEEDS_AGREEMENT: 422,
  SCAN_PAGES_MISMATCH: 422,

  SCAN_NOT_FOUND: 422,
  SCAN_MISMATCH: 422,
  SCAN_UNSUPPORTED_TYPE: 422,
  SCAN_TOO_LARGE: 422,
  SCAN_UNREADABLE: 422,
  SCAN_ENCRYPTED: 422,
  ACTION_FAILED: 503,
} as const;

export type CaseErrorCode = keyof typeof CASE_ERRORS;

export interface CaseErrorDetails {
  code: CaseErrorCode;
  vi: string;
  en: string;
  /** The input field at fault, for INVALID_INPUT. */
  field?: string;
}
