/** How a failing workflow task is retried: the attempt's timeout, and which failures end an attempt. */
import { enums } from './proto';

/**
 * A task's start-to-close timeout for its attempt. After the third attempt each one is given 5 s
 * more, doubling up to 10 minutes more (the real server's schedule, without its jitter): a workflow
 * whose every task fails is retried at that pace, as its repeated failures are dropped (below).
 */
export function workflowTaskAttemptTimeoutMs(defaultMs: number, attempt: number): number {
  if (attempt <= 3) return defaultMs;
  return defaultMs + Math.min(5_000 * 2 ** (attempt - 4), 600_000);
}

/**
 * A failure reported for an attempt after the first is dropped, as the real server drops it: the
 * task stays started and times out, so a workflow that fails every task does not spin through
 * attempts (and history). A refused completion for events that came in meanwhile is the worker's
 * due, not its fault, and still ends the attempt at once.
 */
export function dropsRepeatedFailure(wft: { attempt: number }, cause?: number | null): boolean {
  return wft.attempt > 1 && cause !== enums.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND;
}
