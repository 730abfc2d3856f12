/**
 * A schedule's spec compiled for computing its times: the union of calendar and interval
 * matches, minus exclusions, within [start, end], each pushed later by a deterministic jitter.
 * Times have second precision, as on the Temporal server.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../errors';
import { durationMs, msDuration, msTimestamp, timestampMs, type Plain, type temporal } from '../proto';
import { expand, matches, parseCalendarStrings, parseCronString, type Range, type StructuredCalendar } from './calendar';
import { checkTimeZone, instantsOf, offsetMs, wallClock } from './timezone';

export type ScheduleSpecProto = Plain<temporal.api.schedule.v1.ScheduleSpec.$Properties>;

export interface Interval {
  intervalMs: number;
  phaseMs: number;
}

/** The canonical spec: what Describe answers (calendars and cron strings compiled to structured calendars). */
export interface CanonicalSpec {
  calendars: StructuredCalendar[];
  intervals: Interval[];
  excludes: StructuredCalendar[];
  startMs?: number;
  endMs?: number;
  jitterMs: number;
  timeZone: string;
}

function rangesOf(list: Plain<temporal.api.schedule.v1.Range.$Properties>[] | null | undefined): Range[] {
  return (list ?? []).map((r) => ({ start: r.start ?? 0, end: Math.max(r.end ?? 0, r.start ?? 0), step: r.step && r.step > 0 ? r.step : 1 }));
}

function structuredOf(c: Plain<temporal.api.schedule.v1.StructuredCalendarSpec.$Properties>): StructuredCalendar {
  return {
    second: rangesOf(c.second),
    minute: rangesOf(c.minute),
    hour: rangesOf(c.hour),
    dayOfMonth: rangesOf(c.dayOfMonth),
    month: rangesOf(c.month),
    year: rangesOf(c.year),
    dayOfWeek: rangesOf(c.dayOfWeek),
    comment: c.comment ?? '',
  };
}

const wholeSeconds = (ms: number) => Math.floor(ms / 1000) * 1000;

export function canonicalizeSpec(spec: ScheduleSpecProto | null | undefined): CanonicalSpec {
  const s = spec ?? {};
  let timeZone = s.timezoneName ?? '';
  const calendars = (s.structuredCalendar ?? []).map(structuredOf);
  calendars.push(...(s.calendar ?? []).map(parseCalendarStrings));
  const intervals: Interval[] = [];
  for (const cron of s.cronString ?? []) {
    const parsed = parseCronString(cron);
    if (parsed.timeZone) {
      if (timeZone && timeZone !== parsed.timeZone) throw invalidArgument('Lịch không hợp lệ / CRON_TZ conflicts with the time zone of the spec');
      timeZone = parsed.timeZone;
    }
    if (parsed.calendar) calendars.push(parsed.calendar);
    if (parsed.interval) intervals.push(parsed.interval);
  }
  for (const i of s.interval ?? []) {
    const intervalMs = wholeSeconds(durationMs(i.interval));
    const phaseMs = wholeSeconds(durationMs(i.phase));
    if (intervalMs <= 0) throw invalidArgument('Lịch không hợp lệ / an interval must be at least one second');
    if (phaseMs < 0) throw invalidArgument('Lịch không hợp lệ / an interval phase must not be negative');
    intervals.push({ intervalMs, phaseMs });
  }
  for (const i of intervals) i.phaseMs %= i.intervalMs;
  const excludes = (s.excludeStructuredCalendar ?? []).map(structuredOf);
  excludes.push(...(s.excludeCalendar ?? []).map(parseCalendarStrings));
  const jitterMs = durationMs(s.jitter);
  if (jitterMs < 0) throw invalidArgument('Lịch không hợp lệ / jitter must not be negative');
  const startMs = s.startTime ? timestampMs(s.startTime) : undefined;
  const endMs = s.endTime ? timestampMs(s.endTime) : undefined;
  return { calendars, intervals, excludes, startMs: startMs || undefined, endMs: endMs || undefined, jitterMs, timeZone: (checkTimeZone(timeZone), timeZone) };
}

function rangesProto(rs: Range[]) {
  return rs.map((r) => ({ start: r.start, end: r.end, step: r.step }));
}

function structuredProto(c: StructuredCalendar) {
  return {
    second: rangesProto(c.second),
    minute: rangesProto(c.minute),
    hour: rangesProto(c.hour),
    dayOfMonth: rangesProto(c.dayOfMonth),
    month: rangesProto(c.month),
    year: rangesProto(c.year),
    dayOfWeek: rangesProto(c.dayOfWeek),
    comment: c.comment,
  };
}

export function specProto(c: CanonicalSpec): ScheduleSpecProto {
  return {
    structuredCalendar: c.calendars.map(structuredProto),
    interval: c.intervals.map((i) => ({ interval: msDuration(i.intervalMs), phase: msDuration(i.phaseMs) })),
    excludeStructuredCalendar: c.excludes.map(structuredProto),
    startTime: c.startMs !== undefined ? msTimestamp(c.startMs) : null,
    endTime: c.endMs !== undefined ? msTimestamp(c.endMs) : null,
    jitter: c.jitterMs ? msDuration(c.jitterMs) : null,
    timezoneName: c.timeZone,
  };
}

export interface ScheduledTime {
  /** The time the spec names. */
  nominal: number;
  /** The nominal time plus jitter: when the action is taken. */
  next: number;
}

/** Years after which the search stops: a calendar that matches nothing before then matches nothing. */
const SEARCH_YEARS = 100;

interface CompiledCalendar {
  cal: StructuredCalendar;
  hours: number[];
  minutes: number[];
  seconds: number[];
}

export class CompiledSpec {
  private readonly calendars: CompiledCalendar[];
  private readonly zone: string;

  constructor(
    readonly spec: CanonicalSpec,
    /** Seeds the jitter, so the same schedule always picks the same delays. */
    private readonly jitterSeed: string,
  ) {
    this.zone = spec.timeZone || 'UTC';
    this.calendars = spec.calendars.map((cal) => ({
      cal,
      hours: expand(cal.hour, 0, 23),
      minutes: expand(cal.minute, 0, 59),
      seconds: expand(cal.second, 0, 59),
    }));
  }

  /** The first scheduled time strictly after `afterMs`, or undefined when there is none. */
  next(afterMs: number): ScheduledTime | undefined {
    const nominal = this.nextNominal(afterMs);
    if (nominal === undefined) return undefined;
    return { nominal, next: nominal + this.jitterFor(nominal) };
  }

  /** Scheduled times in (fromMs, toMs], at most `limit` of them. */
  between(fromMs: number, toMs: number, limit: number): ScheduledTime[] {
    const out: ScheduledTime[] = [];
    let t = fromMs;
    while (out.length < limit) {
      const n = this.next(t);
      if (!n || n.nominal > toMs) break;
      out.push(n);
      t = n.nominal;
    }
    return out;
  }

  private nextNominal(afterMs: number): number | undefined {
    let after = afterMs;
    if (this.spec.startMs !== undefined && after < this.spec.startMs) after = this.spec.startMs - 1;
    for (let guard = 0; guard < 100_000; guard++) {
      let best: number | undefined;
      for (const c of this.calendars) {
        const t = this.nextCalendar(c, after);
        if (t !== undefined && (best === undefined || t < best)) best = t;
      }
      for (const i of this.spec.intervals) {
        const t = nextInterval(i, after);
        if (best === undefined || t < best) best = t;
      }
      if (best === undefined) return undefined;
      if (this.spec.endMs !== undefined && best > this.spec.endMs) return undefined;
      if (!this.excluded(best)) return best;
      after = best;
    }
    return undefined;
  }

  private excluded(ms: number): boolean {
    if (this.spec.excludes.length === 0) return false;
    const w = wallClock(ms, this.zone);
    const dow = new Date(Date.UTC(w.year, w.month - 1, w.day)).getUTCDay();
    return this.spec.excludes.some(
      (c) =>
        matches(c.second, w.second) &&
        matches(c.minute, w.minute) &&
        matches(c.hour, w.hour) &&
        matches(c.dayOfMonth, w.day) &&
        matches(c.month, w.month) &&
        (c.year.length === 0 || matches(c.year, w.year)) &&
        matches(c.dayOfWeek, dow),
    );
  }

  private nextCalendar(c: CompiledCalendar, afterMs: number): number | undefined {
    const { cal, hours, minutes, seconds } = c;
    if (hours.length === 0 || minutes.length === 0 || seconds.length === 0) return undefined;
    const start = wallClock(afterMs, this.zone);
    // A day back covers instants of a repeated (fall-back) hour that read earlier than `after`.
    let day = new Date(Date.UTC(start.year, start.month - 1, start.day) - 86_400_000);
    const lastYear = start.year + SEARCH_YEARS;
    while (day.getUTCFullYear() <= lastYear) {
      const year = day.getUTCFullYear();
      const month = day.getUTCMonth() + 1;
      if (cal.year.length > 0 && !matches(cal.year, year)) {
        day = new Date(Date.UTC(year + 1, 0, 1));
        continue;
      }
      if (!matches(cal.month, month)) {
        day = new Date(Date.UTC(year, month, 1));
        continue;
      }
      const date = day.getUTCDate();
      if (matches(cal.dayOfMonth, date) && matches(cal.dayOfWeek, day.getUTCDay())) {
        const found = this.firstInDay(year, month, date, hours, minutes, seconds, afterMs);
        if (found !== undefined) return found;
      }
      day = new Date(day.getTime() + 86_400_000);
    }
    return undefined;
  }

  private firstInDay(year: number, month: number, day: number, hours: number[], minutes: number[], seconds: number[], afterMs: number): number | undefined {
    const H = 3_600_000;
    const M = 60_000;
    const dayStart = Date.UTC(year, month - 1, day);
    const offBefore = offsetMs(dayStart - 14 * H, this.zone);
    const offAfter = offsetMs(dayStart + 38 * H, this.zone);
    if (offBefore === offAfter) {
      // No offset change around this day: instants grow with the wall time.
      for (const hour of hours) {
        if (dayStart + (hour + 1) * H - offBefore <= afterMs) continue;
        for (const minute of minutes) {
          if (dayStart + hour * H + (minute + 1) * M - offBefore <= afterMs) continue;
          for (const second of seconds) {
            const ms = dayStart + hour * H + minute * M + second * 1000 - offBefore;
            if (ms > afterMs) return ms;
          }
        }
      }
      return undefined;
    }
    // A daylight-saving change: some wall times do not exist, others happen twice.
    const minOff = Math.min(offBefore, offAfter);
    const maxOff = Math.max(offBefore, offAfter);
    let best: number | undefined;
    for (const hour of hours) {
      if (dayStart + (hour + 1) * H - minOff <= afterMs) continue;
      if (best !== undefined && dayStart + hour * H - maxOff > best) break;
      for (const minute of minutes) {
        for (const second of seconds) {
          for (const ms of instantsOf({ year, month, day, hour, minute, second }, this.zone)) {
            if (ms > afterMs && (best === undefined || ms < best)) best = ms;
          }
        }
      }
    }
    return best;
  }

  /**
   * Delay added to a nominal time: derived from the schedule and the time, so it is the same
   * every time it is computed, and never beyond the following nominal time.
   */
  private jitterFor(nominal: number): number {
    if (this.spec.jitterMs <= 0) return 0;
    let limit = this.spec.jitterMs;
    const following = this.nextNominal(nominal);
    if (following !== undefined) limit = Math.min(limit, following - nominal);
    if (limit <= 0) return 0;
    const digest = createHash('sha256').update(`${this.jitterSeed}\u0000${nominal}`).digest();
    return digest.readUInt32BE(0) % limit;
  }
}

function nextInterval(i: Interval, afterMs: number): number {
  const n = Math.floor((afterMs - i.phaseMs) / i.intervalMs) + 1;
  return n * i.intervalMs + i.phaseMs;
}
