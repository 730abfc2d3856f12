/** Appointments as the API shows them (seed 001 part II): the view, its status and procedure in words, and the slots of a day. */
import { APPOINTMENT_PROCEDURES, type AppointmentProcedure } from '../../../../domain/appointments/procedures';
import { dateTime } from '../../format';

export type { AppointmentProcedure };
export { APPOINTMENT_PROCEDURES };

export type AppointmentStatus = 'booked' | 'checked_in' | 'received' | 'attended' | 'cancelled' | 'no_show';

export interface SlotRef {
  start: string;
  end: string;
}

export interface OfficerRef {
  id?: string;
  fullName?: string;
}

export interface AppointmentView {
  code: string;
  status: AppointmentStatus;
  unit: { id?: string; code?: string; name: string };
  citizen?: { accountId: string; idNumber: string; fullName: string; birthDate?: string; phone?: string; email?: string };
  procedure: AppointmentProcedure;
  paperType: string;
  slot: SlotRef;
  bookedAt?: string;
  checkedInAt?: string;
  caseCode?: string;
  cancelledAt?: string;
  cancelReason?: string;
  noShowAt?: string;
  attendedAt?: string;
  needsReschedule?: { reason: string; at: string };
  reschedules?: Array<{ from: SlotRef; to: SlotRef; reason: string; by?: OfficerRef; at: string }>;
}

export interface DaySlot extends SlotRef {
  booked: number;
  free: number;
}

export type Translate = (vi: string, en: string) => string;

const STATUS: Record<AppointmentStatus, [string, string]> = {
  booked: ['Đã đặt lịch', 'Booked'],
  checked_in: ['Đã đến quầy', 'Checked in'],
  received: ['Đã tiếp nhận hồ sơ', 'Case received'],
  attended: ['Đã đến, chưa tiếp nhận', 'Attended, no case'],
  cancelled: ['Đã hủy', 'Cancelled'],
  no_show: ['Không đến', 'No-show'],
};

/** The status in words; an appointment the office's calendar closed after booking needs a new time. */
export function statusText(a: Pick<AppointmentView, 'status' | 'needsReschedule'>, t: Translate): string {
  if (a.needsReschedule && a.status === 'booked') return t('Cần dời lịch', 'Needs rescheduling');
  return t(...STATUS[a.status]);
}

export function statusClass(a: Pick<AppointmentView, 'status' | 'needsReschedule'>): string {
  if (a.needsReschedule && a.status === 'booked') return 'tag tag-overdue';
  if (a.status === 'cancelled' || a.status === 'no_show') return 'tag tag-muted';
  if (a.status === 'booked') return 'tag';
  return 'tag tag-done';
}

export function procedureText(p: AppointmentProcedure, t: Translate): string {
  return t(APPOINTMENT_PROCEDURES[p].vi, APPOINTMENT_PROCEDURES[p].en);
}

/** Short names for the choice and the lists. */
export function procedureShort(p: AppointmentProcedure, t: Translate): string {
  return p === 'vn' ? t('Giấy tờ do cơ quan Việt Nam cấp', 'Papers issued in Viet Nam') : t('Giấy tờ do cơ quan nước ngoài cấp', 'Papers issued abroad');
}

/** "08:00–08:30" in Hà Nội time. */
export function timeRange(slot: SlotRef): string {
  return `${dateTime(slot.start).slice(0, 5)}–${dateTime(slot.end).slice(0, 5)}`;
}

/** "08:00–08:30 ngày 24/11/2026". */
export function slotText(slot: SlotRef, t: Translate): string {
  return t(`${timeRange(slot)} ngày ${dateTime(slot.start).slice(6)}`, `${timeRange(slot)} on ${dateTime(slot.start).slice(6)}`);
}

/** The next day from `from` (YYYY-MM-DD) that is not a Saturday or Sunday: where the day pickers open. */
export function nextWeekday(from: string): string {
  const d = new Date(`${from}T00:00:00Z`);
  do d.setUTCDate(d.getUTCDate() + 1);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6);
  return d.toISOString().slice(0, 10);
}

export const CODE_PATTERN = /^LH-\d{6}-[0-9A-Z]{6}$/;
