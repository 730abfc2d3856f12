/**
 * Biên lai thu nghĩa vụ tài chính về đất đai: the receipt of one paid tax notice — who paid, for
 * which dossier and property, each payment to the state budget with its amount, the total in
 * figures and in words, the gateway's transaction reference. Reproducible from its input, so a
 * retried activity writes the same bytes.
 */
import { viAmountInWords } from '../../domain/viNumberWords';
import type { LandObligationItem, LandProperty } from '../../domain/landObligations';
import { CONTENT_LEFT, CONTENT_WIDTH, MUTED, PAGE_MARGINS, centeredText, createA4Document, drawAdministrativeHeader, drawSignatureBlock, style } from './pdfkitDocument';
import { drawTable } from './pdfkitTable';
import { formatVnd, formatViInteger, viClockLongDate, viPlaceDate, placeNameOf } from './viFormat';

export interface LandReceiptPdfInput {
  receiptNo: string;
  orderId: string;
  dossierCode: string;
  noticeNumber: string;
  taxpayer: string;
  idNumber: string;
  property: LandProperty;
  localityName: string;
  items: readonly LandObligationItem[];
  amountVnd: number;
  txnRef: string;
  paidAt: string;
}

export const LAND_RECEIPT_TITLE = 'BIÊN LAI THU NGHĨA VỤ TÀI CHÍNH VỀ ĐẤT ĐAI';

export async function renderLandReceipt(input: LandReceiptPdfInput): Promise<Buffer> {
  const { doc, finish } = createA4Document({
    title: `${LAND_RECEIPT_TITLE} - ${input.receiptNo}`,
    author: input.localityName,
    subject: 'Thanh toán nghĩa vụ tài chính về đất đai',
    keywords: `${input.dossierCode} ${input.noticeNumber}`,
    createdAt: input.paidAt,
  });
  let y = drawAdministrativeHeader(doc, [input.localityName]);
  y = centeredText(doc, LAND_RECEIPT_TITLE, CONTENT_LEFT, y + 8, CONTENT_WIDTH, { font: 'serifBold', size: 14 });
  y = centeredText(doc, `Số: ${input.receiptNo}`, CONTENT_LEFT, y + 2, CONTENT_WIDTH, { font: 'serifBold', size: 11.5 }) + 12;
  const line = (label: string, value: string) => {
    style(doc, { font: 'serif', size: 11.5 }).text(label, CONTENT_LEFT, doc.y + 3, { continued: true, width: CONTENT_WIDTH });
    style(doc, { font: 'serifBold', size: 11.5 }).text(value);
  };
  doc.y = y;
  line('Người nộp thuế: ', input.taxpayer);
  line('Số CCCD/CMND: ', input.idNumber);
  line('Mã hồ sơ: ', input.dossierCode);
  line('Số thông báo thuế: ', input.noticeNumber);
  const p = input.property;
  line('Tài sản: ', [p.address, p.parcel ? `thửa đất số ${p.parcel}` : '', p.mapSheet ? `tờ bản đồ số ${p.mapSheet}` : '', p.areaM2 ? `diện tích ${String(p.areaM2).replace(".", ",")} m²` : ''].filter(Boolean).join(', '));
  const rows = input.items.map((item, i) => [String(i + 1), item.content, formatViInteger(item.amountVnd)]);
  rows.push(['', 'Tổng tiền', formatViInteger(input.amountVnd)]);
  const table = drawTable(
    doc,
    { x: CONTENT_LEFT, columns: [{ header: 'STT', width: 40, align: 'center' }, { header: 'Nội dung các khoản nộp ngân sách nhà nước', width: 300, align: 'left' }, { header: 'Số tiền (VNĐ)', width: CONTENT_WIDTH - 340, align: 'right' }], rows, fontSize: 10.5 },
    doc.y + 10,
    doc.page.height - PAGE_MARGINS.bottom,
    'newPage',
  );
  doc.y = table.bottom + 6;
  line('Số tiền: ', formatVnd(input.amountVnd));
  style(doc, { font: 'serifItalic', size: 11 }).text(`(Viết bằng chữ: ${viAmountInWords(input.amountVnd)}.)`, CONTENT_LEFT, doc.y + 2, { width: CONTENT_WIDTH });
  line('Hình thức: ', 'Thanh toán trực tuyến qua cổng thanh toán');
  line('Mã giao dịch: ', `${input.txnRef} (mã đơn ${input.orderId})`);
  line('Thời điểm thanh toán: ', viClockLongDate(input.paidAt));
  style(doc, { font: 'serifItalic', size: 9.5, color: MUTED }).text('Biên lai điện tử được gửi về hệ thống của địa phương và vào mục "Giấy tờ của tôi" trên Cổng dịch vụ công.', CONTENT_LEFT, doc.y + 8, { width: CONTENT_WIDTH });
  drawSignatureBlock(doc, { x: CONTENT_LEFT + 215, width: CONTENT_WIDTH - 195, top: doc.y + 16, placeDate: viPlaceDate(placeNameOf(input.localityName), input.paidAt), heading: 'ĐƠN VỊ THU', note: '(Biên lai điện tử)', gap: 20 });
  return finish();
}
