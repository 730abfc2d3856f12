/**
 * Calendar specs in the form the Temporal API returns them (StructuredCalendarSpec), and the
 * parsing of the string forms a client may send instead: CalendarSpec fields and cron strings
 * (5, 6 or 7 fields, @shorthands, @every, CRON_TZ=/TZ= prefixes and # comments).
 */
import { CRON_DESCRIPTORS } from '../cron/cronExpression';
import { invalidArgument } from '../errors';

export interface Range {
  start: number;
  end: number;
  step: number;
}

export interface StructuredCalendar {
  second: Range[];
  minute: Range[];
  hour: Range[];
  dayOfMonth: Range[];
  month: Range[];
  /** Empty means every year. */
  year: Range[];
  dayOfWeek: Range[];
  comment: string;
}

/** The string form of one calendar spec, as in temporal.api.schedule.v1.CalendarSpec. */
export interface CalendarStrings {
  second?: string | null;
  minute?: string | null;
  hour?: string | null;
  dayOfMonth?: string | null;
  month?: string | null;
  year?: string | null;
  dayOfWeek?: string | null;
  comment?: string | null;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Index of the first name (months count from 1). */
  nameBase?: number;
}

const FIELDS = {
  second: { name: 'second', min: 0, max: 59 },
  minute: { name: 'minute', min: 0, max: 59 },
  hour: { name: 'hour', min: 0, max: 23 },
  dayOfMonth: { name: 'day_of_month', min: 1, max: 31 },
  month: { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  year: { name: 'year', min: 1970, max: 2999 },
  dayOfWeek: { name: 'day_of_week', min: 0, max: 7, names: DAYS, nameBase: 0 },
} satisfies Record<string, FieldRule>;

function parseValue(text: string, rule: FieldRule): number {
  const lower = text.toLowerCase();
  if (rule.names) {
    const idx = rule.names.findIndex((n) => lower.startsWith(n));
    if (idx >= 0 && !/^\d/.test(lower)) return idx + (rule.nameBase ?? 0);
  }
  if (!/^\d+$/.test(text)) throw invalidArgument(`Lịch không hợp lệ / invalid ${rule.name} value: ${text}`);
  const n = Number(text);
  if (n < rule.min || n > rule.max) throw invalidArgument(`Lịch không hợp lệ / ${rule.name} value out of range: ${text}`);
  return n;
}

/** One field of a CalendarSpec or cron string: comma-separated `*`, `N`, `N-M`, with an optional `/step`. */
export function parseField(text: string, rule: FieldRule): Range[] {
  const out: Range[] = [];
  for (const item of text.split(',')) {
    const part = item.trim();
    if (!part) throw invalidArgument(`Lịch không hợp lệ / empty ${rule.name} item in "${text}"`);
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined) throw invalidArgument(`Lịch không hợp lệ / invalid ${rule.name} item: ${part}`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw invalidArgument(`Lịch không hợp lệ / invalid step in ${rule.name}: ${part}`);
      step = Number(stepText);
    }
    let start: number;
    let end: number;
    if (rangeText === '*' || rangeText === '?') {
      if (rule === FIELDS.year) {
        if (stepText === undefined) return [];
        start = rule.min;
        end = rule.max;
      } else {
        start = rule.min;
        end = rule === FIELDS.dayOfWeek ? 6 : rule.max;
      }
    } else {
      const [a, b, more] = rangeText.split('-');
      if (more !== undefined) throw invalidArgument(`Lịch không hợp lệ / invalid ${rule.name} range: ${part}`);
      start = parseValue(a, rule);
      end = b !== undefined ? parseValue(b, rule) : stepText !== undefined ? (rule === FIELDS.dayOfWeek ? 6 : rule.max) : start;
      if (end < start) throw invalidArgument(`Lịch không hợp lệ / ${rule.name} range ends before it starts: ${part}`);
    }
    out.push(...(rule === FIELDS.dayOfWeek ? sundayAsZero({ start, end, step }) : [{ start, end, step }]));
  }
  return out;
}

/** Day of week accepts 7 for Sunday; the structured form only has 0-6. */
function sundayAsZero(r: Range): Range[] {
  if (r.end < 7) return [r];
  if (r.start === 7) return [{ start: 0, end: 0, step: 1 }];
  const rest = [{ start: r.start, end: 6, step: r.step }];
  return (7 - r.start) % r.step === 0 ? [{ start: 0, end: 0, step: 1 }, ...rest] : rest;
}

export function parseCalendarStrings(c: CalendarStrings): StructuredCalendar {
  return {
    second: parseField(c.second || '0', FIELDS.second),
    minute: parseField(c.minute || '0', FIELDS.minute),
    hour: parseField(c.hour || '0', FIELDS.hour),
    dayOfMonth: parseField(c.dayOfMonth || '*', FIELDS.dayOfMonth),
    month: parseField(c.month || '*', FIELDS.month),
    year: parseField(c.year || '*', FIELDS.year),
    dayOfWeek: parseField(c.dayOfWeek || '*', FIELDS.dayOfWeek),
    comment: c.comment ?? '',
  };
}

export interface ParsedCron {
  calendar?: StructuredCalendar;
  interval?: { intervalMs: number; phaseMs: number };
  timeZone?: string;
}

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

function parseEveryDuration(text: string, cron: string): number {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) throw invalidArgument(`Lịch không hợp lệ / invalid duration "${text}" in cron string "${cron}"`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

export function parseCronString(cron: string): ParsedCron {
  let text = cron.trim();
  let timeZone: string | undefined;
  const tz = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(text);
  if (tz) {
    timeZone = tz[1];
    text = text.slice(tz[0].length);
  }
  const hash = text.indexOf('#');
  const comment = hash >= 0 ? text.slice(hash + 1).trim() : '';
  if (hash >= 0) text = text.slice(0, hash).trim();
  if (text.startsWith('@every')) {
    const [every, phase] = text.slice('@every'.length).trim().split('/');
    return { interval: { intervalMs: parseEveryDuration(every, cron), phaseMs: phase ? parseEveryDuration(phase, cron) : 0 }, timeZone };
  }
  text = CRON_DESCRIPTORS[text.toLowerCase()] ?? text;
  const f = text.split(/\s+/).filter(Boolean);
  let strings: CalendarStrings;
  if (f.length === 5) strings = { minute: f[0], hour: f[1], dayOfMonth: f[2], month: f[3], dayOfWeek: f[4] };
  else if (f.length === 6) strings = { minute: f[0], hour: f[1], dayOfMonth: f[2], month: f[3], dayOfWeek: f[4], year: f[5] };
  else if (f.length === 7) strings = { second: f[0], minute: f[1], hour: f[2], dayOfMonth: f[3], month: f[4], dayOfWeek: f[5], year: f[6] };
  else throw invalidArgument(`Lịch không hợp lệ / a cron string has 5, 6 or 7 fields: "${cron}"`);
  return { calendar: parseCalendarStrings({ ...strings, comment }), timeZone };
}

/** Sorted distinct values a field's ranges admit within [min, max]. */
export function expand(ranges: Range[], min: number, max: number): number[] {
  const set = new Set<number>();
  for (const r of ranges) {
    const end = Math.min(Math.max(r.end, r.start), max);
    const step = r.step > 0 ? r.step : 1;
    for (let v = r.start; v <= end; v += step) if (v >= min) set.add(v);
  }
  return [...set].sort((a, b) => a - b);
}

export function matches(ranges: Range[], value: number): boolean {
  return ranges.some((r) => {
    const end = Math.max(r.end, r.start);
    const step = r.step > 0 ? r.step : 1;
    return value >= r.start && value <= end && (value - r.start) % step === 0;
  });
}
