/** The fee of a case: the domain fee of each original (pages counted on it) times its copies, summed. */
import { certificationFee } from '../../domain/fees';
import type { CaseFee, OriginalDocument } from './types';

/** Throws the domain's DomainError on a page or copy count that is not a positive integer. */
export function caseFee(documents: readonly OriginalDocument[]): CaseFee {
  const lines = documents.map((d, document) => ({ document, ...certificationFee({ pages: d.pages, copies: d.copies }) }));
  return { lines, totalVnd: lines.reduce((sum, l) => sum + l.totalVnd, 0) };
}

export function sameFee(a: CaseFee, b: CaseFee): boolean {
  return (
    a.totalVnd === b.totalVnd &&
    a.lines.length === b.lines.length &&
    a.lines.every((l, i) => l.document === b.lines[i].document && l.totalVnd === b.lines[i].totalVnd && l.perCopyVnd === b.lines[i].perCopyVnd)
  );
}
