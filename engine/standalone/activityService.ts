/** The WorkflowService methods of standalone activities, as the SDK's `client.activity` calls them. */
import type { Engine } from '../engine';
import { invalidArgument, unimplemented } from '../errors';
import type { CallContext, ServiceHandlers } from '../grpcServer';
import { compileQueryFor } from '../history';
import { enums, msDuration, msTimestamp, temporal, type Plain } from '../proto';
import { retryPolicyMessage } from '../retry';
import { decodePageToken, encodePageToken } from '../tokens';
import type { VisibilityRecordData } from '../store/store';
import type { StandaloneActivityRecord, StandaloneStatus } from './activityRecord';

import WS = temporal.api.workflowservice.v1;

const STATUS: Record<StandaloneStatus, number> = {
  Running: enums.ActivityExecutionStatus.ACTIVITY_EXECUTION_STATUS_RUNNING,
  Completed: enums.ActivityExecutionStatus.ACTIVITY_EXECUTION_STATUS_COMPLETED,
  Failed: enums.ActivityExecutionStatus.ACTIVITY_EXECUTION_STATUS_FAILED,
  Canceled: enums.ActivityExecutionStatus.ACTIVITY_EXECUTION_STATUS_CANCELED,
  Terminated: enums.ActivityExecutionStatus.ACTIVITY_EXECUTION_STATUS_TERMINATED,
  TimedOut: enums.ActivityExecutionStatus.ACTIVITY_EXECUTION_STATUS_TIMED_OUT,
};
const PA = enums.PendingActivityState;
const DEFAULT_PAGE_SIZE = 1000;

function runState(r: StandaloneActivityRecord): number {
  if (r.status !== 'Running') return PA.PENDING_ACTIVITY_STATE_UNSPECIFIED;
  if (r.activity.cancelRequested) return PA.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED;
  return r.activity.phase === 'started' ? PA.PENDING_ACTIVITY_STATE_STARTED : PA.PENDING_ACTIVITY_STATE_SCHEDULED;
}

function info(r: StandaloneActivityRecord, withDetails: { heartbeat: boolean; failure: boolean }) {
  const a = r.activity;
  return {
    activityId: a.activityId,
    runId: r.runId,
    activityType: { name: a.activityType },
    status: STATUS[r.status],
    runState: runState(r),
    taskQueue: a.taskQueue,
    scheduleToCloseTimeout: msDuration(a.scheduleToCloseMs),
    scheduleToStartTimeout: msDuration(a.scheduleToStartMs),
    startToCloseTimeout: msDuration(a.startToCloseMs),
    heartbeatTimeout: msDuration(a.heartbeatMs),
    retryPolicy: retryPolicyMessage(a.retry),
    heartbeatDetails: withDetails.heartbeat ? (a.heartbeatDetails ?? null) : null,
    lastHeartbeatTime: a.lastHeartbeatAt !== undefined ? msTimestamp(a.lastHeartbeatAt) : null,
    lastStartedTime: a.startedAt !== undefined ? msTimestamp(a.startedAt) : null,
    attempt: a.attempt,
    scheduleTime: msTimestamp(r.scheduleTime),
    executionTime: msTimestamp(r.executionTime),
    expirationTime: a.scheduleToCloseMs > 0 ? msTimestamp(a.scheduledAt + a.scheduleToCloseMs) : null,
    closeTime: r.closeTime !== undefined ? msTimestamp(r.closeTime) : null,
    executionDuration: r.closeTime !== undefined ? msDuration(r.closeTime - r.executionTime) : null,
    lastFailure: withDetails.failure ? (a.lastFailure ?? null) : null,
    lastWorkerIdentity: a.lastWorkerIdentity ?? '',
    nextAttemptScheduleTime: a.backoffUntil !== undefined ? msTimestamp(a.backoffUntil) : null,
    priority: r.priority ?? null,
    searchAttributes: r.searchAttributes ?? null,
    header: r.header ?? null,
    userMetadata: r.userMetadata ?? null,
    canceledReason: r.canceledReason ?? '',
    stateTransitionCount: r.version,
  };
}

function outcome(r: StandaloneActivityRecord) {
  if (!r.outcome) return null;
  return r.outcome.result !== undefined ? { result: r.outcome.result ?? { payloads: [] } } : { failure: r.outcome.failure ?? null };
}

/** Activity queries use the workflow query language with the activity's names for its fields. */
const FIELD_NAMES: Array<[RegExp, string]> = [
  [/\bActivityId\b/g, 'WorkflowId'],
  [/\bActivityType\b/g, 'WorkflowType'],
  [/\bScheduleTime\b/g, 'StartTime'],
];

function toWorkflowQuery(query: string): string {
  // Rename fields outside quoted literals only.
  return query
    .split(/('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")/)
    .map((part, i) => (i % 2 === 1 ? part : FIELD_NAMES.reduce((q, [re, name]) => q.replace(re, name), part)))
    .join('');
}

function record(r: StandaloneActivityRecord): VisibilityRecordData {
  return {
    workflowId: r.activity.activityId,
    runId: r.runId,
    workflowType: r.activity.activityType,
    taskQueue: r.activity.taskQueue,
    status: r.status,
    startTime: r.scheduleTime,
    executionTime: r.executionTime,
    closeTime: r.closeTime,
    searchAttributes: {},
  };
}

function matching(engine: Engine, namespace: string, query: string | null | undefined): StandaloneActivityRecord[] {
  const q = compileQueryFor(engine, namespace, toWorkflowQuery(query ?? ''));
  return engine.standaloneActivities
    .list(namespace)
    .filter((r) => q.matches(record(r)))
    .sort((a, b) => q.compare(record(a), record(b)));
}

type NamespaceDescription = Plain<WS.DescribeNamespaceResponse.$Properties>;

/** Adds the namespace capability clients check before they use standalone activities. */
export function announceStandaloneActivities(d: NamespaceDescription): NamespaceDescription {
  const info = d.namespaceInfo ?? {};
  return { ...d, namespaceInfo: { ...info, capabilities: { ...(info.capabilities ?? {}), standaloneActivities: true } } };
}

export function standaloneActivityHandlers(engine: Engine): ServiceHandlers {
  const sa = engine.standaloneActivities;
  const ns = (name: string | null | undefined) => engine.namespaces.get(name).name;
  return {
    StartActivityExecution: (req: Plain<WS.StartActivityExecutionRequest.$Properties>) => sa.start(req),
    DescribeActivityExecution: async (req: Plain<WS.DescribeActivityExecutionRequest.$Properties>, ctx: CallContext) => {
      const namespace = ns(req.namespace);
      let r = sa.get(namespace, req.activityId, req.runId);
      const seen = decodePageToken<{ v: number }>(req.longPollToken)?.v;
      if (seen !== undefined && seen === r.version && r.status === 'Running') {
        await sa.waitForChange(r, engine.pollWaitMs(ctx.deadline), ctx.signal);
        r = sa.get(namespace, r.activity.activityId, r.runId);
      }
      return {
        runId: r.runId,
        info: info(r, { heartbeat: !!req.includeHeartbeatDetails, failure: !!req.includeLastFailure }),
        input: req.includeInput ? (r.input ?? null) : null,
        outcome: req.includeOutcome ? outcome(r) : null,
        longPollToken: encodePageToken({ v: r.version }),
      };
    },
    PollActivityExecution: async (req: Plain<WS.PollActivityExecutionRequest.$Properties>, ctx: CallContext) => {
      const namespace = ns(req.namespace);
      let r = sa.get(namespace, req.activityId, req.runId);
      const stopAt = Date.now() + engine.pollWaitMs(ctx.deadline);
      while (r.status === 'Running' && !ctx.signal.aborted && !engine.isClosing && Date.now() < stopAt) {
        await sa.waitForChange(r, stopAt - Date.now(), ctx.signal);
        r = sa.get(namespace, r.activity.activityId, r.runId);
      }
      return { runId: r.runId, outcome: outcome(r) };
    },
    RequestCancelActivityExecution: (req: Plain<WS.RequestCancelActivityExecutionRequest.$Properties>) =>
      sa.requestCancel(ns(req.namespace), req.activityId, req.runId, req.reason ?? ''),
    TerminateActivityExecution: (req: Plain<WS.TerminateActivityExecutionRequest.$Properties>) =>
      sa.terminate(ns(req.namespace), req.activityId, req.runId, req.reason ?? '', req.identity ?? ''),
    ListActivityExecutions: (req: Plain<WS.ListActivityExecutionsRequest.$Properties>) => {
      const all = matching(engine, ns(req.namespace), req.query);
      const offset = decodePageToken<{ offset: number }>(req.nextPageToken)?.offset ?? 0;
      if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('Invalid next page token.');
      const size = req.pageSize && req.pageSize > 0 ? req.pageSize : DEFAULT_PAGE_SIZE;
      const page = all.slice(offset, offset + size);
      return {
        executions: page.map((r) => ({
          activityId: r.activity.activityId,
          runId: r.runId,
          activityType: { name: r.activity.activityType },
          scheduleTime: msTimestamp(r.scheduleTime),
          executionTime: msTimestamp(r.executionTime),
          closeTime: r.closeTime !== undefined ? msTimestamp(r.closeTime) : null,
          status: STATUS[r.status],
          taskQueue: r.activity.taskQueue,
          searchAttributes: r.searchAttributes ?? null,
          stateTransitionCount: r.version,
          executionDuration: r.closeTime !== undefined ? msDuration(r.closeTime - r.executionTime) : null,
        })),
        nextPageToken: offset + size < all.length ? encodePageToken({ offset: offset + size }) : Buffer.alloc(0),
      };
    },
    CountActivityExecutions: (req: Plain<WS.CountActivityExecutionsRequest.$Properties>) => ({ count: matching(engine, ns(req.namespace), req.query).length }),
    PauseActivityExecution: () => {
      throw unimplemented('pausing a standalone activity is not supported by the embedded engine; cancel or terminate it instead');
    },
    UnpauseActivityExecution: () => {
      throw unimplemented('pausing a standalone activity is not supported by the embedded engine; cancel or terminate it instead');
    },
    UpdateActivityExecutionOptions: () => {
      throw unimplemented('changing the options of a running standalone activity is not supported by the embedded engine');
    },
  };
}
