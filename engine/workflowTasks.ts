/**
 * Workflow tasks: scheduling, handing one to a poller ("started"), and the ways one ends
 * without completing (failed, timed out, sticky queue not polled).
 */
import { randomUUID } from 'node:crypto';
import type { CallContext } from './grpcServer';
import type { Engine } from './engine';
import { invalidArgument, notFound } from './errors';
import type { Execution, Mutation, QueryEntry, UpdateEntry } from './execution';
import type { TaskRef } from './matching';
import { enums, msDuration, msTimestamp, packAny, temporal, type Failure, type HistoryEvent, type Plain } from './proto';
import { isRunning } from './state';
import { decodeToken, encodePageToken, encodeToken } from './tokens';
import { legacyQueryTask } from './queries';
import { dropsRepeatedFailure, workflowTaskAttemptTimeoutMs } from './workflowTaskAttempts';

import WS = temporal.api.workflowservice.v1;
type PollRequest = Plain<WS.PollWorkflowTaskQueueRequest.$Properties>;
type PollResponse = Plain<WS.PollWorkflowTaskQueueResponse.$Properties>;
type FailedRequest = Plain<WS.RespondWorkflowTaskFailedRequest.$Properties>;

export const HISTORY_PAGE_SIZE = 1000;
const SUGGEST_CONTINUE_AS_NEW_EVENTS = 10_240;
const SUGGEST_CONTINUE_AS_NEW_BYTES = 4 * 1024 * 1024;
const FAILED_CAUSE = enums.WorkflowTaskFailedCause;

/** Schedules a workflow task unless one is already pending (or the start is still delayed). */
export function scheduleWorkflowTask(m: Mutation, attempt = 1): void {
  const s = m.state;
  if (!isRunning(s) || s.wft || s.firstWftPending) return;
  const sticky = s.sticky;
  const taskQueue = sticky
    ? { name: sticky.queue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: s.taskQueue }
    : { name: s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL };
  const scheduledEventId = m.add('workflowTaskScheduledEventAttributes', {
    taskQueue,
    startToCloseTimeout: msDuration(workflowTaskAttemptTimeoutMs(s.workflowTaskTimeoutMs, attempt)),
    attempt,
  });
  s.wft = {
    scheduledEventId,
    attempt,
    scheduledAt: m.now,
    stickyQueue: sticky?.queue,
    stickyTimeoutMs: sticky?.timeoutMs,
  };
}

/** The task in flight ended without completing: record why, release what it carried, and schedule the next attempt. */
export function endWorkflowTaskAttempt(
  m: Mutation,
  how: { failed: { cause: number; failure?: Failure | null; identity?: string | null; binaryChecksum?: string | null } } | { timedOut: true },
): void {
  const s = m.state;
  const wft = s.wft;
  if (!wft || wft.startedEventId === undefined) return;
  if ('failed' in how) {
    m.add('workflowTaskFailedEventAttributes', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      cause: how.failed.cause,
      failure: how.failed.failure ?? null,
      identity: how.failed.identity ?? '',
      binaryChecksum: how.failed.binaryChecksum ?? '',
    });
  } else {
    m.add('workflowTaskTimedOutEventAttributes', {
      scheduledEventId: wft.scheduledEventId,
      startedEventId: wft.startedEventId,
      timeoutType: enums.TimeoutType.TIMEOUT_TYPE_START_TO_CLOSE,
    });
  }
  s.wft = undefined;
  // The worker that failed may have lost its cache; the next attempt goes to the normal queue.
  s.sticky = undefined;
  returnUndeliveredWork(m, wft.scheduledEventId);
  m.flushBuffered();
  scheduleWorkflowTask(m, wft.attempt + 1);
}

/** Updates and queries that rode on a task that did not complete go out again with the next one. */
export function returnUndeliveredWork(m: Mutation, scheduledEventId: number): void {
  const exec = m.exec;
  m.afterCommit.push(() => {
    for (const u of exec.updates.values()) if (u.phase === 'sent' && u.sentWith === scheduledEventId) u.phase = 'admitted';
    for (const q of exec.queries.values()) if (q.phase === 'dispatched' && q.sentWith === scheduledEventId) q.phase = 'buffered';
  });
}

export async function pollWorkflowTaskQueue(engine: Engine, req: PollRequest, ctx: CallContext): Promise<PollResponse> {
  const ns = engine.namespaces.get(req.namespace);
  const queueName = req.taskQueue?.name;
  if (!queueName) throw invalidArgument('TaskQueue is not set on request.');
  const identity = req.identity ?? '';
  const stopAt = Date.now() + engine.pollWaitMs(ctx.deadline);
  for (;;) {
    const task = await engine.matching.poll(ns.name, 'workflow', queueName, identity, stopAt - Date.now(), ctx.signal);
    if (!task) return {};
    if (ctx.signal.aborted) {
      // The caller left between hand-over and now; keep the task for the next poller.
      engine.matching.requeue(ns.name, 'workflow', queueName, taskKey(task, queueName), task);
      return {};
    }
    const response = task.type === 'query' ? await legacyQueryTask(engine, task) : task.type === 'workflow' ? await startWorkflowTask(engine, task, identity, queueName) : undefined;
    if (response) return response;
    if (Date.now() >= stopAt) return {};
  }
}

function taskKey(task: TaskRef, queueName: string): string {
  if (task.type === 'query') return `query:${task.queryId}`;
  if (task.type === 'workflow') return `wft:${task.runId}:${task.scheduledEventId}:${task.attempt}:${queueName}`;
  return 'scheduledEventId' in task ? `act:${task.runId}:${task.scheduledEventId}:${task.attempt}` : `${task.type}:${task.runId}:${task.attempt}`;
}

/** Records the task as started and builds what the worker receives; undefined when the task went stale. */
async function startWorkflowTask(
  engine: Engine,
  ref: Extract<TaskRef, { type: 'workflow' }>,
  identity: string,
  queueName: string,
): Promise<PollResponse | undefined> {
  const started = await engine.transact(ref.namespace, ref.workflowId, async (tx) => {
    const m = await tx.tryRun(ref.runId);
    if (!m) return undefined;
    const s = m.state;
    const wft = s.wft;
    if (!isRunning(s) || !wft || wft.scheduledEventId !== ref.scheduledEventId || wft.attempt !== ref.attempt || wft.startedAt !== undefined) {
      return undefined;
    }
    return recordWorkflowTaskStarted(m, identity);
  });
  if (!started) return undefined;
  return workflowTaskResponse(engine, started, ref.sticky, queueName);
}

/** What a started workflow task hands to its worker once the start is committed. */
export interface StartedWorkflowTask {
  exec: Execution;
  scheduledEventId: number;
  startedEventId: number;
  updates: UpdateEntry[];
  queries: QueryEntry[];
  attempt: number;
  scheduledAt: number;
  startedAt: number;
}

/** Writes WorkflowTaskStarted for the run's scheduled task and takes the updates and queries it carries. */
export function recordWorkflowTaskStarted(m: Mutation, identity: string): StartedWorkflowTask {
  const s = m.state;
  const wft = s.wft!;
  const startedEventId = m.add('workflowTaskStartedEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    identity,
    requestId: randomUUID(),
    historySizeBytes: s.historySizeBytes,
    suggestContinueAsNew: s.nextEventId >= SUGGEST_CONTINUE_AS_NEW_EVENTS || s.historySizeBytes >= SUGGEST_CONTINUE_AS_NEW_BYTES,
  });
  wft.startedEventId = startedEventId;
  wft.startedAt = m.now;
  wft.identity = identity;
  const exec = m.exec;
  const updates = [...exec.updates.values()].filter((u) => u.phase === 'admitted');
  const queries = [...exec.queries.values()].filter((q) => q.phase === 'buffered');
  m.afterCommit.push(() => {
    for (const u of updates) {
      u.phase = 'sent';
      u.sentWith = wft.scheduledEventId;
    }
    for (const q of queries) {
      q.phase = 'dispatched';
      q.sentWith = wft.scheduledEventId;
    }
  });
  return { exec, scheduledEventId: wft.scheduledEventId, startedEventId, updates, queries, attempt: wft.attempt, scheduledAt: wft.scheduledAt, startedAt: m.now };
}

/** The poll response for a started task: full history, or from the last completed task on the worker's sticky queue. */
export function workflowTaskResponse(engine: Engine, started: StartedWorkflowTask, stickyTask: boolean, queueName: string): PollResponse {
  const { exec, startedEventId } = started;
  const s = exec.state;
  const sticky = stickyTask && s.sticky?.queue === queueName;
  const firstEventId = sticky ? s.lastCompletedWftStartedEventId + 1 : 1;
  const { events, nextPageToken } = historyPage(exec, firstEventId, startedEventId + 1);
  return {
    taskToken: encodeToken({ k: 'w', ns: s.namespace, wid: s.workflowId, rid: s.runId, sid: started.scheduledEventId, att: started.attempt, st: startedEventId }),
    workflowExecution: { workflowId: s.workflowId, runId: s.runId },
    workflowType: { name: s.workflowType },
    previousStartedEventId: s.lastCompletedWftStartedEventId,
    startedEventId,
    attempt: started.attempt,
    backlogCountHint: engine.matching.backlog(s.namespace, 'workflow', queueName),
    history: { events },
    nextPageToken,
    workflowExecutionTaskQueue: { name: s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
    scheduledTime: msTimestamp(started.scheduledAt),
    startedTime: msTimestamp(started.startedAt),
    queries: Object.fromEntries(started.queries.map((q) => [q.queryId, q.query])),
    messages: started.updates.map((u) => ({
      id: `${u.updateId}/request`,
      protocolInstanceId: u.updateId,
      eventId: startedEventId - 1,
      body: packAny('temporal.api.update.v1.Request', u.request),
    })),
  };
}

/** Events [from, until) of a run, at most one page, with a token for the rest of the range. */
export function historyPage(exec: Execution, from: number, until: number): { events: HistoryEvent[]; nextPageToken?: Buffer } {
  const end = Math.min(until, from + HISTORY_PAGE_SIZE);
  const events = exec.events.slice(from - 1, end - 1);
  if (end >= until) return { events };
  return { events, nextPageToken: encodePageToken({ rid: exec.runId, next: end, until }) };
}

export async function respondWorkflowTaskFailed(engine: Engine, req: FailedRequest): Promise<object> {
  const token = decodeToken(req.taskToken, 'w');
  await engine.transact(token.ns, token.wid, async (tx) => {
    const m = await tx.run(token.rid);
    const wft = m.state.wft;
    if (!isRunning(m.state) || !wft || wft.scheduledEventId !== token.sid || wft.startedEventId !== token.st || dropsRepeatedFailure(wft, req.cause)) {
      throw notFound('Workflow task not found.');
    }
    endWorkflowTaskAttempt(m, {
      failed: {
        cause: req.cause ?? FAILED_CAUSE.WORKFLOW_TASK_FAILED_CAUSE_UNSPECIFIED,
        failure: req.failure,
        identity: req.identity,
        binaryChecksum: req.binaryChecksum,
      },
    });
  });
  return {};
}

/** A sticky queue nobody polled in time: offer the task on the normal queue instead. */
export function stickyTimedOut(m: Mutation): void {
  const wft = m.state.wft;
  if (!wft || wft.startedAt !== undefined) return;
  wft.stickyQueue = undefined;
  wft.stickyTimeoutMs = undefined;
  m.state.sticky = undefined;
  m.touch();
}
