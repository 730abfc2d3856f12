/**
 * The report as an Excel workbook: the title, the unit and the period above the table, a bold
 * heading row, numbers kept as numbers with their formats (thousands grouped, VND without
 * decimals, the on-time rate as a percentage) and the sums in bold, set up to print on one A4
 * landscape page width.
 */
import { Workbook, type Borders, type Font, type Worksheet } from 'exceljs';
import { formatLocalDate, formatLocalTime, formatViDate } from '../../domain/calendar';
import type { CertificationReport } from './certificationReport';
import { FIGURE_COLUMNS, tableLines, type FigureColumn } from './reportColumns';
import { periodTextVi } from './reportPeriod';

export const REPORT_TITLE = 'BÁO CÁO TÌNH HÌNH THỰC HIỆN DỊCH VỤ CÔNG CHỨNG THỰC ĐIỆN TỬ';
export const SHEET_NAME = 'Báo cáo chứng thực';
export const NUMBER_FORMATS: Record<FigureColumn['kind'], string> = { count: '#,##0', vnd: '#,##0', rate: '0.0%' };

const THIN: Partial<Borders> = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } };
const HEADING_FILL = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDCE6F2' } } as const;

/** The 1-based row of the table's heading; the title lines are above it. */
export const HEADER_ROW = 6;

function leadingColumns(report: CertificationReport): Array<{ header: string; width: number }> {
  return [
    { header: 'STT', width: 6 },
    ...(report.groupBy === 'month' ? [{ header: 'Tháng', width: 10 }] : []),
    { header: 'Mã đơn vị', width: 16 },
    { header: 'Đơn vị', width: 30 },
  ];
}

function titleLine(sheet: Worksheet, row: number, width: number, text: string, font: Partial<Font>): void {
  sheet.mergeCells(row, 1, row, width);
  const cell = sheet.getCell(row, 1);
  cell.value = text;
  cell.font = font;
  cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
}

export async function reportXlsx(report: CertificationReport): Promise<Buffer> {
  const wb = new Workbook();
  wb.creator = report.generatedBy.fullName;
  wb.created = new Date(report.generatedAt);
  const sheet = wb.addWorksheet(SHEET_NAME, {
    views: [{ state: 'frozen', ySplit: HEADER_ROW }],
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${HEADER_ROW}:${HEADER_ROW}` },
  });
  const leading = leadingColumns(report);
  const width = leading.length + FIGURE_COLUMNS.length;
  sheet.columns = [...leading.map((c) => ({ width: c.width })), ...FIGURE_COLUMNS.map((c) => ({ width: c.kind === 'vnd' ? 16 : 12 }))];

  const at = Date.parse(report.generatedAt);
  titleLine(sheet, 1, width, REPORT_TITLE, { bold: true, size: 14 });
  titleLine(sheet, 2, width, `Đơn vị: ${report.unit.name} (${report.unit.code})`, { bold: true, size: 12 });
  titleLine(sheet, 3, width, `Kỳ báo cáo: ${periodTextVi(report.period)}`, { size: 12 });
  titleLine(sheet, 4, width, `Lập lúc ${formatLocalTime(at)} ngày ${formatViDate(formatLocalDate(at))}, người lập: ${report.generatedBy.fullName}`, {
    italic: true,
    size: 10,
  });

  const heading = sheet.getRow(HEADER_ROW);
  heading.values = [...leading.map((c) => c.header), ...FIGURE_COLUMNS.map((c) => c.vi)];
  heading.height = 45;
  heading.eachCell((cell) => {
    cell.font = { bold: true };
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.fill = HEADING_FILL;
    cell.border = THIN;
  });

  for (const line of tableLines(report)) {
    const row = sheet.addRow([
      line.no,
      ...(report.groupBy === 'month' ? [line.month] : []),
      line.unitCode,
      line.label,
      ...FIGURE_COLUMNS.map((c) => line.figures[c.key]),
    ]);
    row.eachCell({ includeEmpty: true }, (cell, col) => {
      cell.border = THIN;
      if (line.sum) cell.font = { bold: true };
      const figure = FIGURE_COLUMNS[col - leading.length - 1];
      if (figure) {
        cell.numFmt = NUMBER_FORMATS[figure.kind];
        cell.alignment = { horizontal: 'right' };
      } else if (col === 1) cell.alignment = { horizontal: 'center' };
    });
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
