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
  return ctx.db.transaction(async (m) => {
    if (allowReuse) {
      const earlier: Array<{ case_code: string }> = await m.query(
        `select case_code from case_codes where issued_by = $1 and idempotency_key = $2 and unit_id = $3 and issued_at > $4
         order by issued_at desc, day desc, seq desc limit 1`,
        [officerId, idempotencyKey, unit.id, new Date(now.getTime() - KEY_REUSE_MS)],
      );
      if (earlier[0]) return { caseCode: earlier[0].case_code, reused: true };
    }
    const taken: Array<{ seq: number }> = await m.query(
      `insert into case_code_counters (unit_id, day, last_seq) values ($1, $2, 1)
       on conflict (unit_id, day) do update set last_seq = case_code_counters.last_seq + 1
       returning last_seq as seq`,
      [unit.id, day],
    );
    const seq = taken[0].seq;
    const caseCode = formatCaseCode(unit.code, day, seq);
    await m.query(
      `insert into case_codes (case_code, unit_id, day, seq, issued_by, idempotency_key, issued_at) values ($1, $2, $3, $4, $5, $6, $7)`,
      [caseCode, unit.id, day, seq, officerId, idempotencyKey, now],
    );
    return { caseCode, reused: false };
  });
}
