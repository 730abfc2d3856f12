/**
 * Fee for certifying copies from originals (phí chứng thực bản sao từ bản chính), Thông tư
 * 226/2016/TT-BTC: 2,000 VND per page for the first two pages, 1,000 VND per page from the third,
 * at most 200,000 VND per certified copy. Pages are counted on the original, so every copy of the
 * same original costs the same.
 */
import { bilingual, DomainError } from './messages';

export const CERTIFICATION_FEE_RULES = {
  firstPagesCount: 2,
  firstPagesRateVnd: 2_000,
  laterPagesRateVnd: 1_000,
  maxPerCopyVnd: 200_000,
} as const;

export interface CertificationFee {
  pages: number;
  copies: number;
  /** Integer VND for one certified copy. */
  perCopyVnd: number;
  /** Integer VND for all copies. */
  totalVnd: number;
  /** Whether the 200,000 VND per-copy ceiling applied (from the 198th page). */
  capped: boolean;
}

function assertPositiveInteger(value: unknown, code: string, labelVi: string, labelEn: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
    throw new DomainError(
      code,
      bilingual(`${labelVi} phải là số nguyên dương, nhận ${String(value)}`, `${labelEn} must be a positive integer, got ${String(value)}`),
    );
  }
}

/** Integer VND for one certified copy of an original with `pages` pages. */
export function certificationFeePerCopy(pages: number): number {
  assertPositiveInteger(pages, 'INVALID_PAGE_COUNT', 'Số trang của bản chính', 'The number of pages of the original');
  const r = CERTIFICATION_FEE_RULES;
  const first = Math.min(pages, r.firstPagesCount) * r.firstPagesRateVnd;
  const later = Math.max(0, pages - r.firstPagesCount) * r.laterPagesRateVnd;
  return Math.min(first + later, r.maxPerCopyVnd);
}

export function certificationFee(input: { pages: number; copies: number }): CertificationFee {
  const perCopyVnd = certificationFeePerCopy(input.pages);
  assertPositiveInteger(input.copies, 'INVALID_COPY_COUNT', 'Số bản sao', 'The number of copies');
  const totalVnd = perCopyVnd * input.copies;
  if (!Number.isSafeInteger(totalVnd)) {
    throw new DomainError('FEE_TOO_LARGE', bilingual('Số bản sao quá lớn', 'Too many copies'));
  }
  return {
    pages: input.pages,
    copies: input.copies,
    perCopyVnd,
    totalVnd,
    capped: perCopyVnd === CERTIFICATION_FEE_RULES.maxPerCopyVnd,
  };
}
