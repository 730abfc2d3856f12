/**
 * Adding and removing days off and swapped working days, nationally or for one unit.
 * One source (the national list, or one unit) holds at most one entry per date: a second day off
 * on the same date, or a day off where the same source already has a working day, is a 409.
 */
import type { z } from 'zod';
import { formatViDate, type TimeInterval, validateCalendar } from '../../domain/calendar';
import type { CalendarEntry, CalendarSource, UnitRef } from '../../infra/calendarStore';
import type { Call } from '../route';
import { ApiError, notFound, parseInput } from '../errors';
import { changedUnit, requireNationalEditor, sourceVi } from './access';
import { calendarIssuesError, HolidayBody, IdParams, WorkingDayBody } from './inputs';

export type EntryTable = 'calendar_holidays' | 'calendar_working_days';

const TABLES: Record<EntryTable, { vi: string; other: EntryTable; otherVi: string }> = {
  calendar_holidays: { vi: 'ngày nghỉ', other: 'calendar_working_days', otherVi: 'ngày làm việc hoán đổi' },
  calendar_working_days: { vi: 'ngày làm việc hoán đổi', other: 'calendar_holidays', otherVi: 'ngày nghỉ' },
};

interface Row {
  id: string;
  date: string;
  name: string;
  unit_id: string | null;
  provisional: boolean;
  kind?: 'holiday' | 'compensatory';
  hours?: TimeInterval[] | null;
}

const SELECT: Record<EntryTable, string> = {
  calendar_holidays: 'select id, date::text as date, name, kind, unit_id, provisional from calendar_holidays',
  calendar_working_days: 'select id, date::text as date, name, hours, unit_id, provisional from calendar_working_days',
};

function toEntry(row: Row, unit: UnitRef | null): CalendarEntry {
  const source: CalendarSource = unit ? { level: 'unit', ...unit } : { level: 'national' };
  const entry: CalendarEntry = {
    id: row.id,
    date: row.date,
    type: row.kind ?? 'working-day',
    name: row.name,
    provisional: row.provisional,
    source,
  };
  if (row.hours) entry.hours = row.hours;
  return entry;
}

/** Where an entry goes: the national list (root admins only) or a unit in scope; notes the audit target. */
async function resolveTarget(call: Call, unitId: string | null): Promise<UnitRef | null> {
  const p = call.principal!;
  if (unitId === null) {
    const root = await requireNationalEditor(call.ctx, p);
    call.audit.target = 'calendar:national';
    call.audit.unitId = root.id;
    return null;
  }
  return changedUnit(call, unitId);
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: string; driverError?: { code?: string } })?.driverError?.code === '23505' || (err as { code?: string })?.code === '23505';
}

interface NewEntry {
  date: string;
  name: string;
  unitId: string | null;
  provisional?: boolean | undefined;
  kind?: string;
  hours?: TimeInterval[] | undefined;
}

async function addEntry(call: Call, table: EntryTable, input: NewEntry): Promise<CalendarEntry> {
  const unit = await resolveTarget(call, input.unitId);
  const where = sourceVi(unit);
  const day = formatViDate(input.date);
  const t = TABLES[table];
  try {
    return await call.ctx.db.transaction(async (m) => {
      // Serialises writers of the same source and date across both tables.
      await m.query('select pg_advisory_xact_lock(hashtextextended($1, 0))', [`calendar:${input.unitId ?? 'national'}:${input.date}`]);
      const same = `date = $1 and unit_id is not distinct from $2`;
      const existing: Row[] = await m.query(`${SELECT[table]} where ${same}`, [input.date, input.unitId]);
      if (existing[0]) {
        throw new ApiError(
          409,
          table === 'calendar_holidays' ? 'HOLIDAY_EXISTS' : 'WORKING_DAY_EXISTS',
          `Ngày ${day} đã có trong ${t.vi} của ${where} ("${existing[0].name}"). Xóa ngày đó trước nếu muốn sửa.`,
          `${input.date} is already listed (${existing[0].name}); remove it first to change it.`,
          { existingId: existing[0].id },
        );
      }
      const clash: Row[] = await m.query(`${SELECT[t.other]} where ${same}`, [input.date, input.unitId]);
      if (clash[0]) {
        throw new ApiError(
          409,
          'CALENDAR_DATE_TAKEN',
          `Ngày ${day} đang là ${t.otherVi} của ${where} ("${clash[0].name}"); xóa ngày đó trước khi thêm ${t.vi}.`,
          `${input.date} is already a ${table === 'calendar_holidays' ? 'working day' : 'day off'} of this calendar (${clash[0].name}); remove it first.`,
          { existingId: clash[0].id },
        );
      }
      const rows: Row[] =
        table === 'calendar_holidays'
          ? await m.query(
              `insert into calendar_holidays (date, name, kind, unit_id, provisional) values ($1, $2, $3, $4, $5)
               returning id, date::text as date, name, kind, unit_id, provisional`,
              [input.date, input.name, input.kind, input.unitId, input.provisional ?? false],
            )
          : await m.query(
              `insert into calendar_working_days (date, name, hours, unit_id, provisional) values ($1, $2, $3, $4, $5)
               returning id, date::text as date, name, hours, unit_id, provisional`,
              [input.date, input.name, input.hours ? JSON.stringify(input.hours) : null, input.unitId, input.provisional ?? false],
            );
      return toEntry(rows[0]!, unit);
    });
  } catch (err) {
    if (isUniqueViolation(err)) {
      throw new ApiError(409, 'CALENDAR_DATE_TAKEN', `Ngày ${day} vừa được thêm vào ${t.vi} của ${where}.`, `${input.date} was just added to this calendar.`);
    }
    throw err;
  }
}

export async function addHoliday(call: Call): Promise<CalendarEntry> {
  const body: z.infer<typeof HolidayBody> = parseInput(HolidayBody, call.req.body);
  call.audit.details = { date: body.date, name: body.name, kind: body.kind, unitId: body.unitId };
  return addEntry(call, 'calendar_holidays', body);
}

export async function addWorkingDay(call: Call): Promise<CalendarEntry> {
  const body: z.infer<typeof WorkingDayBody> = parseInput(WorkingDayBody, call.req.body);
  call.audit.details = { date: body.date, name: body.name, unitId: body.unitId, ...(body.hours ? { hours: body.hours } : {}) };
  let hours: TimeInterval[] | undefined;
  if (body.hours !== undefined) {
    // The domain's own check, so the API and a workflow agree on what valid hours are.
    const checked = validateCalendar({ officeHours: {}, holidays: [], workingDays: [{ date: body.date, name: body.name, hours: body.hours }] });
    if (!checked.ok) throw calendarIssuesError(checked.errors, (path) => path.replace(/^workingDays\[0\]\./, ''));
    hours = (body.hours as TimeInterval[]).map((iv) => ({ start: iv.start, end: iv.end }));
  }
  return addEntry(call, 'calendar_working_days', { date: body.date, name: body.name, unitId: body.unitId, provisional: body.provisional, hours });
}

export async function removeEntry(call: Call, table: EntryTable): Promise<CalendarEntry> {
  const { id } = parseInput(IdParams, call.req.params);
  const rows: Row[] = await call.ctx.db.query(`${SELECT[table]} where id = $1`, [id]);
  const row = rows[0];
  if (!row) throw notFound(TABLES[table].vi, table === 'calendar_holidays' ? 'Holiday' : 'Working day');
  call.audit.details = { id, date: row.date, name: row.name, ...(row.kind ? { kind: row.kind } : {}), unitId: row.unit_id };
  const unit = await resolveTarget(call, row.unit_id);
  await call.ctx.db.query(`delete from ${table} where id = $1`, [id]);
  return toEntry(row, unit);
}
