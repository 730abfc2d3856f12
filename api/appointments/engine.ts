/** Carrying officers' and citizens' decisions into an appointment's workflow, and reading it. */
import type { UpdateDefinition } from '@temporalio/common';
import { APPOINTMENT_ERRORS, appointmentViewQuery, appointmentWorkflowId } from '../../workflows/appointment/messages';
import type { AppointmentView } from '../../workflows/appointment/types';
import type { AppContext } from '../context';
import { ApiError } from '../errors';
import { runRecordUpdate, viewOf } from '../workflowRecords';

export const appointmentNotFound = (code: string) => new ApiError(404, 'APPOINTMENT_NOT_FOUND', `Không tìm thấy lịch hẹn ${code}.`, `Appointment ${code} not found.`);

/** The appointment as its workflow holds it, else as last projected (a closed one past retention). */
export function loadAppointment(ctx: AppContext, code: string): Promise<AppointmentView | undefined> {
  return viewOf(ctx, appointmentWorkflowId(code), appointmentViewQuery, `appointment ${code}`, async () => {
    const rows: Array<{ view: AppointmentView | null }> = await ctx.db.query('select view from appointments where code = $1', [code]);
    return rows[0]?.view ?? undefined;
  });
}

export function runAppointmentUpdate<I>(ctx: AppContext, code: string, update: UpdateDefinition<AppointmentView, [I]>, input: I): Promise<AppointmentView> {
  const closed = () => new ApiError(409, 'APPOINTMENT_CLOSED', `Lịch hẹn ${code} đã kết thúc, không thực hiện thêm thao tác được.`, `Appointment ${code} has ended.`);
  return runRecordUpdate(ctx, appointmentWorkflowId(code), update, input, APPOINTMENT_ERRORS, closed, `appointment ${code}`);
}
