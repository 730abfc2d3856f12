/**
 * Deadline arithmetic on a working calendar. Every function is pure: the current time and the
 * calendar come in as arguments, so workflow code can replay them and get the same answers.
 *
 * Conventions (used by every function below):
 * - An office interval is half-open [start, end): 12:00 belongs to the lunch break, 17:00 to the
 *   evening. An instant outside office hours counts from the next opening. Day-based deadlines
 *   make one exception: an instant exactly at a closing time still belongs to the day that just
 *   closed (see `effectiveWorkingDay`).
 * - Priority of a day: a swapped working day (workingDays) beats everything; otherwise a holiday
 *   or compensatory day is closed; otherwise the weekday's office hours apply.
 */
import { bilingual, DomainError } from '../messages';
import {
  assertInstant,
  dateOfDayIndex,
  dayIndexOfDate,
  formatHHMM,
  isoWeekdayOfDayIndex,
  LocalDate,
  localDayIndex,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  startOfLocalDay,
  tryParseHHMM,
} from './localTime';
import { assertValidCalendar, swappedDayDefaultHours, TimeInterval, WorkingCalendar } from './model';

/**
 * How many consecutive days without any office time we scan before giving up: a bit more than
 * three years, far longer than any real closure (the longest, Tết, is about ten days), so hitting
 * it means the calendar has no working time rather than a long holiday.
 */
export const MAX_CLOSED_DAYS_SCANNED = 3 * 366 + 1;

type Minutes = Array<readonly [number, number]>;

interface Compiled {
  weekly: Minutes[]; // index 1..7
  holidays: Set<string>;
  swapped: Map<string, Minutes>;
}

function toMinutes(intervals: readonly TimeInterval[]): Minutes {
  return intervals.map((iv) => [tryParseHHMM(iv.start) as number, tryParseHHMM(iv.end, true) as number] as const);
}

/**
 * Compiled once per calendar object: a dashboard counts the time left of thousands of open cases
 * against a few calendars. Calendars are values — loaded or built whole, never changed once in
 * use (an edit loads a new one) — so the object is the key.
 */
const compiled = new WeakMap<WorkingCalendar, Compiled>();

function compile(cal: WorkingCalendar): Compiled {
  let c = compiled.get(cal);
  if (!c) {
    c = compileNow(cal);
    compiled.set(cal, c);
  }
  return c;
}

function compileNow(cal: WorkingCalendar): Compiled {
  // Validating here keeps a malformed admin edit from silently producing wrong deadlines.
  assertValidCalendar(cal);
  const weekly: Minutes[] = [[]];
  for (const wd of [1, 2, 3, 4, 5, 6, 7] as const) weekly.push(toMinutes(cal.officeHours[wd] ?? []));
  const swapDefault = toMinutes(swappedDayDefaultHours(cal.officeHours));
  const swapped = new Map<string, Minutes>();
  for (const w of cal.workingDays) swapped.set(w.date, w.hours ? toMinutes(w.hours) : swapDefault);
  return { weekly, holidays: new Set(cal.holidays.map((h) => h.date)), swapped };
}

function minutesOn(c: Compiled, dayIndex: number): Minutes {
  const date = dateOfDayIndex(dayIndex);
  const swapped = c.swapped.get(date);
  if (swapped) return swapped;
  if (c.holidays.has(date)) return [];
  return c.weekly[isoWeekdayOfDayIndex(dayIndex)] as Minutes;
}

/** Office intervals of a local day as instants [start, end). */
function intervalsOn(c: Compiled, dayIndex: number): Array<[number, number]> {
  const base = startOfLocalDay(dayIndex);
  return minutesOn(c, dayIndex).map(([s, e]) => [base + s * MS_PER_MINUTE, base + e * MS_PER_MINUTE]);
}

function noWorkingTime(fromDay: number): DomainError {
  const from = dateOfDayIndex(fromDay);
  return new DomainError(
    'CALENDAR_NO_WORKING_TIME',
    bilingual(
      `Lịch không có giờ làm việc nào trong hơn 3 năm kể từ ${from}; kiểm tra giờ làm việc và ngày nghỉ`,
      `The calendar has no working time for more than 3 years from ${from}; check office hours and holidays`,
    ),
  );
}

/**
 * Office intervals ending after `instant` (or at it, with `endInclusive`), in order, day by day;
 * throws on a calendar with no working time.
 */
function* intervalsFrom(c: Compiled, instant: number, endInclusive = false): Generator<[number, number]> {
  let day = localDayIndex(instant);
  let closedRun = 0;
  for (;;) {
    const intervals = intervalsOn(c, day);
    if (intervals.length === 0) {
      closedRun += 1;
      if (closedRun > MAX_CLOSED_DAYS_SCANNED) throw noWorkingTime(localDayIndex(instant));
    } else {
      closedRun = 0;
      for (const iv of intervals) if (iv[1] > instant || (endInclusive && iv[1] === instant)) yield iv;
    }
    day += 1;
  }
}

function toDayIndex(day: LocalDate | number): number {
  if (typeof day === 'number') {
    assertInstant(day);
    return localDayIndex(day);
  }
  return dayIndexOfDate(day);
}

/** Whether the office works at all on a local date (or on the local date of an instant). */
export function isWorkingDay(cal: WorkingCalendar, day: LocalDate | number): boolean {
  return minutesOn(compile(cal), toDayIndex(day)).length > 0;
}

/** The office hours that apply on a date, after holidays and swaps ([] when closed). */
export function workingHoursOn(cal: WorkingCalendar, day: LocalDate | number): TimeInterval[] {
  const c = compile(cal);
  return minutesOn(c, toDayIndex(day)).map(([s, e]) => ({ start: formatHHMM(s), end: formatHHMM(e) }));
}

/** `instant` itself when the office is open then; otherwise the start of the next office interval. */
export function nextOpening(cal: WorkingCalendar, instant: number): number {
  assertInstant(instant);
  const first = intervalsFrom(compile(cal), instant).next().value as [number, number];
  return Math.max(first[0], instant);
}

/**
 * The instant when `ms` of office time have elapsed after `instant`.
 * A deadline that uses up an interval exactly lands on its end (11:00 + 1 h = 12:00, not 13:00);
 * adding 0 gives `nextOpening(instant)`.
 */
export function addWorkingMs(cal: WorkingCalendar, instant: number, ms: number): number {
  assertInstant(instant);
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
    throw new DomainError(
      'INVALID_DURATION',
      bilingual(`Thời lượng phải là số không âm, nhận ${String(ms)}`, `Duration must be a non-negative number, got ${String(ms)}`),
    );
  }
  let remaining = Math.round(ms);
  for (const [s, e] of intervalsFrom(compile(cal), instant)) {
    const from = Math.max(s, instant);
    if (remaining <= e - from) return from + remaining;
    remaining -= e - from;
  }
  throw new Error('unreachable: intervalsFrom never ends without throwing');
}

/** `addWorkingMs` in hours; fractions are fine (0.25 = 15 minutes), rounded to whole milliseconds. */
export function addWorkingHours(cal: WorkingCalendar, instant: number, hours: number): number {
  if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0) {
    throw new DomainError(
      'INVALID_DURATION',
      bilingual(`Số giờ phải là số không âm, nhận ${String(hours)}`, `Hours must be a non-negative number, got ${String(hours)}`),
    );
  }
  return addWorkingMs(cal, instant, hours * MS_PER_HOUR);
}

/**
 * Office time between two instants, in ms. Negative when `b` is before `a`, so "time left until a
 * deadline" stays meaningful once the deadline has passed.
 */
export function workingMsBetween(cal: WorkingCalendar, a: number, b: number): number {
  assertInstant(a, 'a');
  assertInstant(b, 'b');
  if (b < a) return -workingMsBetween(cal, b, a);
  const c = compile(cal);
  let total = 0;
  for (let day = localDayIndex(a); day <= localDayIndex(b); day++) {
    for (const [s, e] of intervalsOn(c, day)) {
      const lo = Math.max(s, a);
      const hi = Math.min(e, b);
      if (hi > lo) total += hi - lo;
    }
  }
  return total;
}

export function workingHoursBetween(cal: WorkingCalendar, a: number, b: number): number {
  return workingMsBetween(cal, a, b) / MS_PER_HOUR;
}

/** Local day of the working day an instant counts towards (see `effectiveWorkingDay`). */
function effectiveDayIndex(c: Compiled, instant: number): number {
  assertInstant(instant);
  const first = intervalsFrom(c, instant, true).next().value as [number, number];
  // An interval lies within one local day, so its start names the day (also for an end of 24:00).
  return localDayIndex(first[0]);
}

/**
 * The working day an instant counts towards: the day of the next office interval, so a request
 * handed in on Saturday, in the evening or at lunch time counts from the next opening, as for
 * dossiers submitted online outside office hours. An instant exactly at a closing time still
 * belongs to the day that just closed: deadlines produced here are closing times, and extending
 * one by N days must count from its own day.
 */
export function effectiveWorkingDay(cal: WorkingCalendar, instant: number): LocalDate {
  return dateOfDayIndex(effectiveDayIndex(compile(cal), instant));
}

function closingOf(c: Compiled, dayIndex: number): number {
  const intervals = intervalsOn(c, dayIndex);
  return (intervals[intervals.length - 1] as [number, number])[1];
}

/**
 * Closing time (end of the last office interval) of the N-th working day after the day the instant
 * counts towards (see `effectiveWorkingDay`); N = 0 is that day itself.
 *
 * The day of receipt is not counted, as for periods in days under the Civil Code 2015 (art. 147),
 * and a period ends with the office's closing time on its last day rather than at midnight,
 * because nothing is processed after closing. Deadlines compose:
 * addWorkingDays(addWorkingDays(t, a), b) = addWorkingDays(t, a + b). With the default hours:
 * Monday 10:00 + 1 → Tuesday 17:00; Friday 16:59 + 1 → Monday 17:00;
 * Monday 17:30 (closed) + 1 → Wednesday 17:00; Saturday + 1 → Tuesday 17:00.
 */
export function addWorkingDays(cal: WorkingCalendar, instant: number, days: number): number {
  if (!Number.isSafeInteger(days) || days < 0) {
    throw new DomainError(
      'INVALID_DAY_COUNT',
      bilingual(`Số ngày làm việc phải là số nguyên không âm, nhận ${String(days)}`, `Working days must be a non-negative integer, got ${String(days)}`),
    );
  }
  const c = compile(cal);
  const startDay = effectiveDayIndex(c, instant);
  let day = startDay;
  let closedRun = 0;
  for (let counted = 0; counted < days; ) {
    day += 1;
    if (minutesOn(c, day).length > 0) {
      counted += 1;
      closedRun = 0;
    } else if (++closedRun > MAX_CLOSED_DAYS_SCANNED) {
      throw noWorkingTime(startDay);
    }
  }
  return closingOf(c, day);
}

/** Closing time of the working day the instant counts towards ("trong ngày"). */
export function endOfWorkingDay(cal: WorkingCalendar, instant: number): number {
  return addWorkingDays(cal, instant, 0);
}

/** Closing time of the working day after that ("trong ngày làm việc tiếp theo"). */
export function endOfNextWorkingDay(cal: WorkingCalendar, instant: number): number {
  return addWorkingDays(cal, instant, 1);
}
