/**
 * Eager workflow start: a start with `requestEagerExecution` (sent by an SDK client that shares
 * its connection with a worker polling the task queue) gets the first workflow task in the
 * answer, already started for that worker, instead of through a poll. As on the real server, a
 * start that found an existing run, or whose first task waits (start delay, cron), is answered
 * normally and the task goes through the queue.
 */
import type { Engine } from './engine';
import type { StartOutcome } from './workflowStart';
import { recordWorkflowTaskStarted, workflowTaskResponse, type StartedWorkflowTask } from './workflowTasks';

export function beginEagerWorkflowTask(requested: boolean | null | undefined, identity: string | null | undefined, outcome: StartOutcome): StartedWorkflowTask | undefined {
  if (!requested || outcome.kind !== 'started') return undefined;
  const s = outcome.mutation.state;
  if (s.firstWftPending || !s.wft || s.wft.startedEventId !== undefined) return undefined;
  return recordWorkflowTaskStarted(outcome.mutation, identity ?? '');
}

export function eagerWorkflowTaskResponse(engine: Engine, started: StartedWorkflowTask): ReturnType<typeof workflowTaskResponse> {
  return workflowTaskResponse(engine, started, false, started.exec.state.taskQueue);
}
