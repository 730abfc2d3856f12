/**
 * The register of certification numbers (sổ chứng thực) of a commune's book, with each number's
 * case, citizen and signer — and, for a copy signed under a delegation, who delegated and in what
 * form (KT. / TUQ.).
 */
import { formatLocalDate } from '../../domain/calendar';
import { listRegister, type RegisterEntry, type RegisterPage } from '../../activities/numbering';
import type { SignatureView } from '../../workflows/certification/types';
import type { AppContext } from '../context';
import type { CaseUnit } from './caseUnits';

export interface RegisterLine extends RegisterEntry {
  citizenName: string | null;
  caseStatus: string | null;
  /** Who signed the copy; with the delegation, when he signed under one. */
  signer: { fullName: string; delegation?: SignatureView['delegation'] } | null;
}

export interface RegisterView extends Omit<RegisterPage, 'items'> {
  unit: { id: string; code: string; name: string };
  /** Years with a book for the commune, newest first. */
  years: number[];
  items: RegisterLine[];
}

export async function registerOf(
  ctx: Pick<AppContext, 'db' | 'clock'>,
  unit: CaseUnit,
  q: { year?: number; book?: string; page: number; pageSize: number },
): Promise<RegisterView> {
  const year = q.year ?? Number(formatLocalDate(ctx.clock.now().getTime()).slice(0, 4));
  const page = await listRegister(ctx.db, { unitId: unit.id, year, book: q.book, page: q.page, pageSize: q.pageSize });
  const cases: Array<{ case_code: string; citizen_name: string; status: string; signature: SignatureView | null }> = await ctx.db.query(
    `select case_code, citizen_name, status, view->'signature' as signature from certification_cases where case_code = any($1::text[])`,
    [page.items.map((i) => i.caseCode)],
  );
  const byCode = new Map(cases.map((c) => [c.case_code, c]));
  // The years this commune has a book for, so a reader can move between them.
  const years: Array<{ year: number }> = await ctx.db.query('select distinct year from certification_books where unit_id = $1 order by year desc', [unit.id]);
  return {
    ...page,
    years: years.map((y) => y.year),
    unit: { id: unit.id, code: unit.code, name: unit.name },
    items: page.items.map((i) => {
      const c = byCode.get(i.caseCode);
      const s = c?.signature;
      const signer = s ? { fullName: s.signedBy.fullName, ...(s.delegation ? { delegation: s.delegation } : {}) } : null;
      return { ...i, citizenName: c?.citizen_name ?? null, caseStatus: c?.status ?? null, signer };
    }),
  };
}
