/**
 * How deep the stack traces taken inside the workflow sandbox go.
 *
 * The SDK's promise hook records a stack trace for every promise workflow code creates (it feeds the
 * `__stack_trace` query), a large part of a case's CPU in the workflow thread; the cost grows with
 * the depth. V8 reads its stack-trace-limit flag when a context is created, so setting it before the
 * worker creates its workflow thread limits the sandbox (and that thread) and leaves the traces of
 * the process's main thread — activities, logs — as deep as before.
 */
import * as v8 from 'node:v8';

export const DEFAULT_WORKFLOW_STACK_TRACE_LIMIT = 3;

export function workflowStackTraceLimit(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.WORKFLOW_STACK_TRACE_LIMIT;
  if (raw === undefined || raw === '') return DEFAULT_WORKFLOW_STACK_TRACE_LIMIT;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 0 || n > 100) throw new Error(`WORKFLOW_STACK_TRACE_LIMIT must be an integer from 0 to 100, not "${raw}"`);
  return n;
}

/** Call before Worker.create: contexts created afterwards take the limit, the current one keeps its own. */
export function limitWorkflowStackTraces(limit: number): void {
  v8.setFlagsFromString(`--stack-trace-limit=${limit}`);
}
