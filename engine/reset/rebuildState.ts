/**
 * Rebuilds a run's pending work from a prefix of its history, as the real server's state
 * rebuilder does for a reset: what was scheduled and not yet resolved at that point is pending
 * again (activities, timers, children, outgoing signals and cancellations, accepted updates),
 * and the workflow task in flight at the reset point is the one the reset fails.
 */
import { durationMs, timestampMs, type HistoryEvent } from '../proto';
import { normalizeRetryPolicy } from '../retry';
import { mergeSearchAttributes } from '../searchAttributes';
import type { ActivityState, ChildState, ExecutionState, UpdateRecord, WorkflowTaskState } from '../state';

export type RebuiltState = Pick<
  ExecutionState,
  | 'activities'
  | 'timers'
  | 'children'
  | 'signalsOut'
  | 'cancelsOut'
  | 'updates'
  | 'cancelRequested'
  | 'signalRequestIds'
  | 'lastCompletedWftStartedEventId'
  | 'memo'
  | 'searchAttributes'
> & { wft?: WorkflowTaskState };

/**
 * `events` are the history up to the reset point; `requestOwner` is the run whose deterministic
 * request ids (children, signals, cancels) the copied commands keep, so a target that already
 * received one recognises it.
 */
export function rebuildFromHistory(events: HistoryEvent[], requestOwner: string): RebuiltState {
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  const out: RebuiltState = {
    activities: {},
    timers: {},
    children: {},
    signalsOut: {},
    cancelsOut: {},
    updates: {},
    cancelRequested: false,
    signalRequestIds: [],
    lastCompletedWftStartedEventId: 0,
    memo: started?.memo ?? undefined,
    searchAttributes: started?.searchAttributes ?? undefined,
  };
  for (const e of events) apply(out, e, requestOwner);
  return out;
}

function apply(out: RebuiltState, e: HistoryEvent, owner: string): void {
  const id = Number(e.eventId);
  const at = timestampMs(e.eventTime);
  if (e.workflowTaskScheduledEventAttributes) {
    out.wft = { scheduledEventId: id, attempt: e.workflowTaskScheduledEventAttributes.attempt ?? 1, scheduledAt: at };
  } else if (e.workflowTaskStartedEventAttributes && out.wft) {
    out.wft.startedEventId = id;
    out.wft.startedAt = at;
    out.wft.identity = e.workflowTaskStartedEventAttributes.identity ?? '';
  } else if (e.workflowTaskCompletedEventAttributes) {
    out.lastCompletedWftStartedEventId = Number(e.workflowTaskCompletedEventAttributes.startedEventId ?? 0);
    out.wft = undefined;
  } else if (e.workflowTaskFailedEventAttributes || e.workflowTaskTimedOutEventAttributes) {
    out.wft = undefined;
  } else if (e.activityTaskScheduledEventAttributes) {
    out.activities[id] = scheduledActivity(id, at, e.activityTaskScheduledEventAttributes);
  } else if (e.activityTaskCancelRequestedEventAttributes) {
    const a = out.activities[Number(e.activityTaskCancelRequestedEventAttributes.scheduledEventId)];
    if (a) {
      a.cancelRequested = true;
      a.cancelRequestedEventId = id;
    }
  } else {
    const closedActivity =
      e.activityTaskCompletedEventAttributes ?? e.activityTaskFailedEventAttributes ?? e.activityTaskTimedOutEventAttributes ?? e.activityTaskCanceledEventAttributes;
    if (closedActivity) {
      delete out.activities[Number(closedActivity.scheduledEventId)];
      return;
    }
    applyOther(out, e, id, at, owner);
  }
}

function applyOther(out: RebuiltState, e: HistoryEvent, id: number, at: number, owner: string): void {
  if (e.timerStartedEventAttributes) {
    const t = e.timerStartedEventAttributes;
    out.timers[t.timerId ?? ''] = { timerId: t.timerId ?? '', startedEventId: id, fireAt: at + durationMs(t.startToFireTimeout) };
  } else if (e.timerFiredEventAttributes || e.timerCanceledEventAttributes) {
    delete out.timers[(e.timerFiredEventAttributes ?? e.timerCanceledEventAttributes)?.timerId ?? ''];
  } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
    const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
    const child: ChildState = {
      initiatedEventId: id,
      namespace: a.namespace ?? '',
      workflowId: a.workflowId ?? '',
      workflowType: a.workflowType?.name ?? '',
      requestId: `${owner}:child:${id}`,
      parentClosePolicy: a.parentClosePolicy ?? 0,
    };
    out.children[id] = child;
  } else if (e.childWorkflowExecutionStartedEventAttributes) {
    const c = out.children[Number(e.childWorkflowExecutionStartedEventAttributes.initiatedEventId)];
    if (c) {
      c.runId = e.childWorkflowExecutionStartedEventAttributes.workflowExecution?.runId ?? '';
      c.startedEventId = id;
    }
  } else if (childClosed(e) !== undefined) {
    delete out.children[childClosed(e)!];
  } else if (e.signalExternalWorkflowExecutionInitiatedEventAttributes) {
    out.signalsOut[id] = { initiatedEventId: id, requestId: `${owner}:signal:${id}` };
  } else if (e.externalWorkflowExecutionSignaledEventAttributes || e.signalExternalWorkflowExecutionFailedEventAttributes) {
    delete out.signalsOut[Number((e.externalWorkflowExecutionSignaledEventAttributes ?? e.signalExternalWorkflowExecutionFailedEventAttributes)?.initiatedEventId)];
  } else if (e.requestCancelExternalWorkflowExecutionInitiatedEventAttributes) {
    out.cancelsOut[id] = { initiatedEventId: id, requestId: `${owner}:cancel:${id}` };
  } else if (e.externalWorkflowExecutionCancelRequestedEventAttributes || e.requestCancelExternalWorkflowExecutionFailedEventAttributes) {
    delete out.cancelsOut[Number((e.externalWorkflowExecutionCancelRequestedEventAttributes ?? e.requestCancelExternalWorkflowExecutionFailedEventAttributes)?.initiatedEventId)];
  } else if (e.workflowExecutionCancelRequestedEventAttributes) {
    out.cancelRequested = true;
  } else if (e.workflowExecutionSignaledEventAttributes?.requestId) {
    out.signalRequestIds.push(e.workflowExecutionSignaledEventAttributes.requestId);
  } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
    out.searchAttributes = mergeSearchAttributes(out.searchAttributes, e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes);
  } else if (e.workflowPropertiesModifiedEventAttributes) {
    const fields = { ...(out.memo?.fields ?? {}) };
    for (const [k, v] of Object.entries(e.workflowPropertiesModifiedEventAttributes.upsertedMemo?.fields ?? {})) {
      if (!v?.data || v.data.length === 0) delete fields[k];
      else fields[k] = v;
    }
    out.memo = { fields };
  } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
    const record: UpdateRecord = { acceptedEventId: id };
    out.updates[e.workflowExecutionUpdateAcceptedEventAttributes.protocolInstanceId ?? ''] = record;
  } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
    const rec = out.updates[e.workflowExecutionUpdateCompletedEventAttributes.meta?.updateId ?? ''];
    if (rec) rec.completedEventId = id;
  }
}

function childClosed(e: HistoryEvent): number | undefined {
  const a =
    e.startChildWorkflowExecutionFailedEventAttributes ??
    e.childWorkflowExecutionCompletedEventAttributes ??
    e.childWorkflowExecutionFailedEventAttributes ??
    e.childWorkflowExecutionCanceledEventAttributes ??
    e.childWorkflowExecutionTimedOutEventAttributes ??
    e.childWorkflowExecutionTerminatedEventAttributes;
  return a ? Number(a.initiatedEventId) : undefined;
}

type ScheduledAttrs = NonNullable<HistoryEvent['activityTaskScheduledEventAttributes']>;

function scheduledActivity(id: number, at: number, a: ScheduledAttrs): ActivityState {
  return {
    scheduledEventId: id,
    activityId: a.activityId ?? '',
    activityType: a.activityType?.name ?? '',
    taskQueue: a.taskQueue?.name ?? '',
    phase: 'scheduled',
    attempt: 1,
    scheduledAt: at,
    attemptScheduledAt: at,
    scheduleToCloseMs: durationMs(a.scheduleToCloseTimeout),
    scheduleToStartMs: durationMs(a.scheduleToStartTimeout),
    startToCloseMs: durationMs(a.startToCloseTimeout),
    heartbeatMs: durationMs(a.heartbeatTimeout),
    retry: normalizeRetryPolicy(a.retryPolicy),
    cancelRequested: false,
  };
}
