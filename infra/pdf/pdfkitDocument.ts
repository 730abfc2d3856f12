/**
 * A4 documents drawn with pdfkit in the layout of Vietnamese administrative papers (Nghị định
 * 30/2020/NĐ-CP): the issuing unit top left, the national motto top right, the title centred.
 * Every document is byte-for-byte reproducible from its input: the creation date comes from the
 * input and pdfkit derives the file identifier and the font subset tags from it and the font ids.
 */
import PDFDocument from 'pdfkit';
import { registerPdfkitFonts, type FontFace } from './fonts';

export const A4_WIDTH = 595.28;
export const A4_HEIGHT = 841.89;

/** Left 2.5 cm, right 1.75 cm, top and bottom about 1.6 cm. */
export const PAGE_MARGINS = { top: 45, bottom: 45, left: 70, right: 50 } as const;
export const CONTENT_LEFT = PAGE_MARGINS.left;
export const CONTENT_RIGHT = A4_WIDTH - PAGE_MARGINS.right;
export const CONTENT_WIDTH = CONTENT_RIGHT - CONTENT_LEFT;
export const CONTENT_BOTTOM = A4_HEIGHT - PAGE_MARGINS.bottom;

export const INK = '#000000';
export const MUTED = '#555555';
export const RULE = '#888888';

export const NATIONAL_MOTTO = ['CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', 'Độc lập - Tự do - Hạnh phúc'] as const;

export interface DocumentMeta {
  title: string;
  author: string;
  subject?: string;
  keywords?: string;
  /** ISO instant written as both creation and modification date. */
  createdAt: string;
  /** When the document runs over several pages, each gets "<footer> - Trang i/n" at the bottom. */
  footer?: string;
}

export interface A4Document {
  doc: PDFKit.PDFDocument;
  /** Ends the document and resolves with its bytes. */
  finish(): Promise<Buffer>;
}

export const PRODUCER = 'Hệ thống chứng thực điện tử';

export function createA4Document(meta: DocumentMeta): A4Document {
  const created = new Date(Date.parse(meta.createdAt));
  if (Number.isNaN(created.getTime())) throw new RangeError(`invalid createdAt: ${meta.createdAt}`);
  const info: PDFKit.DocumentInfo = { Title: meta.title, Author: meta.author, Creator: PRODUCER, Producer: PRODUCER, CreationDate: created, ModDate: created };
  // pdfkit derives the file identifier from every entry present, so absent ones must not be keys.
  if (meta.subject !== undefined) info.Subject = meta.subject;
  if (meta.keywords !== undefined) info.Keywords = meta.keywords;
  // No default font: pdfkit would parse Helvetica's metrics for every document, and ours sets its own at once.
  const doc = new PDFDocument({ size: 'A4', margins: { ...PAGE_MARGINS }, bufferPages: true, lang: 'vi-VN', displayTitle: true, info, font: null as unknown as string });
  registerPdfkitFonts(doc);
  doc.font('serif').fontSize(12).fillColor(INK);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  return {
    doc,
    finish: () => {
      if (meta.footer !== undefined) numberPages(doc, meta.footer);
      doc.end();
      return ended;
    },
  };
}

function numberPages(doc: PDFKit.PDFDocument, footer: string): void {
  const range = doc.bufferedPageRange();
  if (range.count < 2) return;
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing inside the bottom margin would otherwise start a new page.
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    style(doc, { font: 'sans', size: 8, color: MUTED }).text(`${footer} - Trang ${i + 1}/${range.count}`, CONTENT_LEFT, A4_HEIGHT - 30, {
      width: CONTENT_WIDTH,
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = bottom;
  }
}

export interface TextStyle {
  font?: FontFace;
  size?: number;
  color?: string;
}

export function style(doc: PDFKit.PDFDocument, s: TextStyle): PDFKit.PDFDocument {
  return doc.font(s.font ?? 'serif').fontSize(s.size ?? 12).fillColor(s.color ?? INK);
}

/** Text centred in [x, x + width] starting at top `y`; returns the y below it. */
export function centeredText(doc: PDFKit.PDFDocument, text: string, x: number, y: number, width: number, s: TextStyle = {}): number {
  style(doc, s).text(text, x, y, { width, align: 'center' });
  return doc.y;
}

/** A short rule centred under a heading, as under the unit name and the motto. */
export function centeredRule(doc: PDFKit.PDFDocument, centerX: number, y: number, length: number): void {
  doc.save().lineWidth(0.8).strokeColor(INK).moveTo(centerX - length / 2, y).lineTo(centerX + length / 2, y).stroke().restore();
}

/**
 * The two-column heading: the unit (its lines uppercase, the last one bold) on the left and the
 * national motto on the right. Returns the y below the taller column.
 */
export function drawAdministrativeHeader(doc: PDFKit.PDFDocument, unitLines: readonly string[], top: number = PAGE_MARGINS.top): number {
  const leftWidth = 200;
  const rightX = CONTENT_LEFT + 205;
  const rightWidth = CONTENT_RIGHT - rightX + 20;
  let leftY = top;
  unitLines.forEach((line, i) => {
    const last = i === unitLines.length - 1;
    leftY = centeredText(doc, line.toUpperCase(), CONTENT_LEFT - 10, leftY, leftWidth, { font: last ? 'serifBold' : 'serif', size: 10.5 });
  });
  centeredRule(doc, CONTENT_LEFT - 10 + leftWidth / 2, leftY + 5, 60);

  let rightY = centeredText(doc, NATIONAL_MOTTO[0], rightX, top, rightWidth, { font: 'serifBold', size: 10.5 });
  rightY = centeredText(doc, NATIONAL_MOTTO[1], rightX, rightY + 1, rightWidth, { font: 'serifBold', size: 11.5 });
  const mottoWidth = style(doc, { font: 'serifBold', size: 11.5 }).widthOfString(NATIONAL_MOTTO[1]);
  centeredRule(doc, rightX + rightWidth / 2, rightY + 2, mottoWidth);
  return Math.max(leftY, rightY) + 12;
}

export interface SignatureBlock {
  /** Centre column: left x and width. */
  x: number;
  width: number;
  top: number;
  /** "Nùng Năng, ngày 05 tháng 11 năm 2026", italic, above the heading. */
  placeDate?: string;
  heading: string;
  /** "(Ký và ghi rõ họ tên)". */
  note?: string;
  /** Space left for the handwritten or visible digital signature. */
  gap?: number;
  name?: string;
}

/** The signer's column; returns the y below it. */
export function drawSignatureBlock(doc: PDFKit.PDFDocument, b: SignatureBlock): number {
  let y = b.top;
  if (b.placeDate !== undefined) y = centeredText(doc, b.placeDate, b.x, y, b.width, { font: 'serifItalic', size: 11 }) + 2;
  y = centeredText(doc, b.heading, b.x, y, b.width, { font: 'serifBold', size: 11 });
  if (b.note !== undefined) y = centeredText(doc, b.note, b.x, y, b.width, { font: 'serifItalic', size: 10, color: MUTED });
  y += b.gap ?? 60;
  if (b.name !== undefined) y = centeredText(doc, b.name, b.x, y, b.width, { font: 'serifBold', size: 11.5 });
  return y;
}

/** Starts a new page when `height` does not fit above the bottom margin; returns the y to draw at. */
export function ensureSpace(doc: PDFKit.PDFDocument, y: number, height: number): number {
  if (y + height <= CONTENT_BOTTOM) return y;
  doc.addPage();
  return PAGE_MARGINS.top;
}
