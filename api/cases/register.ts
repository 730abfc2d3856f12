/** The register of certification numbers (sổ chứng thực) of a commune's book, with each number's case and citizen. */
import { formatLocalDate } from '../../domain/calendar';
import { listRegister, type RegisterEntry, type RegisterPage } from '../../activities/numbering';
import type { AppContext } from '../context';
import type { CaseUnit } from './caseUnits';

export interface RegisterLine extends RegisterEntry {
  citizenName: string | null;
  caseStatus: string | null;
}

export interface RegisterView extends Omit<RegisterPage, 'items'> {
  unit: { id: string; code: string; name: string };
  /** Years with a book for the commune, newest first. */
  years: number[];
  items: RegisterLine[];
}

export async function registerOf(
  ctx: AppContext,
  unit: CaseUnit,
  q: { year?: number; book?: string; page: number; pageSize: number },
): Promise<RegisterView> {
  const year = q.year ?? Number(formatLocalDate(ctx.clock.now().getTime()).slice(0, 4));
  const page = await listRegister(ctx.db, { unitId: unit.id, year, book: q.book, page: q.page, pageSize: q.pageSize });
  const cases: Array<{ case_code: string; citizen_name: string; status: string }> = await ctx.db.query(
    'select case_code, citizen_name, status from certification_cases where case_code = any($1::text[])',
    [page.items.map((i) => i.caseCode)],
  );
  const byCode = new Map(cases.map((c) => [c.case_code, c]));
  // The years this commune has a book for, so a reader can move between them.
  const years: Array<{ year: number }> = await ctx.db.query('select distinct year from certification_books where unit_id = $1 order by year desc', [unit.id]);
  return {
    ...page,
    years: years.map((y) => y.year),
    unit: { id: unit.id, code: unit.code, name: unit.name },
    items: page.items.map((i) => ({ ...i, citizenName: byCode.get(i.caseCode)?.citizen_name ?? null, caseStatus: byCode.get(i.caseCode)?.status ?? null })),
  };
}
