/** How the calendar API writes dates, times and durations for Vietnamese officers. */
import {
  formatLocalDate,
  formatLocalTime,
  formatViDate,
  isoWeekdayOfDate,
  type IsoWeekday,
  type LocalDate,
  MS_PER_HOUR,
  type OfficeHours,
  type TimeInterval,
} from '../../domain/calendar';

const WEEKDAYS_VI: Readonly<Record<IsoWeekday, string>> = {
  1: 'thứ Hai',
  2: 'thứ Ba',
  3: 'thứ Tư',
  4: 'thứ Năm',
  5: 'thứ Sáu',
  6: 'thứ Bảy',
  7: 'Chủ nhật',
};

export function weekdayVi(date: LocalDate): string {
  return WEEKDAYS_VI[isoWeekdayOfDate(date)];
}

/** "thứ Hai 23/11/2026". */
export function dayVi(date: LocalDate): string {
  return `${weekdayVi(date)} ${formatViDate(date)}`;
}

/** "16:30 thứ Hai 23/11/2026", the way a deadline is shown on a receipt. */
export function instantVi(instant: number): string {
  return `${formatLocalTime(instant)} ${dayVi(formatLocalDate(instant))}`;
}

/** "2026-11-23T16:30:00+07:00": the same instant written in Viet Nam time. */
export function localIso(instant: number): string {
  const seconds = ((Math.floor(instant / 1000) % 60) + 60) % 60;
  return `${formatLocalDate(instant)}T${formatLocalTime(instant)}:${String(seconds).padStart(2, '0')}+07:00`;
}

/** Hours with a decimal comma and at most two decimals: 0,5 · 1,25 · 8. */
export function hoursVi(ms: number): string {
  const hours = Math.round((ms / MS_PER_HOUR) * 100) / 100;
  return `${String(hours).replace('.', ',')} giờ`;
}

/** "08:00–12:00, 13:00–17:00". */
export function intervalsVi(intervals: readonly TimeInterval[]): string {
  return intervals.map((iv) => `${iv.start}–${iv.end}`).join(', ');
}

/** Office hours in a fixed key order, Monday first, closed days left out. */
export function normalizeOfficeHours(hours: OfficeHours): OfficeHours {
  const out: OfficeHours = {};
  for (const wd of [1, 2, 3, 4, 5, 6, 7] as const) {
    const day = hours[wd];
    if (day && day.length > 0) out[wd] = day.map((iv) => ({ start: iv.start, end: iv.end }));
  }
  return out;
}
