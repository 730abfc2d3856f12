/**
 * The reminder of an appointment goes at the opening of the working day before its date (seed 001:
 * the citizen is reminded the day before) — the calendar's working day, so a Monday appointment is
 * reminded on Friday, and one after Tết on the last working day before it.
 */
import { addDaysToDate, formatLocalDate, isWorkingDay, parseHHMM, parseLocalDate, workingHoursOn, type WorkingCalendar } from '../calendar';

const MAX_DAYS_BACK = 30;

/** The instant of the reminder, or null when no working day precedes the date within a month. */
export function reminderAt(cal: WorkingCalendar, slotStart: number): number | null {
  let day = formatLocalDate(slotStart);
  for (let i = 0; i < MAX_DAYS_BACK; i++) {
    day = addDaysToDate(day, -1);
    if (isWorkingDay(cal, day)) return parseLocalDate(day) + parseHHMM(workingHoursOn(cal, day)[0]!.start) * 60_000;
  }
  return null;
}
