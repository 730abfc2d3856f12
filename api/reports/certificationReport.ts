/**
 * The certification report (báo cáo tình hình thực hiện dịch vụ công chứng thực điện tử) as data:
 * one line per commune of the chosen unit and a total, optionally month by month, counted from the
 * read model the workflows keep (`certification_cases`) and from the fee receipts.
 *
 * Each case counts in a period by the date of the event counted:
 * - received: `received_at`;
 * - completed: when its result was made available (`result_at`; `closed_at` for a case closed
 *   before the read model kept it), on time when that was no later than the overall deadline with
 *   lawful extensions (`on_time`, see domain/supervision/readModel.ts), late otherwise;
 * - refused, withdrawn: `closed_at`;
 * - still open at the end: received before the end and neither completed, refused nor withdrawn by then;
 * - copies issued: the copies of the cases completed in the period;
 * - fees collected: the fee receipts issued in the period (`collected_at`). The citizen pays after
 *   reception and the receipt is the record of the payment, so a fee counts when and where it was
 *   actually collected, not when the case ends; a case never receipted collected nothing.
 */
import type { AppContext } from '../context';
import { lastDayOf, monthsOf, wholePeriod, type PeriodSlice, type ReportPeriod } from './reportPeriod';
import type { ReportScope, ReportUnit } from './reportUnit';

type Db = AppContext['db'];

export type ReportGrouping = 'none' | 'month';

export interface ReportFigures {
  received: number;
  completed: number;
  completedOnTime: number;
  completedLate: number;
  /** Share of the completed cases that were on time, 0–1; null when none was completed. */
  onTimeRate: number | null;
  refused: number;
  withdrawn: number;
  openAtEnd: number;
  copiesIssued: number;
  feeReceipts: number;
  feesCollectedVnd: number;
}

export interface ReportRow {
  /** 'YYYY-MM' when the report is by month, else null. */
  month: string | null;
  /** The commune; null on a month's line for all communes together. */
  unit: ReportUnit | null;
  figures: ReportFigures;
}

export interface CertificationReport {
  unit: ReportUnit & { level: string };
  parent: ReportUnit | null;
  period: ReportPeriod & { lastDay: string };
  groupBy: ReportGrouping;
  communes: ReportUnit[];
  rows: ReportRow[];
  total: ReportFigures;
  generatedAt: string;
  generatedBy: { id: string; fullName: string };
}

type Counted = Omit<ReportFigures, 'onTimeRate'>;

const ZERO: Counted = {
  received: 0,
  completed: 0,
  completedOnTime: 0,
  completedLate: 0,
  refused: 0,
  withdrawn: 0,
  openAtEnd: 0,
  copiesIssued: 0,
  feeReceipts: 0,
  feesCollectedVnd: 0,
};

function withRate(c: Counted): ReportFigures {
  return { ...c, onTimeRate: c.completed === 0 ? null : c.completedOnTime / c.completed };
}

function add(a: Counted, b: Counted): Counted {
  const out = { ...a };
  for (const key of Object.keys(ZERO) as Array<keyof Counted>) out[key] = a[key] + b[key];
  return out;
}

interface CaseCountRow {
  slice: number;
  unit_id: string;
  received: string;
  completed: string;
  on_time: string;
  late: string;
  refused: string;
  withdrawn: string;
  open_at_end: string;
  copies: string;
}

interface FeeRow {
  slice: number;
  unit_id: string;
  receipts: string;
  amount: string;
}

/**
 * `ended_at` is when the case stopped being open: its result made available, or its refusal or
 * withdrawal. Cases that ended before the first slice cannot count in any slice and are skipped.
 *
 * Each figure is counted by joining a case only to the slices its own instant falls in (its
 * reception, its end), so a case meets the whole period and its month, not every slice; only
 * "still open at the end" needs every slice whose end the case spans, and few cases span one.
 */
const CASE_COUNTS = `
  with slices as (select * from unnest($2::int[], $3::timestamptz[], $4::timestamptz[]) as s(idx, s_start, s_end)),
  relevant as (
    select * from (
      select unit_id, received_at, status, copies,
             coalesce(on_time, case when status in ('completed', 'delivering') then coalesce(result_at, closed_at) <= overall_due_at end) as on_time,
             case when status in ('completed', 'delivering') then coalesce(result_at, closed_at)
                  when status in ('refused', 'withdrawn') then closed_at end as ended_at
      from certification_cases
      where unit_id = any($1::uuid[]) and received_at < $6
    ) c
    where ended_at is null or ended_at >= $5
  ),
  received as (
    select s.idx, c.unit_id, count(*) as received
    from relevant c join slices s on c.received_at >= s.s_start and c.received_at < s.s_end
    group by 1, 2
  ),
  ended as (
    select s.idx, c.unit_id,
      count(*) filter (where c.status in ('completed', 'delivering')) as completed,
      count(*) filter (where c.status in ('completed', 'delivering') and c.on_time) as on_time,
      count(*) filter (where c.status in ('completed', 'delivering') and not c.on_time) as late,
      count(*) filter (where c.status = 'refused') as refused,
      count(*) filter (where c.status = 'withdrawn') as withdrawn,
      coalesce(sum(c.copies) filter (where c.status in ('completed', 'delivering')), 0) as copies
    from relevant c join slices s on c.ended_at >= s.s_start and c.ended_at < s.s_end and c.received_at < s.s_end
    group by 1, 2
  ),
  still_open as (
    select s.idx, c.unit_id, count(*) as open_at_end
    from relevant c join slices s on c.received_at < s.s_end and (c.ended_at is null or c.ended_at >= s.s_end)
    group by 1, 2
  ),
  keys as (select idx, unit_id from received union select idx, unit_id from ended union select idx, unit_id from still_open)
  select k.idx as slice, k.unit_id,
    coalesce(r.received, 0) as received, coalesce(e.completed, 0) as completed, coalesce(e.on_time, 0) as on_time,
    coalesce(e.late, 0) as late, coalesce(e.refused, 0) as refused, coalesce(e.withdrawn, 0) as withdrawn,
    coalesce(o.open_at_end, 0) as open_at_end, coalesce(e.copies, 0) as copies
  from keys k
  left join received r on r.idx = k.idx and r.unit_id = k.unit_id
  left join ended e on e.idx = k.idx and e.unit_id = k.unit_id
  left join still_open o on o.idx = k.idx and o.unit_id = k.unit_id`;

const FEE_COUNTS = `
  with slices as (select * from unnest($2::int[], $3::timestamptz[], $4::timestamptz[]) as s(idx, s_start, s_end))
  select s.idx as slice, r.unit_id, count(*) as receipts, coalesce(sum(r.amount_vnd), 0) as amount
  from slices s join fee_receipts r on r.collected_at >= s.s_start and r.collected_at < s.s_end
  where r.unit_id = any($1::uuid[])
  group by s.idx, r.unit_id`;

/** Figures per slice and commune ("<slice>:<unit id>"), zero where nothing happened. */
async function countSlices(db: Db, communeIds: string[], slices: PeriodSlice[]): Promise<Map<string, Counted>> {
  const starts = slices.map((s) => s.start);
  const ends = slices.map((s) => s.end);
  const first = new Date(Math.min(...starts.map((d) => d.getTime())));
  const last = new Date(Math.max(...ends.map((d) => d.getTime())));
  const params = [communeIds, slices.map((_, i) => i), starts, ends];
  const [cases, fees]: [CaseCountRow[], FeeRow[]] = await Promise.all([db.query(CASE_COUNTS, [...params, first, last]), db.query(FEE_COUNTS, params)]);
  const out = new Map<string, Counted>();
  const at = (slice: number, unitId: string): Counted => {
    const key = `${slice}:${unitId}`;
    let c = out.get(key);
    if (!c) {
      c = { ...ZERO };
      out.set(key, c);
    }
    return c;
  };
  for (const r of cases) {
    Object.assign(at(r.slice, r.unit_id), {
      received: Number(r.received),
      completed: Number(r.completed),
      completedOnTime: Number(r.on_time),
      completedLate: Number(r.late),
      refused: Number(r.refused),
      withdrawn: Number(r.withdrawn),
      openAtEnd: Number(r.open_at_end),
      copiesIssued: Number(r.copies),
    });
  }
  for (const r of fees) Object.assign(at(r.slice, r.unit_id), { feeReceipts: Number(r.receipts), feesCollectedVnd: Number(r.amount) });
  return out;
}

export interface ReportRequest {
  scope: ReportScope;
  period: ReportPeriod;
  groupBy: ReportGrouping;
  now: Date;
  by: { id: string; fullName: string };
}

export async function certificationReport(db: Db, q: ReportRequest): Promise<CertificationReport> {
  const { communes } = q.scope;
  const whole = wholePeriod(q.period);
  const months = q.groupBy === 'month' ? monthsOf(q.period) : [];
  const slices = [whole, ...months];
  const counts = await countSlices(
    db,
    communes.map((c) => c.id),
    slices,
  );
  const figuresOf = (slice: number, unit: ReportUnit): Counted => counts.get(`${slice}:${unit.id}`) ?? { ...ZERO };

  const rows: ReportRow[] = [];
  if (q.groupBy === 'none') {
    for (const unit of communes) rows.push({ month: null, unit, figures: withRate(figuresOf(0, unit)) });
  } else {
    months.forEach((m, i) => {
      const perCommune = communes.map((unit) => ({ unit, counted: figuresOf(i + 1, unit) }));
      for (const { unit, counted } of perCommune) rows.push({ month: m.month, unit, figures: withRate(counted) });
      // A month of a single commune is already its own line.
      if (communes.length > 1) rows.push({ month: m.month, unit: null, figures: withRate(perCommune.reduce((sum, c) => add(sum, c.counted), { ...ZERO })) });
    });
  }
  const total = withRate(communes.reduce((sum, unit) => add(sum, figuresOf(0, unit)), { ...ZERO }));
  return {
    unit: q.scope.unit,
    parent: q.scope.parent,
    period: { ...q.period, lastDay: lastDayOf(q.period) },
    groupBy: q.groupBy,
    communes,
    rows,
    total,
    generatedAt: q.now.toISOString(),
    generatedBy: q.by,
  };
}
