/**
 * The working calendar as plain JSON data: an admin edits it, the API stores it, and a workflow
 * receives it as input, so it must survive JSON round trips unchanged.
 */
import { bilingual, BilingualMessage, DomainError, formatBilingual } from '../messages';
import { formatHHMM, isValidLocalDate, IsoWeekday, LocalDate, tryParseHHMM } from './localTime';

/** One stretch of office time, local 'HH:MM'; `end` may be '24:00'. */
export interface TimeInterval {
  start: string;
  end: string;
}

/** Office hours per ISO weekday (1 = Monday … 7 = Sunday); a missing or empty day is closed. */
export type OfficeHours = Partial<Record<IsoWeekday, TimeInterval[]>>;

export type HolidayKind = 'holiday' | 'compensatory';

export interface Holiday {
  date: LocalDate;
  name: string;
  /** 'holiday' = a day named by law; 'compensatory' = a day off given back (nghỉ bù) or swapped (hoán đổi). */
  kind: HolidayKind;
  /** Derived from the law's rules because the official schedule was not published yet. */
  provisional?: boolean;
}

/** A day that is worked although it would be off, e.g. the Saturday that pays back a swapped Friday. */
export interface SwappedWorkingDay {
  date: LocalDate;
  name: string;
  /** Default: the office's Monday–Friday hours (see `swappedDayDefaultHours`). */
  hours?: TimeInterval[];
  provisional?: boolean;
}

export interface WorkingCalendar {
  officeHours: OfficeHours;
  holidays: Holiday[];
  workingDays: SwappedWorkingDay[];
}

/** 08:00–12:00 and 13:00–17:00, the usual hours of a commune office. */
export function defaultDayHours(): TimeInterval[] {
  return [
    { start: '08:00', end: '12:00' },
    { start: '13:00', end: '17:00' },
  ];
}

export function defaultOfficeHours(): OfficeHours {
  return { 1: defaultDayHours(), 2: defaultDayHours(), 3: defaultDayHours(), 4: defaultDayHours(), 5: defaultDayHours() };
}

export function createWorkingCalendar(parts: Partial<WorkingCalendar> = {}): WorkingCalendar {
  return {
    officeHours: parts.officeHours ?? defaultOfficeHours(),
    holidays: parts.holidays ?? [],
    workingDays: parts.workingDays ?? [],
  };
}

/**
 * Hours of a swapped working day that names none: the first of Monday…Friday that has office
 * hours (an office closed on Mondays still works its Tuesday hours), else the default day.
 */
export function swappedDayDefaultHours(officeHours: OfficeHours): TimeInterval[] {
  for (const wd of [1, 2, 3, 4, 5] as const) {
    const hours = officeHours[wd];
    if (hours && hours.length > 0) return hours;
  }
  return defaultDayHours();
}

export interface CalendarIssue {
  /** Where in the calendar, e.g. 'officeHours.1[0].start' or 'holidays[3].date'. */
  path: string;
  code: string;
  /** "Tiếng Việt / English". */
  message: string;
  messages: BilingualMessage;
}

export type CalendarValidationResult =
  | { ok: true; calendar: WorkingCalendar; errors: [] }
  | { ok: false; errors: CalendarIssue[] };

const WEEKDAY_NAMES_VI = ['', 'thứ Hai', 'thứ Ba', 'thứ Tư', 'thứ Năm', 'thứ Sáu', 'thứ Bảy', 'Chủ nhật'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks data typed by a person or read from storage: every problem is reported (not just the
 * first), each with a path, so an admin screen can point at the offending field.
 */
export function validateCalendar(input: unknown): CalendarValidationResult {
  const errors: CalendarIssue[] = [];
  const add = (path: string, code: string, vi: string, en: string): void => {
    const messages = bilingual(vi, en);
    errors.push({ path, code, message: formatBilingual(messages), messages });
  };

  if (!isRecord(input)) {
    add('', 'CALENDAR_NOT_OBJECT', 'Lịch làm việc phải là một đối tượng', 'The working calendar must be an object');
    return { ok: false, errors };
  }

  let anyWorkingTime = false;
  const officeHours = input['officeHours'];
  if (!isRecord(officeHours)) {
    add('officeHours', 'OFFICE_HOURS_NOT_OBJECT', 'Thiếu giờ làm việc theo thứ trong tuần', 'Office hours per weekday are missing');
  } else {
    for (const key of Object.keys(officeHours)) {
      if (!/^[1-7]$/.test(key)) {
        add(
          `officeHours.${key}`,
          'INVALID_WEEKDAY',
          `Thứ trong tuần phải là số từ 1 (thứ Hai) đến 7 (Chủ nhật), nhận "${key}"`,
          `Weekday must be 1 (Monday) to 7 (Sunday), got "${key}"`,
        );
        continue;
      }
      const count = checkIntervals(officeHours[key], `officeHours.${key}`, WEEKDAY_NAMES_VI[Number(key)] as string, add);
      if (count > 0) anyWorkingTime = true;
    }
  }

  const holidayDates = new Set<string>();
  const holidays = input['holidays'];
  if (!Array.isArray(holidays)) {
    add('holidays', 'HOLIDAYS_NOT_ARRAY', 'Danh sách ngày nghỉ phải là một mảng', 'Holidays must be an array');
  } else {
    holidays.forEach((h: unknown, i) => {
      const path = `holidays[${i}]`;
      if (!isRecord(h)) {
        add(path, 'HOLIDAY_NOT_OBJECT', 'Ngày nghỉ phải là một đối tượng', 'A holiday must be an object');
        return;
      }
      const date = checkDayCommon(h, path, add);
      if (h['kind'] !== 'holiday' && h['kind'] !== 'compensatory') {
        add(
          `${path}.kind`,
          'INVALID_HOLIDAY_KIND',
          `Loại ngày nghỉ phải là "holiday" (nghỉ lễ) hoặc "compensatory" (nghỉ bù/hoán đổi), nhận "${String(h['kind'])}"`,
          `Holiday kind must be "holiday" or "compensatory", got "${String(h['kind'])}"`,
        );
      }
      if (date !== undefined) {
        if (holidayDates.has(date)) {
          add(`${path}.date`, 'DUPLICATE_HOLIDAY', `Ngày ${date} bị trùng trong danh sách ngày nghỉ`, `Date ${date} is listed twice among holidays`);
        }
        holidayDates.add(date);
      }
    });
  }

  const workingDays = input['workingDays'];
  if (!Array.isArray(workingDays)) {
    add('workingDays', 'WORKING_DAYS_NOT_ARRAY', 'Danh sách ngày làm việc hoán đổi phải là một mảng', 'Swapped working days must be an array');
  } else {
    const seen = new Set<string>();
    workingDays.forEach((w: unknown, i) => {
      const path = `workingDays[${i}]`;
      if (!isRecord(w)) {
        add(path, 'WORKING_DAY_NOT_OBJECT', 'Ngày làm việc hoán đổi phải là một đối tượng', 'A swapped working day must be an object');
        return;
      }
      const date = checkDayCommon(w, path, add);
      if (w['hours'] !== undefined) {
        const count = checkIntervals(w['hours'], `${path}.hours`, `ngày ${String(w['date'])}`, add);
        if (count === 0 && Array.isArray(w['hours'])) {
          add(
            `${path}.hours`,
            'EMPTY_WORKING_DAY',
            `Ngày làm việc ${String(w['date'])} phải có ít nhất một khoảng giờ (bỏ trống để dùng giờ thứ Hai–thứ Sáu)`,
            `Working day ${String(w['date'])} needs at least one interval (omit it to use the Monday–Friday hours)`,
          );
        }
      }
      anyWorkingTime = true;
      if (date !== undefined) {
        if (seen.has(date)) {
          add(`${path}.date`, 'DUPLICATE_WORKING_DAY', `Ngày ${date} bị trùng trong danh sách ngày làm việc hoán đổi`, `Date ${date} is listed twice among working days`);
        }
        seen.add(date);
        if (holidayDates.has(date)) {
          add(
            `${path}.date`,
            'HOLIDAY_AND_WORKING_DAY',
            `Ngày ${date} vừa là ngày nghỉ vừa là ngày làm việc hoán đổi`,
            `Date ${date} is both a holiday and a swapped working day`,
          );
        }
      }
    });
  }

  if (errors.length === 0 && !anyWorkingTime) {
    add('officeHours', 'NO_WORKING_TIME', 'Lịch không có giờ làm việc nào', 'The calendar has no working time at all');
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, calendar: input as unknown as WorkingCalendar, errors: [] };
}

/** The calendar itself when valid; otherwise a DomainError listing every problem. */
export function assertValidCalendar(input: unknown): WorkingCalendar {
  const result = validateCalendar(input);
  if (result.ok) return result.calendar;
  throw new DomainError(
    'CALENDAR_INVALID',
    bilingual(
      `Lịch làm việc không hợp lệ: ${result.errors.map((e) => e.messages.vi).join('; ')}`,
      `Invalid working calendar: ${result.errors.map((e) => e.messages.en).join('; ')}`,
    ),
  );
}

type AddIssue = (path: string, code: string, vi: string, en: string) => void;

function checkDayCommon(entry: Record<string, unknown>, path: string, add: AddIssue): string | undefined {
  const date = entry['date'];
  let valid: string | undefined;
  if (!isValidLocalDate(date)) {
    add(`${path}.date`, 'INVALID_DATE', `Ngày "${String(date)}" không hợp lệ (định dạng YYYY-MM-DD)`, `Invalid date "${String(date)}" (format YYYY-MM-DD)`);
  } else {
    valid = date;
  }
  const name = entry['name'];
  if (typeof name !== 'string' || name.trim() === '') {
    add(`${path}.name`, 'MISSING_NAME', `Ngày ${String(date)} cần có tên (lý do)`, `Date ${String(date)} needs a name (reason)`);
  }
  if (entry['provisional'] !== undefined && typeof entry['provisional'] !== 'boolean') {
    add(`${path}.provisional`, 'INVALID_PROVISIONAL', '"provisional" phải là true hoặc false', '"provisional" must be true or false');
  }
  return valid;
}

/** Validates one day's interval list; returns how many well-formed intervals it holds. */
function checkIntervals(value: unknown, path: string, dayLabelVi: string, add: AddIssue): number {
  if (!Array.isArray(value)) {
    add(path, 'INTERVALS_NOT_ARRAY', `Giờ làm việc của ${dayLabelVi} phải là một mảng khoảng giờ`, `Hours of ${path} must be an array of intervals`);
    return 0;
  }
  let wellFormed = 0;
  let previous: { start: number; end: number; text: string } | undefined;
  value.forEach((iv: unknown, i) => {
    const p = `${path}[${i}]`;
    if (!isRecord(iv)) {
      add(p, 'INTERVAL_NOT_OBJECT', `Khoảng giờ phải có dạng { start: 'HH:MM', end: 'HH:MM' }`, `An interval must look like { start: 'HH:MM', end: 'HH:MM' }`);
      return;
    }
    const start = tryParseHHMM(iv['start']);
    const end = tryParseHHMM(iv['end'], true);
    if (start === undefined) {
      add(`${p}.start`, 'INVALID_TIME', `Giờ bắt đầu "${String(iv['start'])}" không hợp lệ (định dạng HH:MM, 00:00–23:59)`, `Invalid start time "${String(iv['start'])}" (format HH:MM, 00:00–23:59)`);
    }
    if (end === undefined) {
      add(`${p}.end`, 'INVALID_TIME', `Giờ kết thúc "${String(iv['end'])}" không hợp lệ (định dạng HH:MM, 00:01–24:00)`, `Invalid end time "${String(iv['end'])}" (format HH:MM, 00:01–24:00)`);
    }
    if (start === undefined || end === undefined) return;
    const text = `${formatHHMM(start)}–${end === 1440 ? '24:00' : formatHHMM(end)}`;
    if (start >= end) {
      add(p, 'INTERVAL_NOT_INCREASING', `Khoảng giờ ${text} của ${dayLabelVi}: giờ bắt đầu phải trước giờ kết thúc`, `Interval ${text} of ${path}: start must be before end`);
      return;
    }
    if (previous && start < previous.end) {
      add(
        p,
        'INTERVALS_OVERLAP_OR_UNORDERED',
        `Các khoảng giờ của ${dayLabelVi} phải theo thứ tự tăng dần và không chồng lấn (${previous.text} và ${text})`,
        `Intervals of ${path} must be in ascending order and must not overlap (${previous.text} and ${text})`,
      );
    }
    previous = { start, end, text };
    wellFormed += 1;
  });
  return wellFormed;
}
