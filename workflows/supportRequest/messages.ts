/**
 * The support-request workflow's updates and query. Handlers and the requesting unit act through
 * updates whose validators check right, unit and state. Failures are ApplicationFailures whose
 * `type` is one of SUPPORT_ERRORS (details[0] = {code, vi, en}).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { SupportTextAction, SupportView } from './types';

export const SUPPORT_WORKFLOW_TYPE = 'supportRequest';

export function supportWorkflowId(code: string): string {
  return `support-${code}`;
}

export const supportViewQuery = defineQuery<SupportView>('supportView');
/** A handler takes the request: in progress, with his name (`text` left empty). */
export const takeSupportUpdate = defineUpdate<SupportView, [SupportTextAction]>('take');
/** The handler asks the coordination contact a question; the request waits for the answer. */
export const askSupportUpdate = defineUpdate<SupportView, [SupportTextAction]>('ask');
/** The requesting unit answers; the handler goes on. */
export const answerSupportUpdate = defineUpdate<SupportView, [SupportTextAction]>('answer');
export const resolveSupportUpdate = defineUpdate<SupportView, [SupportTextAction]>('resolve');
export const rejectSupportUpdate = defineUpdate<SupportView, [SupportTextAction]>('reject');
export const cancelSupportUpdate = defineUpdate<SupportView, [SupportTextAction]>('cancel');

export const SUPPORT_ERRORS = {
  INVALID_INPUT: 400,
  RIGHT_REQUIRED: 403,
  UNIT_OUT_OF_SCOPE: 403,
  WRONG_STATE: 409,
  BUSY: 409,
  NOT_HANDLER: 409,
  ACTION_FAILED: 503,
} as const;

export type SupportErrorCode = keyof typeof SUPPORT_ERRORS;
