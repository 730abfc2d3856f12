/**
 * The report as CSV for Excel on Vietnamese Windows: UTF-8 with a byte-order mark (without it
 * Excel shows the headings as mojibake) and ';' between cells, the list separator of the vi-VN
 * regional settings (which write decimals with a comma), so a double click opens it in columns.
 * A "sep=;" line would force the separator elsewhere too, but Excel then ignores the byte-order
 * mark. Numbers are written bare (no grouping), so every cell reads back as a number; the on-time
 * rate, a decimal, is left out: it follows from two other columns.
 */
import { neutraliseFormula } from '../admin/csv';
import type { CertificationReport } from './certificationReport';
import { FIGURE_COLUMNS, tableLines } from './reportColumns';

export const CSV_SEPARATOR = ';';

const CSV_COLUMNS = FIGURE_COLUMNS.filter((c) => c.kind !== 'rate');

function cell(value: string | number | null): string {
  const text = value === null ? '' : typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvHeader(report: CertificationReport): string[] {
  return ['STT', ...(report.groupBy === 'month' ? ['Tháng'] : []), 'Mã đơn vị', 'Đơn vị', ...CSV_COLUMNS.map((c) => c.vi)];
}

export function reportCsv(report: CertificationReport): Buffer {
  const rows = tableLines(report).map((l) => [
    l.no,
    // "11/2026" alone would turn into a date in Excel.
    ...(report.groupBy === 'month' ? [l.month === null ? null : `Tháng ${l.month}`] : []),
    l.unitCode,
    l.label,
    ...CSV_COLUMNS.map((c) => l.figures[c.key]),
  ]);
  const lines = [csvHeader(report), ...rows].map((r) => r.map(cell).join(CSV_SEPARATOR));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}
