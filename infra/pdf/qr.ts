/**
 * QR codes drawn as vector squares, so they stay sharp at any zoom and printer resolution. Error
 * correction M survives a fold or a stamp across the code; rows of dark modules are merged into
 * one rectangle each to keep the content stream short.
 */
import QRCode from 'qrcode';

export interface QrMatrix {
  size: number;
  isDark(row: number, col: number): boolean;
}

export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  return { size: modules.size, isDark: (row, col) => Boolean(modules.get(row, col)) };
}

/** Dark runs per row: [row, firstCol, length]. */
export function darkRuns(m: QrMatrix): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  for (let row = 0; row < m.size; row++) {
    let col = 0;
    while (col < m.size) {
      if (!m.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < m.size && m.isDark(row, col)) col++;
      runs.push([row, start, col - start]);
    }
  }
  return runs;
}

/** Draws the code with its top-left corner at (x, y) in pdfkit's top-down coordinates. */
export function drawQrCode(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const m = qrMatrix(text);
  const unit = size / m.size;
  doc.save();
  for (const [row, col, length] of darkRuns(m)) doc.rect(x + col * unit, y + row * unit, length * unit, unit);
  doc.fill('#000000');
  doc.restore();
}
