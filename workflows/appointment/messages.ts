/**
 * The appointment workflow's updates and query. Officers act through updates whose validators check
 * right, unit and state; the citizen cancels through one that checks the account. Failures are
 * ApplicationFailures whose `type` is one of APPOINTMENT_ERRORS (details[0] = {code, vi, en}).
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { AppointmentView, CancelAppointmentInput, CheckInInput, MarkForRescheduleInput, ReceiveFromAppointmentInput, RescheduleInput } from './types';

export const APPOINTMENT_WORKFLOW_TYPE = 'appointment';

export function appointmentWorkflowId(code: string): string {
  return `appointment-${code}`;
}

export const appointmentViewQuery = defineQuery<AppointmentView>('appointmentView');
export const checkInUpdate = defineUpdate<AppointmentView, [CheckInInput]>('checkIn');
export const receiveFromAppointmentUpdate = defineUpdate<AppointmentView, [ReceiveFromAppointmentInput]>('receiveFromAppointment');
export const rescheduleUpdate = defineUpdate<AppointmentView, [RescheduleInput]>('reschedule');
export const cancelAppointmentUpdate = defineUpdate<AppointmentView, [CancelAppointmentInput]>('cancelAppointment');
export const markForRescheduleUpdate = defineUpdate<AppointmentView, [MarkForRescheduleInput]>('markForReschedule');

export const APPOINTMENT_ERRORS = {
  INVALID_INPUT: 400,
  RIGHT_REQUIRED: 403,
  UNIT_OUT_OF_SCOPE: 403,
  NOT_YOURS: 404,
  WRONG_STATE: 409,
  BUSY: 409,
  SLOT_FULL: 409,
  SLOT_UNAVAILABLE: 422,
  ACTION_FAILED: 503,
} as const;

export type AppointmentErrorCode = keyof typeof APPOINTMENT_ERRORS;
