/**
 * The working calendar: what a unit's calendar is, how admins change it, and the deadline a case
 * received now would get. See infra/calendarStore.ts for how national, ancestor and unit entries
 * combine.
 */
import {
  addDaysToDate,
  dayIndexOfDate,
  formatLocalDate,
  formatViDate,
  type OfficeHours,
  validateCalendar,
  workingHoursOn,
} from '../../domain/calendar';
import { loadUnitCalendar, loadUnitCalendarDetails } from '../../infra/calendarStore';
import { ApiError, parseInput } from '../errors';
import type { Call, RouteSpec } from '../route';
import { changedUnit, unitInScope } from './access';
import { previewDue, type DueRequest } from './duePreview';
import { addHoliday, addWorkingDay, removeEntry } from './entries';
import { markAppointmentsClosedByCalendar } from '../appointments/calendarChange';

/** Booked appointments outside the unit's new office hours: marked, the desk told. */
async function hoursChanged(call: Call, unitId: string) {
  const unit = await call.ctx.db.query('select name from units where id = $1', [unitId]);
  return markAppointmentsClosedByCalendar(call, unitId, `Giờ làm việc của ${unit[0]?.name ?? 'cơ quan'} đã thay đổi`, `office-hours:${unitId}:${call.ctx.clock.now().getTime()}`);
}
import { instantVi, localIso, normalizeOfficeHours, weekdayVi } from './format';
import { calendarIssuesError, DueQuery, HolidayBody, IdParams, OfficeHoursBody, RangeQuery, UnitParams, WorkingDayBody } from './inputs';

const MAX_RANGE_DAYS = 400;

export const calendarRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/calendar/units/:unitId',
    access: 'authenticated',
    summary:
      'A unit’s effective calendar for ?from=YYYY-MM-DD&to=YYYY-MM-DD (default: the current year; at most 400 days): office hours and the days that differ from the weekly hours, each with its source',
    input: { params: UnitParams, query: RangeQuery },
    handler: async ({ req, ctx, principal }) => {
      const { unitId } = parseInput(UnitParams, req.params);
      const q = parseInput(RangeQuery, req.query);
      await unitInScope(ctx, principal!, unitId);
      const thisYear = formatLocalDate(ctx.clock.now().getTime()).slice(0, 4);
      const from = q.from ?? (q.to ? addDaysToDate(q.to, -(MAX_RANGE_DAYS - 1)) : `${thisYear}-01-01`);
      const to = q.to ?? `${from.slice(0, 4)}-12-31`;
      const span = dayIndexOfDate(to) - dayIndexOfDate(from) + 1;
      if (span < 1) {
        throw new ApiError(400, 'INVALID_RANGE', `Ngày kết thúc (${to}) phải từ ngày bắt đầu (${from}) trở đi.`, `"to" (${to}) must not be before "from" (${from}).`);
      }
      if (span > MAX_RANGE_DAYS) {
        throw new ApiError(400, 'RANGE_TOO_LONG', `Chỉ xem được tối đa ${MAX_RANGE_DAYS} ngày mỗi lần (yêu cầu ${span} ngày).`, `At most ${MAX_RANGE_DAYS} days at a time (asked ${span}).`);
      }
      const details = await loadUnitCalendarDetails(ctx.db, unitId);
      const days = details.days
        .filter((d) => d.date >= from && d.date <= to)
        .map((d) => ({ ...d, weekday: weekdayVi(d.date), workingHours: workingHoursOn(details.calendar, d.date) }));
      return {
        body: {
          unit: { id: details.unit.id, code: details.unit.code, name: details.unit.name },
          ancestors: details.ancestors,
          from,
          to,
          officeHours: details.officeHours,
          days,
        },
      };
    },
  },
  {
    method: 'put',
    path: '/api/calendar/units/:unitId/office-hours',
    access: { right: 'USER_ADMIN' },
    action: 'calendar.office-hours',
    summary: 'Sets a unit’s own office hours {hours: {"1": [{start: "08:00", end: "12:00"}, …], …}} (1 = Monday … 7 = Sunday; a day left out is closed); its sub-units inherit them',
    input: { params: UnitParams, body: OfficeHoursBody },
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const { unitId } = parseInput(UnitParams, req.params);
      await changedUnit(call, unitId);
      const body = parseInput(OfficeHoursBody, req.body);
      call.audit.details = { unitId, hours: body.hours };
      const checked = validateCalendar({ officeHours: body.hours, holidays: [], workingDays: [] });
      if (!checked.ok) throw calendarIssuesError(checked.errors, (path) => path.replace(/^officeHours/, 'hours'));
      const hours = normalizeOfficeHours(checked.calendar.officeHours);
      const previous = await ctx.db.transaction(async (m) => {
        const old: Array<{ hours: OfficeHours }> = await m.query('select hours from unit_office_hours where unit_id = $1 for update', [unitId]);
        await m.query(
          `insert into unit_office_hours (unit_id, hours, updated_at, updated_by) values ($1, $2, $3, $4)
           on conflict (unit_id) do update set hours = excluded.hours, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
          [unitId, JSON.stringify(hours), ctx.clock.now(), principal!.officerId],
        );
        return old[0]?.hours ?? null;
      });
      call.audit.details = { unitId, hours, previousHours: previous };
      const details = await loadUnitCalendarDetails(ctx.db, unitId);
      const appointmentsToReschedule = await hoursChanged(call, unitId);
      return { body: { unitId, officeHours: details.officeHours, appointmentsToReschedule } };
    },
  },
  {
    method: 'delete',
    path: '/api/calendar/units/:unitId/office-hours',
    access: { right: 'USER_ADMIN' },
    action: 'calendar.office-hours',
    summary: 'Removes a unit’s own office hours: it inherits those of its nearest ancestor again, or the default',
    input: { params: UnitParams },
    handler: async (call) => {
      const { req, ctx } = call;
      const { unitId } = parseInput(UnitParams, req.params);
      const unit = await changedUnit(call, unitId);
      // Wrapped in a select: TypeORM answers a bare DELETE with [rows, count] instead of the rows.
      const removed: Array<{ hours: OfficeHours }> = await ctx.db.query(
        'with removed as (delete from unit_office_hours where unit_id = $1 returning hours) select hours from removed',
        [unitId],
      );
      const details = await loadUnitCalendarDetails(ctx.db, unitId);
      if (removed.length === 0) {
        const from = details.officeHours.source.level === 'unit' ? `của ${details.officeHours.source.name}` : 'mặc định';
        throw new ApiError(
          404,
          'OFFICE_HOURS_NOT_SET',
          `${unit.name} chưa có giờ làm việc riêng; đang dùng giờ làm việc ${from}.`,
          `${unit.code} has no office hours of its own.`,
        );
      }
      call.audit.details = { unitId, previousHours: removed[0]!.hours, reset: true };
      const appointmentsToReschedule = await hoursChanged(call, unitId);
      return { body: { unitId, officeHours: details.officeHours, appointmentsToReschedule } };
    },
  },
  {
    method: 'post',
    path: '/api/calendar/holidays',
    access: { right: 'USER_ADMIN' },
    action: 'calendar.holiday.add',
    summary:
      'Adds a day off {date, name, kind: holiday|compensatory, unitId|null, provisional?}; null = national (root-unit admins only). Booked appointments now on a closed day are marked for rescheduling and the desk told: appointmentsToReschedule {marked, unmarked}',
    input: { body: HolidayBody },
    handler: async (call) => {
      const entry = await addHoliday(call);
      const why = `Ngày ${formatViDate(entry.date)} thành ngày nghỉ: ${entry.name}`;
      const appointmentsToReschedule = await markAppointmentsClosedByCalendar(call, entry.source.level === 'unit' ? entry.source.id : null, why, `holiday:${entry.id}`);
      return { status: 201, body: { ...entry, appointmentsToReschedule } };
    },
  },
  {
    method: 'delete',
    path: '/api/calendar/holidays/:id',
    access: { right: 'USER_ADMIN' },
    action: 'calendar.holiday.remove',
    summary: 'Removes a day off',
    input: { params: IdParams },
    handler: async (call) => ({ body: await removeEntry(call, 'calendar_holidays') }),
  },
  {
    method: 'post',
    path: '/api/calendar/working-days',
    access: { right: 'USER_ADMIN' },
    action: 'calendar.working-day.add',
    summary: 'Adds a swapped working day {date, name, hours?, unitId|null, provisional?}; without hours the unit’s Monday–Friday hours apply',
    input: { body: WorkingDayBody },
    handler: async (call) => ({ status: 201, body: await addWorkingDay(call) }),
  },
  {
    method: 'delete',
    path: '/api/calendar/working-days/:id',
    access: { right: 'USER_ADMIN' },
    action: 'calendar.working-day.remove',
    summary: 'Removes a swapped working day; booked appointments on it are marked for rescheduling and the desk told: appointmentsToReschedule {marked, unmarked}',
    input: { params: IdParams },
    handler: async (call) => {
      const entry = await removeEntry(call, 'calendar_working_days');
      const why = `Ngày ${formatViDate(entry.date)} không còn là ngày làm việc (${entry.name})`;
      const appointmentsToReschedule = await markAppointmentsClosedByCalendar(call, entry.source.level === 'unit' ? entry.source.id : null, why, `working-day-removed:${entry.id}`);
      return { body: { ...entry, appointmentsToReschedule } };
    },
  },
  {
    method: 'get',
    path: '/api/calendar/due',
    access: 'authenticated',
    summary:
      'Deadline preview for a case received at ?start (ISO instant, default now) in ?unitId: after &hours=N working hours, &workingDays=N working days, or &rule=same-day-cutoff (before 15:00 → same day, else next working day), with the steps in Vietnamese',
    input: { query: DueQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(DueQuery, req.query);
      await unitInScope(ctx, principal!, q.unitId);
      const calendar = await loadUnitCalendar(ctx.db, q.unitId);
      const start = q.start ?? ctx.clock.now().getTime();
      const request: DueRequest =
        q.hours !== undefined
          ? { mode: 'hours', hours: q.hours }
          : q.workingDays !== undefined
            ? { mode: 'workingDays', workingDays: q.workingDays }
            : { mode: 'rule', rule: 'same-day-cutoff' };
      const preview = previewDue(calendar, start, request);
      return {
        body: {
          unitId: q.unitId,
          ...request,
          start: new Date(start).toISOString(),
          startLocal: instantVi(start),
          due: new Date(preview.due).toISOString(),
          dueLocal: instantVi(preview.due),
          dueLocalIso: localIso(preview.due),
          workingHours: preview.workingHours,
          explanation: preview.explanation,
          warnings: preview.warnings,
        },
      };
    },
  },
];
