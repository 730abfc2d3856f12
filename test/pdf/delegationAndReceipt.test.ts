/**
 * The certification page of a copy signed under a delegation, and the fee receipt, as a reader
 * meets them: text with pdftotext, and where each line of the signature block sits (pdftotext
 * -bbox-layout) — inside the signer's column, in the legal order, above the signer's name.
 */
import { expect } from 'chai';
import { SEAL_BOX, SIGNER_COLUMN } from '../../infra/pdf/certificationLayout';
import { renderCertifiedCopy, type CertificationBlock } from '../../infra/pdf/certifiedCopy';
import { A4_HEIGHT } from '../../infra/pdf/pdfkitDocument';
import { textPagePdf } from '../../infra/pdf/simplePdf';
import { renderFeeReceipt } from '../../infra/pdf/slips';
import { pdfText, poppler, saveTemp } from '../support/pdfTools';

interface Line {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

/** The text lines of one page with their boxes (pdftotext's top-down points). */
function lines(file: string, page: number): Line[] {
  const xml = poppler('pdftotext', ['-f', String(page), '-l', String(page), '-bbox-layout', file, '-']);
  return [...xml.matchAll(/<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)].map((m) => ({
    xMin: Number(m[1]),
    yMin: Number(m[2]),
    xMax: Number(m[3]),
    yMax: Number(m[4]),
    text: [...m[5]!.matchAll(/<word[^>]*>([^<]*)<\/word>/g)].map((w) => w[1]).join(' '),
  }));
}

const block = (over: Partial<CertificationBlock>): CertificationBlock => ({
  unitName: 'UBND xã Nùng Năng',
  placeName: 'Nùng Năng',
  certifiedAt: '2026-11-23T03:00:00Z',
  signerTitle: 'Phó Chủ tịch UBND xã',
  signerName: 'Lò Thị Hoa',
  caseCode: '000.15.43.H35-261123-0001',
  verifyUrl: 'http://localhost:3000/verify/000.15.43.H35-261123-0001?t=abc',
  documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }],
  ...over,
});

async function certificationPageLines(b: CertificationBlock): Promise<Line[]> {
  const file = saveTemp(await renderCertifiedCopy([{ bytes: textPagePdf(['BAN QUET']), mimeType: 'application/pdf' }], b), 'delegated');
  return lines(file, 2);
}

/** The signer's column, top-down, between the seal box's top and the page's QR rule. */
function inSignerColumn(l: Line): boolean {
  const top = A4_HEIGHT - (SEAL_BOX.y + SEAL_BOX.height);
  const bottom = A4_HEIGHT - SEAL_BOX.y;
  return l.xMin >= SIGNER_COLUMN.x - 0.5 && l.xMax <= SIGNER_COLUMN.x + SIGNER_COLUMN.width + 0.5 && l.yMin >= top && l.yMax <= bottom;
}

function find(all: Line[], text: string): Line {
  const l = all.find((x) => x.text === text);
  expect(l, `line "${text}" in ${JSON.stringify(all.map((x) => x.text))}`).to.not.equal(undefined);
  return l!;
}

describe('PDF: a copy signed under a delegation, and the fee receipt', function () {
  this.timeout(60_000);

  it('KT.: "KT. CHỦ TỊCH" then "PHÓ CHỦ TỊCH" under the heading, above the signature and the name, inside the column', async () => {
    const all = await certificationPageLines(block({ delegated: { form: 'KT', headTitle: 'Chủ tịch', signerTitle: 'Phó Chủ tịch' } }));
    const order = ['NGƯỜI THỰC HIỆN CHỨNG THỰC', 'KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH', '(Chữ ký số)', 'Lò Thị Hoa'].map((t) => find(all, t));
    for (const l of order) expect(inSignerColumn(l), l.text).to.equal(true);
    for (let i = 1; i < order.length; i++) expect(order[i]!.yMin, `${order[i]!.text} below ${order[i - 1]!.text}`).to.be.at.least(order[i - 1]!.yMax - 0.5);
    // The leader's own title is not printed when the block speaks for the head.
    expect(all.map((l) => l.text)).to.not.include('Phó Chủ tịch UBND xã');
  });

  it('TUQ.: "TUQ. CHỦ TỊCH" then the delegate’s own title; a long title shrinks to the column', async () => {
    const long = 'Công chức Văn phòng – Thống kê kiêm Tư pháp – Hộ tịch';
    const all = await certificationPageLines(block({ delegated: { form: 'TUQ', headTitle: 'Chủ tịch', signerTitle: long } }));
    // Too long for one line even at the smallest size: two lines, in the column, between the form and the signature.
    const column = all.filter((l) => l.xMin >= SIGNER_COLUMN.x - 0.5 && l.yMin >= A4_HEIGHT - (SEAL_BOX.y + SEAL_BOX.height));
    for (const l of column) expect(inSignerColumn(l), l.text).to.equal(true);
    const texts = column.map((l) => l.text);
    const form = texts.indexOf('TUQ. CHỦ TỊCH');
    const signature = texts.indexOf('(Chữ ký số)');
    expect(texts.slice(form - 1, form)).to.deep.equal(['NGƯỜI THỰC HIỆN CHỨNG THỰC']);
    expect(signature - form).to.equal(3);
    expect(texts.slice(form + 1, signature).join(' ')).to.equal(long.toLocaleUpperCase('vi'));
    expect(texts.at(-1)).to.equal('Lò Thị Hoa');
    for (let i = form + 1; i < column.length; i++) expect(column[i]!.yMin, texts[i]).to.be.at.least(column[i - 1]!.yMax - 0.5);
  });

  it('a leader’s own signature keeps the block as it was: his title, no form line', async () => {
    const text = pdfText(saveTemp(await renderCertifiedCopy([{ bytes: textPagePdf(['BAN QUET']), mimeType: 'application/pdf' }], block({})), 'own'), 2);
    expect(text).to.include('Phó Chủ tịch UBND xã');
    expect(text).to.not.match(/KT\.|TUQ\./);
  });

  it('fee receipt: number, payer, content, the amount in figures and in words, method, collector', async () => {
    const pdf = await renderFeeReceipt({
      receiptNo: 'BL-2026-000007',
      caseCode: '000.15.43.H35-261123-0001',
      unit: { id: 'u', code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      payerName: 'Giàng A Páo',
      amountVnd: 15_000,
      method: 'transfer',
      note: 'Nộp qua ngân hàng',
      collectedBy: { fullName: 'Trần Ngọc Lan' },
      collectedAt: '2026-11-23T03:30:00Z',
      documents: [
        { type: 'Giấy khai sinh', issuer: 'UBND xã', pages: 3, copies: 2 },
        { type: 'Bằng tốt nghiệp', issuer: 'Trường THPT', pages: 1, copies: 1 },
      ],
    });
    const text = pdfText(saveTemp(pdf, 'bien-lai')).replace(/\s+/g, ' ');
    expect(text)
      .to.include('BIÊN LAI THU PHÍ CHỨNG THỰC')
      .and.include('Số: BL-2026-000007')
      .and.include('Họ và tên người nộp tiền: Giàng A Páo')
      .and.include('2 bản chính, 3 bản sao')
      .and.include('Số tiền: 15.000 đồng')
      .and.include('Viết bằng chữ: Mười lăm nghìn đồng')
      .and.include('Hình thức thanh toán: Chuyển khoản')
      .and.include('10 giờ 30 phút, ngày 23 tháng 11 năm 2026')
      .and.include('Ghi chú: Nộp qua ngân hàng')
      .and.include('NGƯỜI THU TIỀN')
      .and.include('Trần Ngọc Lan');
  });
});
