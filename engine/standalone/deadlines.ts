/** The deadlines of a standalone activity run, derived from its record alone (as `../effects.ts` does for runs). */
import type { StandaloneActivityRecord } from './activityRecord';

export interface Deadline {
  /** Names the deadline and the attempt it belongs to, so a stale one is recognised when it fires. */
  key: string;
  at: number;
  what: 'delay' | 'scheduleToClose' | 'scheduleToStart' | 'startToClose' | 'heartbeat' | 'retry';
}

export function standaloneDeadlines(r: StandaloneActivityRecord): Deadline[] {
  if (r.status !== 'Running') return [];
  const a = r.activity;
  const out: Deadline[] = [];
  const add = (what: Deadline['what'], at: number) => out.push({ key: `${what}:${a.attempt}`, at, what });
  if (a.phase === 'scheduled' && a.attempt === 1 && r.executionTime > r.scheduleTime) add('delay', r.executionTime);
  if (a.scheduleToCloseMs > 0) add('scheduleToClose', a.scheduledAt + a.scheduleToCloseMs);
  // A schedule-to-start equal to schedule-to-close is the defaulted one; schedule-to-close reports it.
  const ownScheduleToStart = a.scheduleToStartMs > 0 && (a.scheduleToCloseMs === 0 || a.scheduleToStartMs < a.scheduleToCloseMs);
  if (a.phase === 'scheduled' && ownScheduleToStart) add('scheduleToStart', a.attemptScheduledAt + a.scheduleToStartMs);
  if (a.phase === 'started' && a.startedAt !== undefined) {
    if (a.startToCloseMs > 0) add('startToClose', a.startedAt + a.startToCloseMs);
    if (a.heartbeatMs > 0) add('heartbeat', (a.lastHeartbeatAt ?? a.startedAt) + a.heartbeatMs);
  }
  if (a.phase === 'backoff' && a.backoffUntil !== undefined) add('retry', a.backoffUntil);
  return out;
}
