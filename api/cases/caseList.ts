/**
 * Case lists from the projection the workflows keep (certification_cases): the filtered list of
 * the officer's cases and his task inbox, both sorted by the next deadline — the open step's
 * due instant, else the overall one — earliest first.
 */
import { addDaysToDate, MS_PER_MINUTE, parseLocalDate, workingMsBetween, type WorkingCalendar } from '../../domain/calendar';
import type { Right } from '../../domain/rights';
import { loadUnitCalendar } from '../../infra/calendarStore';
import { activeDelegationsFor } from '../admin/delegations';
import type { AppContext } from '../context';
import { forbiddenUnit } from '../errors';
import type { Principal } from '../principal';
import type { ListQuery } from './inputs';
import type { z } from 'zod';

/** What the lists read: the database and the clock. */
export type ListContext = Pick<AppContext, 'db' | 'clock'>;

interface CaseRow {
  case_code: string;
  unit_id: string;
  unit_code: string;
  unit_name: string;
  status: string;
  step: string | null;
  step_right: string | null;
  received_by: string;
  received_by_name: string | null;
  received_at: Date;
  overall_due_at: Date;
  overall_warn_at: Date | null;
  step_due_at: Date | null;
  step_warn_at: Date | null;
  citizen_name: string;
  complex: boolean;
  fee_vnd: string;
  certification_number: string | null;
  breaches: number;
  closed_at: Date | null;
}

export interface CaseListItem {
  caseCode: string;
  unit: { id: string; code: string; name: string };
  status: string;
  step: string | null;
  /** The right the open step needs. */
  stepRight: string | null;
  citizenName: string;
  receivedBy: { officerId: string; fullName: string | null };
  receivedAt: string;
  stepDueAt: string | null;
  overallDueAt: string;
  /** What the list is sorted by: the open step's deadline, else the overall one. */
  dueAt: string;
  /** Still open and past its step's or its overall deadline now. */
  overdue: boolean;
  breaches: number;
  complex: boolean;
  feeVnd: number;
  certificationNumber: string | null;
  closedAt: string | null;
}

/**
 * The columns of a listed case, for the rows of one page (`page`, named by their codes): the
 * units, officers and the warning instant in the stored view are read for those rows only, never
 * for every row that matches.
 */
const SELECT = `
  select c.case_code, c.unit_id, u.code as unit_code, u.name as unit_name, c.status, c.step, c.step_right,
         c.received_by, o.full_name as received_by_name, c.received_at, c.overall_due_at,
         (c.view->>'overallWarnAt')::timestamptz as overall_warn_at, c.step_due_at, c.step_warn_at,
         c.citizen_name, c.complex, c.fee_vnd::text as fee_vnd, c.certification_number, c.breaches, c.closed_at
  from page p
  join certification_cases c on c.case_code = p.case_code
  join units u on u.id = c.unit_id
  left join officers o on o.id = c.received_by`;

const DUE = 'coalesce(c.step_due_at, c.overall_due_at)';
const ORDER = `order by ${DUE}, c.overall_due_at, c.case_code`;
/** Open and past either deadline at the instant in parameter `now`. */
const overdueSql = (now: string) => `(c.closed_at is null and least(${DUE}, c.overall_due_at) < ${now})`;

function itemOf(r: CaseRow, now: Date): CaseListItem {
  const due = r.step_due_at ?? r.overall_due_at;
  const earliest = Math.min(due.getTime(), r.overall_due_at.getTime());
  return {
    caseCode: r.case_code,
    unit: { id: r.unit_id, code: r.unit_code, name: r.unit_name },
    status: r.status,
    step: r.step,
    stepRight: r.step_right,
    citizenName: r.citizen_name,
    receivedBy: { officerId: r.received_by, fullName: r.received_by_name },
    receivedAt: r.received_at.toISOString(),
    stepDueAt: r.step_due_at?.toISOString() ?? null,
    overallDueAt: r.overall_due_at.toISOString(),
    dueAt: due.toISOString(),
    overdue: r.closed_at === null && earliest < now.getTime(),
    breaches: r.breaches,
    complex: r.complex,
    feeVnd: Number(r.fee_vnd),
    certificationNumber: r.certification_number,
    closedAt: r.closed_at?.toISOString() ?? null,
  };
}

export interface CasePage<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

/** The subtree a unit filter stands for: a desk stands for its commune's cases. */
export async function filterPath(db: AppContext['db'], unitId: string): Promise<string | undefined> {
  const rows: Array<{ path: string; level: string; parent_path: string | null; parent_level: string | null }> = await db.query(
    'select u.path, u.level, p.path as parent_path, p.level as parent_level from units u left join units p on p.id = u.parent_id where u.id = $1',
    [unitId],
  );
  const u = rows[0];
  if (!u) return undefined;
  return u.level === 'office' && u.parent_level === 'commune' ? u.parent_path! : u.path;
}

export async function listCases(ctx: ListContext, units: ReadonlySet<string>, q: z.infer<typeof ListQuery>): Promise<CasePage<CaseListItem>> {
  const now = ctx.clock.now();
  const params: unknown[] = [[...units], now];
  // $2 (now) is referenced in every query, so its type is always known to PostgreSQL.
  const where = ['c.unit_id = any($1::uuid[])', '$2::timestamptz is not null'];
  const add = (value: unknown) => `$${params.push(value)}`;
  if (q.unitId) {
    if (!units.has(q.unitId)) throw forbiddenUnit();
    const path = await filterPath(ctx.db, q.unitId);
    if (path === undefined) throw forbiddenUnit();
    where.push(`c.unit_id in (select id from units where path like ${add(path)} || '%')`);
  }
  if (q.status) where.push(`c.status = any(${add(q.status)}::text[])`);
  if (q.step) where.push(`c.step = ${add(q.step)}`);
  if (q.dueBefore) where.push(`${DUE} < ${add(q.dueBefore)}`);
  if (q.overdue === 'true') where.push(overdueSql('$2'));
  if (q.overdue === 'false') where.push(`not ${overdueSql('$2')}`);
  if (q.officerId) where.push(`c.received_by = ${add(q.officerId)}`);
  if (q.from) where.push(`c.received_at >= ${add(new Date(parseLocalDate(q.from)))}`);
  if (q.to) where.push(`c.received_at < ${add(new Date(parseLocalDate(addDaysToDate(q.to, 1))))}`);
  if (q.q) {
    const term = q.q.normalize('NFC');
    const like = add(`%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    where.push(`(c.case_code ilike ${like} or c.citizen_name ilike ${like} or c.citizen_id = ${add(term.replace(/[\s.]/g, ''))})`);
  }
  return page(ctx, where.join(' and '), params, q.page, q.pageSize, (r) => itemOf(r, now));
}

/**
 * One page of the cases matching `where` (parameters `params`, on certification_cases as `c`),
 * with their total. The page's codes are found first, in the list's order from the index that
 * matches it (migration 036); only those rows are then joined and read whole.
 */
async function page<T>(ctx: ListContext, where: string, params: unknown[], pageNo: number, pageSize: number, map: (r: CaseRow) => T): Promise<CasePage<T>> {
  const counted: Array<{ n: number }> = await ctx.db.query(`select count(*)::int as n from certification_cases c where ${where}`, params);
  const n = params.length;
  const rows: CaseRow[] = await ctx.db.query(
    `with page as (select c.case_code from certification_cases c where ${where} ${ORDER} limit $${n + 1} offset $${n + 2})
     ${SELECT} ${ORDER}`,
    [...params, pageSize, (pageNo - 1) * pageSize],
  );
  return { total: counted[0].n, page: pageNo, pageSize, items: rows.map(map) };
}

export interface InboxItem extends CaseListItem {
  /** The right the case waits for (the open step's). */
  waitingFor: Right;
  /** The officer may sign it only through a leader's signing delegation. */
  viaDelegation: boolean;
  /**
   * Office time left, in whole minutes of the unit's calendar, until the earlier of the open
   * step's and the overall deadline (what `overdue` is measured against); negative once past it.
   */
  remainingWorkingMinutes: number;
  /** Not yet overdue, but past the open step's warning instant (75% of its budget used) or the overall one. */
  atRisk: boolean;
}

/** Whole working minutes from `now` to `due`, rounded down, so a deadline reached is never shown as time left. */
function remainingMinutes(cal: WorkingCalendar, now: Date, due: Date): number {
  return Math.floor(workingMsBetween(cal, now.getTime(), due.getTime()) / MS_PER_MINUTE);
}

/** The deadlines of an open case, as the projection keeps them. */
export interface OpenCaseDeadlines {
  stepDueAt: Date | null;
  stepWarnAt: Date | null;
  overallDueAt: Date;
  overallWarnAt: Date | null;
}

export interface DeadlineState {
  /** Past the open step's or the overall deadline. */
  overdue: boolean;
  /** Not overdue, but past the step's warning instant (75% of its budget used) or the overall one. */
  atRisk: boolean;
  /** Office time left until the earlier deadline, in whole minutes of the unit's calendar; negative once past it. */
  remainingWorkingMinutes: number;
}

/**
 * Where an open case stands against its deadlines at `now`: the one definition the inbox and the
 * supervisors' dashboard share, so a row at risk in one is at risk in the other.
 */
export function deadlineStateOf(d: OpenCaseDeadlines, now: Date, cal: WorkingCalendar): DeadlineState {
  const earliest = Math.min((d.stepDueAt ?? d.overallDueAt).getTime(), d.overallDueAt.getTime());
  const overdue = earliest < now.getTime();
  const warned = [d.stepWarnAt, d.overallWarnAt].some((w) => w !== null && w.getTime() <= now.getTime());
  return { overdue, atRisk: !overdue && warned, remainingWorkingMinutes: remainingMinutes(cal, now, new Date(earliest)) };
}

/**
 * The cases waiting for the officer: at reception for CERT_CREATE holders, at signing for
 * CERT_SIGN holders and for officers holding a signing delegation for the case's commune, at
 * sealing for CERT_SEAL holders — each within the units whose cases he handles.
 */
export async function inboxOf(ctx: ListContext, p: Principal, units: ReadonlySet<string>, pageNo: number, pageSize: number): Promise<CasePage<InboxItem>> {
  const now = ctx.clock.now();
  const unitList = [...units];
  const own = (right: Right) => (p.rights.has(right) ? unitList : []);
  const delegated: string[] = [];
  const anyDelegation: unknown[] = await ctx.db.query(
    `select 1 from signing_delegations where to_officer_id = $1 and valid_from <= $2 and valid_to > $2 and (revoked_at is null or revoked_at > $2) limit 1`,
    [p.officerId, now],
  );
  if (anyDelegation.length > 0) {
    // Communes with a case waiting for a signature that the officer could sign only by delegation.
    const waiting: Array<{ unit_id: string }> = await ctx.db.query(
      `select distinct unit_id from certification_cases where closed_at is null and step_right = 'CERT_SIGN' and not (unit_id = any($1::uuid[]))`,
      [own('CERT_SIGN')],
    );
    for (const w of waiting) {
      if ((await activeDelegationsFor(ctx.db, p.officerId, w.unit_id, now)).length > 0) delegated.push(w.unit_id);
    }
  }
  const signUnits = new Set(own('CERT_SIGN'));
  const where = `c.closed_at is null and $5::timestamptz is not null and (
       (c.step_right = 'CERT_CREATE' and c.unit_id = any($1::uuid[]))
       or (c.step_right = 'CERT_SIGN' and (c.unit_id = any($2::uuid[]) or c.unit_id = any($3::uuid[])))
       or (c.step_right = 'CERT_SEAL' and c.unit_id = any($4::uuid[])))`;
  const rows = await page(ctx, where, [own('CERT_CREATE'), own('CERT_SIGN'), delegated, own('CERT_SEAL'), now], pageNo, pageSize, (r) => r);
  // Time left is counted in the office hours of each case's commune, loaded once per unit on the page.
  const calendars = new Map<string, WorkingCalendar>();
  for (const r of rows.items) if (!calendars.has(r.unit_id)) calendars.set(r.unit_id, await loadUnitCalendar(ctx.db, r.unit_id));
  return {
    ...rows,
    items: rows.items.map((r) => {
      const item = itemOf(r, now);
      const state = deadlineStateOf(
        { stepDueAt: r.step_due_at, stepWarnAt: r.step_warn_at, overallDueAt: r.overall_due_at, overallWarnAt: r.overall_warn_at },
        now,
        calendars.get(r.unit_id)!,
      );
      return {
        ...item,
        waitingFor: r.step_right as Right,
        viaDelegation: r.step_right === 'CERT_SIGN' && !signUnits.has(r.unit_id),
        remainingWorkingMinutes: state.remainingWorkingMinutes,
        atRisk: state.atRisk,
      };
    }),
  };
}
