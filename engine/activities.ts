/**
 * Activity tasks: handed to pollers, heartbeated, completed, failed (retried by the server's
 * retry policy), cancelled, and timed out. Intermediate attempts leave no trace in history:
 * only the final outcome writes ActivityTaskStarted plus the closing event, as on the real server.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext } from './grpcServer';
import type { Engine } from './engine';
import { invalidArgument, notFound } from './errors';
import type { Mutation } from './execution';
import type { TaskRef } from './matching';
import { enums, msDuration, msTimestamp, temporal, type Failure, type Payloads, type Plain } from './proto';
import { decideRetry, RetryState, retryPolicyMessage } from './retry';
import { isRunning, type ActivityState } from './state';
import { decodeToken, encodeToken } from './tokens';
import { scheduleWorkflowTask } from './workflowTasks';
import { taskKey as standaloneTaskKey } from './standalone/token';

import WS = temporal.api.workflowservice.v1;
type PollRequest = Plain<WS.PollActivityTaskQueueRequest.$Properties>;
type PollResponse = Plain<WS.PollActivityTaskQueueResponse.$Properties>;

const TT = enums.TimeoutType;

export async function pollActivityTaskQueue(engine: Engine, req: PollRequest, ctx: CallContext): Promise<PollResponse> {
  const ns = engine.namespaces.get(req.namespace);
  const queueName = req.taskQueue?.name;
  if (!queueName) throw invalidArgument('TaskQueue is not set on request.');
  const identity = req.identity ?? '';
  const stopAt = Date.now() + engine.pollWaitMs(ctx.deadline);
  for (;;) {
    const task = await engine.matching.poll(ns.name, 'activity', queueName, identity, stopAt - Date.now(), ctx.signal);
    if (!task) return {};
    if (task.type === 'standaloneActivity') {
      if (ctx.signal.aborted) {
        engine.matching.requeue(ns.name, 'activity', queueName, standaloneTaskKey(task), task);
        return {};
      }
      const started = await engine.standaloneActivities.startTask(task, identity);
      if (started) return started;
      if (Date.now() >= stopAt) return {};
      continue;
    }
    if (task.type !== 'activity') continue;
    if (ctx.signal.aborted) {
      engine.matching.requeue(ns.name, 'activity', queueName, `act:${task.runId}:${task.scheduledEventId}:${task.attempt}`, task);
      return {};
    }
    const response = await startActivityTask(engine, task, identity);
    if (response) return response;
    if (Date.now() >= stopAt) return {};
  }
}

async function startActivityTask(engine: Engine, ref: Extract<TaskRef, { type: 'activity' }>, identity: string): Promise<PollResponse | undefined> {
  return engine.transact(ref.namespace, ref.workflowId, async (tx) => {
    const m = await tx.tryRun(ref.runId);
    if (!m || !isRunning(m.state)) return undefined;
    const a = m.state.activities[ref.scheduledEventId];
    if (!a || a.phase !== 'scheduled' || a.attempt !== ref.attempt) return undefined;
    a.phase = 'started';
    a.startedAt = m.now;
    a.startedIdentity = identity;
    a.startedRequestId = randomUUID();
    a.lastWorkerIdentity = identity;
    a.lastHeartbeatAt = undefined;
    m.touch();
    const scheduled = m.exec.event(a.scheduledEventId)?.activityTaskScheduledEventAttributes;
    const s = m.state;
    return {
      taskToken: encodeToken({ k: 'a', ns: s.namespace, wid: s.workflowId, rid: s.runId, sid: a.scheduledEventId, att: a.attempt, aid: a.activityId }),
      workflowNamespace: s.namespace,
      workflowType: { name: s.workflowType },
      workflowExecution: { workflowId: s.workflowId, runId: s.runId },
      activityType: { name: a.activityType },
      activityId: a.activityId,
      header: scheduled?.header ?? null,
      input: scheduled?.input ?? null,
      heartbeatDetails: a.heartbeatDetails ?? null,
      scheduledTime: msTimestamp(a.scheduledAt),
      currentAttemptScheduledTime: msTimestamp(a.attemptScheduledAt),
      startedTime: msTimestamp(a.startedAt),
      attempt: a.attempt,
      scheduleToCloseTimeout: msDuration(a.scheduleToCloseMs),
      startToCloseTimeout: msDuration(a.startToCloseMs),
      heartbeatTimeout: msDuration(a.heartbeatMs),
      retryPolicy: retryPolicyMessage(a.retry),
      priority: scheduled?.priority ?? null,
    };
  });
}

/** Identifies the running attempt a worker talks about, by task token or by workflow + activity id. */
export type ActivityAddress =
  | { taskToken: Uint8Array | null | undefined }
  | { namespace?: string | null; workflowId?: string | null; runId?: string | null; activityId?: string | null };

interface Located {
  namespace: string;
  workflowId: string;
  runId?: string;
  find(m: Mutation): ActivityState | undefined;
}

function locate(engine: Engine, addr: ActivityAddress): Located {
  if ('taskToken' in addr) {
    const t = decodeToken(addr.taskToken, 'a');
    return {
      namespace: t.ns,
      workflowId: t.wid,
      runId: t.rid,
      find: (m) => {
        const a = m.state.activities[t.sid];
        return a && a.attempt === t.att && a.phase === 'started' ? a : undefined;
      },
    };
  }
  const namespace = engine.namespaces.get(addr.namespace).name;
  if (!addr.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  if (!addr.activityId) throw invalidArgument('ActivityId is not set on request.');
  return {
    namespace,
    workflowId: addr.workflowId,
    runId: addr.runId || undefined,
    find: (m) => Object.values(m.state.activities).find((a) => a.activityId === addr.activityId && a.phase === 'started'),
  };
}

/** Runs `fn` on the addressed attempt, or answers NOT_FOUND like the real server when it is gone. */
async function withActivity<T>(engine: Engine, addr: ActivityAddress, fn: (m: Mutation, a: ActivityState) => T): Promise<T> {
  const where = locate(engine, addr);
  return engine.transact(where.namespace, where.workflowId, async (tx) => {
    const m = await tx.run(where.runId);
    const a = isRunning(m.state) ? where.find(m) : undefined;
    if (!a) throw notFound('activity task not found: it completed, timed out, or its workflow closed');
    return fn(m, a);
  });
}

export function recordHeartbeat(engine: Engine, addr: ActivityAddress, details: Payloads | null | undefined): Promise<{ cancelRequested: boolean }> {
  return withActivity(engine, addr, (m, a) => {
    a.lastHeartbeatAt = m.now;
    if (details) a.heartbeatDetails = details;
    m.touch();
    return { cancelRequested: a.cancelRequested };
  });
}

function writeStarted(m: Mutation, a: ActivityState): number {
  return m.add('activityTaskStartedEventAttributes', {
    scheduledEventId: a.scheduledEventId,
    identity: a.startedIdentity ?? '',
    requestId: a.startedRequestId ?? '',
    attempt: a.attempt,
    lastFailure: a.lastFailure ?? null,
  });
}

/** The activity is finished for good: drop it from pending and let the workflow see the outcome. */
function finish(m: Mutation, a: ActivityState): void {
  delete m.state.activities[a.scheduledEventId];
  scheduleWorkflowTask(m);
}

export function completeActivity(engine: Engine, addr: ActivityAddress, result: Payloads | null | undefined, identity: string): Promise<object> {
  return withActivity(engine, addr, (m, a) => {
    const startedEventId = writeStarted(m, a);
    m.add('activityTaskCompletedEventAttributes', { result: result ?? null, scheduledEventId: a.scheduledEventId, startedEventId, identity });
    finish(m, a);
    return {};
  });
}

export function cancelActivity(engine: Engine, addr: ActivityAddress, details: Payloads | null | undefined, identity: string): Promise<object> {
  return withActivity(engine, addr, (m, a) => {
    const startedEventId = writeStarted(m, a);
    m.add('activityTaskCanceledEventAttributes', {
      details: details ?? null,
      latestCancelRequestedEventId: a.cancelRequestedEventId ?? 0,
      scheduledEventId: a.scheduledEventId,
      startedEventId,
      identity,
    });
    finish(m, a);
    return {};
  });
}

export function failActivity(
  engine: Engine,
  addr: ActivityAddress,
  failure: Failure | null | undefined,
  lastHeartbeatDetails: Payloads | null | undefined,
  identity: string,
): Promise<{ failures: Failure[] }> {
  return withActivity(engine, addr, (m, a) => {
    if (lastHeartbeatDetails) a.heartbeatDetails = lastHeartbeatDetails;
    endAttempt(m, a, failure ?? { message: 'activity failed' }, 'activityTaskFailedEventAttributes', identity);
    return { failures: [] };
  });
}

function expiresAt(a: ActivityState): number | undefined {
  return a.scheduleToCloseMs > 0 ? a.scheduledAt + a.scheduleToCloseMs : undefined;
}

/** A started attempt failed or timed out: retry under the policy, or record the final failure. */
function endAttempt(
  m: Mutation,
  a: ActivityState,
  failure: Failure,
  event: 'activityTaskFailedEventAttributes' | 'activityTaskTimedOutEventAttributes',
  identity: string,
): void {
  const decision = decideRetry(a.retry, a.attempt, failure, m.now, expiresAt(a));
  if (decision.retry) {
    a.phase = 'backoff';
    a.attempt += 1;
    a.backoffUntil = m.now + decision.backoffMs;
    a.lastFailure = failure;
    a.startedAt = undefined;
    a.lastHeartbeatAt = undefined;
    m.touch();
    return;
  }
  const startedEventId = writeStarted(m, a);
  if (event === 'activityTaskFailedEventAttributes') {
    m.add(event, { failure, scheduledEventId: a.scheduledEventId, startedEventId, identity, retryState: decision.retryState });
  } else {
    m.add(event, { failure, scheduledEventId: a.scheduledEventId, startedEventId, retryState: decision.retryState });
  }
  finish(m, a);
}

export function timeoutFailure(type: temporal.api.enums.v1.TimeoutType, a: ActivityState): Failure {
  const names: Record<number, string> = {
    [TT.TIMEOUT_TYPE_START_TO_CLOSE]: 'StartToClose',
    [TT.TIMEOUT_TYPE_SCHEDULE_TO_START]: 'ScheduleToStart',
    [TT.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE]: 'ScheduleToClose',
    [TT.TIMEOUT_TYPE_HEARTBEAT]: 'Heartbeat',
  };
  return {
    message: `activity ${names[type]} timeout`,
    source: 'Server',
    timeoutFailureInfo: { timeoutType: type, lastHeartbeatDetails: a.heartbeatDetails ?? null },
    cause: type === TT.TIMEOUT_TYPE_START_TO_CLOSE || type === TT.TIMEOUT_TYPE_HEARTBEAT ? null : (a.lastFailure ?? null),
  };
}

/** A per-attempt timeout (start-to-close or heartbeat) fired for a running attempt. */
export function attemptTimedOut(m: Mutation, a: ActivityState, type: temporal.api.enums.v1.TimeoutType): void {
  endAttempt(m, a, timeoutFailure(type, a), 'activityTaskTimedOutEventAttributes', '');
}

/** A whole-activity timeout (schedule-to-start or schedule-to-close): no further attempts. */
export function activityTimedOut(m: Mutation, a: ActivityState, type: temporal.api.enums.v1.TimeoutType): void {
  const startedEventId = a.phase === 'started' ? writeStarted(m, a) : 0;
  m.add('activityTaskTimedOutEventAttributes', {
    failure: timeoutFailure(type, a),
    scheduledEventId: a.scheduledEventId,
    startedEventId,
    retryState: type === TT.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE ? RetryState.TIMEOUT : RetryState.NON_RETRYABLE_FAILURE,
  });
  finish(m, a);
}

/** The backoff of a retried activity is over: offer the next attempt. */
export function retryDue(m: Mutation, a: ActivityState): void {
  a.phase = 'scheduled';
  a.backoffUntil = undefined;
  a.attemptScheduledAt = m.now;
  m.touch();
}
