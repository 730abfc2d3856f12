/**
 * How the case endpoints reach the certification workflows: the Temporal client of the context,
 * and the translation of a workflow's refusal (an ApplicationFailure whose type is one of
 * CASE_ERRORS) into the API's error answer, Vietnamese message first.
 */
import { createHash } from 'node:crypto';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { CASE_ERRORS, type CaseErrorDetails } from '../../workflows/certification/messages';
import type { AppContext } from '../context';
import { ApiError, fieldProblem, invalidInput } from '../errors';
import type { Principal } from '../principal';

export interface Engine {
  client: Client;
  taskQueue: string;
}

export function engineOf(ctx: AppContext): Engine {
  if (!ctx.temporal) throw engineUnavailable();
  return ctx.temporal;
}

export function engineUnavailable(): ApiError {
  return new ApiError(
    503,
    'ENGINE_UNAVAILABLE',
    'Hệ thống xử lý hồ sơ đang không sẵn sàng, vui lòng thử lại sau ít phút.',
    'The case engine is not available; try again in a few minutes.',
  );
}

/** The API error for a refused or failed update of a certification case, or undefined when `err` is something else. */
export function caseErrorOf(err: unknown): ApiError | undefined {
  return updateErrorOf(err, CASE_ERRORS);
}

/**
 * The API error for an update refused with one of `codes` (code → HTTP status). The failure's
 * first detail carries {code, vi, en}, and a `field` or any further facts for the caller.
 */
export function updateErrorOf(err: unknown, codes: Readonly<Record<string, number>>): ApiError | undefined {
  if (!(err instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = err.cause;
  if (!(cause instanceof ApplicationFailure) || typeof cause.type !== 'string' || !Object.prototype.hasOwnProperty.call(codes, cause.type)) return undefined;
  const code = cause.type;
  const { code: _code, vi: viText, en: enText, field, ...facts } = (cause.details?.[0] ?? {}) as Partial<CaseErrorDetails> & Record<string, unknown>;
  const vi = typeof viText === 'string' ? viText : cause.message;
  const en = typeof enText === 'string' ? enText : cause.message;
  if (typeof field === 'string') {
    // The workflow words it "Dữ liệu không hợp lệ — <field>: <problem>"; the answer names the field by its label.
    const problem = (text: string, lead: string) => (text.startsWith(`${lead} — ${field}: `) ? text.slice(`${lead} — ${field}: `.length) : text);
    const [problemVi, problemEn] = [problem(vi, 'Dữ liệu không hợp lệ'), problem(en, 'Invalid input')];
    const labelled = invalidInput([fieldProblem(field, problemVi, problemEn)]);
    return code === 'INVALID_INPUT' ? labelled : new ApiError(codes[code]!, code, endSentence(vi), endSentence(en), labelled.details);
  }
  const details = Object.keys(facts).length > 0 ? facts : undefined;
  return new ApiError(codes[code]!, code, endSentence(vi), endSentence(en), details);
}

function endSentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

const MAX_WORKFLOW_KEY = 200;

/**
 * The key an action carries into the workflow: the officer's own Idempotency-Key, prefixed with
 * his id so two officers who happen to choose the same key never collide inside one case.
 */
export function workflowKey(p: Principal, key: string, suffix = ''): string {
  const plain = `${p.officerId}:${key}${suffix}`;
  if (plain.length <= MAX_WORKFLOW_KEY) return plain;
  return `${p.officerId}:sha256:${createHash('sha256').update(`${key}${suffix}`).digest('hex')}`;
}
