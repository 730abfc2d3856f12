/**
 * A worker makes copy after copy in one process, with fonts parsed and words shaped once for all
 * of them. Every copy must read the same whatever came before it: its text extractable with its
 * diacritics (a copy heavy in precomposed capitals first, then one in plain letters, the case that
 * broke when a parsed font was first shared), and the same inputs must give the same bytes after
 * other copies as before them, signatures and seal included.
 */
import { expect } from 'chai';
import { drawSealStamp, renderCertifiedCopy, type CertificationBlock } from '../../infra/pdf/certifiedCopy';
import { signPdf } from '../../infra/pdf/signPdf';
import { testPki } from '../pki/fixtures';
import { pdfsig, pdfText, saveTemp, threePageScan } from '../support/pdfTools';

function block(unitName: string, signerName: string, caseCode: string, original: string): CertificationBlock {
  return {
    unitName,
    placeName: unitName.replace(/^UBND (xã|phường) /, ''),
    certifiedAt: '2026-11-05T02:15:00Z',
    signerTitle: 'Chủ tịch UBND',
    signerName,
    caseCode,
    verifyUrl: `https://motcua.example.vn/verify/${caseCode}?t=abc`,
    documents: [{ type: original, issuer: unitName, pages: 3, copies: 1 }],
  };
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ');
}

describe('certified copies made one after another in one process', function () {
  this.timeout(60_000);
  const pki = testPki({ crlUrl: 'https://chungthuc.example.vn/api/pki/crl' });
  let scan: Uint8Array;

  async function copy(b: CertificationBlock, sealer: string): Promise<Uint8Array> {
    const rendered = await renderCertifiedCopy([{ bytes: scan, mimeType: 'application/pdf' }], b);
    const signed = await signPdf(rendered, { signer: pki.leader, signingTime: new Date(b.certifiedAt), fieldName: 'ChuKyLanhDao1', name: b.signerName });
    return signPdf(signed, {
      signer: pki.seal,
      signingTime: new Date(b.certifiedAt),
      fieldName: 'DauCoQuan',
      name: b.unitName,
      beforeSign: (doc) => drawSealStamp(doc, { certificationNumber: '7/2026-SCTĐT/BS', book: 'SCTĐT/BS', sealedAt: b.certifiedAt, unitName: b.unitName, sealerName: sealer }),
    });
  }

  before(async () => {
    scan = await threePageScan();
  });

  it('keeps the text of a copy in plain letters extractable after one in precomposed capitals', async () => {
    await copy(block('UBND PHƯỜNG ẤP BẮC', 'ĐẶNG THỊ ỮNG ẤN', 'CT-2026-ẮẶẤ', 'ẢNH Ổ ĐĨA ỐC ẪM'), 'ỨNG ẤN ĐỖ');
    const plain = await copy(block('UBND xa Ban Lang', 'Lo Van Hung', 'CT-2026-000124', 'Bang tot nghiep'), 'Vang Thi Mai');
    const text = squash(pdfText(saveTemp(plain, 'plain-after-capitals'), 4));
    for (const phrase of ['Lo Van Hung', 'Bang tot nghiep', 'UBND XA BAN LANG', 'Mã hồ sơ: CT-2026-000124', 'Vang Thi Mai', 'Chứng thực bản sao đúng với bản chính.']) {
      expect(text).to.include(phrase);
    }
    expect((await pdfsig(plain)).map((s) => s.validation)).to.deep.equal(['Signature is Valid.', 'Signature is Valid.']);
  });

  it('gives the same bytes for the same inputs before and after other copies', async () => {
    const b = block('UBND xã Nùng Năng', 'Lò Văn Hùng', 'CT-2026-000125', 'Giấy khai sinh');
    const before = await copy(b, 'Vàng Thị Mai');
    await copy(block('UBND phường Ấp Bắc', 'Hoàng Ngọc Ẩn', 'CT-2026-000126', 'Sổ hộ khẩu'), 'Phạm Thị Ỷ Lan');
    await copy(block('UBND xã Tả Phìn', 'Giàng A Páo', 'CT-2026-000127', 'Căn cước công dân'), 'Ứng Văn Đỗ');
    const after = await copy(b, 'Vàng Thị Mai');
    expect(Buffer.from(after).equals(Buffer.from(before))).to.equal(true);
  });
});
