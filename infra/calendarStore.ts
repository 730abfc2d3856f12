/**
 * A unit's working calendar, assembled from the stored tables.
 *
 * Office hours: the unit's own row in unit_office_hours, else the row of its nearest ancestor
 * (a commune's one-stop desk keeps the commune's hours), else the default Mon–Fri 08–12, 13–17.
 *
 * Days: the national list (unit_id null) plus the entries of the unit and of every ancestor, so
 * a province-wide day off reaches its communes. For each date the entry of the MOST SPECIFIC
 * source wins, whatever its type: the unit itself, then its parent, … up to the root, then the
 * national list. A commune that works on a national holiday adds a working day for that date;
 * a province that closes on a national swapped working Saturday adds a day off for it. The
 * entries hidden that way are kept in `overrides` so the admin screen can show what was replaced.
 * One source holds at most one entry per date (the admin API refuses a second one with 409);
 * should a day off and a working day of the same source meet anyway, the working day wins, as
 * in the domain's own priority (domain/calendar/workingTime.ts).
 */
import {
  assertValidCalendar,
  defaultOfficeHours,
  type Holiday,
  type HolidayKind,
  type OfficeHours,
  type SwappedWorkingDay,
  type TimeInterval,
  type WorkingCalendar,
} from '../domain/calendar';
import { bilingual, DomainError } from '../domain/messages';

/** A DataSource, or the EntityManager of a transaction. Rows are typed where they are read. */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  query(sql: string, params?: unknown[]): Promise<any>;
}

export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

export type CalendarSource = { level: 'national' } | ({ level: 'unit' } & UnitRef);

export type OfficeHoursSource = { level: 'default' } | ({ level: 'unit'; inherited: boolean } & UnitRef);

export type DayType = HolidayKind | 'working-day';

export interface CalendarEntry {
  id: string;
  date: string;
  type: DayType;
  name: string;
  /** Only on working days that name their own hours. */
  hours?: TimeInterval[];
  provisional: boolean;
  source: CalendarSource;
}

/** The entry that applies on a date, and the less specific ones it replaced. */
export interface ResolvedDay extends CalendarEntry {
  overrides: CalendarEntry[];
}

export interface UnitCalendarDetails {
  unit: UnitRef & { parentId: string | null };
  /** From the root down to the unit's parent. */
  ancestors: UnitRef[];
  officeHours: { hours: OfficeHours; source: OfficeHoursSource };
  /** Every date with an entry, in date order. */
  days: ResolvedDay[];
  calendar: WorkingCalendar;
}

interface UnitRow {
  id: string;
  code: string;
  name: string;
  parent_id: string | null;
  path: string;
}

interface EntryRow {
  id: string;
  date: string;
  name: string;
  unit_id: string | null;
  provisional: boolean;
  kind?: HolidayKind;
  hours?: TimeInterval[] | null;
}

export function unitNotFound(unitId: string): DomainError {
  return new DomainError('UNIT_NOT_FOUND', bilingual(`Không tìm thấy đơn vị ${unitId}`, `Unit ${unitId} not found`));
}

/**
 * The unit, its ancestors and every calendar row that applies to them, in one statement: a
 * reception reads it for each new case. `date` is read as text: pg would otherwise turn it into a
 * Date at the server process's midnight.
 */
const UNIT_CALENDAR_ROWS = `
  with chain as (
    select u.id, u.code, u.name, u.parent_id, u.path from units o join units u on u.id = any(array_remove(string_to_array(o.path, '/'), '')::uuid[])
     where o.id = $1
  )
  select (select path from chain where id = $1) as path,
         (select json_agg(json_build_object('id', id, 'code', code, 'name', name, 'parent_id', parent_id)) from chain) as chain,
         (select json_agg(json_build_object('unit_id', unit_id, 'hours', hours)) from unit_office_hours where unit_id in (select id from chain)) as hours,
         (select json_agg(json_build_object('id', id, 'date', date::text, 'name', name, 'kind', kind, 'unit_id', unit_id, 'provisional', provisional))
            from calendar_holidays where unit_id is null or unit_id in (select id from chain)) as holidays,
         (select json_agg(json_build_object('id', id, 'date', date::text, 'name', name, 'hours', hours, 'unit_id', unit_id, 'provisional', provisional))
            from calendar_working_days where unit_id is null or unit_id in (select id from chain)) as working`;

interface UnitCalendarRows {
  path: string | null;
  chain: Array<Omit<UnitRow, 'path'>> | null;
  hours: Array<{ unit_id: string; hours: OfficeHours }> | null;
  holidays: EntryRow[] | null;
  working: EntryRow[] | null;
}

/** The unit's effective calendar with where each part comes from. */
export async function loadUnitCalendarDetails(db: Queryable, unitId: string): Promise<UnitCalendarDetails> {
  const [found]: UnitCalendarRows[] = await db.query(UNIT_CALENDAR_ROWS, [unitId]);
  if (!found?.path) throw unitNotFound(unitId);
  const byId = new Map((found.chain ?? []).map((r) => [r.id, r]));
  const chain = found.path
    .split('/')
    .filter((s) => s !== '')
    .map((id) => byId.get(id))
    .filter((r) => r !== undefined)
    .map((r) => ({ id: r.id, code: r.code, name: r.name, parentId: r.parent_id }));
  const unit = chain[chain.length - 1]!;
  const ids = chain.map((u) => u.id);
  // Specificity: national = 0, root = 1, … the unit itself = chain.length.
  const depth = new Map<string, number>(ids.map((id, i) => [id, i + 1]));
  const refs = new Map<string, UnitRef>(chain.map((u) => [u.id, { id: u.id, code: u.code, name: u.name }]));

  const ownHours = (found.hours ?? []).sort((a, b) => (depth.get(b.unit_id) ?? 0) - (depth.get(a.unit_id) ?? 0))[0];
  const officeHours: UnitCalendarDetails['officeHours'] = ownHours
    ? { hours: ownHours.hours, source: { level: 'unit', inherited: ownHours.unit_id !== unit.id, ...refs.get(ownHours.unit_id)! } }
    : { hours: defaultOfficeHours(), source: { level: 'default' } };
  const holidayRows = found.holidays ?? [];
  const workingRows = found.working ?? [];

  const sourceOf = (row: EntryRow): CalendarSource => (row.unit_id === null ? { level: 'national' } : { level: 'unit', ...refs.get(row.unit_id)! });
  const candidates: Array<{ entry: CalendarEntry; rank: number }> = [];
  for (const row of holidayRows) {
    candidates.push({
      entry: { id: row.id, date: row.date, type: row.kind!, name: row.name, provisional: row.provisional, source: sourceOf(row) },
      rank: 2 * (row.unit_id === null ? 0 : depth.get(row.unit_id)!),
    });
  }
  for (const row of workingRows) {
    const entry: CalendarEntry = { id: row.id, date: row.date, type: 'working-day', name: row.name, provisional: row.provisional, source: sourceOf(row) };
    if (row.hours) entry.hours = row.hours;
    // +1: within one source a working day beats a day off.
    candidates.push({ entry, rank: 2 * (row.unit_id === null ? 0 : depth.get(row.unit_id)!) + 1 });
  }

  const byDate = new Map<string, Array<{ entry: CalendarEntry; rank: number }>>();
  for (const c of candidates) {
    const list = byDate.get(c.entry.date);
    if (list) list.push(c);
    else byDate.set(c.entry.date, [c]);
  }
  const days: ResolvedDay[] = [...byDate.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, list]) => {
      const [winner, ...rest] = list.sort((a, b) => b.rank - a.rank);
      return { ...winner!.entry, overrides: rest.map((r) => r.entry) };
    });

  const holidays: Holiday[] = [];
  const workingDays: SwappedWorkingDay[] = [];
  for (const d of days) {
    if (d.type === 'working-day') {
      const w: SwappedWorkingDay = { date: d.date, name: d.name };
      if (d.hours) w.hours = d.hours;
      if (d.provisional) w.provisional = true;
      workingDays.push(w);
    } else {
      const h: Holiday = { date: d.date, name: d.name, kind: d.type };
      if (d.provisional) h.provisional = true;
      holidays.push(h);
    }
  }
  // Stored rows were validated when written; checking again keeps a hand-edited row from
  // silently producing wrong deadlines.
  const calendar = assertValidCalendar({ officeHours: officeHours.hours, holidays, workingDays });
  return { unit, ancestors: chain.slice(0, -1).map(({ id, code, name }) => ({ id, code, name })), officeHours, days, calendar };
}

/** The unit's working calendar as plain JSON, ready to hand to the domain functions or a workflow. */
export async function loadUnitCalendar(db: Queryable, unitId: string): Promise<WorkingCalendar> {
  return (await loadUnitCalendarDetails(db, unitId)).calendar;
}
