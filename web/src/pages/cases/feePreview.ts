/** The fee as the citizen will be told it, computed in the browser with the same rule the API applies. */
import { certificationFee } from '../../../../domain/fees';

export interface OriginalRow {
  type: string;
  issuer: string;
  pages: string;
  copies: string;
}

const positive = (v: string): number | null => (/^\d+$/.test(v.trim()) && Number(v) > 0 ? Number(v) : null);

/** Each row's fee (null while its pages or copies are not whole numbers yet) and the total of the complete rows. */
export function feeOf(rows: readonly OriginalRow[]): { lines: Array<number | null>; totalVnd: number } {
  const lines = rows.map((r) => {
    const pages = positive(r.pages);
    const copies = positive(r.copies);
    if (pages === null || copies === null) return null;
    try {
      return certificationFee({ pages, copies }).totalVnd;
    } catch {
      return null;
    }
  });
  return { lines, totalVnd: lines.reduce<number>((sum, l) => sum + (l ?? 0), 0) };
}

/** What the API receives: whole numbers as numbers, anything else as typed, so its message names the field. */
export function documentsBody(rows: readonly OriginalRow[]): Array<{ type: string; issuer: string; pages: number | string; copies: number | string }> {
  const num = (v: string) => (/^\d+$/.test(v.trim()) ? Number(v) : v);
  return rows.map((r) => ({ type: r.type, issuer: r.issuer, pages: num(r.pages), copies: num(r.copies) }));
}
