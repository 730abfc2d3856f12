/**
 * The papers handed to the citizen, after the forms of Thông tư 01/2018/TT-VPCP (one-stop desk):
 * the reception receipt with the appointment (Mẫu 01), the refusal notice (Mẫu 03) and the apology
 * with a new appointment (Mẫu 04); and the fee receipt (biên lai thu phí) of the fee he paid. Each
 * is reproducible byte for byte from its input, so a repeated activity writes the same file.
 */
import type { ApologySlipInput, RefusalNoticeInput } from '../../activities/certification/documents';
import { formatViDate, isValidLocalDate } from '../../domain/calendar';
import { REFUSAL_GROUNDS } from '../../domain/certification/refusalGrounds';
import { CERTIFICATION_FEE_RULES } from '../../domain/fees';
import { viAmountInWords } from '../../domain/viNumberWords';
import { caseFee } from '../../workflows/certification/fee';
import type { CaseFee, CitizenData, OfficerRef, OriginalDocument, UnitRef } from '../../workflows/certification/types';
import {
  CONTENT_LEFT,
  CONTENT_RIGHT,
  CONTENT_WIDTH,
  centeredText,
  createA4Document,
  drawAdministrativeHeader,
  drawSignatureBlock,
  ensureSpace,
  MUTED,
  PAGE_MARGINS,
  style,
} from './pdfkitDocument';
import { drawTable } from './pdfkitTable';
import { drawQrCode } from './qr';
import { formatViInteger, formatVnd, placeNameOf, viClockLongDate, viLongDate, viPlaceDate } from './viFormat';

export interface SlipOptions {
  /** The place before the date; by default the locality in the unit's name ("Nùng Năng"). */
  placeName?: string;
  /** The desk that deals with the citizen, printed under the unit, e.g. "Bộ phận Một cửa". */
  deskName?: string;
}

export interface ReceptionReceiptInput extends SlipOptions {
  caseCode: string;
  unit: UnitRef;
  citizen: CitizenData;
  documents: OriginalDocument[];
  /** The fee as shown at reception; computed from the documents when absent. */
  fee?: CaseFee;
  receivedAt: string;
  dueAt: string;
  receivedBy: OfficerRef;
  /** Where the citizen follows the case; encoded in the QR code. */
  trackingUrl: string;
}

export interface ApologySlipPdfInput extends ApologySlipInput, SlipOptions {
  /** Who signs for the unit; when absent the head's line is left to be signed by hand. */
  signedBy?: { title: string; fullName: string };
  /** The reason given to the citizen; by default the step the case is stuck at. */
  reason?: string;
}

export type RefusalNoticePdfInput = RefusalNoticeInput & SlipOptions;

export interface FeeReceiptPdfInput extends SlipOptions {
  receiptNo: string;
  caseCode: string;
  unit: UnitRef;
  payerName: string;
  amountVnd: number;
  method: 'cash' | 'transfer';
  note: string | null;
  collectedBy: { fullName: string };
  collectedAt: string;
  /** The originals the fee was computed on (its content line counts them). */
  documents: OriginalDocument[];
}

export const SLIP_TITLES = {
  receipt: 'GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ',
  apology: 'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
  refusal: 'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ',
  feeReceipt: 'BIÊN LAI THU PHÍ CHỨNG THỰC',
} as const;

export const FEE_METHOD_TEXT = { cash: 'Tiền mặt', transfer: 'Chuyển khoản' } as const;

const PROCEDURE = 'Chứng thực bản sao điện tử từ bản chính';
const BODY_SIZE = 11.5;

function unitLines(unit: UnitRef, o: SlipOptions): string[] {
  return o.deskName === undefined ? [unit.name] : [unit.name, o.deskName];
}

function placeOf(unit: UnitRef, o: SlipOptions): string {
  return o.placeName ?? placeNameOf(unit.name);
}

function titleBlock(doc: PDFKit.PDFDocument, top: number, title: string, caseCode: string): number {
  const y = centeredText(doc, title, CONTENT_LEFT, top + 8, CONTENT_WIDTH, { font: 'serifBold', size: 14 });
  return centeredText(doc, `Mã hồ sơ: ${caseCode}`, CONTENT_LEFT, y + 2, CONTENT_WIDTH, { font: 'serifBold', size: 11 }) + 12;
}

/** A body paragraph; parts alternate plain and bold, starting plain. */
function paragraph(doc: PDFKit.PDFDocument, parts: readonly string[], opts: { indent?: number; gapBefore?: number } = {}): void {
  const x = CONTENT_LEFT + (opts.indent ?? 0);
  const width = CONTENT_RIGHT - x;
  const y = ensureSpace(doc, doc.y + (opts.gapBefore ?? 4), BODY_SIZE * 1.4);
  const first = parts.findIndex((p) => p !== '');
  const last = parts.reduce((at, p, i) => (p === '' ? at : i), -1);
  parts.forEach((text, i) => {
    if (text === '') return;
    style(doc, { font: i % 2 === 0 ? 'serif' : 'serifBold', size: BODY_SIZE });
    const options = { width, align: first === last ? 'justify' : 'left', continued: i !== last } as const;
    if (i === first) doc.text(text, x, y, options);
    else doc.text(text, options);
  });
}

function birthDateText(date: string): string {
  return isValidLocalDate(date) ? formatViDate(date) : date;
}

function citizenLines(doc: PDFKit.PDFDocument, citizen: CitizenData): void {
  paragraph(doc, ['Ông (Bà): ', citizen.fullName], { indent: 18 });
  paragraph(doc, ['Số định danh cá nhân (CCCD/CMND): ', citizen.citizenId], { indent: 18, gapBefore: 1 });
  paragraph(doc, [`Ngày sinh: ${birthDateText(citizen.birthDate)}`], { indent: 18, gapBefore: 1 });
  paragraph(doc, [`Số điện thoại: ${citizen.phone ?? 'không có'}; thư điện tử: ${citizen.email ?? 'không có'}`], { indent: 18, gapBefore: 1 });
}

/** Two signature columns side by side (either may be absent); starts a page if they do not fit. */
function signatures(
  doc: PDFKit.PDFDocument,
  left: Parameters<typeof drawSignatureBlock>[1] | undefined,
  right: Parameters<typeof drawSignatureBlock>[1],
): void {
  const top = ensureSpace(doc, doc.y + 16, 130);
  const bottoms = [drawSignatureBlock(doc, { ...right, top })];
  if (left !== undefined) bottoms.push(drawSignatureBlock(doc, { ...left, top: top + (right.placeDate === undefined ? 0 : 15) }));
  doc.y = Math.max(...bottoms);
  doc.x = CONTENT_LEFT;
}

const LEFT_SIGNER = { x: CONTENT_LEFT - 10, width: 215 } as const;
const RIGHT_SIGNER = { x: CONTENT_LEFT + 215, width: CONTENT_RIGHT - CONTENT_LEFT - 215 + 20 } as const;

const FEE_COLUMNS = [
  { header: 'STT', width: 28, align: 'center' },
  { header: 'Giấy tờ (bản chính)', width: 118, align: 'left' },
  { header: 'Cơ quan, tổ chức cấp', width: 112, align: 'left' },
  { header: 'Số trang', width: 44, align: 'center' },
  { header: 'Số bản sao', width: 50, align: 'center' },
  { header: 'Phí một bản (đồng)', width: 58, align: 'right' },
  { header: 'Thành tiền (đồng)', width: 65, align: 'right' },
] as const;

function feeRule(): string {
  const r = CERTIFICATION_FEE_RULES;
  return (
    `(${formatVnd(r.firstPagesRateVnd)}/trang đối với trang thứ nhất và thứ hai, ${formatVnd(r.laterPagesRateVnd)}/trang từ trang thứ ba trở lên, ` +
    `tối đa ${formatVnd(r.maxPerCopyVnd)}/bản; số trang tính theo bản chính.)`
  );
}

/** An A4 slip of a case: its metadata and footer, the administrative header and the title. */
function slipDocument(kind: keyof typeof SLIP_TITLES, input: { caseCode: string; unit: UnitRef } & SlipOptions, createdAt: string) {
  const title = SLIP_TITLES[kind];
  const document = createA4Document({
    title: `${title} - ${input.caseCode}`,
    author: input.unit.name,
    subject: PROCEDURE,
    keywords: input.caseCode,
    createdAt,
    footer: `${title} - mã hồ sơ ${input.caseCode}`,
  });
  const top = drawAdministrativeHeader(document.doc, unitLines(input.unit, input));
  document.doc.y = titleBlock(document.doc, top, title, input.caseCode);
  return document;
}

/** Giấy tiếp nhận hồ sơ và hẹn trả kết quả. */
export async function renderReceptionReceipt(input: ReceptionReceiptInput): Promise<Uint8Array> {
  const fee = input.fee ?? caseFee(input.documents);
  const { doc, finish } = slipDocument('receipt', input, input.receivedAt);

  paragraph(doc, [`${input.deskName ?? input.unit.name} tiếp nhận hồ sơ của:`]);
  citizenLines(doc, input.citizen);
  paragraph(doc, ['Nội dung yêu cầu giải quyết: ', `${PROCEDURE}.`]);
  paragraph(doc, ['1. Thành phần hồ sơ (bản chính xuất trình để chứng thực):']);

  const rows = input.documents.map((d, i) => {
    const line = fee.lines.find((l) => l.document === i);
    return [
      String(i + 1),
      d.type,
      d.issuer,
      formatViInteger(d.pages),
      formatViInteger(d.copies),
      line === undefined ? '' : formatViInteger(line.perCopyVnd),
      line === undefined ? '' : formatViInteger(line.totalVnd),
    ];
  });
  rows.push(['', 'Tổng cộng', '', '', formatViInteger(input.documents.reduce((s, d) => s + d.copies, 0)), '', formatViInteger(fee.totalVnd)]);
  const table = drawTable(doc, { x: CONTENT_LEFT, columns: FEE_COLUMNS, rows, fontSize: 9.5 }, doc.y + 4, doc.page.height - PAGE_MARGINS.bottom, 'newPage');
  doc.y = table.bottom;
  doc.x = CONTENT_LEFT;

  paragraph(doc, ['2. Phí chứng thực: ', formatVnd(fee.totalVnd), '.'], { gapBefore: 8 });
  style(doc, { font: 'serifItalic', size: 9.5, color: MUTED }).text(feeRule(), CONTENT_LEFT + 18, doc.y + 1, { width: CONTENT_WIDTH - 18 });
  paragraph(doc, ['3. Thời gian nhận hồ sơ: ', `${viClockLongDate(input.receivedAt)}.`]);
  paragraph(doc, ['4. Hẹn trả kết quả: ', `${viClockLongDate(input.dueAt)}.`]);
  paragraph(doc, [
    '5. Nhận kết quả: bản sao điện tử có chữ ký số và dấu của cơ quan chứng thực được gửi vào tài khoản của Ông (Bà) trên Cổng dịch vụ công' +
      (input.citizen.email === undefined ? '.' : ` và đến thư điện tử ${input.citizen.email}.`),
  ]);

  const qrSize = 72;
  const qrTop = ensureSpace(doc, doc.y + 12, qrSize);
  drawQrCode(doc, input.trackingUrl, CONTENT_LEFT, qrTop, qrSize);
  const textX = CONTENT_LEFT + qrSize + 12;
  style(doc, { font: 'serifBold', size: 10 }).text('Tra cứu tình trạng hồ sơ', textX, qrTop + 4, { width: CONTENT_RIGHT - textX });
  style(doc, { font: 'serif', size: 9.5, color: MUTED }).text(
    `Quét mã QR hoặc truy cập địa chỉ dưới đây, nhập mã hồ sơ ${input.caseCode}:`,
    textX,
    doc.y + 2,
    { width: CONTENT_RIGHT - textX },
  );
  style(doc, { font: 'sans', size: 8.5 }).text(input.trackingUrl, textX, doc.y + 2, { width: CONTENT_RIGHT - textX, link: input.trackingUrl });
  doc.y = Math.max(doc.y, qrTop + qrSize);

  signatures(
    doc,
    { ...LEFT_SIGNER, top: 0, heading: 'NGƯỜI NỘP HỒ SƠ', note: '(Ký và ghi rõ họ tên)', name: input.citizen.fullName },
    {
      ...RIGHT_SIGNER,
      top: 0,
      placeDate: viPlaceDate(placeOf(input.unit, input), input.receivedAt),
      heading: 'NGƯỜI TIẾP NHẬN HỒ SƠ',
      note: '(Ký và ghi rõ họ tên)',
      name: input.receivedBy.fullName,
    },
  );
  return finish();
}

/** Phiếu xin lỗi và hẹn lại ngày trả kết quả. */
export async function renderApologySlip(input: ApologySlipPdfInput): Promise<Uint8Array> {
  const { doc, finish } = slipDocument('apology', input, input.issuedAt);

  centeredText(doc, `Kính gửi: Ông (Bà) ${input.citizen.fullName}`, CONTENT_LEFT, doc.y, CONTENT_WIDTH, { font: 'serifBold', size: 12 });
  doc.x = CONTENT_LEFT;
  const unit = input.unit.name;
  paragraph(
    doc,
    [
      `${capitalize(viLongDate(input.receivedAt))}, ${unit} tiếp nhận hồ sơ đề nghị chứng thực bản sao điện tử từ bản chính của Ông (Bà) ` +
        `(số định danh cá nhân ${input.citizen.citizenId}), mã hồ sơ `,
      input.caseCode,
      '.',
    ],
    { gapBefore: 12 },
  );
  paragraph(doc, ['Thời hạn trả kết quả ghi trên Giấy tiếp nhận hồ sơ và hẹn trả kết quả là ', viClockLongDate(input.missedDueAt), '.']);
  paragraph(doc, [`Tuy nhiên, đến nay ${unit} chưa trả kết quả giải quyết hồ sơ cho Ông (Bà).`]);
  paragraph(doc, [`Lý do: ${input.reason ?? `hồ sơ còn đang ở bước ${input.stuckAt}, chưa giải quyết xong trong thời hạn`}.`]);
  paragraph(doc, [`Sự chậm trễ này đã gây phiền hà cho Ông (Bà). ${unit} xin lỗi Ông (Bà) và hẹn trả kết quả giải quyết hồ sơ vào `, viClockLongDate(input.newAppointmentAt), '.']);
  paragraph(doc, ['Xin trân trọng cảm ơn sự hợp tác của Ông (Bà)./.']);

  signatures(doc, undefined, {
    ...RIGHT_SIGNER,
    top: 0,
    placeDate: viPlaceDate(placeOf(input.unit, input), input.issuedAt),
    heading: (input.signedBy?.title ?? 'Thủ trưởng cơ quan').toUpperCase(),
    note: '(Ký, ghi rõ họ tên và đóng dấu)',
    ...(input.signedBy === undefined ? {} : { name: input.signedBy.fullName }),
  });
  return finish();
}

/** Phiếu từ chối tiếp nhận, giải quyết hồ sơ. */
export async function renderRefusalNotice(input: RefusalNoticePdfInput): Promise<Uint8Array> {
  const { doc, finish } = slipDocument('refusal', input, input.refusedAt);

  const unit = input.unit.name;
  paragraph(doc, [`${input.deskName ?? unit} tiếp nhận hồ sơ của:`]);
  citizenLines(doc, input.citizen);
  paragraph(doc, ['Nội dung yêu cầu giải quyết: ', `${PROCEDURE}.`]);
  paragraph(doc, [
    'Căn cứ Điều 22 Nghị định số 23/2015/NĐ-CP ngày 16 tháng 02 năm 2015 của Chính phủ về cấp bản sao từ sổ gốc, chứng thực bản sao từ bản chính, ' +
      `chứng thực chữ ký và chứng thực hợp đồng, giao dịch, ${unit} từ chối tiếp nhận, giải quyết hồ sơ này vì lý do sau:`,
  ]);
  paragraph(doc, ['', `${REFUSAL_GROUNDS[input.ground]}.`], { indent: 18 });
  if (input.note.trim() !== '') paragraph(doc, [`Ghi chú của người tiếp nhận: ${input.note.trim()}`], { indent: 18 });
  paragraph(doc, ['Thời điểm từ chối: ', `${viClockLongDate(input.refusedAt)}.`]);
  paragraph(doc, ['Xin thông báo để Ông (Bà) được biết./.']);

  signatures(doc, undefined, {
    ...RIGHT_SIGNER,
    top: 0,
    placeDate: viPlaceDate(placeOf(input.unit, input), input.refusedAt),
    heading: 'NGƯỜI TIẾP NHẬN HỒ SƠ',
    note: '(Ký và ghi rõ họ tên)',
    name: input.refusedBy.fullName,
  });
  return finish();
}

/** Biên lai thu phí chứng thực: who paid how much, for which case, in figures and in words. */
export async function renderFeeReceipt(input: FeeReceiptPdfInput): Promise<Uint8Array> {
  const { doc, finish } = slipDocument('feeReceipt', input, input.collectedAt);
  doc.y = centeredText(doc, `Số: ${input.receiptNo}`, CONTENT_LEFT, doc.y - 8, CONTENT_WIDTH, { font: 'serifBold', size: 11.5 }) + 10;
  doc.x = CONTENT_LEFT;

  const copies = input.documents.reduce((n, d) => n + d.copies, 0);
  paragraph(doc, ['Họ và tên người nộp tiền: ', input.payerName]);
  paragraph(doc, [`Nội dung thu: phí ${PROCEDURE.charAt(0).toLowerCase()}${PROCEDURE.slice(1)} — ${formatViInteger(input.documents.length)} bản chính, ${formatViInteger(copies)} bản sao (mã hồ sơ `, input.caseCode, ').']);
  paragraph(doc, ['Số tiền: ', formatVnd(input.amountVnd), '.']);
  paragraph(doc, [`(Viết bằng chữ: ${viAmountInWords(input.amountVnd)}.)`], { gapBefore: 1 });
  style(doc, { font: 'serifItalic', size: 9.5, color: MUTED }).text(feeRule(), CONTENT_LEFT, doc.y + 1, { width: CONTENT_WIDTH });
  paragraph(doc, ['Hình thức thanh toán: ', FEE_METHOD_TEXT[input.method], '.']);
  paragraph(doc, ['Thời điểm thu: ', `${viClockLongDate(input.collectedAt)}.`]);
  if (input.note) paragraph(doc, [`Ghi chú: ${input.note}`]);

  signatures(
    doc,
    { ...LEFT_SIGNER, top: 0, heading: 'NGƯỜI NỘP TIỀN', note: '(Ký và ghi rõ họ tên)', name: input.payerName },
    {
      ...RIGHT_SIGNER,
      top: 0,
      placeDate: viPlaceDate(placeOf(input.unit, input), input.collectedAt),
      heading: 'NGƯỜI THU TIỀN',
      note: '(Ký và ghi rõ họ tên)',
      name: input.collectedBy.fullName,
    },
  );
  return finish();
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
