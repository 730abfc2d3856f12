/**
 * What a replay says about a history: deterministic, or where the current code parts from it. The
 * SDK reports a divergence as an error wrapping the core's failure, whose message names the event
 * ("[TMPRL1100] Nondeterminism error: … HistoryEvent(id: 54, ActivityTaskScheduled)"); the verdict
 * keeps that inner message and the event id when present.
 */
import { DeterminismViolationError } from '@temporalio/workflow';

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

export function verdictOf(error: unknown): ReplayVerdict {
  if (error === undefined || error === null) return { deterministic: true };
  const full = error instanceof Error ? error.message : String(error);
  const message = /message: "((?:[^"\\]|\\.)*)"/.exec(full)?.[1] ?? full;
  const kind = error instanceof DeterminismViolationError ? 'nondeterminism' : 'replay-error';
  const eventId = divergentEventId(full);
  return { deterministic: false, divergence: eventId === undefined ? { kind, message } : { kind, message, eventId } };
}

export function divergentEventId(message: string): number | undefined {
  const m = /HistoryEvent\(id: (\d+)/.exec(message) ?? /\bevent[ _]?id[\s:=#]*(\d+)/i.exec(message) ?? /\bevent #?(\d+)\b/i.exec(message);
  return m ? Number(m[1]) : undefined;
}
