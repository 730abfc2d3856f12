/**
 * Local civil time of Asia/Ho_Chi_Minh as plain arithmetic.
 *
 * Viet Nam has kept UTC+07:00 without daylight saving since 1975, so a fixed offset is exact for
 * every date this product handles, and it keeps these helpers usable inside Temporal workflows,
 * where Intl time-zone data and the wall clock are off limits. Instants are epoch milliseconds.
 */
import { bilingual, DomainError } from '../messages';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
export const MINUTES_PER_DAY = 1440;
export const VN_UTC_OFFSET_MS = 7 * MS_PER_HOUR;

/** 'YYYY-MM-DD' in Viet Nam local time. */
export type LocalDate = string;
/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

export interface YearMonthDay {
  year: number;
  month: number;
  day: number;
}

// Date's own range; anything beyond is a caller bug, not a date.
const MAX_INSTANT = 8.64e15;

export function assertInstant(instant: number, what = 'instant'): void {
  if (typeof instant !== 'number' || !Number.isFinite(instant) || Math.abs(instant) > MAX_INSTANT) {
    throw new DomainError(
      'INVALID_INSTANT',
      bilingual(`Thời điểm không hợp lệ (${what}): ${String(instant)}`, `Invalid instant (${what}): ${String(instant)}`),
    );
  }
}

/**
 * Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil), so no Date
 * object and no time zone is involved.
 */
export function dayIndexFromYmd(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function ymdFromDayIndex(dayIndex: number): YearMonthDay {
  const z = dayIndex + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function daysInMonth(year: number, month: number): number {
  return dayIndexFromYmd(month === 12 ? year + 1 : year, month === 12 ? 1 : month + 1, 1) - dayIndexFromYmd(year, month, 1);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const HHMM_RE = /^(\d{2}):(\d{2})$/;

export function isValidLocalDate(text: unknown): text is LocalDate {
  if (typeof text !== 'string') return false;
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

function invalidDate(text: unknown): DomainError {
  return new DomainError(
    'INVALID_LOCAL_DATE',
    bilingual(`Ngày "${String(text)}" không hợp lệ (định dạng YYYY-MM-DD)`, `Invalid date "${String(text)}" (format YYYY-MM-DD)`),
  );
}

/** Days since 1970-01-01 of a 'YYYY-MM-DD' local date. */
export function dayIndexOfDate(date: LocalDate): number {
  if (!isValidLocalDate(date)) throw invalidDate(date);
  return dayIndexFromYmd(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

export function dateOfDayIndex(dayIndex: number): LocalDate {
  const { year, month, day } = ymdFromDayIndex(dayIndex);
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}`;
}

/** The local calendar day (days since 1970-01-01) an instant falls on in Viet Nam. */
export function localDayIndex(instant: number): number {
  return Math.floor((instant + VN_UTC_OFFSET_MS) / MS_PER_DAY);
}

/** The instant of local midnight that starts the given local day. */
export function startOfLocalDay(dayIndex: number): number {
  return dayIndex * MS_PER_DAY - VN_UTC_OFFSET_MS;
}

export function isoWeekdayOfDayIndex(dayIndex: number): IsoWeekday {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((dayIndex + 3) % 7) + 7) % 7 + 1) as IsoWeekday;
}

export function isoWeekdayOfDate(date: LocalDate): IsoWeekday {
  return isoWeekdayOfDayIndex(dayIndexOfDate(date));
}

export function addDaysToDate(date: LocalDate, days: number): LocalDate {
  return dateOfDayIndex(dayIndexOfDate(date) + days);
}

/** Minutes after midnight for 'HH:MM'; '24:00' only when `allowEndOfDay` (an interval's end). */
export function parseHHMM(text: string, allowEndOfDay = false): number {
  const minutes = tryParseHHMM(text, allowEndOfDay);
  if (minutes === undefined) {
    throw new DomainError(
      'INVALID_TIME',
      bilingual(`Giờ "${String(text)}" không hợp lệ (định dạng HH:MM, 00:00–23:59)`, `Invalid time "${String(text)}" (format HH:MM, 00:00–23:59)`),
    );
  }
  return minutes;
}

export function tryParseHHMM(text: unknown, allowEndOfDay = false): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = HHMM_RE.exec(text);
  if (!m) return undefined;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (allowEndOfDay && h === 24 && min === 0) return MINUTES_PER_DAY;
  if (h > 23 || min > 59) return undefined;
  return h * 60 + min;
}

export function formatHHMM(minutesAfterMidnight: number): string {
  const total = Math.floor(minutesAfterMidnight);
  return `${pad2(Math.floor(total / 60))}:${pad2(total % 60)}`;
}

/** 'YYYY-MM-DD' of an instant in Viet Nam. */
export function formatLocalDate(instant: number): LocalDate {
  assertInstant(instant);
  return dateOfDayIndex(localDayIndex(instant));
}

/** 'HH:MM' of an instant in Viet Nam (seconds are truncated, never rounded up). */
export function formatLocalTime(instant: number): string {
  assertInstant(instant);
  const msOfDay = instant + VN_UTC_OFFSET_MS - localDayIndex(instant) * MS_PER_DAY;
  return formatHHMM(Math.floor(msOfDay / MS_PER_MINUTE));
}

/** 'YYYY-MM-DD HH:MM' of an instant in Viet Nam. */
export function formatLocalDateTime(instant: number): string {
  return `${formatLocalDate(instant)} ${formatLocalTime(instant)}`;
}

/** 'DD/MM/YYYY', the way dates are written on Vietnamese administrative documents. */
export function formatViDate(date: LocalDate): string {
  if (!isValidLocalDate(date)) throw invalidDate(date);
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}

/** The instant of local midnight starting a 'YYYY-MM-DD' day. */
export function parseLocalDate(date: LocalDate): number {
  return startOfLocalDay(dayIndexOfDate(date));
}

/**
 * The instant of a local date and time. Accepts ('YYYY-MM-DD', 'HH:MM') or one string
 * 'YYYY-MM-DD HH:MM' / 'YYYY-MM-DDTHH:MM'.
 */
export function parseLocalDateTime(date: string, time?: string): number {
  let d = date;
  let t = time;
  if (t === undefined) {
    const m = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})$/.exec(date);
    if (!m) {
      throw new DomainError(
        'INVALID_LOCAL_DATETIME',
        bilingual(
          `Thời điểm "${date}" không hợp lệ (định dạng YYYY-MM-DD HH:MM)`,
          `Invalid date-time "${date}" (format YYYY-MM-DD HH:MM)`,
        ),
      );
    }
    d = m[1] as string;
    t = m[2] as string;
  }
  return parseLocalDate(d) + parseHHMM(t) * MS_PER_MINUTE;
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}
