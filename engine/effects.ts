/**
 * Side effects derived from a run's state: which deadlines must be armed, which tasks must wait
 * in a queue, and which cross-workflow deliveries are outstanding. The engine recomputes them
 * after every commit and after a restart, so no effect is ever "remembered" outside the state.
 */
import { isRunning, type ExecutionState } from './state';
import { workflowTaskAttemptTimeoutMs } from './workflowTaskAttempts';
import type { QueueType, TaskRef } from './matching';
import { nexusRunnableWork, nexusTaskOffers, nexusTimerKey, nexusTimers, owesCompletionCallbacks, type NexusTimer } from './nexus/effects';

export type TimerKind =
  | { kind: 'userTimer'; timerId: string }
  | { kind: 'activityScheduleToStart'; scheduledEventId: number; attempt: number }
  | { kind: 'activityScheduleToClose'; scheduledEventId: number }
  | { kind: 'activityStartToClose'; scheduledEventId: number; attempt: number }
  | { kind: 'activityHeartbeat'; scheduledEventId: number; attempt: number }
  | { kind: 'activityRetry'; scheduledEventId: number; attempt: number }
  | { kind: 'workflowTaskTimeout'; scheduledEventId: number; attempt: number }
  | { kind: 'stickyTimeout'; scheduledEventId: number; attempt: number }
  | { kind: 'runTimeout' }
  | { kind: 'startDelay' }
  | NexusTimer;

export interface DesiredTimer {
  key: string;
  at: number;
  timer: TimerKind;
}

export function desiredTimers(s: ExecutionState): DesiredTimer[] {
  if (!isRunning(s)) return [];
  const out: DesiredTimer[] = [];
  const add = (timer: TimerKind, at: number) => out.push({ key: timerKey(timer), at, timer });
  for (const t of Object.values(s.timers)) add({ kind: 'userTimer', timerId: t.timerId }, t.fireAt);
  for (const a of Object.values(s.activities)) {
    const sid = a.scheduledEventId;
    if (a.scheduleToCloseMs > 0) add({ kind: 'activityScheduleToClose', scheduledEventId: sid }, a.scheduledAt + a.scheduleToCloseMs);
    // A schedule-to-start equal to schedule-to-close is the defaulted one; schedule-to-close reports it.
    const ownScheduleToStart = a.scheduleToStartMs > 0 && (a.scheduleToCloseMs === 0 || a.scheduleToStartMs < a.scheduleToCloseMs);
    if (a.phase === 'scheduled' && ownScheduleToStart) {
      add({ kind: 'activityScheduleToStart', scheduledEventId: sid, attempt: a.attempt }, a.attemptScheduledAt + a.scheduleToStartMs);
    }
    if (a.phase === 'started' && a.startedAt !== undefined) {
      if (a.startToCloseMs > 0) add({ kind: 'activityStartToClose', scheduledEventId: sid, attempt: a.attempt }, a.startedAt + a.startToCloseMs);
      if (a.heartbeatMs > 0) {
        add({ kind: 'activityHeartbeat', scheduledEventId: sid, attempt: a.attempt }, (a.lastHeartbeatAt ?? a.startedAt) + a.heartbeatMs);
      }
    }
    if (a.phase === 'backoff' && a.backoffUntil !== undefined) {
      add({ kind: 'activityRetry', scheduledEventId: sid, attempt: a.attempt }, a.backoffUntil);
    }
  }
  const w = s.wft;
  if (w) {
    if (w.startedAt !== undefined) {
      add({ kind: 'workflowTaskTimeout', scheduledEventId: w.scheduledEventId, attempt: w.attempt }, w.startedAt + workflowTaskAttemptTimeoutMs(s.workflowTaskTimeoutMs, w.attempt));
    } else if (w.stickyQueue && w.stickyTimeoutMs) {
      add({ kind: 'stickyTimeout', scheduledEventId: w.scheduledEventId, attempt: w.attempt }, w.scheduledAt + w.stickyTimeoutMs);
    }
  }
  const runDeadline = Math.min(s.runExpiresAt ?? Infinity, s.executionExpiresAt ?? Infinity);
  if (Number.isFinite(runDeadline)) add({ kind: 'runTimeout' }, runDeadline);
  if (s.firstWftPending) add({ kind: 'startDelay' }, s.executionTime);
  for (const n of nexusTimers(s)) add(n.timer, n.at);
  return out;
}

export function timerKey(t: TimerKind): string {
  switch (t.kind) {
    case 'userTimer':
      return `timer:${t.timerId}`;
    case 'activityScheduleToClose':
      return `act:${t.scheduledEventId}:s2c`;
    case 'activityScheduleToStart':
    case 'activityStartToClose':
    case 'activityHeartbeat':
    case 'activityRetry':
      return `act:${t.scheduledEventId}:${t.kind}:${t.attempt}`;
    case 'workflowTaskTimeout':
    case 'stickyTimeout':
      return `wft:${t.kind}:${t.scheduledEventId}:${t.attempt}`;
    case 'runTimeout':
    case 'startDelay':
      return t.kind;
    case 'nexus':
      return nexusTimerKey(t);
  }
}

export interface TaskOffer {
  /** Set when the queue is in another namespace than the run (a Nexus endpoint's target). */
  namespace?: string;
  queueType: QueueType;
  queueName: string;
  key: string;
  task: TaskRef;
}

export function desiredTasks(s: ExecutionState): TaskOffer[] {
  if (!isRunning(s)) return [];
  const out: TaskOffer[] = [];
  const base = { namespace: s.namespace, workflowId: s.workflowId, runId: s.runId };
  const w = s.wft;
  if (w && w.startedAt === undefined && !s.firstWftPending) {
    const queueName = w.stickyQueue ?? s.taskQueue;
    out.push({
      queueType: 'workflow',
      queueName,
      key: `wft:${s.runId}:${w.scheduledEventId}:${w.attempt}:${queueName}`,
      task: { type: 'workflow', ...base, scheduledEventId: w.scheduledEventId, attempt: w.attempt, sticky: !!w.stickyQueue },
    });
  }
  for (const a of Object.values(s.activities)) {
    if (a.phase !== 'scheduled') continue;
    out.push({
      queueType: 'activity',
      queueName: a.taskQueue,
      key: `act:${s.runId}:${a.scheduledEventId}:${a.attempt}`,
      task: { type: 'activity', ...base, scheduledEventId: a.scheduledEventId, attempt: a.attempt },
    });
  }
  for (const n of nexusTaskOffers(s)) {
    out.push({
      namespace: n.namespace,
      queueType: 'nexus',
      queueName: n.queueName,
      key: n.key,
      task: { type: 'nexus', ...base, scheduledEventId: n.scheduledEventId, attempt: n.attempt, request: n.request },
    });
  }
  return out;
}

/**
 * Work a worker could pick up right now, one key per item (a workflow task, an activity
 * attempt). Each key holds its own time-skipping lock, as on Temporal's test server: a newly
 * scheduled item always stops the clock, whatever unlocks a client did meanwhile.
 */
export function runnableWork(s: ExecutionState): string[] {
  if (!isRunning(s)) return [];
  const keys: string[] = [];
  if (s.wft && !s.firstWftPending) keys.push(`wft:${s.wft.scheduledEventId}:${s.wft.attempt}`);
  for (const a of Object.values(s.activities)) if (a.phase !== 'backoff') keys.push(`act:${a.scheduledEventId}:${a.attempt}`);
  if (s.nexusOperations) keys.push(...nexusRunnableWork(s));
  return keys;
}

export type Transfer =
  | { kind: 'startChild'; initiatedEventId: number }
  | { kind: 'signalExternal'; initiatedEventId: number }
  | { kind: 'cancelExternal'; initiatedEventId: number }
  | { kind: 'notifyParent' }
  | { kind: 'parentClosePolicy' }
  | { kind: 'nexusCallback' };

export function pendingTransfers(s: ExecutionState): Transfer[] {
  const out: Transfer[] = [];
  if (isRunning(s)) {
    for (const c of Object.values(s.children)) if (c.runId === undefined) out.push({ kind: 'startChild', initiatedEventId: c.initiatedEventId });
    for (const id of Object.keys(s.signalsOut)) out.push({ kind: 'signalExternal', initiatedEventId: Number(id) });
    for (const id of Object.keys(s.cancelsOut)) out.push({ kind: 'cancelExternal', initiatedEventId: Number(id) });
  } else {
    if (s.parent && !s.parentNotified) out.push({ kind: 'notifyParent' });
    if (s.parentCloseActions.length > 0) out.push({ kind: 'parentClosePolicy' });
    if (owesCompletionCallbacks(s)) out.push({ kind: 'nexusCallback' });
  }
  return out;
}

export function transferKey(t: Transfer): string {
  return 'initiatedEventId' in t ? `${t.kind}:${t.initiatedEventId}` : t.kind;
}
