/**
 * The printed certification report: A4 landscape, in the layout of Vietnamese administrative
 * papers (Nghị định 30/2020/NĐ-CP) — the reporting unit under its parent top left, the national
 * motto top right, the title and the period centred, the table with one line per commune and the
 * total, then the date and the signatures of whoever drew it up and of the head of the unit.
 * Reproducible byte for byte from the report (its creation date is the report's).
 */
import PDFDocument from 'pdfkit';
import type { CertificationReport } from '../../api/reports/certificationReport';
import { FIGURE_COLUMNS, rateText, tableLines, type TableLine } from '../../api/reports/reportColumns';
import { periodTextVi } from '../../api/reports/reportPeriod';
import { registerPdfkitFonts } from './fonts';
import { centeredRule, centeredText, drawSignatureBlock, INK, MUTED, NATIONAL_MOTTO, PRODUCER, style } from './pdfkitDocument';
import { formatViInteger, placeNameOf, viPlaceDate } from './viFormat';

export const REPORT_PDF_TITLE = 'BÁO CÁO TÌNH HÌNH THỰC HIỆN DỊCH VỤ CÔNG CHỨNG THỰC ĐIỆN TỬ';

const PAGE = { width: 841.89, height: 595.28 } as const;
const MARGINS: { top: number; bottom: number; left: number; right: number } = { top: 40, bottom: 40, left: 57, right: 42 };
const LEFT = MARGINS.left;
const RIGHT = PAGE.width - MARGINS.right;
const WIDTH = RIGHT - LEFT;
const BOTTOM = PAGE.height - MARGINS.bottom;
const FONT_SIZE = 8.5;
const PAD = 3;

interface Column {
  header: string;
  width: number;
  align: 'left' | 'center' | 'right';
  cell(line: TableLine): string;
}

function columnsOf(report: CertificationReport): Column[] {
  const figures: Column[] = FIGURE_COLUMNS.map((c) => ({
    header: c.short,
    width: c.kind === 'vnd' ? 78 : 50,
    align: 'right',
    cell: (l) => (c.kind === 'rate' ? rateText(l.figures.onTimeRate) : formatViInteger(l.figures[c.key] as number)),
  }));
  const fixed: Column[] = [
    { header: 'STT', width: 26, align: 'center', cell: (l) => (l.no === null ? '' : String(l.no)) },
    ...(report.groupBy === 'month' ? [{ header: 'Tháng', width: 46, align: 'center', cell: (l: TableLine) => l.month ?? '' } satisfies Column] : []),
  ];
  const used = [...fixed, ...figures].reduce((sum, c) => sum + c.width, 0);
  return [...fixed, { header: 'Đơn vị', width: WIDTH - used, align: 'left', cell: (l) => l.label }, ...figures];
}

function rowHeight(doc: PDFKit.PDFDocument, columns: Column[], cells: string[], bold: boolean): number {
  style(doc, { font: bold ? 'serifBold' : 'serif', size: FONT_SIZE });
  return Math.max(...columns.map((c, i) => doc.heightOfString(cells[i] ?? '', { width: c.width - 2 * PAD }))) + 2 * PAD;
}

function drawRow(doc: PDFKit.PDFDocument, columns: Column[], cells: string[], y: number, height: number, opts: { bold: boolean; heading: boolean }): void {
  let x = LEFT;
  if (opts.heading) doc.save().rect(LEFT, y, WIDTH, height).fill('#e8edf5').restore();
  for (const [i, c] of columns.entries()) {
    const text = cells[i] ?? '';
    style(doc, { font: opts.bold ? 'serifBold' : 'serif', size: FONT_SIZE });
    // Headings sit in the middle of their cell, however many lines each takes.
    const top = opts.heading ? y + (height - doc.heightOfString(text, { width: c.width - 2 * PAD })) / 2 : y + PAD;
    doc.text(text, x + PAD, top, { width: c.width - 2 * PAD, align: opts.heading ? 'center' : c.align });
    doc.save().lineWidth(0.5).strokeColor(INK).rect(x, y, c.width, height).stroke().restore();
    x += c.width;
  }
}

/** The table; a line that does not fit starts a new page with the heading repeated. Returns the y below it. */
function drawReportTable(doc: PDFKit.PDFDocument, report: CertificationReport, top: number): number {
  const columns = columnsOf(report);
  const headings = columns.map((c) => c.header);
  const headingHeight = rowHeight(doc, columns, headings, true);
  let y = top;
  drawRow(doc, columns, headings, y, headingHeight, { bold: true, heading: true });
  y += headingHeight;
  for (const line of tableLines(report)) {
    const cells = columns.map((c) => c.cell(line));
    const h = rowHeight(doc, columns, cells, line.sum);
    if (y + h > BOTTOM) {
      doc.addPage();
      y = MARGINS.top;
      drawRow(doc, columns, headings, y, headingHeight, { bold: true, heading: true });
      y += headingHeight;
    }
    drawRow(doc, columns, cells, y, h, { bold: line.sum, heading: false });
    y += h;
  }
  return y;
}

/** Unit top left (parent above, the unit itself bold), motto top right; returns the y below. */
function drawHeading(doc: PDFKit.PDFDocument, report: CertificationReport): number {
  const leftWidth = 280;
  const lines = report.parent ? [report.parent.name, report.unit.name] : [report.unit.name];
  let leftY = MARGINS.top;
  lines.forEach((line, i) => {
    leftY = centeredText(doc, line.toUpperCase(), LEFT - 10, leftY, leftWidth, { font: i === lines.length - 1 ? 'serifBold' : 'serif', size: 11 });
  });
  centeredRule(doc, LEFT - 10 + leftWidth / 2, leftY + 4, 70);
  leftY = centeredText(doc, 'Số:          /BC', LEFT - 10, leftY + 10, leftWidth, { size: 11 });

  const rightWidth = 360;
  const rightX = RIGHT - rightWidth + 10;
  let rightY = centeredText(doc, NATIONAL_MOTTO[0], rightX, MARGINS.top, rightWidth, { font: 'serifBold', size: 11 });
  rightY = centeredText(doc, NATIONAL_MOTTO[1], rightX, rightY + 1, rightWidth, { font: 'serifBold', size: 12 });
  const mottoWidth = style(doc, { font: 'serifBold', size: 12 }).widthOfString(NATIONAL_MOTTO[1]);
  centeredRule(doc, rightX + rightWidth / 2, rightY + 2, mottoWidth);
  return Math.max(leftY, rightY) + 14;
}

function numberPages(doc: PDFKit.PDFDocument, footer: string): void {
  const range = doc.bufferedPageRange();
  if (range.count < 2) return;
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    style(doc, { font: 'sans', size: 8, color: MUTED }).text(`${footer} - Trang ${i + 1}/${range.count}`, LEFT, PAGE.height - 26, {
      width: WIDTH,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

export async function renderCertificationReport(report: CertificationReport): Promise<Buffer> {
  const created = new Date(report.generatedAt);
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { ...MARGINS },
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `${REPORT_PDF_TITLE} - ${report.unit.name}`,
      Author: report.unit.name,
      Subject: `Kỳ báo cáo ${periodTextVi(report.period)}`,
      Creator: PRODUCER,
      Producer: PRODUCER,
      CreationDate: created,
      ModDate: created,
    },
  });
  registerPdfkitFonts(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });

  let y = drawHeading(doc, report);
  y = centeredText(doc, REPORT_PDF_TITLE, LEFT, y, WIDTH, { font: 'serifBold', size: 14 });
  y = centeredText(doc, `Đơn vị báo cáo: ${report.unit.name} (${report.unit.code})`, LEFT, y + 3, WIDTH, { font: 'serifBold', size: 11.5 });
  y = centeredText(doc, `Kỳ báo cáo: ${periodTextVi(report.period)}`, LEFT, y + 2, WIDTH, { font: 'serifItalic', size: 11.5 });
  style(doc, { font: 'serifItalic', size: 9, color: MUTED }).text('Đơn vị tính: hồ sơ, bản sao, biên lai; phí tính bằng đồng', LEFT, y + 6, { width: WIDTH, align: 'right' });
  y = drawReportTable(doc, report, doc.y + 3);

  style(doc, { font: 'serifItalic', size: 8.5, color: MUTED }).text(
    'Ghi chú: hồ sơ được tính vào kỳ theo ngày tiếp nhận (tiếp nhận), ngày có kết quả (hoàn thành), ngày từ chối hoặc rút hồ sơ; ' +
      'hoàn thành đúng hạn là có kết quả không muộn hơn thời hạn giải quyết, kể cả thời gian gia hạn hợp lệ; ' +
      '"đang giải quyết cuối kỳ" là hồ sơ đã tiếp nhận mà đến hết ngày cuối kỳ chưa có kết quả, chưa bị từ chối hay rút; ' +
      'phí đã thu là tổng số tiền trên các biên lai thu phí lập trong kỳ; bản sao đã cấp là số bản sao của các hồ sơ hoàn thành trong kỳ.',
    LEFT,
    y + 5,
    { width: WIDTH },
  );

  const signatureHeight = 120;
  let top = doc.y + 12;
  if (top + signatureHeight > BOTTOM) {
    doc.addPage();
    top = MARGINS.top;
  }
  const columnWidth = 300;
  drawSignatureBlock(doc, {
    x: RIGHT - columnWidth,
    width: columnWidth,
    top,
    placeDate: viPlaceDate(placeNameOf(report.unit.name), report.generatedAt),
    heading: 'THỦ TRƯỞNG ĐƠN VỊ',
    note: '(Ký, ghi rõ họ tên và đóng dấu)',
    gap: 62,
  });
  drawSignatureBlock(doc, {
    x: LEFT,
    width: columnWidth,
    top: top + 15,
    heading: 'NGƯỜI LẬP BÁO CÁO',
    note: '(Ký, ghi rõ họ tên)',
    gap: 47,
    name: report.generatedBy.fullName,
  });

  numberPages(doc, `Báo cáo chứng thực điện tử - ${report.unit.name}`);
  doc.end();
  return ended;
}
