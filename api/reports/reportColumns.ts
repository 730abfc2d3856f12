/**
 * The columns of the certification report, in the order every format shows them, with the
 * Vietnamese headings of a commune's statistical report. The CSV, the workbook and the printed
 * report are all built from these lines, so the three cannot disagree.
 */
import type { CertificationReport, ReportFigures, ReportRow } from './certificationReport';
import { monthLabel } from './reportPeriod';

export interface FigureColumn {
  key: keyof ReportFigures;
  vi: string;
  /** A shorter heading where the printed table is narrow. */
  short: string;
  kind: 'count' | 'vnd' | 'rate';
}

export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { key: 'received', vi: 'Số hồ sơ tiếp nhận', short: 'Tiếp nhận', kind: 'count' },
  { key: 'completed', vi: 'Số hồ sơ hoàn thành', short: 'Hoàn thành', kind: 'count' },
  { key: 'completedOnTime', vi: 'Hoàn thành đúng hạn', short: 'Đúng hạn', kind: 'count' },
  { key: 'completedLate', vi: 'Hoàn thành trễ hạn', short: 'Trễ hạn', kind: 'count' },
  { key: 'onTimeRate', vi: 'Tỷ lệ đúng hạn', short: 'Tỷ lệ đúng hạn', kind: 'rate' },
  { key: 'refused', vi: 'Từ chối chứng thực', short: 'Từ chối', kind: 'count' },
  { key: 'withdrawn', vi: 'Công dân rút hồ sơ', short: 'Rút hồ sơ', kind: 'count' },
  { key: 'openAtEnd', vi: 'Đang giải quyết cuối kỳ', short: 'Đang giải quyết cuối kỳ', kind: 'count' },
  { key: 'copiesIssued', vi: 'Số bản sao đã cấp', short: 'Bản sao đã cấp', kind: 'count' },
  { key: 'feeReceipts', vi: 'Số biên lai thu phí', short: 'Số biên lai', kind: 'count' },
  { key: 'feesCollectedVnd', vi: 'Phí đã thu (đồng)', short: 'Phí đã thu (đồng)', kind: 'vnd' },
];

export const TOTAL_LABEL = 'Tổng cộng';

/** What the line is about: the commune, or all communes of a month. */
export function rowLabel(row: ReportRow): string {
  if (row.unit) return row.unit.name;
  return row.month ? `Cộng tháng ${monthLabel(row.month)}` : TOTAL_LABEL;
}

/** One line of a table: its number (STT, blank on sums), month, unit code and name, then the figures. */
export interface TableLine {
  no: number | null;
  month: string | null;
  unitCode: string;
  label: string;
  figures: ReportFigures;
  /** A sum of other lines (a month of several communes, the total). */
  sum: boolean;
}

export function tableLines(report: CertificationReport): TableLine[] {
  let no = 0;
  const lines: TableLine[] = report.rows.map((row) => ({
    no: row.unit ? ++no : null,
    month: row.month ? monthLabel(row.month) : null,
    unitCode: row.unit?.code ?? '',
    label: rowLabel(row),
    figures: row.figures,
    sum: row.unit === null,
  }));
  lines.push({ no: null, month: null, unitCode: '', label: TOTAL_LABEL, figures: report.total, sum: true });
  return lines;
}

/** "85,7%" — one decimal, Vietnamese comma; "—" when nothing was completed. */
export function rateText(rate: number | null): string {
  if (rate === null) return '—';
  return `${(Math.round(rate * 1000) / 10).toFixed(1).replace('.', ',')}%`;
}
