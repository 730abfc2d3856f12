/** Reading runs: history (paged, long-polled, reversed), Describe, List/Count/Scan. */
import type { CallContext } from './grpcServer';
import type { Engine } from './engine';
import { invalidArgument, workflowNotFound } from './errors';
import type { Execution } from './execution';
import { enums, msDuration, msTimestamp, temporal, type HistoryEvent, type Plain } from './proto';
import { isRunning } from './state';
import { decodePageToken, encodePageToken } from './tokens';
import { executionInfo } from './visibilityEntry';
import { compileVisibilityQuery, VisibilityQueryError, type SearchAttributeType, type VisibilityRecord } from './visibility';
import { indexedValueType, SYSTEM_SEARCH_ATTRIBUTES, type SearchAttributeTypeName } from './namespaces';
import { sortKeyOf, type VisibilityPage, type VisibilityQuery } from './store/store';
import { resetPointsOf } from './reset/resetPoints';

import WS = temporal.api.workflowservice.v1;
import { describeNexus } from './nexus/describe';
type HistoryRequest = Plain<WS.GetWorkflowExecutionHistoryRequest.$Properties>;
type HistoryResponse = Plain<WS.GetWorkflowExecutionHistoryResponse.$Properties>;

const DEFAULT_PAGE = 1000;
const FILTER = enums.HistoryEventFilterType;

interface HistoryToken {
  rid: string;
  next: number;
  until?: number;
}

async function loadRun(engine: Engine, namespace: string | null | undefined, execution: { workflowId?: string | null; runId?: string | null } | null | undefined): Promise<Execution> {
  const ns = engine.namespaces.get(namespace);
  const workflowId = execution?.workflowId;
  if (!workflowId) throw invalidArgument('WorkflowId is not set on request.');
  const exec = await engine.load(ns.name, workflowId, execution?.runId || undefined);
  if (!exec) throw workflowNotFound(workflowId, execution?.runId);
  return exec;
}

export async function getWorkflowExecutionHistory(engine: Engine, req: HistoryRequest, ctx: CallContext): Promise<HistoryResponse> {
  const token = decodePageToken<HistoryToken>(req.nextPageToken);
  const exec = await loadRun(engine, req.namespace, { workflowId: req.execution?.workflowId, runId: token?.rid ?? req.execution?.runId });
  const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : DEFAULT_PAGE;

  if (req.historyEventFilterType === FILTER.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT) {
    if (isRunning(exec.state) && req.waitNewEvent) await engine.waitForHistoryUntilClosed(exec, ctx);
    if (isRunning(exec.state)) {
      // Still open: an empty page with a token tells the client to keep waiting.
      return { history: { events: [] }, nextPageToken: encodePageToken({ rid: exec.runId, next: exec.state.nextEventId }) };
    }
    const close = exec.event(exec.state.closeEventId ?? exec.state.nextEventId - 1);
    return { history: { events: close ? [close] : [] } };
  }

  let next = token?.next ?? 1;
  const until = token?.until;
  if (req.waitNewEvent && isRunning(exec.state) && next >= exec.state.nextEventId && until === undefined) {
    await engine.waitForHistory(exec, engine.pollWaitMs(ctx.deadline), ctx.signal);
  }
  const limit = Math.min(until ?? Infinity, exec.state.nextEventId);
  const end = Math.min(limit, next + pageSize);
  const events = exec.events.slice(next - 1, end - 1);
  next = end;
  const more = next < limit || (until === undefined && req.waitNewEvent && isRunning(exec.state));
  return {
    history: { events },
    nextPageToken: more ? encodePageToken({ rid: exec.runId, next, until }) : undefined,
  };
}

export async function getWorkflowExecutionHistoryReverse(
  engine: Engine,
  req: Plain<WS.GetWorkflowExecutionHistoryReverseRequest.$Properties>,
): Promise<Plain<WS.GetWorkflowExecutionHistoryReverseResponse.$Properties>> {
  const token = decodePageToken<HistoryToken>(req.nextPageToken);
  const exec = await loadRun(engine, req.namespace, { workflowId: req.execution?.workflowId, runId: token?.rid ?? req.execution?.runId });
  const pageSize = req.maximumPageSize && req.maximumPageSize > 0 ? req.maximumPageSize : DEFAULT_PAGE;
  const top = token?.next ?? exec.state.nextEventId - 1;
  const bottom = Math.max(1, top - pageSize + 1);
  const events: HistoryEvent[] = exec.events.slice(bottom - 1, top).reverse();
  return { history: { events }, nextPageToken: bottom > 1 ? encodePageToken({ rid: exec.runId, next: bottom - 1 }) : undefined };
}

const PA = enums.PendingActivityState;

export async function describeWorkflowExecution(
  engine: Engine,
  req: Plain<WS.DescribeWorkflowExecutionRequest.$Properties>,
): Promise<Plain<WS.DescribeWorkflowExecutionResponse.$Properties>> {
  const exec = await loadRun(engine, req.namespace, req.execution);
  const s = exec.state;
  return {
    executionConfig: {
      taskQueue: { name: s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      workflowExecutionTimeout: msDuration(s.executionTimeoutMs),
      workflowRunTimeout: msDuration(s.runTimeoutMs),
      defaultWorkflowTaskTimeout: msDuration(s.workflowTaskTimeoutMs),
      userMetadata: exec.events[0]?.userMetadata ?? null,
    },
    workflowExecutionInfo: { ...executionInfo(s), autoResetPoints: resetPointsOf(exec) },
    pendingActivities: Object.values(s.activities).map((a) => ({
      activityId: a.activityId,
      activityType: { name: a.activityType },
      state: a.cancelRequested ? PA.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED : a.phase === 'started' ? PA.PENDING_ACTIVITY_STATE_STARTED : PA.PENDING_ACTIVITY_STATE_SCHEDULED,
      heartbeatDetails: a.heartbeatDetails ?? null,
      lastHeartbeatTime: a.lastHeartbeatAt !== undefined ? msTimestamp(a.lastHeartbeatAt) : null,
      lastStartedTime: a.startedAt !== undefined ? msTimestamp(a.startedAt) : null,
      attempt: a.attempt,
      maximumAttempts: a.retry.maximumAttempts,
      scheduledTime: msTimestamp(a.attemptScheduledAt),
      expirationTime: a.scheduleToCloseMs > 0 ? msTimestamp(a.scheduledAt + a.scheduleToCloseMs) : null,
      lastFailure: a.lastFailure ?? null,
      lastWorkerIdentity: a.lastWorkerIdentity ?? '',
      nextAttemptScheduleTime: a.backoffUntil !== undefined ? msTimestamp(a.backoffUntil) : null,
    })),
    pendingChildren: Object.values(s.children).map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId ?? '',
      workflowTypeName: c.workflowType,
      initiatedId: c.initiatedEventId,
      parentClosePolicy: c.parentClosePolicy,
    })),
    pendingWorkflowTask:
      s.wft && isRunning(s)
        ? {
            state: s.wft.startedAt !== undefined ? enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED : enums.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_SCHEDULED,
            scheduledTime: msTimestamp(s.wft.scheduledAt),
            originalScheduledTime: msTimestamp(s.wft.scheduledAt),
            startedTime: s.wft.startedAt !== undefined ? msTimestamp(s.wft.startedAt) : null,
            attempt: s.wft.attempt,
          }
        : null,
    ...describeNexus(s, s.closeTime),
  };
}

/** Compiles a visibility query against a namespace's attributes; syntax errors become INVALID_ARGUMENT. */
export function compileQueryFor(engine: Engine, namespace: string, query: string): VisibilityQuery {
  const ns = engine.namespaces.get(namespace);
  const custom = new Map<string, SearchAttributeType>(
    Object.entries({ ...SYSTEM_SEARCH_ATTRIBUTES, ...ns.searchAttributes }).map(([name, type]) => [name, type as SearchAttributeType]),
  );
  try {
    const compiled = compileVisibilityQuery(query, custom);
    return {
      ast: compiled.ast,
      matches: (r) => compiled.matches(r as VisibilityRecord),
      compare: (a, b) => compiled.compare(a as VisibilityRecord, b as VisibilityRecord),
    };
  } catch (err) {
    if (err instanceof VisibilityQueryError) throw invalidArgument(`invalid query: ${err.message}`);
    throw err;
  }
}

export async function listWorkflowExecutions(
  engine: Engine,
  req: Plain<WS.ListWorkflowExecutionsRequest.$Properties>,
): Promise<Plain<WS.ListWorkflowExecutionsResponse.$Properties>> {
  const ns = engine.namespaces.get(req.namespace);
  const query = compileQueryFor(engine, ns.name, req.query ?? '');
  const from = decodePageToken<VisibilityPage>(req.nextPageToken) ?? { offset: 0 };
  const pageSize = req.pageSize && req.pageSize > 0 ? Math.min(req.pageSize, 1000) : 100;
  const page = await engine.store.listVisibility(ns.name, query, from, pageSize + 1);
  const more = page.length > pageSize;
  const shown = page.slice(0, pageSize);
  // The next page starts after this one's last entry: by its place in the order where the store can seek, else by count.
  const next: VisibilityPage = { offset: from.offset + pageSize, ...(more ? { after: sortKeyOf(shown[shown.length - 1]!.record) } : {}) };
  return {
    executions: shown.map((e) => e.info),
    nextPageToken: more ? encodePageToken(next) : undefined,
  };
}

export async function countWorkflowExecutions(
  engine: Engine,
  req: Plain<WS.CountWorkflowExecutionsRequest.$Properties>,
): Promise<Plain<WS.CountWorkflowExecutionsResponse.$Properties>> {
  const ns = engine.namespaces.get(req.namespace);
  const query = compileQueryFor(engine, ns.name, req.query ?? '');
  return { count: await engine.store.countVisibility(ns.name, query) };
}

export function getSearchAttributes(engine: Engine, namespace: string | null | undefined): Record<string, number> {
  const ns = engine.namespaces.find(namespace ?? '') ?? engine.namespaces.list()[0];
  const all: Record<string, SearchAttributeTypeName> = { ...SYSTEM_SEARCH_ATTRIBUTES, ...((ns?.searchAttributes ?? {}) as Record<string, SearchAttributeTypeName>) };
  return Object.fromEntries(Object.entries(all).map(([k, v]) => [k, indexedValueType(v)]));
}
