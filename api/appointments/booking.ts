/**
 * A citizen books an appointment (seed 001 part II): the procedure, the agency, the type of paper
 * and a slot with room. In one transaction — serialised per account — the booking checks the
 * citizen's open appointments against the limit and takes a place in the slot only while it has
 * room (one UPDATE), then the appointment's workflow starts. The booking's Idempotency-Key is kept
 * per account: a double click, or a retry after a lost answer, gives the same appointment.
 */
import { randomBytes } from 'node:crypto';
import { checkSlotStart } from '../../domain/appointments/slots';
import { APPOINTMENT_PROCEDURES, type AppointmentProcedure } from '../../domain/appointments/procedures';
import { formatLocalDate } from '../../domain/calendar';
import { takeSlot } from '../../activities/appointment';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { APPOINTMENT_WORKFLOW_TYPE, appointmentWorkflowId } from '../../workflows/appointment/messages';
import type { AppointmentInput } from '../../workflows/appointment/types';
import type { CitizenPrincipal } from '../citizen/citizenAuth';
import type { AppContext } from '../context';
import { ApiError } from '../errors';
import { startOnce } from '../workflowRecords';
import { appointmentSettingsOf, bookableUnit, paperTypesOf } from './settings';

/** Open appointments (not yet begun or at the desk) one account may hold at once. */
export const DEFAULT_MAX_OPEN_APPOINTMENTS = 3;
/** Minutes after a slot's end before a citizen who did not come is a no-show. */
export const NO_SHOW_GRACE_MINUTES = 30;
const ACCOUNT_LOCK = 7_316_020;

export interface BookingRequest {
  procedure: AppointmentProcedure;
  unitId: string;
  paperType: string;
  slotStart: string;
}

export interface Booked {
  code: string;
  replayed: boolean;
}

const refuse = (status: number, code: string, vi: string, en: string, field?: string) =>
  new ApiError(status, code, vi, en, field ? { fields: [{ field, problem: vi }] } : undefined);

function newCode(bookedAt: number): string {
  const day = formatLocalDate(bookedAt).slice(2).replace(/-/g, '');
  // Crockford base32 without look-alikes, read out at the desk.
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(6);
  return `LH-${day}-${[...bytes].map((b) => alphabet[b & 31]).join('')}`;
}

export async function bookAppointment(ctx: AppContext, citizen: CitizenPrincipal, req: BookingRequest, requestKey: string, maxOpen: number): Promise<Booked> {
  // A retry of a booking made already: the same appointment, whatever time it is now.
  const earlier: Array<{ code: string }> = await ctx.db.query('select code from appointments where citizen_account_id = $1 and request_key = $2', [citizen.accountId, requestKey]);
  if (earlier[0]) {
    await startFromRow(ctx, earlier[0].code, citizen);
    return { code: earlier[0].code, replayed: true };
  }
  const unit = await bookableUnit(ctx.db, req.unitId);
  if (!unit) throw refuse(422, 'AGENCY_UNKNOWN', 'Không tìm thấy cơ quan đã chọn.', 'The agency was not found.', 'unitId');
  const settings = await appointmentSettingsOf(ctx.db, unit);
  if (!settings.offers[req.procedure]) {
    throw refuse(
      422,
      'PROCEDURE_NOT_OFFERED',
      `${unit.name} không nhận đặt lịch cho thủ tục "${APPOINTMENT_PROCEDURES[req.procedure].vi}"; hãy chọn cơ quan khác.`,
      `${unit.name} takes no appointments for this procedure; pick another agency.`,
      'unitId',
    );
  }
  const papers = await paperTypesOf(ctx.db, unit.id);
  if (!papers.names.includes(req.paperType)) {
    throw refuse(422, 'PAPER_TYPE_UNKNOWN', `${unit.name} không có loại giấy tờ "${req.paperType}" trong danh sách; hãy chọn trong danh sách.`, 'That type of paper is not on the agency’s list.', 'paperType');
  }
  const calendar = await loadUnitCalendar(ctx.db, unit.id);
  const now = ctx.clock.now().getTime();
  const slot = checkSlotStart(calendar, Date.parse(req.slotStart), settings, now);
  if ('ok' in slot) throw refuse(422, slot.code, slot.messages.vi, slot.messages.en, 'slotStart');

  const code = await ctx.db.transaction(async (m) => {
    await m.query('select pg_advisory_xact_lock($1, hashtext($2))', [ACCOUNT_LOCK, citizen.accountId]);
    const earlier: Array<{ code: string }> = await m.query('select code from appointments where citizen_account_id = $1 and request_key = $2', [citizen.accountId, requestKey]);
    if (earlier[0]) return { code: earlier[0].code, replayed: true };
    const open: Array<{ n: number }> = await m.query(
      `select count(*)::int as n from appointments where citizen_account_id = $1 and status in ('booked', 'checked_in') and slot_end > $2`,
      [citizen.accountId, new Date(now)],
    );
    if (open[0]!.n >= maxOpen) {
      throw refuse(409, 'TOO_MANY_APPOINTMENTS', `Bạn đang có ${open[0]!.n} lịch hẹn chưa đến ngày; mỗi tài khoản giữ tối đa ${maxOpen}. Hãy hủy bớt một lịch hẹn rồi đặt lại.`, `You hold ${open[0]!.n} open appointments; at most ${maxOpen}.`);
    }
    if (!(await takeSlot(m, unit.id, new Date(slot.start).toISOString(), settings.capacity))) {
      throw refuse(409, 'SLOT_FULL', 'Khung giờ này đã đủ người đặt; hãy chọn khung giờ khác.', 'This slot is full; pick another one.', 'slotStart');
    }
    for (let attempt = 0; ; attempt++) {
      const candidate = newCode(now);
      const inserted: unknown[] = await m.query(
        `insert into appointments (code, unit_id, procedure, paper_type, citizen_account_id, citizen_id_number, citizen_name, slot_start, slot_end, status, request_key, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'booked', $10, $11, $11) on conflict (code) do nothing returning code`,
        [candidate, unit.id, req.procedure, req.paperType, citizen.accountId, citizen.idNumber, citizen.fullName, new Date(slot.start), new Date(slot.end), requestKey, new Date(now)],
      );
      if (inserted.length > 0) return { code: candidate, replayed: false };
      if (attempt > 5) throw new Error('could not draw a free appointment code');
    }
  });

  await startFromRow(ctx, code.code, citizen);
  return code;
}

/** Starts the workflow of a booked row (again, after a lost answer: an already started one is fine). */
async function startFromRow(ctx: AppContext, code: string, citizen: CitizenPrincipal): Promise<void> {
  const rows: Array<{ unit_id: string; procedure: AppointmentProcedure; paper_type: string; slot_start: Date; slot_end: Date; created_at: Date }> = await ctx.db.query(
    'select unit_id, procedure, paper_type, slot_start, slot_end, created_at from appointments where code = $1',
    [code],
  );
  const booked = rows[0]!;
  const unit = (await bookableUnit(ctx.db, booked.unit_id))!;
  const settings = await appointmentSettingsOf(ctx.db, unit);
  const account: Array<{ birth_date: string | null; phone: string; email: string | null }> = await ctx.db.query(
    `select to_char(birth_date, 'YYYY-MM-DD') as birth_date, phone, email from citizen_accounts where id = $1`,
    [citizen.accountId],
  );
  const input: AppointmentInput = {
    code,
    unit: { id: unit.id, code: unit.code, name: unit.name },
    calendar: await loadUnitCalendar(ctx.db, unit.id),
    citizen: {
      accountId: citizen.accountId,
      idNumber: citizen.idNumber,
      fullName: citizen.fullName,
      ...(account[0]?.birth_date ? { birthDate: account[0].birth_date } : {}),
      ...(account[0]?.phone ? { phone: account[0].phone } : {}),
      ...(account[0]?.email ? { email: account[0].email } : {}),
    },
    procedure: booked.procedure,
    paperType: booked.paper_type,
    slot: { start: booked.slot_start.toISOString(), end: booked.slot_end.toISOString() },
    bookedAt: booked.created_at.toISOString(),
    graceMinutes: NO_SHOW_GRACE_MINUTES,
    slotCapacity: settings.capacity,
  };
  await startAppointment(ctx, input);
}

/** Starts the workflow; one already started (a retried booking) is fine. */
function startAppointment(ctx: AppContext, input: AppointmentInput): Promise<void> {
  return startOnce(ctx, APPOINTMENT_WORKFLOW_TYPE, appointmentWorkflowId(input.code), input, `appointment ${input.code}`);
}
