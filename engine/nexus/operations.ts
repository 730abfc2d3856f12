/**
 * Nexus operations on the caller's side: the ScheduleNexusOperation and RequestCancelNexusOperation
 * commands, the events that record each outcome, retries of requests the handler could not serve,
 * and the operation's deadlines. Semantics follow the real server's nexusoperations component.
 */
import { randomUUID } from 'node:crypto';
import type { CommandContext } from '../commands';
import { CommandError } from '../commands';
import type { Mutation } from '../execution';
import { durationMs, enums, msDuration, type Command, type Failure, type Payload } from '../proto';
import { scheduleWorkflowTask } from '../workflowTasks';
import type { NexusDeadline, NexusTimer } from './effects';
import type { NexusOperationState, NexusRequestState } from './operationState';
import type { TemporalLink } from './links';

const CAUSE = enums.WorkflowTaskFailedCause;
const TT = enums.TimeoutType;

/** Pending operations one run may have at once (the real server's default limit). */
const MAX_PENDING_OPERATIONS = 30;
const MAX_NAME_BYTES = 1000;
/** Backoff of retried requests: 1 s doubling up to 1 h, until the operation's own deadline, as on the real server. */
const RETRY_INITIAL_MS = 1000;
const RETRY_MAX_MS = 3_600_000;

type ScheduleAttrs = NonNullable<Command['scheduleNexusOperationCommandAttributes']>;

export function scheduleNexusOperation(ctx: CommandContext, a: ScheduleAttrs, meta: object): void {
  const { m } = ctx;
  const bad = (msg: string) => new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES, msg);
  if (!a.endpoint) throw bad('Endpoint is not set on ScheduleNexusOperationCommand.');
  if (!a.service) throw bad('Service is not set on ScheduleNexusOperationCommand.');
  if (!a.operation) throw bad('Operation is not set on ScheduleNexusOperationCommand.');
  if (Buffer.byteLength(a.service) > MAX_NAME_BYTES || Buffer.byteLength(a.operation) > MAX_NAME_BYTES) {
    throw bad(`Service and Operation names must not exceed ${MAX_NAME_BYTES} bytes.`);
  }
  const endpoint = ctx.engine.nexusEndpoints.byName(a.endpoint);
  // The real server fails the task, so the workflow proceeds once the endpoint is registered.
  if (!endpoint) throw bad(`endpoint "${a.endpoint}" not found`);
  const pending = Object.keys(m.state.nexusOperations ?? {}).length;
  if (pending >= MAX_PENDING_OPERATIONS) {
    throw new CommandError(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_PENDING_NEXUS_OPERATIONS_LIMIT_EXCEEDED, `the workflow has ${pending} pending Nexus operations, the limit is ${MAX_PENDING_OPERATIONS}`);
  }
  let scheduleToClose = durationMs(a.scheduleToCloseTimeout);
  let scheduleToStart = durationMs(a.scheduleToStartTimeout);
  let startToClose = durationMs(a.startToCloseTimeout);
  if (scheduleToClose < 0 || scheduleToStart < 0 || startToClose < 0) throw bad('A negative timeout is set on ScheduleNexusOperationCommand.');
  // Trimmed to the run timeout, as the real server does.
  const runTimeout = m.state.runTimeoutMs;
  if (runTimeout > 0 && (scheduleToClose === 0 || scheduleToClose > runTimeout)) scheduleToClose = runTimeout;
  if (scheduleToClose > 0) {
    if (scheduleToStart > scheduleToClose) scheduleToStart = 0;
    if (startToClose > scheduleToClose) startToClose = 0;
  }
  const requestId = randomUUID();
  const scheduledEventId = m.add(
    'nexusOperationScheduledEventAttributes',
    {
      endpoint: a.endpoint,
      endpointId: endpoint.id,
      service: a.service,
      operation: a.operation,
      input: a.input ?? null,
      scheduleToCloseTimeout: scheduleToClose > 0 ? msDuration(scheduleToClose) : null,
      scheduleToStartTimeout: a.scheduleToStartTimeout ?? null,
      startToCloseTimeout: a.startToCloseTimeout ?? null,
      nexusHeader: a.nexusHeader ?? {},
      workflowTaskCompletedEventId: ctx.completedEventId,
      requestId,
    },
    meta,
  );
  const op: NexusOperationState = {
    scheduledEventId,
    endpointId: endpoint.id,
    endpoint: a.endpoint,
    service: a.service,
    operation: a.operation,
    requestId,
    namespace: endpoint.target.namespace,
    taskQueue: endpoint.target.taskQueue,
    scheduledAt: m.now,
    scheduleToCloseMs: scheduleToClose,
    scheduleToStartMs: scheduleToStart,
    startToCloseMs: startToClose,
    start: { phase: 'queued', attempt: 1 },
  };
  m.state.nexusOperations = { ...(m.state.nexusOperations ?? {}), [scheduledEventId]: op };
}

export function requestCancelNexusOperation(ctx: CommandContext, scheduledEventId: number): void {
  const { m } = ctx;
  const op = m.state.nexusOperations?.[scheduledEventId];
  if (!op || op.cancelRequestedEventId !== undefined) {
    throw new CommandError(
      CAUSE.WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_NEXUS_OPERATION_ATTRIBUTES,
      `Nexus operation with scheduled event id ${scheduledEventId} is not pending or its cancellation was already requested.`,
    );
  }
  op.cancelRequestedEventId = m.add('nexusOperationCancelRequestedEventAttributes', { scheduledEventId, workflowTaskCompletedEventId: ctx.completedEventId });
  if (op.operationToken !== undefined) {
    op.cancel = { phase: 'queued', attempt: 1 };
    return;
  }
  // Not started yet (queued, backing off, or a start request out): the operation ends here, as on
  // the real server, and the workflow gets a task to see it. A late answer to the request finds nothing.
  const cause: Failure = { message: 'operation canceled before started', source: 'Server', canceledFailureInfo: {} };
  m.add('nexusOperationCanceledEventAttributes', { scheduledEventId, failure: operationFailure(op, cause), requestId: op.requestId });
  forget(m, op);
  ctx.needsWorkflowTask = true;
}

/** The failure the caller's workflow sees, wrapping what went wrong inside the operation. */
export function operationFailure(op: NexusOperationState, cause: Failure | null): Failure {
  return {
    message: 'nexus operation completed unsuccessfully',
    source: 'Server',
    nexusOperationExecutionFailureInfo: {
      scheduledEventId: op.scheduledEventId,
      endpoint: op.endpoint,
      service: op.service,
      operation: op.operation,
      operationId: op.operationToken ?? '',
      operationToken: op.operationToken ?? '',
    },
    cause,
  };
}

function forget(m: Mutation, op: NexusOperationState): void {
  const ops = { ...(m.state.nexusOperations ?? {}) };
  delete ops[op.scheduledEventId];
  m.state.nexusOperations = Object.keys(ops).length > 0 ? ops : undefined;
}

function finish(m: Mutation, op: NexusOperationState): void {
  forget(m, op);
  scheduleWorkflowTask(m);
}

/** `links` point at what the handler started (the backing workflow), for tools that follow them. */
export function started(m: Mutation, op: NexusOperationState, operationToken: string, links: TemporalLink[] = []): void {
  m.add(
    'nexusOperationStartedEventAttributes',
    { scheduledEventId: op.scheduledEventId, operationId: operationToken, operationToken, requestId: op.requestId },
    links.length > 0 ? { links } : {},
  );
  op.start = undefined;
  op.startedAt = m.now;
  op.operationToken = operationToken;
  if (op.cancelRequestedEventId !== undefined) op.cancel = { phase: 'queued', attempt: 1 };
  scheduleWorkflowTask(m);
}

export function completed(m: Mutation, op: NexusOperationState, result: Payload | null): void {
  m.add('nexusOperationCompletedEventAttributes', { scheduledEventId: op.scheduledEventId, result, requestId: op.requestId });
  finish(m, op);
}

export function failed(m: Mutation, op: NexusOperationState, cause: Failure | null): void {
  m.add('nexusOperationFailedEventAttributes', { scheduledEventId: op.scheduledEventId, failure: operationFailure(op, cause), requestId: op.requestId });
  finish(m, op);
}

export function canceled(m: Mutation, op: NexusOperationState, cause: Failure | null): void {
  m.add('nexusOperationCanceledEventAttributes', { scheduledEventId: op.scheduledEventId, failure: operationFailure(op, cause), requestId: op.requestId });
  finish(m, op);
}

function timedOut(m: Mutation, op: NexusOperationState, type: number): void {
  const cause: Failure = { message: 'operation timed out', source: 'Server', timeoutFailureInfo: { timeoutType: type } };
  m.add('nexusOperationTimedOutEventAttributes', { scheduledEventId: op.scheduledEventId, failure: operationFailure(op, cause), requestId: op.requestId });
  finish(m, op);
}

/** The handler accepted the cancellation. */
export function cancelDelivered(m: Mutation, op: NexusOperationState): void {
  m.add('nexusOperationCancelRequestCompletedEventAttributes', { scheduledEventId: op.scheduledEventId, requestedEventId: op.cancelRequestedEventId ?? 0 });
  op.cancel = undefined;
  scheduleWorkflowTask(m);
}

function cancelRefused(m: Mutation, op: NexusOperationState, failure: Failure): void {
  m.add('nexusOperationCancelRequestFailedEventAttributes', { scheduledEventId: op.scheduledEventId, requestedEventId: op.cancelRequestedEventId ?? 0, failure });
  op.cancel = undefined;
  scheduleWorkflowTask(m);
}

/**
 * A request (start or cancel) failed: retry it with backoff while the operation has time left,
 * or give up and record the failure.
 */
export function requestFailed(m: Mutation, op: NexusOperationState, which: 'start' | 'cancel', failure: Failure, retryable: boolean): void {
  const r = op[which];
  if (!r) return;
  if (!retryable) {
    if (which === 'start') failed(m, op, failure);
    else cancelRefused(m, op, failure);
    return;
  }
  const backoff = Math.min(RETRY_INITIAL_MS * 2 ** (r.attempt - 1), RETRY_MAX_MS);
  const next: NexusRequestState = { phase: 'backoff', attempt: r.attempt + 1, backoffUntil: m.now + backoff, lastFailure: failure };
  // Past the operation's deadline the schedule-to-close timeout ends it instead.
  op[which] = next;
  m.touch();
}

export function nexusDeadlinePassed(m: Mutation, t: NexusTimer): void {
  const op = m.state.nexusOperations?.[t.scheduledEventId];
  if (!op) return;
  const handlers: Record<NexusDeadline, () => void> = {
    scheduleToClose: () => timedOut(m, op, TT.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE),
    scheduleToStart: () => timedOut(m, op, TT.TIMEOUT_TYPE_SCHEDULE_TO_START),
    startToClose: () => timedOut(m, op, TT.TIMEOUT_TYPE_START_TO_CLOSE),
    startRequest: () => requestFailed(m, op, 'start', requestTimeoutFailure(), true),
    cancelRequest: () => requestFailed(m, op, 'cancel', requestTimeoutFailure(), true),
    startBackoff: () => requeue(m, op.start),
    cancelBackoff: () => requeue(m, op.cancel),
  };
  handlers[t.deadline]();
}

function requestTimeoutFailure(): Failure {
  return { message: 'the handler worker did not answer the request in time', source: 'Server', nexusHandlerFailureInfo: { type: 'UPSTREAM_TIMEOUT' } };
}

function requeue(m: Mutation, r: NexusRequestState | undefined): void {
  if (!r || r.phase !== 'backoff') return;
  r.phase = 'queued';
  r.backoffUntil = undefined;
  m.touch();
}
