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

/**
 * The period is cut into consecutive buckets (its months, or the whole period as one), and every
 * instant is placed by `width_bucket` over their starts and the period's end: 0 before the
 * period, i in the i-th bucket, n + 1 at or after its end. One pass over the cases groups them by
 * the bucket of their reception and by the bucket of their end; figures per bucket follow, and a
 * case is still open at the end of bucket b exactly when it was received in a bucket ≤ b and
 * ended in a bucket > b (or not at all), so that count is a difference of running sums.
 *
 * `ended_at` is when the case stopped being open: its result made available, or its refusal or
 * withdrawal. Cases that ended before the period cannot count in it and are skipped.
 */
/** When a case stopped being open; the same expression as the index certification_cases_ended (migration 040). */
const ENDED_AT = `(case when status in ('completed', 'delivering') then coalesce(result_at, closed_at)
                        when status in ('refused', 'withdrawn') then closed_at end)`;

/**
 * The cases that can count: those received in the period, and those received before it that had
 * not ended when it began — found through the index on their end, so the years before the period
 * are not read.
 */
const CASE_COUNTS = `
  with relevant as (
    select unit_id, received_at, status, copies,
           coalesce(on_time, case when status in ('completed', 'delivering') then coalesce(result_at, closed_at) <= overall_due_at end) as on_time,
           ${ENDED_AT} as ended_at
    from certification_cases
    where unit_id = any($1::uuid[]) and received_at >= $4 and received_at < $3
    union all
    select unit_id, received_at, status, copies,
           coalesce(on_time, case when status in ('completed', 'delivering') then coalesce(result_at, closed_at) <= overall_due_at end),
           ${ENDED_AT}
    from certification_cases
    where unit_id = any($1::uuid[]) and received_at < $4 and ${ENDED_AT} >= $4
    union all
    select unit_id, received_at, status, copies,
           coalesce(on_time, case when status in ('completed', 'delivering') then coalesce(result_at, closed_at) <= overall_due_at end),
           null
    from certification_cases
    where unit_id = any($1::uuid[]) and received_at < $4 and ${ENDED_AT} is null
  )
  select 'received' as kind, unit_id, width_bucket(received_at, $2::timestamptz[]) as bucket, null as status, null::boolean as on_time,
         count(*)::int as n, 0::bigint as copies
  from relevant group by unit_id, bucket
  union all
  select 'ended', unit_id, width_bucket(ended_at, $2::timestamptz[]), status, on_time, count(*)::int, coalesce(sum(copies), 0)::bigint
  from relevant where ended_at is not null group by unit_id, 3, status, on_time`;

const FEE_COUNTS = `
  select unit_id, width_bucket(collected_at, $2::timestamptz[]) as bucket, count(*)::int as receipts, coalesce(sum(amount_vnd), 0)::bigint as amount
  from fee_receipts
  where unit_id = any($1::uuid[]) and collected_at >= $3 and collected_at < $4
  group by 1, 2`;

interface CaseCountRow {
  kind: 'received' | 'ended';
  unit_id: string;
  bucket: number;
  status: string | null;
  on_time: boolean | null;
  n: number;
  copies: string;
}

interface FeeRow {
  unit_id: string;
  bucket: number;
  receipts: number;
  amount: string;
}

/**
 * Figures per slice and commune ("<slice>:<unit id>"), zero where nothing happened. `buckets`
 * are consecutive and cover the whole period, slice 0; when there are several, bucket i is also
 * slice i (the report's months).
 */
async function countSlices(db: Db, communeIds: string[], whole: PeriodSlice, buckets: PeriodSlice[]): Promise<Map<string, Counted>> {
  const thresholds = [...buckets.map((b) => b.start), whole.end];
  const [cases, fees]: [CaseCountRow[], FeeRow[]] = await Promise.all([
    db.query(CASE_COUNTS, [communeIds, thresholds, whole.end, whole.start]),
    db.query(FEE_COUNTS, [communeIds, thresholds, whole.start, whole.end]),
  ]);
  const n = buckets.length;
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
  /** Adds to bucket b's figures, and to the whole period's when the buckets are months. */
  const add = (bucket: number, unitId: string, change: (c: Counted) => void) => {
    if (bucket < 1 || bucket > n) return;
    change(at(n === 1 ? 0 : bucket, unitId));
    if (n > 1) change(at(0, unitId));
  };
  // Per commune, cases received (and ended) in a bucket ≤ b, for the open count at each bucket's end.
  const receivedUpTo = new Map<string, number[]>();
  const endedUpTo = new Map<string, number[]>();
  const tally = (m: Map<string, number[]>, unitId: string, bucket: number, count: number) => {
    let a = m.get(unitId);
    if (!a) {
      a = new Array<number>(n + 2).fill(0);
      m.set(unitId, a);
    }
    a[bucket] += count;
  };
  for (const r of cases) {
    if (r.kind === 'received') {
      add(r.bucket, r.unit_id, (c) => (c.received += r.n));
      tally(receivedUpTo, r.unit_id, r.bucket, r.n);
      continue;
    }
    tally(endedUpTo, r.unit_id, r.bucket, r.n);
    if (r.status === 'completed' || r.status === 'delivering') {
      add(r.bucket, r.unit_id, (c) => {
        c.completed += r.n;
        if (r.on_time === true) c.completedOnTime += r.n;
        if (r.on_time === false) c.completedLate += r.n;
        c.copiesIssued += Number(r.copies);
      });
    } else if (r.status === 'refused') add(r.bucket, r.unit_id, (c) => (c.refused += r.n));
    else if (r.status === 'withdrawn') add(r.bucket, r.unit_id, (c) => (c.withdrawn += r.n));
  }
  for (const [unitId, received] of receivedUpTo) {
    const ended = endedUpTo.get(unitId) ?? new Array<number>(n + 2).fill(0);
    let open = 0;
    for (let b = 0; b <= n; b++) {
      open += received[b] - ended[b];
      if (b === 0) continue;
      if (n > 1) at(b, unitId).openAtEnd = open;
      // The whole period ends with its last bucket.
      if (b === n) at(0, unitId).openAtEnd = open;
    }
  }
  for (const r of fees) {
    add(r.bucket, r.unit_id, (c) => {
      c.feeReceipts += r.receipts;
      c.feesCollectedVnd += Number(r.amount);
    });
  }
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
  const counts = await countSlices(
    db,
    communes.map((c) => c.id),
    whole,
    months.length > 0 ? months : [whole],
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
