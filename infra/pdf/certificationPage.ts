/**
 * The certification page (trang lời chứng) that ends a certified electronic copy: the wording of
 * Thông tư 01/2020/TT-BTP ("Chứng thực bản sao đúng với bản chính"), the originals it was made
 * from, the signer's block, the empty box where the seal step writes the number and puts the
 * commune's seal, and a QR code to verify the copy. Always exactly one A4 page.
 */
import {
  CERTIFICATION_LAYOUT_VERSION,
  LEGAL_SENTENCE_TOP,
  ORIGINALS_BOTTOM,
  PIECE_INFO_KEY,
  QR_BOX,
  SEAL_BOX,
  SEAL_BOX_CAPTION,
  SEAL_FIELDS,
  SEAL_LABEL_SIZE,
  SEAL_LABEL_X,
  SEAL_MARK,
  SEAL_VALUE_X,
  SIGNER_COLUMN,
  topDown,
} from './certificationLayout';
import {
  CONTENT_LEFT,
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  centeredText,
  createA4Document,
  drawAdministrativeHeader,
  MUTED,
  RULE,
  style,
} from './pdfkitDocument';
import { signatureBlockLines, type DelegatedSignature } from '../../domain/signatureBlock';
import type { FontFace } from './fonts';
import { drawTable, tableHeight, type TableSpec } from './pdfkitTable';
import { drawQrCode } from './qr';
import { formatViInteger, viPlaceDate } from './viFormat';

export interface CertificationBlock {
  /** Who certifies, e.g. "UBND xã Nùng Năng". */
  unitName: string;
  /** For "<place>, ngày 05 tháng 11 năm 2026". */
  placeName: string;
  /** ISO instant; rendered as the Viet Nam local date. */
  certifiedAt: string;
  /** E.g. "Phó Chủ tịch". */
  signerTitle: string;
  signerName: string;
  /**
   * A signature under a leader's delegation: the block then reads "KT. CHỦ TỊCH" / "PHÓ CHỦ
   * TỊCH" or "TUQ. CHỦ TỊCH" / the signer's own title, instead of `signerTitle`.
   */
  delegated?: DelegatedSignature;
  caseCode: string;
  /** Encoded in the QR code and printed under it. */
  verifyUrl: string;
  documents: Array<{ type: string; issuer: string; pages: number; copies: number }>;
}

/** The legal wording, exactly as the form of Thông tư 01/2020/TT-BTP has it. */
export const CERTIFICATION_SENTENCE = 'Chứng thực bản sao đúng với bản chính.';
export const CERTIFICATION_TITLE = 'CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH';
export const SIGNER_HEADING = 'NGƯỜI THỰC HIỆN CHỨNG THỰC';

/** Where a visible digital signature of the signer may go: the blank under the signer's title. */
export const SIGNATURE_SPACE = { x: SIGNER_COLUMN.x, y: SEAL_BOX.y + 38, width: SIGNER_COLUMN.width, height: 96 } as const;

const ORIGINAL_COLUMNS = [
  { header: 'STT', width: 32, align: 'center' },
  { header: 'Giấy tờ (bản chính)', width: 160, align: 'left' },
  { header: 'Cơ quan, tổ chức cấp', width: 153, align: 'left' },
  { header: 'Số trang', width: 58, align: 'center' },
  { header: 'Số bản sao', width: 72, align: 'center' },
] as const;

function pagesPhrase(copiedPages: number): string {
  const range = copiedPages === 1 ? 'trang 1' : `trang 1 đến trang ${copiedPages}`;
  return `Bản sao điện tử này gồm ${copiedPages} trang sao (${range}) và trang lời chứng này, tổng cộng ${copiedPages + 1} trang, được chứng thực từ bản chính sau:`;
}

/** The largest font size (down to `min`) at which `text` fits `width` on one line. */
function fittingSize(doc: PDFKit.PDFDocument, text: string, font: FontFace, size: number, min: number, width: number): number {
  let s = size;
  while (s > min && style(doc, { font, size: s }).widthOfString(text) > width) s -= 0.25;
  return s;
}

function drawOriginals(doc: PDFKit.PDFDocument, block: CertificationBlock, top: number): void {
  const rows = block.documents.map((d, i) => [String(i + 1), d.type, d.issuer, formatViInteger(d.pages), formatViInteger(d.copies)]);
  // Long lists shrink before they are cut; the receipt always has the full list.
  for (const fontSize of [10, 9, 8]) {
    const spec: TableSpec = { x: CONTENT_LEFT, columns: ORIGINAL_COLUMNS, rows, fontSize };
    if (top + tableHeight(doc, spec) <= ORIGINALS_BOTTOM) {
      drawTable(doc, spec, top, ORIGINALS_BOTTOM, 'stop');
      return;
    }
  }
  const spec: TableSpec = { x: CONTENT_LEFT, columns: ORIGINAL_COLUMNS, rows, fontSize: 8 };
  const drawn = drawTable(doc, spec, top, ORIGINALS_BOTTOM - 14, 'stop');
  const left = rows.length - drawn.rowsDrawn;
  style(doc, { font: 'serifItalic', size: 8.5, color: MUTED }).text(
    `… và ${left} bản chính khác, ghi đầy đủ trong Giấy tiếp nhận hồ sơ ${block.caseCode}.`,
    CONTENT_LEFT,
    drawn.bottom + 3,
    { width: CONTENT_WIDTH, lineBreak: false },
  );
}

function drawReservedBox(doc: PDFKit.PDFDocument): void {
  const top = topDown(SEAL_BOX.y + SEAL_BOX.height);
  doc.save().lineWidth(0.8).dash(3, { space: 2 }).strokeColor(RULE).rect(SEAL_BOX.x, top, SEAL_BOX.width, SEAL_BOX.height).stroke().restore();
  style(doc, { font: 'sans', size: SEAL_BOX_CAPTION.size, color: MUTED }).text(SEAL_BOX_CAPTION.text, SEAL_BOX.x, topDown(SEAL_BOX_CAPTION.baseline), {
    width: SEAL_BOX.width,
    align: 'center',
    baseline: 'alphabetic',
    lineBreak: false,
  });
  for (const f of SEAL_FIELDS) {
    const y = topDown(f.baseline);
    style(doc, { font: 'serif', size: SEAL_LABEL_SIZE }).text(f.label, SEAL_LABEL_X, y, { baseline: 'alphabetic', lineBreak: false });
    const from = Math.max(SEAL_LABEL_X + doc.widthOfString(f.label) + 3, SEAL_VALUE_X - 2);
    doc
      .save()
      .lineWidth(0.7)
      .lineCap('round')
      .dash(0.1, { space: 2.2 })
      .strokeColor(RULE)
      .moveTo(from, y + 1.5)
      .lineTo(SEAL_BOX.x + SEAL_BOX.width - 8, y + 1.5)
      .stroke()
      .restore();
  }
  doc.save().lineWidth(0.6).dash(2, { space: 3 }).strokeColor('#bbbbbb').circle(SEAL_MARK.cx, topDown(SEAL_MARK.cy), SEAL_MARK.radius).stroke().restore();
}

function drawSignerColumn(doc: PDFKit.PDFDocument, block: CertificationBlock): void {
  const { x, width } = SIGNER_COLUMN;
  let y = topDown(SEAL_BOX.y + SEAL_BOX.height) + 2;
  const placeDate = viPlaceDate(block.placeName, block.certifiedAt);
  style(doc, { font: 'serifItalic', size: fittingSize(doc, placeDate, 'serifItalic', 11, 8, width) }).text(placeDate, x, y, {
    width,
    align: 'center',
    lineBreak: false,
  });
  y += 18;
  y = centeredText(doc, SIGNER_HEADING, x, y, width, { font: 'serifBold', size: 11 });
  if (block.delegated) {
    // Nghị định 30/2020/NĐ-CP: the form and the head's title, then the signer's own title, in bold capitals.
    for (const line of signatureBlockLines(block.delegated)) {
      const size = fittingSize(doc, line, 'serifBold', 11, 8.5, width);
      style(doc, { font: 'serifBold', size });
      if (doc.widthOfString(line) <= width) {
        doc.text(line, x, y + 1, { width, align: 'center', lineBreak: false });
        y += size + 4;
      } else {
        // A title too long for one line even small takes two, still inside the column.
        doc.text(line, x, y + 1, { width, align: 'center' });
        y = doc.y + 3;
      }
    }
    y += 1;
  } else {
    const titleSize = fittingSize(doc, block.signerTitle, 'serif', 11, 8, width);
    style(doc, { font: 'serif', size: titleSize }).text(block.signerTitle, x, y + 1, { width, align: 'center', lineBreak: false });
    y += titleSize + 5;
  }
  centeredText(doc, '(Chữ ký số)', x, y, width, { font: 'serifItalic', size: 9.5, color: MUTED });
  const nameSize = fittingSize(doc, block.signerName, 'serifBold', 12, 8, width);
  style(doc, { font: 'serifBold', size: nameSize }).text(block.signerName, x, topDown(SIGNATURE_SPACE.y) + 6, { width, align: 'center', lineBreak: false });
}

function drawVerification(doc: PDFKit.PDFDocument, block: CertificationBlock): void {
  const qrTop = topDown(QR_BOX.y + QR_BOX.size);
  doc.save().lineWidth(0.5).strokeColor(RULE).moveTo(CONTENT_LEFT, qrTop - 10).lineTo(CONTENT_RIGHT, qrTop - 10).stroke().restore();
  drawQrCode(doc, block.verifyUrl, QR_BOX.x, qrTop, QR_BOX.size);

  // Four modules of quiet zone under the code before the URL.
  const urlTop = topDown(QR_BOX.y) + 9;
  const urlSize = fittingSize(doc, block.verifyUrl, 'sans', 8, 6, CONTENT_WIDTH);
  style(doc, { font: 'sans', size: urlSize }).text(block.verifyUrl, CONTENT_LEFT, urlTop, { width: CONTENT_WIDTH });
  doc.link(CONTENT_LEFT, qrTop, QR_BOX.size, QR_BOX.size, block.verifyUrl);

  const textX = QR_BOX.x + QR_BOX.size + 14;
  const textWidth = CONTENT_RIGHT - textX;
  style(doc, { font: 'serifBold', size: 10 }).text(`Mã hồ sơ: ${block.caseCode}`, textX, qrTop, { width: textWidth });
  style(doc, { font: 'serif', size: 8.5, color: MUTED }).text(
    'Quét mã QR hoặc mở địa chỉ in dưới mã để kiểm tra bản sao điện tử này: chữ ký số của người thực hiện chứng thực, ' +
      'dấu điện tử và số chứng thực của cơ quan chứng thực.',
    textX,
    doc.y + 3,
    { width: textWidth },
  );
  doc.text(
    'Bản sao được chứng thực từ bản chính có giá trị sử dụng thay cho bản chính đã dùng để đối chiếu chứng thực ' +
      'trong các giao dịch, trừ trường hợp pháp luật có quy định khác (khoản 2 Điều 3 Nghị định số 23/2015/NĐ-CP).',
    textX,
    doc.y + 3,
    { width: textWidth },
  );
}

/** The certification page alone, as a one-page PDF. `copiedPages` counts the scan's pages before it. */
export async function renderCertificationPage(block: CertificationBlock, copiedPages: number): Promise<Buffer> {
  const { doc, finish } = createA4Document({
    title: `Lời chứng bản sao điện tử ${block.caseCode}`,
    author: block.unitName,
    subject: CERTIFICATION_SENTENCE,
    keywords: block.caseCode,
    createdAt: block.certifiedAt,
  });
  let pages = 1;
  doc.on('pageAdded', () => pages++);

  (doc.page.dictionary.data as Record<string, unknown>).PieceInfo = {
    [PIECE_INFO_KEY]: { LastModified: new Date(Date.parse(block.certifiedAt)), Private: { Layout: CERTIFICATION_LAYOUT_VERSION, Sealed: false } },
  };

  const headerBottom = drawAdministrativeHeader(doc, [block.unitName]);
  let y = centeredText(doc, CERTIFICATION_TITLE, CONTENT_LEFT, headerBottom + 10, CONTENT_WIDTH, { font: 'serifBold', size: 14 });
  y = centeredText(doc, '(Lời chứng của bản sao điện tử được chứng thực từ bản chính)', CONTENT_LEFT, y + 2, CONTENT_WIDTH, {
    font: 'serifItalic',
    size: 10,
    color: MUTED,
  });
  style(doc, { font: 'serif', size: 11 }).text(pagesPhrase(copiedPages), CONTENT_LEFT, y + 14, { width: CONTENT_WIDTH, align: 'justify' });
  drawOriginals(doc, block, doc.y + 6);

  style(doc, { font: 'serifBold', size: 12.5 }).text(CERTIFICATION_SENTENCE, CONTENT_LEFT, LEGAL_SENTENCE_TOP, { width: CONTENT_WIDTH, lineBreak: false });
  drawReservedBox(doc);
  drawSignerColumn(doc, block);
  drawVerification(doc, block);

  const bytes = await finish();
  // The seal step relies on the box being on the last page at a fixed place.
  if (pages !== 1) throw new Error(`the certification page overflowed onto ${pages} pages`);
  return bytes;
}
