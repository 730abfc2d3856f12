/**
 * The contract of the appointment workflow (seed 001 part II, SPEC D): what the API sends when a
 * citizen books, what officers' and the citizen's actions carry, and the view every action and the
 * `appointmentView` query answer. Types only. Instants are ISO 8601 strings in UTC.
 */
import type { WorkingCalendar } from '../../domain/calendar/model';
import type { AppointmentProcedure } from '../../domain/appointments/procedures';
import type { OfficerRef, UnitRef } from '../certification/types';

export type { AppointmentProcedure };

/**
 * booked → checked_in (at the desk) → received (the case opened from it; the end) — or cancelled by
 * the citizen, or no_show when nobody came by the end of the slot and its grace; a citizen checked
 * in whose case was not opened that day (e.g. the original could not be certified) has attended.
 */
export type AppointmentStatus = 'booked' | 'checked_in' | 'received' | 'attended' | 'cancelled' | 'no_show';

export const OPEN_APPOINTMENT_STATUSES: readonly AppointmentStatus[] = ['booked', 'checked_in'];

export interface AppointmentCitizen {
  /** The portal account that booked. */
  accountId: string;
  idNumber: string;
  fullName: string;
  birthDate?: string;
  phone?: string;
  email?: string;
}

export interface SlotRef {
  start: string;
  end: string;
}

export interface AppointmentInput {
  /** The appointment code (mã lịch hẹn); the workflow id is `appointment-<code>`. */
  code: string;
  unit: UnitRef;
  /** The unit's working calendar at booking: the reminder's working day before is counted in it. */
  calendar: WorkingCalendar;
  citizen: AppointmentCitizen;
  procedure: AppointmentProcedure;
  paperType: string;
  slot: SlotRef;
  bookedAt: string;
  /** Minutes after the slot's end before an appointment nobody came to is a no-show. */
  graceMinutes: number;
  /** Capacity of the unit's slots at booking (a reschedule moves into a slot with room under it). */
  slotCapacity: number;
  /** Tests only: added to the workflow clock (see the certification workflow). */
  clockOffsetMs?: number;
}

export interface AppointmentActor {
  officerId: string;
  fullName: string;
  rights: string[];
  unitIds: string[];
}

export interface OfficerAppointmentAction {
  actor: AppointmentActor;
  idempotencyKey: string;
}

export interface CheckInInput extends OfficerAppointmentAction {}

export interface ReceiveFromAppointmentInput extends OfficerAppointmentAction {
  caseCode: string;
}

export interface RescheduleInput extends OfficerAppointmentAction {
  slot: SlotRef;
  /** Why: told to the citizen (seed 001: "nêu rõ thời gian hẹn lại và lý do dời hẹn"). */
  reason: string;
  /** Several appointments moved at once share this id: the notice of each still goes once. */
  batchId?: string;
}

export interface CancelAppointmentInput {
  /** The citizen's portal account: only the one who booked may cancel. */
  accountId: string;
  idempotencyKey: string;
  reason?: string;
}

export interface MarkForRescheduleInput {
  /** What changed (e.g. an emergency day off added to the unit's calendar). */
  reason: string;
  idempotencyKey: string;
}

export interface AppointmentEventView {
  seq: number;
  at: string;
  kind: string;
  by?: OfficerRef | { citizen: string };
  data: Record<string, unknown>;
}

export interface RescheduleView {
  from: SlotRef;
  to: SlotRef;
  reason: string;
  by: OfficerRef;
  at: string;
}

export interface AppointmentView {
  code: string;
  status: AppointmentStatus;
  unit: UnitRef;
  citizen: AppointmentCitizen;
  procedure: AppointmentProcedure;
  paperType: string;
  slot: SlotRef;
  bookedAt: string;
  checkedInAt?: string;
  checkedInBy?: OfficerRef;
  caseCode?: string;
  cancelledAt?: string;
  cancelReason?: string;
  noShowAt?: string;
  /** Checked in, no case opened from it by the office's closing that day. */
  attendedAt?: string;
  /** The office's calendar closed the slot after booking: the desk must move it. */
  needsReschedule?: { reason: string; at: string };
  reschedules: RescheduleView[];
  reminderSentAt?: string;
  notices: Array<{ kind: string; at: string; channels: Array<{ channel: string; status: string; detail?: string }> }>;
  closedAt?: string;
  version: number;
}
