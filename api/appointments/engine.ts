/** Carrying officers' and citizens' decisions into an appointment's workflow, and reading it. */
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { APPOINTMENT_ERRORS, appointmentViewQuery, appointmentWorkflowId } from '../../workflows/appointment/messages';
import type { AppointmentView } from '../../workflows/appointment/types';
import type { AppContext } from '../context';
import { ApiError } from '../errors';
import { engineOf, engineUnavailable, updateErrorOf } from '../cases/engine';

export const appointmentNotFound = (code: string) => new ApiError(404, 'APPOINTMENT_NOT_FOUND', `Không tìm thấy lịch hẹn ${code}.`, `Appointment ${code} not found.`);

/** The appointment as its workflow holds it, else as last projected (a closed one past retention). */
export async function loadAppointment(ctx: AppContext, code: string): Promise<AppointmentView | undefined> {
  try {
    return await engineOf(ctx).client.workflow.getHandle(appointmentWorkflowId(code)).query(appointmentViewQuery);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) {
      if (err instanceof ApiError) throw err;
      console.error(`appointment ${code}: the workflow did not answer, serving the projection`, err);
    }
    const rows: Array<{ view: AppointmentView | null }> = await ctx.db.query('select view from appointments where code = $1', [code]);
    return rows[0]?.view ?? undefined;
  }
}

export async function runAppointmentUpdate<I>(ctx: AppContext, code: string, update: UpdateDefinition<AppointmentView, [I]>, input: I): Promise<AppointmentView> {
  try {
    return await engineOf(ctx).client.workflow.getHandle(appointmentWorkflowId(code)).executeUpdate(update, { args: [input] });
  } catch (err) {
    const refusal = updateErrorOf(err, APPOINTMENT_ERRORS);
    if (refusal) throw refusal;
    if (err instanceof WorkflowNotFoundError) {
      throw new ApiError(409, 'APPOINTMENT_CLOSED', `Lịch hẹn ${code} đã kết thúc, không thực hiện thêm thao tác được.`, `Appointment ${code} has ended.`);
    }
    if (err instanceof ApiError) throw err;
    console.error(`appointment ${code}: update ${update.name} failed`, err);
    throw engineUnavailable();
  }
}
