/**
 * The SLA dashboard of certification cases, counted from the supervision read model in
 * PostgreSQL (`certification_cases` with its per-case figures, `case_steps` one row per step;
 * migration 018), which the workflows' projection activity keeps up to date.
 *
 * Definitions (the same words on screen and in the tests):
 * - A case is **on time** when its result was made available (the delivery instant) no later than
 *   its overall deadline, lawful extensions included; **late** otherwise. Refused and withdrawn
 *   cases are neither: they are counted apart.
 * - A **step** counts for its officer when he ended it by his own act — submitted, signed,
 *   returned, sealed or refused (a withdrawal is the citizen's decision, delivery the system's);
 *   it is on time when it ended and is not late (ended by its due instant, never breached).
 * - An **open** case is **overdue** once its open step's or its overall deadline has passed, **at
 *   risk** once 75% of its step's budget is used (the step's warning instant) or the overall
 *   warning instant has passed, and **on time** otherwise — `deadlineStateOf` in
 *   api/cases/caseList.ts, which the task inbox uses too. Time left is counted in the office
 *   hours of the case's commune.
 * - The **period** is a range of Hà Nội dates, both included. A case counts as received on the
 *   day of its reception, completed / refused on the day it closed; on-time rates and working
 *   times count the cases and steps that ended within the period; extensions are those of the
 *   cases received within it. Open counts are live: they ignore the period.
 * - Working minutes of a step are counted in the commune's calendar (lunch, nights, weekends
 *   and holidays do not count) against the step's legal budget (4 working hours at reception,
 *   16 when complex; 2 to sign; 2 to seal).
 */
import { addDaysToDate, dayIndexOfDate, isoWeekdayOfDate, parseLocalDate, type LocalDate, type WorkingCalendar } from '../../domain/calendar';
import { REFUSAL_GROUND_CODES, REFUSAL_GROUNDS, type RefusalGround } from '../../domain/certification/refusalGrounds';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { deadlineStateOf } from '../cases/caseList';
import type { AppContext } from '../context';
import type { Period } from './inputs';

type Db = AppContext['db'];

const OPEN_STEPS = ['receive', 'sign', 'seal', 'deliver'] as const;
type OpenStep = (typeof OPEN_STEPS)[number];
const BUDGETED_STEPS = ['receive', 'sign', 'seal'] as const;
/** Step outcomes that are the officer's own act (see the definitions above). */
export const OFFICER_OUTCOMES = ['submitted', 'signed', 'returned', 'sealed', 'refused'] as const;
/** At most this many rows in the at-risk list: the most urgent first. */
export const AT_RISK_LIMIT = 200;

export type OpenState = 'onTime' | 'atRisk' | 'overdue';

export interface AtRiskCase {
  caseCode: string;
  unit: { id: string; name: string };
  status: string;
  step: string | null;
  citizenName: string;
  /** The earlier of the open step's and the overall deadline. */
  dueAt: string;
  stepDueAt: string | null;
  overallDueAt: string;
  remainingWorkingMinutes: number;
  state: Exclude<OpenState, 'onTime'>;
}

export interface Rate {
  /** Share on time, 0–1; null when there is nothing to count. */
  rate: number | null;
}

export interface Dashboard {
  generatedAt: string;
  period: Period;
  open: { total: number; byStep: Record<OpenStep, number>; byState: Record<OpenState, number> };
  atRisk: AtRiskCase[];
  totals: { received: number; completed: number; onTime: number; late: number; refused: number; withdrawn: number } & Rate;
  onTime: {
    byUnit: Array<{ unitId: string; name: string; completed: number; onTime: number; late: number } & Rate>;
    byOfficer: Array<{ officerId: string; name: string; steps: number; onTime: number; late: number } & Rate>;
  };
  stepTimes: Array<{ step: string; budgetMinutes: number; steps: number; cases: number; late: number; avgWorkingMinutes: number }>;
  trend: Array<{ period: LocalDate; from: LocalDate; to: LocalDate; received: number; completed: number; onTime: number; late: number; refused: number; withdrawn: number }>;
  refusalsByGround: Array<{ ground: RefusalGround; text: string; count: number }>;
  extensions: { cases: number; count: number; days: number };
  /** Support requests (8 working hours each): filed and closed in the period, open now. */
  support: { received: number; done: number; doneOnTime: number; closedLate: number; open: number; openLate: number };
}

const rate = (onTime: number, all: number): number | null => (all === 0 ? null : onTime / all);
/** One decimal is what a screen shows; averages of whole minutes stay exact to it. */
const oneDecimal = (x: number) => Math.round(x * 10) / 10;
/** The Hà Nội date of a timestamptz column, as text. */
const localDay = (column: string) => `((${column} at time zone 'UTC') + interval '7 hours')::date::text`;

interface OpenRow {
  case_code: string;
  unit_id: string;
  unit_name: string;
  status: string;
  step: OpenStep | null;
  citizen_name: string;
  step_due_at: Date | null;
  step_warn_at: Date | null;
  overall_due_at: Date;
  overall_warn_at: Date | null;
}

export async function openCases(db: Db, units: string[], now: Date): Promise<Pick<Dashboard, 'open' | 'atRisk'>> {
  const rows: OpenRow[] = await db.query(
    `select c.case_code, c.unit_id, u.name as unit_name, c.status, c.step, c.citizen_name, c.step_due_at, c.step_warn_at, c.overall_due_at,
            (c.view->>'overallWarnAt')::timestamptz as overall_warn_at
     from certification_cases c join units u on u.id = c.unit_id
     where c.closed_at is null and c.unit_id = any($1::uuid[])`,
    [units],
  );
  // Each commune's calendar takes a few queries: they run side by side, not one commune after another.
  const unitIds = [...new Set(rows.map((r) => r.unit_id))];
  const loaded = await Promise.all(unitIds.map((id) => loadUnitCalendar(db, id)));
  const calendars = new Map<string, WorkingCalendar>(unitIds.map((id, i) => [id, loaded[i]]));
  const byStep = Object.fromEntries(OPEN_STEPS.map((s) => [s, 0])) as Record<OpenStep, number>;
  const byState: Record<OpenState, number> = { onTime: 0, atRisk: 0, overdue: 0 };
  const atRisk: AtRiskCase[] = [];
  for (const r of rows) {
    if (r.step) byStep[r.step] += 1;
    const s = deadlineStateOf(
      { stepDueAt: r.step_due_at, stepWarnAt: r.step_warn_at, overallDueAt: r.overall_due_at, overallWarnAt: r.overall_warn_at },
      now,
      calendars.get(r.unit_id)!,
    );
    const state: OpenState = s.overdue ? 'overdue' : s.atRisk ? 'atRisk' : 'onTime';
    byState[state] += 1;
    if (state === 'onTime') continue;
    const due = Math.min((r.step_due_at ?? r.overall_due_at).getTime(), r.overall_due_at.getTime());
    atRisk.push({
      caseCode: r.case_code,
      unit: { id: r.unit_id, name: r.unit_name },
      status: r.status,
      step: r.step,
      citizenName: r.citizen_name,
      dueAt: new Date(due).toISOString(),
      stepDueAt: r.step_due_at?.toISOString() ?? null,
      overallDueAt: r.overall_due_at.toISOString(),
      remainingWorkingMinutes: s.remainingWorkingMinutes,
      state,
    });
  }
  atRisk.sort((a, b) => a.remainingWorkingMinutes - b.remainingWorkingMinutes || a.dueAt.localeCompare(b.dueAt) || a.caseCode.localeCompare(b.caseCode));
  return { open: { total: rows.length, byStep, byState }, atRisk: atRisk.slice(0, AT_RISK_LIMIT) };
}

/** Per Hà Nội day: cases received, and cases closed by outcome. */
async function dailyCounts(db: Db, units: string[], start: Date, end: Date) {
  const received: Array<{ day: LocalDate; n: number }> = await db.query(
    `select ${localDay('received_at')} as day, count(*)::int as n from certification_cases
     where unit_id = any($1::uuid[]) and received_at >= $2 and received_at < $3 group by 1`,
    [units, start, end],
  );
  const closed: Array<{ day: LocalDate; status: string; on_time: boolean | null; n: number }> = await db.query(
    `select ${localDay('closed_at')} as day, status, on_time, count(*)::int as n from certification_cases
     where unit_id = any($1::uuid[]) and closed_at >= $2 and closed_at < $3 group by 1, 2, 3`,
    [units, start, end],
  );
  return { received, closed };
}

type TrendRow = Dashboard['trend'][number];

/** The day or the Monday that starts the bucket a date falls in. */
function bucketOf(date: LocalDate, granularity: Period['granularity']): LocalDate {
  return granularity === 'day' ? date : addDaysToDate(date, 1 - isoWeekdayOfDate(date));
}

function trendOf(period: Period, daily: Awaited<ReturnType<typeof dailyCounts>>): { trend: TrendRow[]; totals: Dashboard['totals'] } {
  const buckets = new Map<LocalDate, TrendRow>();
  const days = dayIndexOfDate(period.to) - dayIndexOfDate(period.from) + 1;
  for (let i = 0; i < days; i++) {
    const date = addDaysToDate(period.from, i);
    const key = bucketOf(date, period.granularity);
    const b = buckets.get(key);
    if (b) b.to = date;
    else buckets.set(key, { period: key, from: date, to: date, received: 0, completed: 0, onTime: 0, late: 0, refused: 0, withdrawn: 0 });
  }
  const bucket = (day: LocalDate) => buckets.get(bucketOf(day, period.granularity))!;
  for (const r of daily.received) bucket(r.day).received += r.n;
  for (const r of daily.closed) {
    const b = bucket(r.day);
    if (r.status === 'completed') {
      b.completed += r.n;
      if (r.on_time === true) b.onTime += r.n;
      if (r.on_time === false) b.late += r.n;
    } else if (r.status === 'refused') b.refused += r.n;
    else if (r.status === 'withdrawn') b.withdrawn += r.n;
  }
  const trend = [...buckets.values()];
  const sum = (k: 'received' | 'completed' | 'onTime' | 'late' | 'refused' | 'withdrawn') => trend.reduce((s, b) => s + b[k], 0);
  const totals = { received: sum('received'), completed: sum('completed'), onTime: sum('onTime'), late: sum('late'), refused: sum('refused'), withdrawn: sum('withdrawn') };
  return { trend, totals: { ...totals, rate: rate(totals.onTime, totals.completed) } };
}

async function onTimeByUnit(db: Db, units: string[], start: Date, end: Date): Promise<Dashboard['onTime']['byUnit']> {
  // Every commune watched gets a row, so a commune with nothing completed shows as such.
  const rows: Array<{ id: string; name: string; completed: number; on_time: number; late: number }> = await db.query(
    `select u.id, u.name, count(c.case_code)::int as completed,
            count(c.case_code) filter (where c.on_time)::int as on_time, count(c.case_code) filter (where not c.on_time)::int as late
     from units u
     left join certification_cases c on c.unit_id = u.id and c.status = 'completed' and c.closed_at >= $2 and c.closed_at < $3
     where u.id = any($1::uuid[]) and (u.level = 'commune' or exists (select 1 from certification_cases x where x.unit_id = u.id))
     group by u.id, u.name order by u.name, u.id`,
    [units, start, end],
  );
  return rows.map((r) => ({ unitId: r.id, name: r.name, completed: r.completed, onTime: r.on_time, late: r.late, rate: rate(r.on_time, r.completed) }));
}

/** Steps ended by an officer's own act within the period (the definitions above). */
const OFFICER_STEPS = `s.unit_id = any($1::uuid[]) and s.ended_at >= $2 and s.ended_at < $3 and s.officer_id is not null
  and s.budget_minutes is not null and s.outcome = any($4::text[])`;

async function onTimeByOfficer(db: Db, units: string[], start: Date, end: Date): Promise<Dashboard['onTime']['byOfficer']> {
  const rows: Array<{ officer_id: string; name: string; steps: number; on_time: number; late: number }> = await db.query(
    `select s.officer_id, coalesce(o.full_name, max(s.officer_name)) as name, count(*)::int as steps,
            count(*) filter (where s.late = false)::int as on_time, count(*) filter (where s.late)::int as late
     from case_steps s left join officers o on o.id = s.officer_id
     where ${OFFICER_STEPS}
     group by s.officer_id, o.full_name order by name, s.officer_id`,
    [units, start, end, OFFICER_OUTCOMES],
  );
  return rows.map((r) => ({ officerId: r.officer_id, name: r.name, steps: r.steps, onTime: r.on_time, late: r.late, rate: rate(r.on_time, r.steps) }));
}

async function stepTimes(db: Db, units: string[], start: Date, end: Date): Promise<Dashboard['stepTimes']> {
  const rows: Array<{ step: string; budget_minutes: number; steps: number; cases: number; late: number; avg: number }> = await db.query(
    // Per case first (a hash aggregate), then per step: the same figures as count(distinct case_code)
    // and avg(working_minutes), without sorting a year of steps by case code.
    `select step, budget_minutes, sum(n)::int as steps, count(*)::int as cases, sum(late)::int as late, (sum(minutes)::numeric / sum(n))::float8 as avg
     from (select s.step, s.budget_minutes, s.case_code, count(*) as n, count(*) filter (where s.late) as late, sum(s.working_minutes) as minutes
           from case_steps s where ${OFFICER_STEPS} and s.working_minutes is not null
           group by s.step, s.budget_minutes, s.case_code) per_case
     group by step, budget_minutes`,
    [units, start, end, OFFICER_OUTCOMES],
  );
  const order = (step: string) => (BUDGETED_STEPS as readonly string[]).indexOf(step);
  return rows
    .sort((a, b) => order(a.step) - order(b.step) || a.budget_minutes - b.budget_minutes)
    .map((r) => ({ step: r.step, budgetMinutes: r.budget_minutes, steps: r.steps, cases: r.cases, late: r.late, avgWorkingMinutes: oneDecimal(r.avg) }));
}

async function refusalsByGround(db: Db, units: string[], start: Date, end: Date): Promise<Dashboard['refusalsByGround']> {
  const rows: Array<{ ground: string; n: number }> = await db.query(
    `select refusal_ground as ground, count(*)::int as n from certification_cases
     where unit_id = any($1::uuid[]) and status = 'refused' and closed_at >= $2 and closed_at < $3 and refusal_ground is not null group by 1`,
    [units, start, end],
  );
  const count = new Map(rows.map((r) => [r.ground, r.n]));
  // Every legal ground is listed, the most used first, then in the order of the decree.
  return REFUSAL_GROUND_CODES.map((ground) => ({ ground, text: REFUSAL_GROUNDS[ground], count: count.get(ground) ?? 0 })).sort(
    (a, b) => b.count - a.count || REFUSAL_GROUND_CODES.indexOf(a.ground) - REFUSAL_GROUND_CODES.indexOf(b.ground),
  );
}

async function extensions(db: Db, units: string[], start: Date, end: Date): Promise<Dashboard['extensions']> {
  const rows: Array<{ cases: number; count: number; days: number }> = await db.query(
    `select count(*) filter (where extension_count > 0)::int as cases, coalesce(sum(extension_count), 0)::int as count,
            coalesce(sum(extension_days), 0)::int as days
     from certification_cases where unit_id = any($1::uuid[]) and received_at >= $2 and received_at < $3`,
    [units, start, end],
  );
  return rows[0];
}

/** Support requests of `units`: filed in the period, closed in it (done on time or late), open now and how many of those are late. */
async function supportRequests(db: Db, units: string[], start: Date, end: Date): Promise<Dashboard['support']> {
  const rows: Array<Dashboard['support']> = await db.query(
    `select count(*) filter (where created_at >= $2 and created_at < $3)::int as received,
            count(*) filter (where status = 'done' and closed_at >= $2 and closed_at < $3)::int as done,
            count(*) filter (where status = 'done' and closed_at >= $2 and closed_at < $3 and closed_on_time)::int as "doneOnTime",
            count(*) filter (where closed_at >= $2 and closed_at < $3 and not coalesce(closed_on_time, true))::int as "closedLate",
            count(*) filter (where status in ('received', 'in_progress', 'waiting'))::int as open,
            count(*) filter (where status in ('received', 'in_progress', 'waiting') and breached)::int as "openLate"
     from support_requests where unit_id = any($1::uuid[])`,
    [units, start, end],
  );
  return rows[0]!;
}

/** The dashboard of the cases of `units` (already the caller's scope) at `now`, over `period`. */
export async function supervisionDashboard(db: Db, units: string[], period: Period, now: Date): Promise<Dashboard> {
  const start = new Date(parseLocalDate(period.from));
  const end = new Date(parseLocalDate(addDaysToDate(period.to, 1)));
  const { trend, totals } = trendOf(period, await dailyCounts(db, units, start, end));
  return {
    generatedAt: now.toISOString(),
    period,
    ...(await openCases(db, units, now)),
    totals,
    onTime: { byUnit: await onTimeByUnit(db, units, start, end), byOfficer: await onTimeByOfficer(db, units, start, end) },
    stepTimes: await stepTimes(db, units, start, end),
    trend,
    refusalsByGround: await refusalsByGround(db, units, start, end),
    extensions: await extensions(db, units, start, end),
    support: await supportRequests(db, units, start, end),
  };
}
