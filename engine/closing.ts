/**
 * The ways a run ends: completed, failed (possibly retried as a new run), cancelled,
 * continued as new, terminated, timed out.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from './engine';
import type { Mutation } from './execution';
import { durationMs, enums, type Command, type Failure, type Payloads } from './proto';
import { decideRetry, normalizeRetryPolicy, RetryState } from './retry';
import { WorkflowStatus, type ParentCloseAction } from './state';
import { createRun, type RunSpec } from './workflowStart';
import { abortUpdates, moveUpdates } from './updates';
import type { CommandContext } from './commands';
import { startNextCronRun } from './cron/cronRuns';

const PCP = enums.ParentClosePolicy;
const FORCE_CLOSE = enums.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_FORCE_CLOSE_COMMAND;

/** Marks the run closed and clears everything that only an open run has. */
function closeRun(m: Mutation, status: WorkflowStatus, newRunId?: string): void {
  const s = m.state;
  s.status = status;
  s.closeTime = m.now;
  s.closeEventId = s.nextEventId - 1;
  s.newExecutionRunId = newRunId;
  const actions: ParentCloseAction[] = [];
  for (const child of Object.values(s.children)) {
    if (!child.runId) continue;
    if (child.parentClosePolicy === PCP.PARENT_CLOSE_POLICY_TERMINATE) actions.push({ namespace: child.namespace, workflowId: child.workflowId, runId: child.runId, action: 'terminate' });
    if (child.parentClosePolicy === PCP.PARENT_CLOSE_POLICY_REQUEST_CANCEL) actions.push({ namespace: child.namespace, workflowId: child.workflowId, runId: child.runId, action: 'cancel' });
  }
  s.parentCloseActions = actions;
  s.activities = {};
  s.timers = {};
  s.children = {};
  s.signalsOut = {};
  s.cancelsOut = {};
  s.wft = undefined;
  s.sticky = undefined;
  // The next run of the chain inherits the parent; only the last one reports back.
  if (newRunId) s.parentNotified = true;
  if (!newRunId) abortUpdates(m);
}

/** Terminate and time-out close a run from outside: an in-flight task is failed first, as on the real server. */
function forceClosePrelude(m: Mutation): void {
  const wft = m.state.wft;
  if (wft?.startedEventId !== undefined) {
    m.add('workflowTaskFailedEventAttributes', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      cause: FORCE_CLOSE,
      identity: 'history-service',
    });
    m.state.wft = undefined;
  }
  m.flushBuffered();
}

export function completeWorkflowRun(tx: Tx, m: Mutation, result: Payloads | null, completedEventId: number): void {
  const cronRunId = startNextCronRun(tx, m, nextRunSpec, { result });
  m.add('workflowExecutionCompletedEventAttributes', { result, workflowTaskCompletedEventId: completedEventId, newExecutionRunId: cronRunId ?? '' });
  closeRun(m, WorkflowStatus.Completed, cronRunId);
  if (cronRunId) moveUpdates(m, tx, cronRunId);
}

export function cancelWorkflowRun(m: Mutation, details: Payloads | null, completedEventId: number): void {
  m.add('workflowExecutionCanceledEventAttributes', { details, workflowTaskCompletedEventId: completedEventId });
  closeRun(m, WorkflowStatus.Canceled);
}

/** The spec of the next run in a chain (retry, cron or continue-as-new), inheriting what the chain keeps. */
function nextRunSpec(m: Mutation, overrides: Partial<RunSpec>): RunSpec {
  const s = m.state;
  return {
    namespace: s.namespace,
    workflowId: s.workflowId,
    runId: randomUUID(),
    workflowType: s.workflowType,
    taskQueue: s.taskQueue,
    identity: s.identity ?? '',
    requestId: randomUUID(),
    executionTimeoutMs: s.executionTimeoutMs,
    runTimeoutMs: s.runTimeoutMs,
    workflowTaskTimeoutMs: s.workflowTaskTimeoutMs,
    retryPolicy: s.retryPolicy,
    attempt: 1,
    startDelayMs: 0,
    parent: s.parent,
    firstRunId: s.firstRunId,
    continuedRunId: s.runId,
    executionExpiresAt: s.executionExpiresAt,
    memo: s.memo,
    searchAttributes: s.searchAttributes,
    priority: s.priority,
    cronSchedule: s.cronSchedule,
    completionCallbacks: s.completionCallbacks,
    ...overrides,
  };
}

/** Starts the workflow's next attempt under its retry policy, if the policy allows one. */
function retryRun(tx: Tx, m: Mutation, failure: Failure | null): { newRunId?: string; retryState: number } {
  const s = m.state;
  const decision = decideRetry(s.retryPolicy, s.attempt, failure, m.now, s.executionExpiresAt);
  if (!decision.retry) return { retryState: decision.retryState };
  const firstEvent = m.exec.events[0]?.workflowExecutionStartedEventAttributes;
  const spec = nextRunSpec(m, {
    attempt: s.attempt + 1,
    startDelayMs: decision.backoffMs,
    initiator: enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_RETRY,
    continuedFailure: failure,
    input: firstEvent?.input,
    header: firstEvent?.header,
  });
  createRun(tx, spec);
  return { newRunId: spec.runId, retryState: RetryState.IN_PROGRESS };
}

export function failWorkflowRun(tx: Tx, m: Mutation, failure: Failure | null, completedEventId: number): void {
  const retried = retryRun(tx, m, failure);
  const { retryState } = retried;
  const newRunId = retried.newRunId ?? startNextCronRun(tx, m, nextRunSpec, { failure });
  m.add('workflowExecutionFailedEventAttributes', {
    failure,
    retryState,
    workflowTaskCompletedEventId: completedEventId,
    newExecutionRunId: newRunId ?? '',
  });
  closeRun(m, WorkflowStatus.Failed, newRunId);
  if (newRunId) moveUpdates(m, tx, newRunId);
}

export function continueAsNew(ctx: CommandContext, a: NonNullable<Command['continueAsNewWorkflowExecutionCommandAttributes']>): void {
  const { m, tx } = ctx;
  const s = m.state;
  const runTimeoutMs = durationMs(a.workflowRunTimeout) || s.runTimeoutMs;
  const workflowTaskTimeoutMs = durationMs(a.workflowTaskTimeout) || s.workflowTaskTimeoutMs;
  const spec = nextRunSpec(m, {
    workflowType: a.workflowType?.name || s.workflowType,
    taskQueue: a.taskQueue?.name || s.taskQueue,
    input: a.input,
    header: a.header,
    memo: a.memo ?? s.memo,
    searchAttributes: a.searchAttributes ?? s.searchAttributes,
    runTimeoutMs,
    workflowTaskTimeoutMs,
    retryPolicy: a.retryPolicy ? normalizeRetryPolicy(a.retryPolicy) : s.retryPolicy,
    startDelayMs: durationMs(a.backoffStartInterval),
    initiator: a.initiator || enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_WORKFLOW,
    continuedFailure: a.failure,
    lastCompletionResult: a.lastCompletionResult,
  });
  m.add('workflowExecutionContinuedAsNewEventAttributes', {
    newExecutionRunId: spec.runId,
    workflowType: { name: spec.workflowType },
    taskQueue: { name: spec.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    input: a.input ?? null,
    workflowRunTimeout: a.workflowRunTimeout ?? null,
    workflowTaskTimeout: a.workflowTaskTimeout ?? null,
    workflowTaskCompletedEventId: ctx.completedEventId,
    backoffStartInterval: a.backoffStartInterval ?? null,
    initiator: spec.initiator,
    failure: a.failure ?? null,
    lastCompletionResult: a.lastCompletionResult ?? null,
    header: a.header ?? null,
    memo: spec.memo ?? null,
    searchAttributes: spec.searchAttributes ?? null,
  });
  closeRun(m, WorkflowStatus.ContinuedAsNew, spec.runId);
  createRun(tx, spec);
  moveUpdates(m, tx, spec.runId);
}

export function terminateRun(m: Mutation, reason: string, details: Payloads | null, identity: string, _newRunId?: string): void {
  forceClosePrelude(m);
  m.add('workflowExecutionTerminatedEventAttributes', { reason, details, identity });
  closeRun(m, WorkflowStatus.Terminated);
}

export function timeoutRun(tx: Tx, m: Mutation): void {
  forceClosePrelude(m);
  const failure: Failure = { message: 'workflow timed out', timeoutFailureInfo: { timeoutType: enums.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE } };
  const runEnded = (m.state.runExpiresAt ?? Infinity) <= m.now && (m.state.executionExpiresAt ?? Infinity) > m.now;
  const retried = runEnded ? retryRun(tx, m, failure) : { newRunId: undefined, retryState: RetryState.TIMEOUT };
  const { retryState } = retried;
  const newRunId = retried.newRunId ?? (runEnded ? startNextCronRun(tx, m, nextRunSpec, { failure }) : undefined);
  m.add('workflowExecutionTimedOutEventAttributes', { retryState, newExecutionRunId: newRunId ?? '' });
  closeRun(m, WorkflowStatus.TimedOut, newRunId);
  if (newRunId) moveUpdates(m, tx, newRunId);
}
