/** Dates as a Vietnamese office types them (dd/mm/yyyy), and as the API takes them (YYYY-MM-DD). */
import { isValidLocalDate } from '../../../../domain/calendar/localTime';

/** "12/05/1990" (also with - or . between, or one-digit day and month) → "1990-05-12"; null when it is not a real date in that form. */
export function isoFromDayMonthYear(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isValidLocalDate(iso) ? iso : null;
}

/** "1990-05-12" → "12/05/1990". */
export function dayMonthYearFromIso(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : iso;
}
