/**
 * Giấy đề nghị tạo tài khoản: the paper the one-stop officer prints when creating a citizen's
 * portal account (Công văn VPCP 2021, Phụ lục 2, bước 2), for the citizen to check the data
 * typed from their ID card and confirm that the phone number is their own — it receives the OTP
 * and then the password. Laid out like the desk's other slips (slips.ts) and, like them,
 * reproducible byte for byte from its input.
 */
import { formatLocalDate, formatLocalTime, formatViDate, isValidLocalDate } from '../../domain/calendar';
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
  style,
} from './pdfkitDocument';
import { placeNameOf, viPlaceDate } from './viFormat';

export interface AccountRequestFormInput {
  requestId: string;
  idNumber: string;
  fullName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  phone: string;
  email: string | null;
  unit: { code: string; name: string };
  officer: { fullName: string; phone: string | null };
  /** ISO instant */
  createdAt: string;
}

export const ACCOUNT_REQUEST_FORM_TITLE = 'GIẤY ĐỀ NGHỊ TẠO TÀI KHOẢN';
const SUBTITLE = 'Tài khoản công dân trên Cổng Dịch vụ công';
const BODY_SIZE = 11.5;
const NONE = '(không có)';

/** "14:30, ngày 05/11/2026" in Viet Nam time. */
export function formCreationTime(isoInstant: string): string {
  const t = Date.parse(isoInstant);
  if (Number.isNaN(t)) throw new RangeError(`invalid createdAt: ${isoInstant}`);
  return `${formatLocalTime(t)}, ngày ${formatViDate(formatLocalDate(t))}`;
}

/** A body paragraph; parts alternate plain and bold, starting plain. */
function paragraph(doc: PDFKit.PDFDocument, parts: readonly string[], opts: { indent?: number; gapBefore?: number; italic?: boolean } = {}): void {
  const x = CONTENT_LEFT + (opts.indent ?? 0);
  const width = CONTENT_RIGHT - x;
  const y = ensureSpace(doc, doc.y + (opts.gapBefore ?? 4), BODY_SIZE * 1.4);
  const last = parts.reduce((at, p, i) => (p === '' ? at : i), -1);
  const single = parts.filter((p) => p !== '').length === 1;
  let first = true;
  parts.forEach((text, i) => {
    if (text === '') return;
    const font = i % 2 === 0 ? (opts.italic ? 'serifItalic' : 'serif') : 'serifBold';
    style(doc, { font, size: BODY_SIZE });
    const options = { width, align: single ? 'justify' : 'left', continued: i !== last } as const;
    if (first) doc.text(text, x, y, options);
    else doc.text(text, options);
    first = false;
  });
}

function section(doc: PDFKit.PDFDocument, heading: string): void {
  paragraph(doc, ['', heading], { gapBefore: 10 });
}

/** "Giấy đề nghị tạo tài khoản" for the citizen to check and sign, with the receiving officer. */
export async function renderAccountRequestForm(input: AccountRequestFormInput): Promise<Buffer> {
  const created = formCreationTime(input.createdAt);
  const { doc, finish } = createA4Document({
    title: `${ACCOUNT_REQUEST_FORM_TITLE} - ${input.fullName}`,
    author: input.unit.name,
    subject: SUBTITLE,
    keywords: input.requestId,
    createdAt: input.createdAt,
    footer: `${ACCOUNT_REQUEST_FORM_TITLE} - mã yêu cầu ${input.requestId}`,
  });

  const top = drawAdministrativeHeader(doc, [input.unit.name]);
  let y = centeredText(doc, ACCOUNT_REQUEST_FORM_TITLE, CONTENT_LEFT, top + 8, CONTENT_WIDTH, { font: 'serifBold', size: 14 });
  y = centeredText(doc, SUBTITLE, CONTENT_LEFT, y + 1, CONTENT_WIDTH, { font: 'serifBold', size: 12 });
  y = centeredText(doc, `Mã yêu cầu: ${input.requestId}`, CONTENT_LEFT, y + 2, CONTENT_WIDTH, { font: 'serif', size: 10.5, color: MUTED });
  doc.y = centeredText(doc, `Kính gửi: ${input.unit.name}`, CONTENT_LEFT, y + 12, CONTENT_WIDTH, { font: 'serifBold', size: 12 }) + 4;
  doc.x = CONTENT_LEFT;

  section(doc, 'I. Thông tin công dân đề nghị tạo tài khoản');
  const birth = isValidLocalDate(input.birthDate) ? formatViDate(input.birthDate) : input.birthDate;
  paragraph(doc, ['1. Số CCCD/CMND: ', input.idNumber], { indent: 18 });
  paragraph(doc, ['2. Họ và tên: ', input.fullName], { indent: 18, gapBefore: 2 });
  paragraph(doc, ['3. Ngày sinh: ', birth], { indent: 18, gapBefore: 2 });
  paragraph(doc, ['4. Số điện thoại: ', input.phone], { indent: 18, gapBefore: 2 });
  paragraph(doc, ['5. Thư điện tử (email): ', input.email ?? NONE], { indent: 18, gapBefore: 2 });
  paragraph(doc, ['6. Giấy tờ đính kèm: bản quét hai mặt thẻ CCCD/CMND.'], { indent: 18, gapBefore: 2 });

  section(doc, 'II. Nội dung đề nghị và cam kết');
  paragraph(doc, [
    'Tôi đề nghị ' + input.unit.name + ' tạo tài khoản công dân trên Cổng Dịch vụ công với các thông tin nêu trên. ' +
      'Tôi đã kiểm tra và xác nhận các thông tin trên là đúng với giấy tờ tùy thân của tôi.',
  ]);
  paragraph(doc, [
    'Tôi xác nhận số điện thoại ',
    `${input.phone} `,
    'là số điện thoại chính chủ của tôi, dùng để nhận mã xác thực (OTP) và mật khẩu đăng nhập tài khoản do hệ thống gửi bằng tin nhắn SMS. ' +
      'Tôi có trách nhiệm bảo mật mật khẩu và đổi mật khẩu ở lần đăng nhập đầu tiên.',
  ]);

  section(doc, 'III. Thông tin tiếp nhận');
  paragraph(doc, ['Bộ phận Một cửa tiếp nhận: ', `${input.unit.name} `, `(mã đơn vị ${input.unit.code})`], { indent: 18 });
  paragraph(doc, ['Cán bộ tiếp nhận: ', input.officer.fullName, `; số điện thoại: ${input.officer.phone ?? NONE}`], { indent: 18, gapBefore: 2 });
  paragraph(doc, ['Thời gian tạo: ', created], { indent: 18, gapBefore: 2 });

  const signTop = ensureSpace(doc, doc.y + 18, 130);
  const place = viPlaceDate(placeNameOf(input.unit.name), input.createdAt);
  const right = drawSignatureBlock(doc, {
    x: CONTENT_LEFT + 215,
    width: CONTENT_RIGHT - CONTENT_LEFT - 215 + 20,
    top: signTop,
    placeDate: place,
    heading: 'CÁN BỘ TIẾP NHẬN',
    note: '(Ký và ghi rõ họ tên)',
    name: input.officer.fullName,
  });
  const left = drawSignatureBlock(doc, { x: CONTENT_LEFT - 10, width: 215, top: signTop + 15, heading: 'NGƯỜI ĐỀ NGHỊ', note: '(Ký và ghi rõ họ tên)', name: input.fullName });
  doc.y = Math.max(left, right);
  doc.x = CONTENT_LEFT;
  return finish();
}
