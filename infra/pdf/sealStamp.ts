/**
 * Step 4 of a certification: the number, the book, the sealing time and the commune's seal are
 * written into the box the certification page keeps free for them. Only the last page is touched,
 * so the pages the leader signed stay as they were.
 */
import { PDFBool, PDFDict, PDFName, PDFNumber, PDFString, rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { bilingual, DomainError } from '../../domain/messages';
import {
  CERTIFICATION_LAYOUT_VERSION,
  CERTIFICATION_PAGE_SIZE,
  PIECE_INFO_KEY,
  SEAL_FIELDS,
  SEAL_MARK,
  SEAL_VALUE_MAX_WIDTH,
  SEAL_VALUE_SIZE,
  SEAL_VALUE_X,
  type SealField,
} from './certificationLayout';
import { embedLibFont } from './fonts';
import { appendSealMark } from './sealMark';
import { viClockShortDate } from './viFormat';

export interface SealStamp {
  /** As issued, e.g. "12/2026-SCTĐT/BS". */
  certificationNumber: string;
  /** The book's code, e.g. "SCTĐT/BS". */
  book: string;
  /** ISO instant; printed in Viet Nam local time. */
  sealedAt: string;
  unitName: string;
  sealerName: string;
}

/**
 * How the number reads on the form of Thông tư 01/2020/TT-BTP ("Số chứng thực … Quyển số …"):
 * "12/2026-SCTĐT/BS" gives number "12" in book "2026-SCTĐT/BS". A number written by a commune's
 * own template that does not start with "<digits>/" and end with the book is shown whole, beside
 * the book code.
 */
export function splitCertificationNumber(certificationNumber: string, book: string): { number: string; book: string } {
  const full = certificationNumber.normalize('NFC').trim();
  const code = book.normalize('NFC').trim();
  const m = /^(\d+)\s*\/\s*(\S.*)$/u.exec(full);
  if (m && (code === '' || (m[2] as string).toUpperCase().endsWith(code.toUpperCase()))) return { number: m[1] as string, book: m[2] as string };
  return { number: full, book: code };
}

function notCertificationPage(detailVi: string, detailEn: string): DomainError {
  return new DomainError(
    'NOT_A_CERTIFICATION_PAGE',
    bilingual(`Trang cuối của tệp không phải trang lời chứng để đóng dấu: ${detailVi}`, `The last page is not a certification page to seal: ${detailEn}`),
  );
}

/** The page's own record (PieceInfo › ChungThucDienTu), checked before anything is drawn. */
function certificationRecord(page: PDFPage): { piece: PDFDict; privateData: PDFDict } {
  const { width, height } = page.getSize();
  if (Math.abs(width - CERTIFICATION_PAGE_SIZE.width) > 1 || Math.abs(height - CERTIFICATION_PAGE_SIZE.height) > 1 || page.getRotation().angle % 360 !== 0) {
    throw notCertificationPage('khổ trang không phải A4 đứng', 'the page is not upright A4');
  }
  const piece = page.node.lookupMaybe(PDFName.of('PieceInfo'), PDFDict)?.lookupMaybe(PDFName.of(PIECE_INFO_KEY), PDFDict);
  const privateData = piece?.lookupMaybe(PDFName.of('Private'), PDFDict);
  const layout = privateData?.lookupMaybe(PDFName.of('Layout'), PDFNumber)?.asNumber();
  if (piece === undefined || privateData === undefined || layout !== CERTIFICATION_LAYOUT_VERSION) {
    throw notCertificationPage('không có dấu hiệu trang lời chứng của hệ thống', 'it carries no certification-page record of this system');
  }
  if (privateData.lookupMaybe(PDFName.of('Sealed'), PDFBool)?.asBoolean() === true) {
    throw new DomainError('ALREADY_SEALED', bilingual('Bản sao này đã được cấp số và đóng dấu', 'This copy already carries a number and seal'));
  }
  return { piece, privateData };
}

function fitSize(font: PDFFont, text: string): number {
  let size = SEAL_VALUE_SIZE;
  while (size > 6 && font.widthOfTextAtSize(text, size) > SEAL_VALUE_MAX_WIDTH) size -= 0.25;
  return size;
}

/**
 * Draws the stamp onto the last page of `doc` (a certified copy rendered by renderCertifiedCopy,
 * possibly signed since). Fonts are embedded before returning, so every object the stamp needs is
 * in the document's context for whoever writes the incremental update.
 */
export async function drawSealStamp(doc: PDFDocument, stamp: SealStamp): Promise<void> {
  const pages = doc.getPages();
  const page = pages[pages.length - 1];
  if (page === undefined) throw notCertificationPage('tệp không có trang nào', 'the file has no pages');
  const { piece, privateData } = certificationRecord(page);
  const sealedAt = new Date(Date.parse(stamp.sealedAt));
  if (Number.isNaN(sealedAt.getTime())) throw new RangeError(`invalid sealedAt: ${stamp.sealedAt}`);

  const regular = await embedLibFont(doc, 'serif');
  const bold = await embedLibFont(doc, 'serifBold');
  const { number, book } = splitCertificationNumber(stamp.certificationNumber, stamp.book);
  const values: Record<SealField, { text: string; font: PDFFont }> = {
    number: { text: number, font: bold },
    book: { text: book, font: bold },
    sealedAt: { text: viClockShortDate(stamp.sealedAt), font: regular },
    sealer: { text: stamp.sealerName.normalize('NFC'), font: regular },
  };
  const ink = rgb(0.05, 0.1, 0.45);
  for (const f of SEAL_FIELDS) {
    const v = values[f.field];
    page.drawText(v.text, { x: SEAL_VALUE_X, y: f.baseline, size: fitSize(v.font, v.text), font: v.font, color: ink });
  }
  appendSealMark(page, stamp.unitName.normalize('NFC'), SEAL_MARK.cx, SEAL_MARK.cy, SEAL_MARK.radius);

  privateData.set(PDFName.of('Sealed'), PDFBool.True);
  piece.set(PDFName.of('LastModified'), PDFString.fromDate(sealedAt));
  await doc.flush();
}
