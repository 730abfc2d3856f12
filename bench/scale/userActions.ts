/**
 * What users wait for, timed through the functions the API's routes call (with the same scope
 * helpers the routes use), each checked against counts taken straight from the filled tables.
 */
import type { DataSource } from 'typeorm';
import { addDaysToDate, formatLocalDate } from '../../domain/calendar';
import { ListQuery } from '../../api/cases/inputs';
import { inboxOf, listCases } from '../../api/cases/caseList';
import { communeInScope } from '../../api/cases/caseUnits';
import { registerOf } from '../../api/cases/register';
import { loadPrincipal, type Principal } from '../../api/principal';
import { certificationReport } from '../../api/reports/certificationReport';
import { reportScopeOf } from '../../api/reports/reportUnit';
import { reportXlsx } from '../../api/reports/reportXlsx';
import { supervisionDashboard } from '../../api/supervision/dashboard';
import { watchedUnits } from '../../api/supervision/scope';
import { renderCertificationReport } from '../../infra/pdf/certificationReport';
import { citizenIdOf, citizenNameOf, scaleUnits } from './fillReadModel';

export interface Measured {
  action: string;
  detail: string;
  medianMs: number;
  maxMs: number;
  target: string;
  met: boolean;
  /** Set when the answer was wrong: the benchmark then exits 1. */
  failure?: string;
}

async function timed<T>(db: DataSource, repeat: number, run: Action<T>): Promise<{ result: T; medianMs: number; maxMs: number }> {
  let result = await run(db);
  const ms: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    result = await run(db);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { result, medianMs: ms[Math.floor(ms.length / 2)], maxMs: ms[ms.length - 1] };
}

/** A user action, run against `db` (the benchmark's database, or the same wrapped to record its statements). */
type Action<T> = (db: DataSource) => Promise<T>;

/** `db` with every statement run through `query` recorded, to be explained afterwards. */
function recording(db: DataSource, statements: Array<{ sql: string; params: unknown[] }>): DataSource {
  return new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string, params: unknown[] = []) => {
          statements.push({ sql, params });
          return target.query(sql, params);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The plans of every statement of `run`, as PostgreSQL executed them (EXPLAIN (ANALYZE, BUFFERS)). */
async function explained<T>(db: DataSource, run: Action<T>): Promise<string> {
  const statements: Array<{ sql: string; params: unknown[] }> = [];
  await run(recording(db, statements));
  const out: string[] = [];
  for (const { sql, params } of statements) {
    const plan: Array<{ 'QUERY PLAN': string }> = await db.query(`explain (analyze, buffers) ${sql}`, params);
    out.push(`${sql.replace(/\s+/g, ' ').trim()}\n${plan.map((p) => `    ${p['QUERY PLAN']}`).join('\n')}`);
  }
  return out.join('\n\n');
}

const count = async (db: DataSource, sql: string, params: unknown[]): Promise<number> => ((await db.query(sql, params)) as Array<{ n: number }>)[0].n;

export async function measureQueries(db: DataSource, now: Date, cases: number, repeat: number, log: (s: string) => void, explainTo?: (text: string) => void): Promise<Measured[]> {
  const u = scaleUnits();
  const clock = { now: () => now };
  const principal = async (id: string): Promise<Principal> => {
    const p = await loadPrincipal(db, id, 'bench-scale');
    if (!p) throw new Error(`officer ${id} of the fill is missing`);
    return p;
  };
  const out: Measured[] = [];
  const measure = async <T>(action: string, detail: string, targetMs: number | undefined, run: Action<T>, check: (r: T) => Promise<string | undefined>) => {
    log(`timing ${action} (${detail})`);
    const t = await timed(db, repeat, run);
    if (explainTo) explainTo(`## ${action} — ${detail}: median ${t.medianMs.toFixed(1)} ms\n\n${await explained(db, run)}\n`);
    const failure = await check(t.result);
    out.push({ action, detail, medianMs: t.medianMs, maxMs: t.maxMs, target: targetMs === undefined ? '(for information)' : `≤ ${targetMs} ms`, met: targetMs === undefined || t.medianMs <= targetMs, ...(failure ? { failure } : {}) });
  };
  const expect = (what: string, got: number, want: number) => (got === want ? undefined : `${what}: ${got}, the tables hold ${want}`);

  const today = formatLocalDate(now.getTime());
  const start = (from: string) => new Date(`${from}T00:00:00+07:00`);
  const district = await principal(u.districtSupervisors[0]);
  const districtUnits = await watchedUnits(db, district);
  for (const days of [365, 30]) {
    const from = addDaysToDate(today, 1 - days);
    await measure(`SLA dashboard, a district`, `${days} days, ${districtUnits.length - 1} communes`, 300, (d) => supervisionDashboard(d, districtUnits, { from, to: today, granularity: 'day' }, now), async (d) => {
      const received = await count(db, 'select count(*)::int as n from certification_cases where unit_id = any($1::uuid[]) and received_at >= $2 and received_at < $3', [districtUnits, start(from), start(addDaysToDate(today, 1))]);
      const open = await count(db, 'select count(*)::int as n from certification_cases where unit_id = any($1::uuid[]) and closed_at is null', [districtUnits]);
      return expect('cases received', d.totals.received, received) ?? expect('open cases', d.open.total, open);
    });
  }
  const province = await principal(u.provinceSupervisor);
  const provinceUnits = await watchedUnits(db, province);
  await measure(`SLA dashboard, the province`, `365 days, 100 communes`, undefined, (d) => supervisionDashboard(d, provinceUnits, { from: addDaysToDate(today, -364), to: today, granularity: 'week' }, now), async (d) =>
    expect('open cases', d.open.total, await count(db, 'select count(*)::int as n from certification_cases where closed_at is null', [])),
  );

  const leader = await principal(u.officers[0].leader);
  const leaderUnits = leader.caseUnits;
  await measure(`a desk's inbox`, `a commune leader's cases to sign, first page`, 100, (d) => inboxOf({ db: d, clock }, leader, leaderUnits, 1, 50), async (r) =>
    expect('cases to sign', r.total, await count(db, `select count(*)::int as n from certification_cases where unit_id = $1 and closed_at is null and step_right = 'CERT_SIGN'`, [u.communeIds[0]])),
  );
  const clerk = await principal(u.officers[0].receiver);
  const clerkUnits = clerk.caseUnits;
  await measure(`an inbox at reception`, `a commune clerk's cases to receive, first page`, 100, (d) => inboxOf({ db: d, clock }, clerk, clerkUnits, 1, 50), async (r) =>
    expect('cases to receive', r.total, await count(db, `select count(*)::int as n from certification_cases where unit_id = $1 and closed_at is null and step_right = 'CERT_CREATE'`, [u.communeIds[0]])),
  );

  const provinceCaseUnits = province.caseUnits;
  const list = (q: Record<string, string>) => (d: DataSource) => listCases({ db: d, clock }, provinceCaseUnits, ListQuery.parse(q));
  await measure(`case list, first page`, `a commune clerk's list`, 200, (d) => listCases({ db: d, clock }, clerkUnits, ListQuery.parse({})), async (r) =>
    expect('cases listed', r.total, await count(db, 'select count(*)::int as n from certification_cases where unit_id = $1', [u.communeIds[0]])),
  );
  await measure(`case list, first page`, `the province's list, all ${cases} cases`, 200, list({}), async (r) => expect('cases listed', r.total, cases));
  await measure(`case list, first page`, `a district's open cases`, 200, list({ unitId: u.districtIds[0], status: 'receiving,signing,sealing,delivering' }), async (r) =>
    expect('open cases', r.total, await count(db, 'select count(*)::int as n from certification_cases where unit_id = any($1::uuid[]) and closed_at is null', [districtUnits])),
  );
  const i = Math.floor(cases * 0.37);
  const name = citizenNameOf(i);
  await measure(`search by name`, `"${name}", province-wide`, 200, list({ q: name }), async (r) =>
    expect(`cases of ${name}`, r.total, await count(db, 'select count(*)::int as n from certification_cases where citizen_name = $1', [name])),
  );
  const id = citizenIdOf(i);
  await measure(`search by ID number`, `province-wide`, 200, list({ q: id }), async (r) => expect(`cases of ID ${id}`, r.total, 1));
  const code = ((await db.query('select case_code from certification_cases where citizen_id = $1', [id])) as Array<{ case_code: string }>)[0]?.case_code ?? '?';
  await measure(`search by case code`, `province-wide`, 200, list({ q: code }), async (r) =>
    expect(`cases with code ${code}`, r.total, 1) ?? (r.items[0]?.caseCode === code ? undefined : `found ${r.items[0]?.caseCode} for ${code}`),
  );

  const year = Number(today.slice(0, 4)) - 1;
  const commune = await communeInScope(db, clerkUnits, u.communeIds[0]);
  const numbers = await count(db, 'select count(*)::int as n from certification_numbers where unit_id = $1 and year = $2', [u.communeIds[0], year]);
  for (const page of [1, Math.max(1, Math.ceil(numbers / 50 / 2))]) {
    await measure(`register of a year`, `${year}, ${numbers} numbers, page ${page}`, 200, (d) => registerOf({ db: d, clock }, commune, { year, page, pageSize: 50 }), async (r) =>
      expect('numbers in the book', r.total, numbers) ?? expect('lines on the page', r.items.length, Math.min(50, numbers - (page - 1) * 50)),
    );
  }

  const scope = await reportScopeOf(db, province, u.provinceId);
  const from = addDaysToDate(today, -365);
  const request = { scope, period: { from, to: today }, groupBy: 'month' as const, now, by: { id: province.officerId, fullName: province.fullName } };
  const received = await count(db, 'select count(*)::int as n from certification_cases where received_at >= $1 and received_at < $2', [start(from), start(today)]);
  const checkReport = async (r: Awaited<ReturnType<typeof certificationReport>>) => expect('cases received in the report', r.total.received, received);
  await measure(`certification report, JSON`, `the province, a year by month`, 1000, (d) => certificationReport(d, request), checkReport);
  await measure(`certification report, XLSX`, `the province, a year by month`, 1000, async (d) => {
    const r = await certificationReport(d, request);
    return { r, file: await reportXlsx(r) };
  }, async ({ r, file }) => (await checkReport(r)) ?? (file.length > 0 ? undefined : 'empty spreadsheet'));
  await measure(`certification report, PDF`, `the province, a year by month`, 1000, async (d) => {
    const r = await certificationReport(d, request);
    return { r, file: await renderCertificationReport(r) };
  }, async ({ r, file }) => (await checkReport(r)) ?? (file.subarray(0, 5).toString() === '%PDF-' ? undefined : 'not a PDF'));
  return out;
}
