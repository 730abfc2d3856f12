/**
 * The effects of a run's Nexus state, derived like every other effect (see `../effects.ts`):
 * deadlines, requests waiting for a handler worker, time-skipping locks, and the completion
 * callbacks a closed chain of runs still owes.
 */
import type { ExecutionState } from '../state';
import type { NexusOperationState, NexusRequestState } from './operationState';

/** How long a handler worker has to answer one request before it counts as a failed attempt. */
export const NEXUS_REQUEST_TIMEOUT_MS = 10_000;

export type NexusDeadline = 'scheduleToClose' | 'scheduleToStart' | 'startToClose' | 'startRequest' | 'startBackoff' | 'cancelRequest' | 'cancelBackoff';

export interface NexusTimer {
  kind: 'nexus';
  scheduledEventId: number;
  deadline: NexusDeadline;
  attempt: number;
}

export function operations(s: ExecutionState): NexusOperationState[] {
  return s.nexusOperations ? Object.values(s.nexusOperations) : [];
}

/** The instant a dispatched request stops waiting for its worker. */
export function requestDeadline(op: NexusOperationState, r: NexusRequestState): number {
  const timeout = op.scheduleToCloseMs > 0 ? Math.min(NEXUS_REQUEST_TIMEOUT_MS, op.scheduledAt + op.scheduleToCloseMs - (r.dispatchedAt ?? 0)) : NEXUS_REQUEST_TIMEOUT_MS;
  return (r.dispatchedAt ?? 0) + Math.max(0, timeout);
}

export function nexusTimers(s: ExecutionState): Array<{ timer: NexusTimer; at: number }> {
  const out: Array<{ timer: NexusTimer; at: number }> = [];
  for (const op of operations(s)) {
    const add = (deadline: NexusDeadline, at: number, attempt = 0) => out.push({ timer: { kind: 'nexus', scheduledEventId: op.scheduledEventId, deadline, attempt }, at });
    if (op.scheduleToCloseMs > 0) add('scheduleToClose', op.scheduledAt + op.scheduleToCloseMs);
    if (op.startedAt === undefined && op.scheduleToStartMs > 0) add('scheduleToStart', op.scheduledAt + op.scheduleToStartMs);
    if (op.startedAt !== undefined && op.startToCloseMs > 0) add('startToClose', op.startedAt + op.startToCloseMs);
    for (const [r, which] of [
      [op.start, 'start'],
      [op.cancel, 'cancel'],
    ] as const) {
      if (r?.phase === 'dispatched') add(`${which}Request`, requestDeadline(op, r), r.attempt);
      if (r?.phase === 'backoff' && r.backoffUntil !== undefined) add(`${which}Backoff`, r.backoffUntil, r.attempt);
    }
  }
  return out;
}

export function nexusTimerKey(t: NexusTimer): string {
  return `nexus:${t.scheduledEventId}:${t.deadline}:${t.attempt}`;
}

export interface NexusTaskOffer {
  namespace: string;
  queueName: string;
  key: string;
  request: 'start' | 'cancel';
  scheduledEventId: number;
  attempt: number;
}

export function nexusTaskKey(runId: string, scheduledEventId: number, request: 'start' | 'cancel', attempt: number): string {
  return `nexus:${runId}:${scheduledEventId}:${request}:${attempt}`;
}

/** Requests waiting for a handler worker, on the endpoint's task queue in the endpoint's namespace. */
export function nexusTaskOffers(s: ExecutionState): NexusTaskOffer[] {
  const out: NexusTaskOffer[] = [];
  for (const op of operations(s)) {
    for (const [r, request] of [
      [op.start, 'start'],
      [op.cancel, 'cancel'],
    ] as const) {
      if (r?.phase !== 'queued') continue;
      out.push({
        namespace: op.namespace,
        queueName: op.taskQueue,
        key: nexusTaskKey(s.runId, op.scheduledEventId, request, r.attempt),
        request,
        scheduledEventId: op.scheduledEventId,
        attempt: r.attempt,
      });
    }
  }
  return out;
}

/** A request waiting for or held by a handler worker stops the skipping clock, like an activity does. */
export function nexusRunnableWork(s: ExecutionState): string[] {
  const keys: string[] = [];
  for (const op of operations(s)) {
    if (op.start && op.start.phase !== 'backoff') keys.push(`nexus:${op.scheduledEventId}:start:${op.start.attempt}`);
    if (op.cancel && op.cancel.phase !== 'backoff') keys.push(`nexus:${op.scheduledEventId}:cancel:${op.cancel.attempt}`);
  }
  return keys;
}

/** A closed chain of runs that backs an operation still has to report its outcome. */
export function owesCompletionCallbacks(s: ExecutionState): boolean {
  return !!s.completionCallbacks?.length && !s.callbacksDelivered && !s.newExecutionRunId;
}
