/**
 * Case codes (mã hồ sơ): `<commune code>-<yyMMdd>-<sequence>`, e.g. `000.15.43.H35-261123-0007`,
 * the seventh case the commune received that day (Hà Nội date of the API clock). The sequence
 * has at least four digits and grows beyond 9999 if a day ever needs it. Codes are unique in the
 * database (the counter row is locked until commit) and never reused; a reception retried with the same
 * Idempotency-Key within a day gets the code it was given the first time, so a retry after a
 * failure half-way starts the same workflow id instead of a second case.
 */
import { formatLocalDate } from '../../domain/calendar';
import type { AppContext } from '../context';
import type { CaseUnit } from './caseUnits';

/** How long a reception's key keeps its code: the router keeps idempotency keys as long. */
const KEY_REUSE_MS = 24 * 3_600_000;

/** Unit codes are dotted digits and letters; anything else would not fit a workflow id. */
function codeSafe(unitCode: string): string {
  return unitCode.replace(/[^A-Za-z0-9._-]/g, '-');
}

export function formatCaseCode(unitCode: string, day: string, seq: number): string {
  return `${codeSafe(unitCode)}-${day.slice(2, 4)}${day.slice(5, 7)}${day.slice(8, 10)}-${String(seq).padStart(4, '0')}`;
}

/**
 * The code for a reception: the one issued earlier under the same key (`allowReuse`), else the
 * commune's next one for today.
 */
export async function issueCaseCode(
  ctx: AppContext,
  unit: CaseUnit,
  officerId: string,
  idempotencyKey: string,
  allowReuse = true,
): Promise<{ caseCode: string; reused: boolean }> {
  const now = ctx.clock.now();
  const day = formatLocalDate(now.getTime());
  // One statement, so atomic without a transaction: the earlier code under this key, or the next
  // number taken (the counter row stays locked until it commits) and recorded; the sequence is
  // padded as formatCaseCode pads it.
  const rows: Array<{ case_code: string; reused: boolean }> = await ctx.db.query(
    `with earlier as (
       select case_code from case_codes where $8 and issued_by = $1 and idempotency_key = $2 and unit_id = $3 and issued_at > $4
        order by issued_at desc, day desc, seq desc limit 1
     ), taken as (
       insert into case_code_counters (unit_id, day, last_seq) select $3, $5, 1 where not exists (select 1 from earlier)
       on conflict (unit_id, day) do update set last_seq = case_code_counters.last_seq + 1
       returning last_seq as seq
     ), issued as (
       insert into case_codes (case_code, unit_id, day, seq, issued_by, idempotency_key, issued_at)
       select $6 || lpad(seq::text, greatest(4, length(seq::text)), '0'), $3, $5, seq, $1, $2, $7 from taken
       returning case_code
     )
     select case_code, true as reused from earlier union all select case_code, false from issued`,
    [officerId, idempotencyKey, unit.id, new Date(now.getTime() - KEY_REUSE_MS), day, formatCaseCode(unit.code, day, 0).slice(0, -4), now, allowReuse],
  );
  return { caseCode: rows[0]!.case_code, reused: rows[0]!.reused };
}
