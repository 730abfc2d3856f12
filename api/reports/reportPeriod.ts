/**
 * The period of a report: whole Hà Nội days [from, to), at most three years, optionally cut into
 * calendar months (the first and last months clipped to the period).
 */
import { addDaysToDate, dayIndexOfDate, daysInMonth, formatViDate, parseLocalDate, type LocalDate } from '../../domain/calendar';

export const MAX_REPORT_YEARS = 3;

export interface ReportPeriod {
  /** First day counted. */
  from: LocalDate;
  /** First day no longer counted. */
  to: LocalDate;
}

/** A slice of the period with its instants: the whole period, or one month of it. */
export interface PeriodSlice {
  /** 'YYYY-MM' for a month, null for the whole period. */
  month: string | null;
  from: LocalDate;
  to: LocalDate;
  start: Date;
  end: Date;
}

/** The latest `to` a period starting on `from` may have: the same day three years on (28 February for 29 February). */
export function latestEndOf(from: LocalDate): LocalDate {
  const year = Number(from.slice(0, 4)) + MAX_REPORT_YEARS;
  const month = Number(from.slice(5, 7));
  const day = Math.min(Number(from.slice(8, 10)), daysInMonth(year, month));
  return `${year}-${from.slice(5, 7)}-${String(day).padStart(2, '0')}`;
}

export function lastDayOf(period: ReportPeriod): LocalDate {
  return addDaysToDate(period.to, -1);
}

/** "từ ngày 01/11/2026 đến ngày 30/11/2026": the days as people count them, both ends included. */
export function periodTextVi(period: ReportPeriod): string {
  return `từ ngày ${formatViDate(period.from)} đến ngày ${formatViDate(lastDayOf(period))}`;
}

export function periodTextEn(period: ReportPeriod): string {
  return `from ${formatViDate(period.from)} to ${formatViDate(lastDayOf(period))}`;
}

function sliceOf(month: string | null, from: LocalDate, to: LocalDate): PeriodSlice {
  return { month, from, to, start: new Date(parseLocalDate(from)), end: new Date(parseLocalDate(to)) };
}

export function wholePeriod(period: ReportPeriod): PeriodSlice {
  return sliceOf(null, period.from, period.to);
}

/** The calendar months the period touches, each clipped to the period. */
export function monthsOf(period: ReportPeriod): PeriodSlice[] {
  const out: PeriodSlice[] = [];
  let year = Number(period.from.slice(0, 4));
  let month = Number(period.from.slice(5, 7));
  const toIndex = dayIndexOfDate(period.to);
  for (;;) {
    const first: LocalDate = `${year}-${String(month).padStart(2, '0')}-01`;
    if (dayIndexOfDate(first) >= toIndex) break;
    const next = month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, '0')}-01`;
    const from = dayIndexOfDate(first) < dayIndexOfDate(period.from) ? period.from : first;
    const to = dayIndexOfDate(next) > toIndex ? period.to : next;
    out.push(sliceOf(first.slice(0, 7), from, to));
    year = month === 12 ? year + 1 : year;
    month = month === 12 ? 1 : month + 1;
  }
  return out;
}

/** "11/2026" */
export function monthLabel(month: string): string {
  return `${month.slice(5, 7)}/${month.slice(0, 4)}`;
}
