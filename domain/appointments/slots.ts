/**
 * Appointment slots of a unit (seed 001 part II, SPEC D): the unit's office hours on a date, after
 * holidays and swapped working days — the very calendar its deadlines use — cut into slots of
 * `slotMinutes`, each with room for `capacity` citizens (the desks serving at once). A slot never
 * spans a break: an interval's remainder shorter than a slot is left out. Pure: the API, the
 * workflow and the web app share it.
 */
import { formatLocalDate, parseHHMM, parseLocalDate, workingHoursOn, type LocalDate, type WorkingCalendar } from '../calendar';
import { bilingual, failure, type RuleFailure } from '../messages';

export interface SlotSettings {
  slotMinutes: number;
  capacity: number;
}

export const DEFAULT_SLOT_SETTINGS: SlotSettings = { slotMinutes: 30, capacity: 2 };
export const SLOT_MINUTES_CHOICES = [15, 20, 30, 45, 60] as const;
export const MAX_CAPACITY = 20;

export interface Slot {
  /** Epoch ms of the slot's start and end. */
  start: number;
  end: number;
}

const MINUTE = 60_000;

/** The slots of `date` (YYYY-MM-DD, Hà Nội), in time order; [] on a day the office is closed. */
export function slotsOn(cal: WorkingCalendar, date: LocalDate, settings: SlotSettings): Slot[] {
  const midnight = parseLocalDate(date);
  const slots: Slot[] = [];
  for (const interval of workingHoursOn(cal, date)) {
    const open = parseHHMM(interval.start);
    const close = parseHHMM(interval.end, true);
    for (let m = open; m + settings.slotMinutes <= close; m += settings.slotMinutes) {
      slots.push({ start: midnight + m * MINUTE, end: midnight + (m + settings.slotMinutes) * MINUTE });
    }
  }
  return slots;
}

/**
 * Whether `start` begins a slot of the unit at all, and one not yet begun at `now`: the reason in
 * the citizen's words when not.
 */
export function checkSlotStart(cal: WorkingCalendar, start: number, settings: SlotSettings, now: number): Slot | RuleFailure {
  if (!Number.isFinite(start)) return failure('SLOT_INVALID', bilingual('Thời gian hẹn không hợp lệ.', 'The appointment time is not valid.'));
  if (start <= now) return failure('SLOT_PAST', bilingual('Không đặt được lịch hẹn vào thời gian đã qua.', 'An appointment cannot be booked in the past.'));
  const date = formatLocalDate(start);
  const slots = slotsOn(cal, date, settings);
  if (slots.length === 0) {
    return failure('SLOT_CLOSED_DAY', bilingual(`Ngày ${date.split('-').reverse().join('/')} cơ quan không làm việc (ngày nghỉ, ngày lễ).`, `The office is closed on ${date}.`));
  }
  const slot = slots.find((s) => s.start === start);
  if (!slot) {
    return failure(
      'SLOT_OUTSIDE_HOURS',
      bilingual('Thời gian hẹn phải là đầu một khung giờ trong giờ làm việc của cơ quan; hãy chọn trong danh sách khung giờ.', 'The time must start a slot within office hours; pick one from the list.'),
    );
  }
  return slot;
}

/** Slot settings an administrator sets, checked. */
export function checkSlotSettings(s: SlotSettings): SlotSettings | RuleFailure {
  if (!(SLOT_MINUTES_CHOICES as readonly number[]).includes(s.slotMinutes)) {
    return failure('SLOT_LENGTH', bilingual(`Độ dài khung giờ phải là một trong: ${SLOT_MINUTES_CHOICES.join(', ')} phút.`, `The slot length must be one of ${SLOT_MINUTES_CHOICES.join(', ')} minutes.`));
  }
  if (!Number.isInteger(s.capacity) || s.capacity < 1 || s.capacity > MAX_CAPACITY) {
    return failure('SLOT_CAPACITY', bilingual(`Số người mỗi khung giờ phải từ 1 đến ${MAX_CAPACITY}.`, `Each slot takes 1 to ${MAX_CAPACITY} citizens.`));
  }
  return s;
}
