/**
 * The deadline an officer sees when receiving a case, with the steps that lead to it in
 * Vietnamese. The deadline itself always comes from the domain functions; the steps walk the
 * same calendar day by day and stop at that deadline, so they cannot tell a different story.
 */
import {
  addWorkingDays,
  addWorkingHours,
  dateOfDayIndex,
  dayIndexOfDate,
  effectiveWorkingDay,
  endOfNextWorkingDay,
  endOfWorkingDay,
  formatHHMM,
  isoWeekdayOfDate,
  type LocalDate,
  localDayIndex,
  MS_PER_DAY,
  MS_PER_HOUR,
  MS_PER_MINUTE,
  nextOpening,
  parseLocalDate,
  tryParseHHMM,
  VN_UTC_OFFSET_MS,
  type WorkingCalendar,
  workingHoursOn,
  workingMsBetween,
} from '../../domain/calendar';
import { dayVi, hoursVi, instantVi, intervalsVi } from './format';

/** The certification rule (SPEC A): received before 15:00 → same day, otherwise the next working day. */
export const SAME_DAY_CUTOFF = '15:00';

export type DueRequest = { mode: 'hours'; hours: number } | { mode: 'workingDays'; workingDays: number } | { mode: 'rule'; rule: 'same-day-cutoff' };

export interface DuePreview {
  due: number;
  /** Office time between the start and the deadline, in hours. */
  workingHours: number;
  explanation: string[];
  /** Things the officer should know about the data behind the deadline. */
  warnings: string[];
}

function minutesOfLocalDay(instant: number): number {
  const ms = (((instant + VN_UTC_OFFSET_MS) % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY;
  return Math.floor(ms / MS_PER_MINUTE);
}

/** Office intervals of a local date as instants. */
function intervalsOf(cal: WorkingCalendar, date: LocalDate): Array<{ start: number; end: number }> {
  const base = parseLocalDate(date);
  return workingHoursOn(cal, date).map((iv) => ({
    start: base + (tryParseHHMM(iv.start) as number) * MS_PER_MINUTE,
    end: base + (tryParseHHMM(iv.end, true) as number) * MS_PER_MINUTE,
  }));
}

function hhmm(instant: number, dayStart: number): string {
  return formatHHMM((instant - dayStart) / MS_PER_MINUTE);
}

/** Collects the closed days met on the way and writes them as grouped lines. */
class ClosedDays {
  private run: Array<{ date: LocalDate; reason: string }> = [];
  readonly provisional: LocalDate[] = [];

  constructor(
    private readonly cal: WorkingCalendar,
    private readonly out: string[],
  ) {}

  add(date: LocalDate): void {
    const holiday = this.cal.holidays.find((h) => h.date === date);
    let reason: string;
    if (holiday) {
      reason = holiday.provisional ? `${holiday.name} — lịch nghỉ dự kiến` : holiday.name;
      if (holiday.provisional) this.provisional.push(date);
    } else {
      reason = isoWeekdayOfDate(date) >= 6 ? 'nghỉ cuối tuần' : 'đơn vị không làm việc ngày này trong tuần';
    }
    const last = this.run[this.run.length - 1];
    if (last && last.reason !== reason) this.flush();
    this.run.push({ date, reason });
  }

  flush(): void {
    const first = this.run[0];
    const last = this.run[this.run.length - 1];
    if (first && last) {
      const range = first === last ? dayVi(first.date) : `${dayVi(first.date)} – ${dayVi(last.date)}`;
      this.out.push(`Không làm việc ${range} (${first.reason})`);
    }
    this.run = [];
  }
}

function receivedLine(cal: WorkingCalendar, start: number): { line: string; opening: number } {
  const opening = nextOpening(cal, start);
  const line =
    opening === start
      ? `Nhận lúc ${instantVi(start)}, trong giờ làm việc`
      : `Nhận lúc ${instantVi(start)}, ngoài giờ làm việc — tính từ ${instantVi(opening)}`;
  return { line, opening };
}

function explainHours(cal: WorkingCalendar, start: number, due: number, total: number, out: string[]): ClosedDays {
  out.push(`${receivedLine(cal, start).line}; cần ${hoursVi(total)} làm việc`);
  const closed = new ClosedDays(cal, out);
  let used = 0;
  for (let day = localDayIndex(start); day <= localDayIndex(due); day++) {
    const date = dateOfDayIndex(day);
    const intervals = intervalsOf(cal, date);
    if (intervals.length === 0) {
      closed.add(date);
      continue;
    }
    const segments = intervals
      .map((iv) => ({ iv, lo: Math.max(iv.start, start), hi: Math.min(iv.end, due) }))
      .filter((s) => s.hi > s.lo);
    if (segments.length === 0) continue;
    closed.flush();
    const dayStart = parseLocalDate(date);
    const whole = segments.length === intervals.length && segments.every((s) => s.lo === s.iv.start && s.hi === s.iv.end);
    if (whole) {
      const ms = segments.reduce((sum, s) => sum + (s.hi - s.lo), 0);
      used += ms;
      out.push(`${dayVi(date)}: ${intervalsVi(workingHoursOn(cal, date))} — ${hoursVi(ms)} (còn ${hoursVi(total - used)})`);
      continue;
    }
    segments.forEach((s, i) => {
      const previous = segments[i - 1];
      if (previous) {
        const from = hhmm(previous.iv.end, dayStart);
        const gapStart = minutesOfLocalDay(previous.iv.end);
        out.push(`${gapStart >= 10 * 60 + 30 && gapStart <= 14 * 60 ? 'Nghỉ trưa' : 'Nghỉ giữa giờ'} ${from}–${hhmm(s.iv.start, dayStart)}`);
      }
      used += s.hi - s.lo;
      out.push(`${hhmm(s.lo, dayStart)}–${hhmm(s.hi, dayStart)} ${dayVi(date)}: ${hoursVi(s.hi - s.lo)} (còn ${hoursVi(total - used)})`);
    });
  }
  closed.flush();
  return closed;
}

/** Lists the working days counted from the day after `fromDate` up to the deadline's day. */
function explainDays(cal: WorkingCalendar, fromDate: LocalDate, due: number, out: string[]): ClosedDays {
  const closed = new ClosedDays(cal, out);
  let counted = 0;
  for (let day = dayIndexOfDate(fromDate) + 1; day <= localDayIndex(due); day++) {
    const date = dateOfDayIndex(day);
    if (workingHoursOn(cal, date).length === 0) {
      closed.add(date);
      continue;
    }
    closed.flush();
    counted += 1;
    out.push(`Ngày làm việc thứ ${counted}: ${dayVi(date)}`);
  }
  closed.flush();
  return closed;
}

function warningsFor(cal: WorkingCalendar, start: number, due: number, closed: ClosedDays): string[] {
  const warnings: string[] = [];
  const firstYear = Number(dateOfDayIndex(localDayIndex(start)).slice(0, 4));
  const lastYear = Number(dateOfDayIndex(localDayIndex(due)).slice(0, 4));
  for (let year = firstYear; year <= lastYear; year++) {
    if (!cal.holidays.some((h) => h.date.startsWith(`${year}-`))) {
      warnings.push(`Chưa có lịch nghỉ lễ năm ${year} trong hệ thống; thời hạn chưa trừ các ngày nghỉ lễ của năm đó.`);
    }
  }
  if (closed.provisional.length > 0) {
    warnings.push(
      `Thời hạn đã trừ ngày nghỉ dự kiến, chưa có thông báo chính thức (${closed.provisional.map((d) => d.split('-').reverse().join('/')).join(', ')}).`,
    );
  }
  return warnings;
}

export function previewDue(cal: WorkingCalendar, start: number, request: DueRequest): DuePreview {
  const explanation: string[] = [];
  let due: number;
  let closed: ClosedDays;
  if (request.mode === 'hours') {
    due = addWorkingHours(cal, start, request.hours);
    closed = explainHours(cal, start, due, Math.round(request.hours * MS_PER_HOUR), explanation);
  } else if (request.mode === 'workingDays') {
    due = addWorkingDays(cal, start, request.workingDays);
    const counted = effectiveWorkingDay(cal, start);
    explanation.push(`${receivedLine(cal, start).line}; tính là ngày làm việc ${dayVi(counted)}`);
    explanation.push(
      request.workingDays === 0
        ? `Thời hạn: trong ngày làm việc ${dayVi(counted)}`
        : `Thời hạn: ${request.workingDays} ngày làm việc, không tính ngày nhận`,
    );
    closed = explainDays(cal, counted, due, explanation);
  } else {
    const { line, opening } = receivedLine(cal, start);
    explanation.push(line);
    const openingDate = dateOfDayIndex(localDayIndex(opening));
    const cutoff = tryParseHHMM(SAME_DAY_CUTOFF) as number;
    if (minutesOfLocalDay(opening) < cutoff) {
      due = endOfWorkingDay(cal, opening);
      explanation.push(`Trước ${SAME_DAY_CUTOFF} của ngày làm việc: trả kết quả trong ngày ${dayVi(openingDate)}`);
      closed = new ClosedDays(cal, explanation);
    } else {
      due = endOfNextWorkingDay(cal, opening);
      explanation.push(`Từ ${SAME_DAY_CUTOFF} trở đi: trả kết quả trong ngày làm việc tiếp theo`);
      closed = explainDays(cal, openingDate, due, explanation);
    }
  }
  explanation.push(`Hạn xử lý: ${instantVi(due)}`);
  const workingHours = Math.round((workingMsBetween(cal, start, due) / MS_PER_HOUR) * 1e6) / 1e6;
  return { due, workingHours, explanation, warnings: warningsFor(cal, start, due, closed) };
}
