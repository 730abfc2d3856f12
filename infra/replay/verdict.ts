/**
 * What a replay says about a history: deterministic, or where the current code parts from it. The
 * SDK reports a divergence as an error wrapping the core's failure, whose message names the event
 * ("[TMPRL1100] Nondeterminism error: … HistoryEvent(id: 54, ActivityTaskScheduled)"); the verdict
 * keeps that inner message and the event id when present. A local activity is named by its sequence
 * number instead ("Missing associated machine for LocalActivity(5)"): with the history at hand, the
 * event is the marker that recorded that local activity.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { DeterminismViolationError } from '@temporalio/workflow';
import { localActivityOf } from '../../api/audit/timeline';

export interface ReplayDivergence {
  /** 'nondeterminism': the code issues other commands than the history records; 'replay-error': the replay could not run to the end. */
  kind: 'nondeterminism' | 'replay-error';
  message: string;
  eventId?: number;
}

export interface ReplayVerdict {
  deterministic: boolean;
  divergence?: ReplayDivergence;
}

export function verdictOf(error: unknown, history?: History): ReplayVerdict {
  if (error === undefined || error === null) return { deterministic: true };
  const full = error instanceof Error ? error.message : String(error);
  const message = /message: "((?:[^"\\]|\\.)*)"/.exec(full)?.[1] ?? full;
  const kind = error instanceof DeterminismViolationError ? 'nondeterminism' : 'replay-error';
  const eventId = divergentEventId(full) ?? localActivityEventId(full, history);
  return { deterministic: false, divergence: eventId === undefined ? { kind, message } : { kind, message, eventId } };
}

export function divergentEventId(message: string): number | undefined {
  const m = /HistoryEvent\(id: (\d+)/.exec(message) ?? /\bevent[ _]?id[\s:=#]*(\d+)/i.exec(message) ?? /\bevent #?(\d+)\b/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** The marker event of the local activity a message names by its sequence number ("LocalActivity(5)"). */
function localActivityEventId(message: string, history: History | undefined): number | undefined {
  const seq = /LocalActivity\((\d+)\)/.exec(message)?.[1];
  if (seq === undefined || !history) return undefined;
  const marker = (history.events ?? []).find((e) => localActivityOf(e)?.seq === Number(seq));
  return marker ? Number(marker.eventId) : undefined;
}
