/**
 * Cron expressions as Temporal's server reads `cronSchedule` (the "standard" parser of
 * robfig/cron v3): five fields (minute hour day-of-month month day-of-week) with lists,
 * ranges, steps and month/day names; the descriptors @yearly/@annually, @monthly, @weekly,
 * @daily/@midnight, @hourly and `@every <duration>`; an optional `CRON_TZ=<zone>` (or `TZ=`)
 * prefix. Day of month and day of week combine with OR when both are restricted, with AND
 * when either is `*` — the classic cron rule. Times are whole seconds.
 */
import { offsetMs } from '../schedules/timezone';

export class CronError extends Error {}

interface Field {
  min: number;
  max: number;
  names?: Record<string, number>;
}

const MINUTE: Field = { min: 0, max: 59 };
const HOUR: Field = { min: 0, max: 23 };
const DOM: Field = { min: 1, max: 31 };
const MONTH: Field = {
  min: 1,
  max: 12,
  names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 },
};
const DOW: Field = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** The descriptors, as five-field expressions; schedules' cron strings take the same ones. */
export const CRON_DESCRIPTORS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

interface ParsedField {
  values: Set<number>;
  /** The field was `*` or `?` without a step: it does not restrict the day. */
  star: boolean;
}

export type CronSchedule =
  | { kind: 'every'; delayMs: number }
  | { kind: 'fields'; zone?: string; minute: ParsedField; hour: ParsedField; dom: ParsedField; month: ParsedField; dow: ParsedField };

export function parseCron(spec: string): CronSchedule {
  let text = spec.trim();
  let zone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    zone = tz[1];
    checkZone(zone);
    text = text.slice(tz[0].length).trim();
  }
  if (text.startsWith('@every ')) return { kind: 'every', delayMs: everyDelay(text.slice(7).trim()) };
  if (text.startsWith('@')) {
    const expanded = CRON_DESCRIPTORS[text];
    if (!expanded) throw new CronError(`unrecognized descriptor: ${text}`);
    text = expanded;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== 5) throw new CronError(`expected exactly 5 fields, found ${parts.length}: ${text}`);
  return {
    kind: 'fields',
    zone,
    minute: parseField(parts[0], MINUTE),
    hour: parseField(parts[1], HOUR),
    dom: parseField(parts[2], DOM),
    month: parseField(parts[3], MONTH),
    dow: parseField(parts[4], DOW),
  };
}

function checkZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new CronError(`provided bad location ${zone}`);
  }
}

function parseField(text: string, field: Field): ParsedField {
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/');
    const step = stepText === undefined ? 1 : parseNumber(stepText, undefined);
    if (step <= 0) throw new CronError(`step of range should be a positive number: ${part}`);
    let low: number;
    let high: number;
    if (range === '*' || range === '?') {
      low = field.min;
      high = field.max;
      if (stepText === undefined || step === 1) star = true;
    } else {
      const bounds = range.split('-');
      if (bounds.length > 2) throw new CronError(`too many hyphens: ${part}`);
      low = parseNumber(bounds[0], field.names);
      // "N/step" means "N-max/step".
      high = bounds.length === 2 ? parseNumber(bounds[1], field.names) : stepText !== undefined ? field.max : low;
    }
    if (low < field.min || high > field.max || low > high) throw new CronError(`value out of range (${field.min}-${field.max}): ${part}`);
    for (let v = low; v <= high; v += step) values.add(v);
  }
  return { values, star };
}

function parseNumber(text: string, names: Record<string, number> | undefined): number {
  const named = names?.[text.toLowerCase()];
  if (named !== undefined) return named;
  if (!/^\d+$/.test(text)) throw new CronError(`failed to parse int from ${text}`);
  return Number(text);
}

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("90s", "1h30m", "1.5h"), at least one second, whole seconds, as `@every` takes it. */
function everyDelay(text: string): number {
  const re = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/gy;
  let total = 0;
  let consumed = 0;
  let match: RegExpExecArray | null;
  while ((match = re.exec(text)) !== null) {
    total += Number(match[1]) * UNIT_MS[match[2]];
    consumed = re.lastIndex;
  }
  if (consumed !== text.length || text.length === 0) throw new CronError(`failed to parse duration @every ${text}`);
  const ms = Math.max(1000, total);
  return ms - (ms % 1000);
}

/** The first instant strictly after `afterMs` that the schedule names, or undefined when there is none. */
export function nextCronTime(schedule: CronSchedule, afterMs: number): number | undefined {
  if (schedule.kind === 'every') return afterMs - (afterMs % 1000) + schedule.delayMs;
  let from = afterMs - (((afterMs % 1000) + 1000) % 1000) + 1000;
  // A wall-clock time that falls in a daylight-saving jump can map back before `from`; search on.
  for (let guard = 0; guard < 4; guard++) {
    const wall = nextWallTime(schedule, toWall(from, schedule.zone));
    if (wall === undefined) return undefined;
    const instant = fromWall(wall, schedule.zone);
    if (instant > afterMs) return instant;
    from = instant + 60_000;
  }
  return undefined;
}

/**
 * Wall-clock times are handled as UTC Date fields (so the arithmetic has no zone), and turned
 * into instants at the end.
 */
function nextWallTime(s: Extract<CronSchedule, { kind: 'fields' }>, startWall: number): number | undefined {
  const t = new Date(startWall);
  if (t.getUTCSeconds() !== 0) {
    t.setUTCSeconds(0);
    t.setUTCMinutes(t.getUTCMinutes() + 1);
  }
  const yearLimit = t.getUTCFullYear() + 5;
  wrap: while (t.getUTCFullYear() <= yearLimit) {
    while (!s.month.values.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0, 0, 0);
      if (t.getUTCMonth() === 0) continue wrap;
    }
    while (!dayMatches(s, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0, 0, 0);
      if (t.getUTCDate() === 1) continue wrap;
    }
    while (!s.hour.values.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0, 0, 0);
      if (t.getUTCHours() === 0) continue wrap;
    }
    while (!s.minute.values.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1, 0, 0);
      if (t.getUTCMinutes() === 0) continue wrap;
    }
    return t.getTime();
  }
  return undefined;
}

function dayMatches(s: Extract<CronSchedule, { kind: 'fields' }>, t: Date): boolean {
  const domMatch = s.dom.values.has(t.getUTCDate());
  const dowMatch = s.dow.values.has(t.getUTCDay());
  if (s.dom.star || s.dow.star) return domMatch && dowMatch;
  return domMatch || dowMatch;
}

function toWall(instant: number, zone: string | undefined): number {
  return zone ? instant + offsetMs(instant, zone) : instant;
}

function fromWall(wall: number, zone: string | undefined): number {
  if (!zone) return wall;
  let instant = wall - offsetMs(wall, zone);
  instant = wall - offsetMs(instant, zone);
  return instant;
}
