/**
 * When the next run of a cron workflow starts, as the real server computes it
 * (common/backoff/cron.go): the first run waits for the schedule's first time after the start;
 * each later run starts at the first scheduled time at or after the previous run closed,
 * counting from the previous run's own scheduled time, so times missed while a run was busy
 * are skipped, not caught up. Backoffs are rounded up to whole seconds.
 */
import { CronError, nextCronTime, parseCron } from './cronExpression';

/** Throws a CronError (with the server's wording) when `spec` cannot be a cron schedule. */
export function validateCronSchedule(spec: string, now: number): void {
  let next: number | undefined;
  try {
    next = nextCronTime(parseCron(spec), now);
  } catch (err) {
    throw new CronError(`invalid CronSchedule: ${(err as Error).message}`);
  }
  if (next === undefined) throw new CronError('invalid CronSchedule, no time can be found to satisfy the schedule');
}

/** Backoff of a run scheduled for `scheduledTime` and closing at `now`; undefined when the schedule has no further time. */
export function cronBackoffMs(spec: string, scheduledTime: number, now: number): number | undefined {
  const schedule = parseCron(spec);
  let next: number | undefined;
  if (now < scheduledTime) {
    next = scheduledTime;
  } else {
    next = nextCronTime(schedule, scheduledTime);
    while (next !== undefined && next < now) next = nextCronTime(schedule, next);
  }
  if (next === undefined) return undefined;
  return Math.max(0, Math.ceil((next - now) / 1000) * 1000);
}

/** The first run's firstWorkflowTaskBackoff. */
export function firstCronBackoffMs(spec: string, now: number): number {
  return cronBackoffMs(spec, now, now) ?? 0;
}
