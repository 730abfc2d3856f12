/**
 * Appointments (seed 001 part II, SPEC D): the portal's booking (agencies, paper types, free slots,
 * book, my appointments, cancel), the desk's day schedule, check-in and rescheduling (one or a
 * whole slot or day, with the reason the citizen is told), and a unit's appointment settings.
 */
import { randomUUID } from 'node:crypto';
import { formatLocalDate, formatLocalDateTime } from '../../domain/calendar';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { slotsOn } from '../../domain/appointments/slots';
import { PROCEDURE_CODES, type AppointmentProcedure } from '../../domain/appointments/procedures';
import { cancelAppointmentUpdate, checkInUpdate, rescheduleUpdate } from '../../workflows/appointment/messages';
import type { AppointmentView } from '../../workflows/appointment/types';
import { changedUnit } from '../calendar/access';
import { actorOf } from '../cases/actions';
import { NoBody } from '../cases/inputs';
import { ApiError, forbiddenUnit, parseInput } from '../errors';
import { readIdempotencyKey } from '../idempotency';
import type { Call, RouteSpec } from '../route';
import { bookAppointment, DEFAULT_MAX_OPEN_APPOINTMENTS } from './booking';
import { appointmentNotFound, loadAppointment, runAppointmentUpdate } from './engine';
import {
  AgenciesQuery,
  AppointmentCodeParams,
  BookBody,
  BulkRescheduleBody,
  CancelBody,
  PaperTypesBody,
  RescheduleBody,
  ScheduleQuery,
  SettingsBody,
  SlotsQuery,
  UnitParamsOf,
  UnitQuery,
} from './inputs';
import { appointmentSettingsOf, bookableUnit, paperTypesOf } from './settings';

const DESK = { anyOf: ['CERT_CREATE', 'CASE_SUPERVISE'] } as const;

/** The unit of a desk request, when the officer's scope (with his desk's commune) holds it. */
async function deskUnit(call: Call, unitId: string) {
  const units = call.principal!.caseUnits;
  if (!units.has(unitId)) throw forbiddenUnit();
  let unit = await bookableUnit(call.ctx.db, unitId);
  // A one-stop desk stands for its commune: citizens book with the commune.
  if (unit?.level === 'office' && unit.parentId) unit = (await bookableUnit(call.ctx.db, unit.parentId)) ?? unit;
  if (!unit) throw forbiddenUnit();
  return { unit, units };
}

/** An appointment of the officer's units, as its workflow holds it. */
async function deskAppointment(call: Call, code: string): Promise<{ view: AppointmentView; units: ReadonlySet<string> }> {
  const units = call.principal!.caseUnits;
  const view = await loadAppointment(call.ctx, code);
  if (!view || !units.has(view.unit.id)) throw appointmentNotFound(code);
  call.audit.target = `appointment:${code}`;
  call.audit.unitId = view.unit.id;
  return { view, units };
}

/** The slots of a unit's day with the places taken in each. */
async function slotsWithRoom(call: Call, unitId: string, date: string) {
  const unit = await bookableUnit(call.ctx.db, unitId);
  if (!unit) throw new ApiError(404, 'AGENCY_UNKNOWN', 'Không tìm thấy cơ quan đã chọn.', 'The agency was not found.');
  const settings = await appointmentSettingsOf(call.ctx.db, unit);
  const calendar = await loadUnitCalendar(call.ctx.db, unit.id);
  const slots = slotsOn(calendar, date, settings);
  const taken: Array<{ slot_start: Date; booked: number }> = slots.length
    ? await call.ctx.db.query('select slot_start, booked from appointment_slots where unit_id = $1 and slot_start >= $2 and slot_start < $3', [
        unit.id,
        new Date(slots[0]!.start),
        new Date(slots.at(-1)!.end),
      ])
    : [];
  const bookedAt = new Map(taken.map((t) => [t.slot_start.getTime(), t.booked]));
  const now = call.ctx.clock.now().getTime();
  return {
    unit,
    settings,
    slots: slots.map((s) => {
      const booked = bookedAt.get(s.start) ?? 0;
      return { start: new Date(s.start).toISOString(), end: new Date(s.end).toISOString(), booked, free: s.start > now ? Math.max(0, settings.capacity - booked) : 0 };
    }),
  };
}

const listed = (rows: Array<{ view: AppointmentView | null; code: string; status: string; slot_start: Date; slot_end: Date; unit_name: string; procedure: string; paper_type: string }>) =>
  rows.map((r) => r.view ?? { code: r.code, status: r.status, slot: { start: r.slot_start.toISOString(), end: r.slot_end.toISOString() }, unit: { name: r.unit_name }, procedure: r.procedure, paperType: r.paper_type });

export const appointmentRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/citizen/appointments/agencies',
    access: 'citizen',
    summary: 'The unit tree for booking ?procedure (vn|foreign): every unit with what it offers; the portal shows the branches that lead to one offering the procedure',
    output: '{items: [{id, code, name, level, parentId, offers: {vn, foreign}}]}',
    input: { query: AgenciesQuery },
    handler: async ({ req, ctx }) => {
      const q = parseInput(AgenciesQuery, req.query);
      const units: Array<{ id: string; code: string; name: string; level: string; parentId: string | null }> = await ctx.db.query(
        'select id, code, name, level, parent_id as "parentId" from units order by path',
      );
      const items: Array<(typeof units)[number] & { offers: Record<AppointmentProcedure, boolean> }> = [];
      for (const u of units) items.push({ ...u, offers: (await appointmentSettingsOf(ctx.db, u)).offers });
      const procedure = q.procedure as AppointmentProcedure | undefined;
      if (!procedure) return { body: { items } };
      // The units offering the procedure and every unit above them: the branches a citizen walks down.
      const parentOf = new Map(items.map((u) => [u.id, u.parentId]));
      const shown = new Set<string>();
      for (const u of items.filter((i) => i.offers[procedure])) {
        for (let id: string | null | undefined = u.id; id && !shown.has(id); id = parentOf.get(id)) shown.add(id);
      }
      return { body: { items: items.filter((u) => shown.has(u.id)) } };
    },
  },
  {
    method: 'get',
    path: '/api/citizen/appointments/paper-types',
    access: 'citizen',
    summary: 'The types of paper a unit lists for booking ?unitId',
    output: '{unitId, items: [name]}',
    input: { query: UnitQuery },
    handler: async ({ req, ctx }) => {
      const q = parseInput(UnitQuery, req.query);
      return { body: { unitId: q.unitId, items: (await paperTypesOf(ctx.db, q.unitId)).names } };
    },
  },
  {
    method: 'get',
    path: '/api/citizen/appointments/slots',
    access: 'citizen',
    summary: 'A unit’s slots on a date ?unitId &date (YYYY-MM-DD): each with its free places (none for a slot begun); none on a day the office is closed',
    output: '{unit, date, slotMinutes, capacity, slots: [{start, end, booked, free}]}',
    input: { query: SlotsQuery },
    handler: async (call) => {
      const q = parseInput(SlotsQuery, call.req.query);
      const { unit, settings, slots } = await slotsWithRoom(call, q.unitId, q.date);
      return { body: { unit: { id: unit.id, code: unit.code, name: unit.name }, date: q.date, slotMinutes: settings.slotMinutes, capacity: settings.capacity, slots } };
    },
  },
  {
    method: 'post',
    path: '/api/citizen/appointments',
    access: 'citizen',
    action: 'appointment.book',
    summary:
      'Books an appointment {procedure (vn|foreign), unitId, paperType, slotStart} with an Idempotency-Key (the same key gives the same appointment): 409 SLOT_FULL, 409 TOO_MANY_APPOINTMENTS, 422 for a past, closed or unknown slot, an agency that does not offer the procedure, a paper type not on its list',
    output: '201 the appointment {code, status, unit, slot, procedure, paperType, …}',
    input: { body: BookBody },
    handler: async (call) => {
      const body = parseInput(BookBody, call.req.body);
      const key = readIdempotencyKey(call.req, true)!;
      const citizen = call.citizen!;
      call.audit.details = { unitId: body.unitId, procedure: body.procedure, slotStart: body.slotStart };
      const max = Number(process.env.APPOINTMENT_MAX_OPEN) || DEFAULT_MAX_OPEN_APPOINTMENTS;
      const booked = await bookAppointment(call.ctx, citizen, { procedure: body.procedure as AppointmentProcedure, unitId: body.unitId, paperType: body.paperType, slotStart: body.slotStart }, key, max);
      call.audit.target = `appointment:${booked.code}`;
      call.audit.unitId = body.unitId;
      const view = await loadAppointment(call.ctx, booked.code);
      return { status: booked.replayed ? 200 : 201, body: view ?? { code: booked.code, status: 'booked' } };
    },
  },
  {
    method: 'get',
    path: '/api/citizen/appointments',
    access: 'citizen',
    summary: 'The citizen’s own appointments, the latest first',
    output: '{items: [appointment view]}',
    handler: async ({ ctx, citizen }) => {
      const rows = await ctx.db.query(
        `select a.code, a.status, a.slot_start, a.slot_end, a.procedure, a.paper_type, a.view, u.name as unit_name
           from appointments a join units u on u.id = a.unit_id where a.citizen_account_id = $1 order by a.slot_start desc limit 100`,
        [citizen!.accountId],
      );
      return { body: { items: listed(rows) } };
    },
  },
  {
    method: 'post',
    path: '/api/citizen/appointments/:code/cancel',
    access: 'citizen',
    action: 'appointment.cancel',
    summary: 'The citizen cancels an appointment that has not begun {reason?}; its place is given back',
    output: 'The appointment',
    input: { params: AppointmentCodeParams, body: CancelBody },
    handler: async (call) => {
      const { code } = parseInput(AppointmentCodeParams, call.req.params);
      const body = parseInput(CancelBody, call.req.body ?? {});
      const key = readIdempotencyKey(call.req, true)!;
      call.audit.target = `appointment:${code}`;
      const view = await runAppointmentUpdate(call.ctx, code, cancelAppointmentUpdate, { accountId: call.citizen!.accountId, idempotencyKey: `${call.citizen!.accountId}:${key}`, ...(body.reason ? { reason: body.reason } : {}) });
      call.audit.unitId = view.unit.id;
      return { body: view };
    },
  },
  {
    method: 'get',
    path: '/api/appointments/schedule',
    access: DESK,
    summary: 'A unit’s day schedule ?unitId &date: its slots, the places taken, and the appointments booked in each with their status',
    output: '{unit, date, slotMinutes, capacity, slots: [{start, end, booked, free, appointments: [view]}], outside: [appointments not on a slot of the day, e.g. the day was closed after booking]}',
    input: { query: ScheduleQuery },
    handler: async (call) => {
      const q = parseInput(ScheduleQuery, call.req.query);
      const desk = await deskUnit(call, q.unitId);
      const { unit, settings, slots } = await slotsWithRoom(call, desk.unit.id, q.date);
      const dayStart = Date.parse(`${q.date}T00:00:00+07:00`);
      const rows = await call.ctx.db.query(
        `select a.code, a.status, a.slot_start, a.slot_end, a.procedure, a.paper_type, a.view, u.name as unit_name
           from appointments a join units u on u.id = a.unit_id where a.unit_id = $1 and a.slot_start >= $2 and a.slot_start < $3 order by a.slot_start, a.code`,
        [unit.id, new Date(dayStart), new Date(dayStart + 86_400_000)],
      );
      const views = listed(rows) as AppointmentView[];
      const inSlot = (start: string) => views.filter((v) => v.slot.start === start);
      return {
        body: {
          unit: { id: unit.id, code: unit.code, name: unit.name },
          date: q.date,
          slotMinutes: settings.slotMinutes,
          capacity: settings.capacity,
          slots: slots.map((s) => ({ ...s, appointments: inSlot(s.start) })),
          outside: views.filter((v) => !slots.some((s) => s.start === v.slot.start)),
        },
      };
    },
  },
  {
    method: 'get',
    path: '/api/appointments/:code',
    access: DESK,
    summary: 'One appointment of the officer’s units, with the citizen as booked (to fill the reception form from it)',
    output: 'The appointment view',
    input: { params: AppointmentCodeParams },
    handler: async (call) => {
      const { code } = parseInput(AppointmentCodeParams, call.req.params);
      const { view } = await deskAppointment(call, code);
      return { body: view };
    },
  },
  {
    method: 'post',
    path: '/api/appointments/:code/check-in',
    access: { right: 'CERT_CREATE' },
    action: 'appointment.check-in',
    idempotency: 'required',
    summary: 'Checks the citizen in at the desk by the appointment code',
    output: 'The appointment',
    input: { params: AppointmentCodeParams, body: NoBody },
    handler: async (call) => {
      const { code } = parseInput(AppointmentCodeParams, call.req.params);
      parseInput(NoBody, call.req.body);
      const { units } = await deskAppointment(call, code);
      return { body: await runAppointmentUpdate(call.ctx, code, checkInUpdate, { actor: actorOf(call.principal!, units), idempotencyKey: `${call.principal!.officerId}:${call.idempotencyKey}` }) };
    },
  },
  {
    method: 'post',
    path: '/api/appointments/:code/reschedule',
    access: { right: 'CERT_CREATE' },
    action: 'appointment.reschedule',
    idempotency: 'required',
    summary: 'Moves an appointment to another slot of its unit {slotStart, reason (told to the citizen)}: the citizen gets one SMS and one portal notice; 409 SLOT_FULL',
    output: 'The appointment',
    input: { params: AppointmentCodeParams, body: RescheduleBody },
    handler: async (call) => {
      const { code } = parseInput(AppointmentCodeParams, call.req.params);
      const body = parseInput(RescheduleBody, call.req.body);
      const { view, units } = await deskAppointment(call, code);
      call.audit.details = { slotStart: body.slotStart, reason: body.reason };
      const slot = await slotOf(call, view.unit.id, body.slotStart);
      return { body: await runAppointmentUpdate(call.ctx, code, rescheduleUpdate, { actor: actorOf(call.principal!, units), idempotencyKey: `${call.principal!.officerId}:${call.idempotencyKey}`, slot, reason: body.reason }) };
    },
  },
  {
    method: 'post',
    path: '/api/appointments/reschedule',
    access: { right: 'CERT_CREATE' },
    action: 'appointment.reschedule-many',
    idempotency: 'required',
    summary:
      'Moves every booked appointment of a unit’s day {unitId, date, toDate, reason} — or of one slot {slotStart, toSlotStart?} — to the same time of the new day (or to the new slot); each citizen is told once',
    output: '{moved: [code], failed: [{code, code of the refusal, message}]}',
    input: { body: BulkRescheduleBody },
    handler: async (call) => {
      const body = parseInput(BulkRescheduleBody, call.req.body);
      const { unit, units } = await deskUnit(call, body.unitId);
      call.audit.unitId = unit.id;
      call.audit.target = `unit:${unit.code}`;
      call.audit.details = { date: body.date, slotStart: body.slotStart ?? null, toDate: body.toDate, toSlotStart: body.toSlotStart ?? null, reason: body.reason };
      const dayStart = Date.parse(`${body.date}T00:00:00+07:00`);
      const rows: Array<{ code: string; slot_start: Date }> = await call.ctx.db.query(
        `select code, slot_start from appointments where unit_id = $1 and status = 'booked' and slot_start >= $2 and slot_start < $3 ${body.slotStart ? 'and slot_start = $4' : ''} order by slot_start, code`,
        [unit.id, new Date(dayStart), new Date(dayStart + 86_400_000), ...(body.slotStart ? [new Date(body.slotStart)] : [])],
      );
      const batchId = randomUUID();
      const moved: string[] = [];
      const failed: Array<{ code: string; error: string; message: string }> = [];
      for (const r of rows) {
        const target = body.toSlotStart ?? sameTimeOn(r.slot_start, body.toDate);
        try {
          const slot = await slotOf(call, unit.id, target);
          await runAppointmentUpdate(call.ctx, r.code, rescheduleUpdate, {
            actor: actorOf(call.principal!, units),
            // One key per appointment of this request: a retried request moves none twice.
            idempotencyKey: `${call.principal!.officerId}:${call.idempotencyKey}:${r.code}`,
            slot,
            reason: body.reason,
            batchId,
          });
          moved.push(r.code);
        } catch (err) {
          if (!(err instanceof ApiError) || err.status >= 500) throw err;
          failed.push({ code: r.code, error: err.code, message: err.vi });
        }
      }
      call.audit.details = { ...call.audit.details, moved: moved.length, failed: failed.length };
      return { body: { moved, failed } };
    },
  },
  {
    method: 'get',
    path: '/api/units/:unitId/appointment-settings',
    access: { anyOf: ['USER_ADMIN', 'CERT_CREATE', 'CASE_SUPERVISE'] },
    summary: 'A unit’s appointment settings: slot length and capacity, the procedures it takes bookings for, its list of paper types (the defaults until set)',
    output: '{unit, slotMinutes, capacity, offers: {vn, foreign}, own, paperTypes: [name], ownPaperTypes, procedures: [code]}',
    input: { params: UnitParamsOf },
    handler: async (call) => {
      const { unitId } = parseInput(UnitParamsOf, call.req.params);
      const { unit } = await deskUnit(call, unitId);
      const settings = await appointmentSettingsOf(call.ctx.db, unit);
      const papers = await paperTypesOf(call.ctx.db, unit.id);
      return { body: { unit: { id: unit.id, code: unit.code, name: unit.name }, ...settings, paperTypes: papers.names, ownPaperTypes: papers.own, procedures: PROCEDURE_CODES } };
    },
  },
  {
    method: 'put',
    path: '/api/units/:unitId/appointment-settings',
    access: { right: 'USER_ADMIN' },
    action: 'appointment.settings',
    summary: 'Sets a unit’s slot length and capacity and the procedures it offers {slotMinutes, capacity, offersVn, offersForeign}; slots already booked keep their time',
    input: { params: UnitParamsOf, body: SettingsBody },
    handler: async (call) => {
      const { unitId } = parseInput(UnitParamsOf, call.req.params);
      const body = parseInput(SettingsBody, call.req.body);
      const unit = await changedUnit(call, unitId);
      call.audit.details = { ...body };
      await call.ctx.db.query(
        `insert into appointment_settings (unit_id, slot_minutes, capacity, offers_vn, offers_foreign, updated_at, updated_by) values ($1, $2, $3, $4, $5, $6, $7)
         on conflict (unit_id) do update set slot_minutes = excluded.slot_minutes, capacity = excluded.capacity, offers_vn = excluded.offers_vn,
           offers_foreign = excluded.offers_foreign, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
        [unit.id, body.slotMinutes, body.capacity, body.offersVn, body.offersForeign, call.ctx.clock.now(), call.principal!.officerId],
      );
      return { body: { unitId: unit.id, ...body } };
    },
  },
  {
    method: 'put',
    path: '/api/units/:unitId/paper-types',
    access: { right: 'USER_ADMIN' },
    action: 'appointment.paper-types',
    summary: 'Replaces the list of paper types citizens pick from when booking at the unit {names: [name]}',
    input: { params: UnitParamsOf, body: PaperTypesBody },
    handler: async (call) => {
      const { unitId } = parseInput(UnitParamsOf, call.req.params);
      const body = parseInput(PaperTypesBody, call.req.body);
      const unit = await changedUnit(call, unitId);
      const names = [...new Set(body.names)];
      call.audit.details = { names };
      await call.ctx.db.transaction(async (m) => {
        await m.query('delete from appointment_paper_types where unit_id = $1', [unit.id]);
        for (const name of names) await m.query('insert into appointment_paper_types (unit_id, name, created_at) values ($1, $2, $3)', [unit.id, name, call.ctx.clock.now()]);
      });
      return { body: { unitId: unit.id, names } };
    },
  },
];

/** The slot of a unit starting at `start`, if it is one; the reason otherwise. */
async function slotOf(call: Call, unitId: string, start: string): Promise<{ start: string; end: string }> {
  const date = formatLocalDate(Date.parse(start));
  const { slots } = await slotsWithRoom(call, unitId, date);
  const slot = slots.find((s) => Date.parse(s.start) === Date.parse(start));
  if (!slot) {
    throw new ApiError(422, 'SLOT_UNAVAILABLE', `${formatLocalDateTime(Date.parse(start))} không phải là một khung giờ làm việc của đơn vị; hãy chọn khung giờ trong lịch.`, 'That is not a slot of the unit; pick one from its schedule.', {
      fields: [{ field: 'slotStart', problem: 'không phải khung giờ làm việc' }],
    });
  }
  return { start: slot.start, end: slot.end };
}

/** The same Hà Nội clock time on another date. */
function sameTimeOn(instant: Date, date: string): string {
  const time = formatLocalDateTime(instant.getTime()).slice(11);
  return new Date(Date.parse(`${date}T${time}:00+07:00`)).toISOString();
}
