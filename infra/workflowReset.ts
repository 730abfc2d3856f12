/**
 * Resetting a workflow, the operator's tool after a bad deploy: pick the reset point in the run's
 * history (the first or the last completed workflow task, or an explicit event id) and ask
 * Temporal for ResetWorkflowExecution. The old run is terminated with the reason; the new run
 * replays the history up to that point with the new code, and the signals and updates received
 * after it are delivered again (all of them by default, only signals, or none).
 */
import { randomUUID } from 'node:crypto';
import Long from 'long';
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export type ResetTarget = 'first' | 'last' | number;
export type ReapplyChoice = 'all' | 'signals' | 'none';

export const REAPPLY_CHOICES: readonly ReapplyChoice[] = ['all', 'signals', 'none'];

export class ResetPointError extends Error {}

const eventIdOf = (e: HistoryEvent) => Number(e.eventId?.toString() ?? 0);

/** The WorkflowTaskCompleted event id to reset to; an explicit id must name a completed, failed or timed-out workflow task. */
export function resetEventId(events: readonly HistoryEvent[], to: ResetTarget): number {
  const completed = events.filter((e) => e.workflowTaskCompletedEventAttributes).map(eventIdOf);
  if (to === 'first' || to === 'last') {
    const id = to === 'first' ? completed[0] : completed[completed.length - 1];
    if (id === undefined) throw new ResetPointError('the run has no completed workflow task to reset to');
    return id;
  }
  const event = events.find((e) => eventIdOf(e) === to);
  if (!event?.workflowTaskCompletedEventAttributes && !event?.workflowTaskFailedEventAttributes && !event?.workflowTaskTimedOutEventAttributes) {
    throw new ResetPointError(`event ${to} does not end a workflow task; reset points: ${completed.join(', ') || 'none'}`);
  }
  return to;
}

/** "first", "last" or a positive whole event id; undefined for anything else. */
export function parseResetTarget(text: string): ResetTarget | undefined {
  if (text === 'first' || text === 'last') return text;
  return /^[1-9]\d*$/.test(text) ? Number(text) : undefined;
}

const EXCLUDE = temporal.api.enums.v1.ResetReapplyExcludeType;

function excludeTypes(reapply: ReapplyChoice): temporal.api.enums.v1.ResetReapplyExcludeType[] {
  if (reapply === 'signals') return [EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE];
  if (reapply === 'none') return [EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL, EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE];
  return [];
}

export interface ResetRequest {
  workflowId: string;
  /** The run to reset; the current one when omitted. */
  runId?: string;
  to: ResetTarget;
  reason: string;
  reapply?: ReapplyChoice;
  /** Makes a retried call answer the run the first one created. */
  requestId?: string;
}

export interface ResetOutcome {
  workflowId: string;
  previousRunId: string;
  runId: string;
  eventId: number;
}

export async function resetWorkflow(client: Client, r: ResetRequest): Promise<ResetOutcome> {
  const runId = r.runId ?? (await client.workflow.getHandle(r.workflowId).describe()).runId;
  const history = await client.workflow.getHandle(r.workflowId, runId).fetchHistory();
  const eventId = resetEventId(history.events ?? [], r.to);
  const response = await client.workflowService.resetWorkflowExecution({
    namespace: client.options.namespace,
    workflowExecution: { workflowId: r.workflowId, runId },
    reason: r.reason,
    workflowTaskFinishEventId: Long.fromNumber(eventId),
    requestId: r.requestId ?? randomUUID(),
    resetReapplyExcludeTypes: excludeTypes(r.reapply ?? 'all'),
    identity: client.options.identity,
  });
  return { workflowId: r.workflowId, previousRunId: runId, runId: response.runId ?? '', eventId };
}
