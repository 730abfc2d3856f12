/** A ruled table for pdfkit: wrapped cells, a bold header row, rows that never split across pages. */
import { INK, PAGE_MARGINS, style } from './pdfkitDocument';

export interface TableColumn {
  header: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

export interface TableSpec {
  x: number;
  columns: readonly TableColumn[];
  rows: ReadonlyArray<readonly string[]>;
  fontSize?: number;
  /** Cell padding. */
  padding?: number;
}

export interface TableResult {
  /** The y below the last row drawn. */
  bottom: number;
  rowsDrawn: number;
}

function rowHeight(doc: PDFKit.PDFDocument, spec: TableSpec, cells: readonly string[], bold: boolean): number {
  const pad = spec.padding ?? 3;
  style(doc, { font: bold ? 'serifBold' : 'serif', size: spec.fontSize ?? 10 });
  return Math.max(...spec.columns.map((c, i) => doc.heightOfString(cells[i] ?? '', { width: c.width - 2 * pad }))) + 2 * pad;
}

function drawRow(doc: PDFKit.PDFDocument, spec: TableSpec, cells: readonly string[], y: number, height: number, bold: boolean): void {
  const pad = spec.padding ?? 3;
  let x = spec.x;
  for (const [i, c] of spec.columns.entries()) {
    style(doc, { font: bold ? 'serifBold' : 'serif', size: spec.fontSize ?? 10 }).text(cells[i] ?? '', x + pad, y + pad, {
      width: c.width - 2 * pad,
      align: bold ? 'center' : (c.align ?? 'left'),
    });
    doc.save().lineWidth(0.5).strokeColor(INK).rect(x, y, c.width, height).stroke().restore();
    x += c.width;
  }
}

/** Measures without drawing: the total height of the header and every row. */
export function tableHeight(doc: PDFKit.PDFDocument, spec: TableSpec): number {
  return [true, ...spec.rows.map(() => false)].reduce(
    (sum, bold, i) => sum + rowHeight(doc, spec, bold ? spec.columns.map((c) => c.header) : (spec.rows[i - 1] as readonly string[]), bold),
    0,
  );
}

/**
 * Draws from `top`. When a row would cross `bottomLimit`, either a new page is started and the
 * header repeated (`overflow: 'newPage'`), or drawing stops there (`overflow: 'stop'`), so the
 * caller can say what was left out.
 */
export function drawTable(
  doc: PDFKit.PDFDocument,
  spec: TableSpec,
  top: number,
  bottomLimit: number,
  overflow: 'newPage' | 'stop',
  newPageTop: number = PAGE_MARGINS.top,
): TableResult {
  const headerCells = spec.columns.map((c) => c.header);
  const headerHeight = rowHeight(doc, spec, headerCells, true);
  let y = top;
  if (y + headerHeight > bottomLimit && overflow === 'newPage') {
    doc.addPage();
    y = newPageTop;
  }
  drawRow(doc, spec, headerCells, y, headerHeight, true);
  y += headerHeight;
  let rowsDrawn = 0;
  for (const cells of spec.rows) {
    const h = rowHeight(doc, spec, cells, false);
    if (y + h > bottomLimit) {
      if (overflow === 'stop') break;
      doc.addPage();
      y = newPageTop;
      drawRow(doc, spec, headerCells, y, headerHeight, true);
      y += headerHeight;
    }
    drawRow(doc, spec, cells, y, h, false);
    y += h;
    rowsDrawn++;
  }
  return { bottom: y, rowsDrawn };
}
