import { expect } from 'chai';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';
import { appendRevision, previousSection } from '../../infra/pdf/incremental';
import { textPagePdf } from '../../infra/pdf/simplePdf';
import { signPdf, type SignPdfOptions } from '../../infra/pdf/signPdf';
import { verifyPdfSignatures } from '../../infra/pdf/verifyPdf';
import { run, testPki } from '../pki/fixtures';
import { parsePdfsig, type PdfsigSignature } from '../support/pdfTools';

const PDFSIG = '/usr/bin/pdfsig';
const PDFTOTEXT = '/usr/bin/pdftotext';

async function threePages(useObjectStreams: boolean): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 3; i++) {
    const page = doc.addPage([595, 842]);
    page.drawText(`Ban sao chung thuc - trang ${i}`, { x: 60, y: 780, size: 14, font });
    page.drawText(`Noi dung goc cua trang ${i}.`, { x: 60, y: 750, size: 12, font });
  }
  return doc.save({ useObjectStreams });
}

function isPrefix(prefix: Uint8Array, whole: Uint8Array): boolean {
  return whole.length >= prefix.length && Buffer.from(whole.subarray(0, prefix.length)).equals(Buffer.from(prefix));
}

describe('PDF incremental revisions', () => {
  for (const useObjectStreams of [false, true]) {
    const label = useObjectStreams ? 'object and cross-reference streams' : 'a classic cross-reference table';

    it(`appends a revision to a PDF with ${label}, twice, keeping every earlier byte`, async () => {
      const original = await threePages(useObjectStreams);
      expect(previousSection(original).kind).to.equal(useObjectStreams ? 'stream' : 'table');
      const r2 = await appendRevision(original, (doc) => {
        doc.setTitle('Bản sao chứng thực');
      });
      const r3 = await appendRevision(r2, async (doc) => {
        const font = await doc.embedFont(StandardFonts.HelveticaBold);
        doc.getPages()[2].drawText('Dau cua xa', { x: 400, y: 90, size: 16, font });
      });
      expect(isPrefix(original, r2)).to.equal(true);
      expect(isPrefix(r2, r3)).to.equal(true);
      expect(previousSection(r3).kind).to.equal(previousSection(original).kind);
      expect(Buffer.from(r3).toString('latin1')).to.match(new RegExp(`/Prev ${previousSection(r2).offset}\\b`));

      const reloaded = await PDFDocument.load(r3, { updateMetadata: false });
      expect(reloaded.getTitle()).to.equal('Bản sao chứng thực');
      expect(reloaded.getPageCount()).to.equal(3);
    });
  }

  it('writes only what changed', async () => {
    const original = await threePages(false);
    const unchanged = await appendRevision(original, () => undefined);
    const tail = Buffer.from(unchanged.subarray(original.length)).toString('latin1');
    expect(tail).to.not.match(/\d+ \d+ obj/);
    expect(tail).to.match(/^\n?xref\n0 1\n0000000000 65535 f\r\ntrailer\n/);

    const touched = await appendRevision(original, (doc) => {
      doc.catalog.set(PDFName.of('Lang'), PDFString.of('vi-VN'));
    });
    const objects = Buffer.from(touched.subarray(original.length)).toString('latin1').match(/\d+ \d+ obj/g) ?? [];
    expect(objects).to.have.length(1);
  });

  it('new objects after object streams do not take the numbers of those streams', async () => {
    const original = await threePages(true);
    const before = previousSection(original).size;
    const r2 = await appendRevision(original, (doc) => {
      doc.context.register(doc.context.obj({ Marker: 'first' }));
    });
    const numbers = [...Buffer.from(r2.subarray(original.length)).toString('latin1').matchAll(/(\d+) 0 obj/g)].map((m) => Number(m[1]));
    expect(numbers.every((n) => n >= before)).to.equal(true);
  });
});

describe('PDF signatures (leader, then commune seal)', function () {
  this.timeout(60_000);
  const pki = testPki({ crlUrl: 'https://chungthuc.example.vn/api/pki/crl' });
  const trust = { roots: [pki.ca.certificate] };
  const hasPoppler = existsSync(PDFSIG) && existsSync(PDFTOTEXT);
  let dir: string;

  const leaderOptions: SignPdfOptions = {
    signer: pki.leader,
    signingTime: new Date('2026-02-02T03:15:00Z'),
    fieldName: 'LanhDaoKy',
    name: 'Nguyễn Thị Ánh Tuyết',
    reason: 'Chứng thực bản sao từ bản chính',
    location: 'UBND xã Nùng Năng',
  };
  const sealOptions: SignPdfOptions = {
    signer: pki.seal,
    signingTime: new Date('2026-02-02T03:40:00Z'),
    fieldName: 'DauCoQuan',
    reason: 'Đóng dấu',
    beforeSign: async (doc) => {
      const font = await doc.embedFont(StandardFonts.HelveticaBold);
      const pages = doc.getPages();
      pages[pages.length - 1].drawText('UBND XA NUNG NANG - DA DONG DAU', { x: 300, y: 80, size: 12, font });
    },
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pdf-sig-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function pdfsig(name: string, pdf: Uint8Array): Promise<PdfsigSignature[]> {
    const file = join(dir, name);
    writeFileSync(file, pdf);
    const { output } = await run(PDFSIG, ['-no-ocsp', file]);
    return parsePdfsig(output);
  }

  async function pdftotext(name: string, pdf: Uint8Array): Promise<string> {
    const file = join(dir, name);
    writeFileSync(file, pdf);
    return (await run(PDFTOTEXT, [file, '-'])).output;
  }

  for (const useObjectStreams of [false, true]) {
    const label = useObjectStreams ? 'saved with object streams' : 'with a classic cross-reference table';

    describe(`a PDF ${label}`, () => {
      let original: Uint8Array;
      let signed: Uint8Array;
      let sealed: Uint8Array;

      before(async () => {
        original = await threePages(useObjectStreams);
        signed = await signPdf(original, leaderOptions);
        sealed = await signPdf(signed, sealOptions);
      });

      it('keeps each revision as a prefix of the next', () => {
        expect(isPrefix(original, signed)).to.equal(true);
        expect(isPrefix(signed, sealed)).to.equal(true);
      });

      it('pdfsig reports both signatures valid', async function () {
        if (!hasPoppler) this.skip();
        const sigs = await pdfsig(`sealed-${useObjectStreams}.pdf`, sealed);
        expect(sigs.map((s) => s.fieldName)).to.deep.equal(['LanhDaoKy', 'DauCoQuan']);
        expect(sigs.map((s) => s.validation)).to.deep.equal(['Signature is Valid.', 'Signature is Valid.']);
        expect(sigs.map((s) => s.commonName)).to.deep.equal(['Nguyễn Thị Ánh Tuyết', 'UBND xã Nùng Năng']);
        // pdfsig's NSS database does not hold our CA; trust is our verifier's job.
        for (const s of sigs) expect(s.certificate).to.match(/isn't Trusted|unknown/);
      });

      it('pdftotext still extracts every page, the seal text included', async function () {
        if (!hasPoppler) this.skip();
        const text = await pdftotext(`text-${useObjectStreams}.pdf`, sealed);
        for (const i of [1, 2, 3]) expect(text).to.include(`Ban sao chung thuc - trang ${i}`);
        expect(text).to.include('UBND XA NUNG NANG - DA DONG DAU');
      });

      it('our verifier reports both intact and chained to the trusted CA', () => {
        const reports = verifyPdfSignatures(sealed, trust);
        expect(reports).to.have.length(2);
        const [lead, seal] = reports;
        expect(lead.fieldName).to.equal('LanhDaoKy');
        expect(lead.subFilter).to.equal('ETSI.CAdES.detached');
        expect(lead.signer).to.deep.equal({ commonName: 'Nguyễn Thị Ánh Tuyết', organization: 'UBND xã Nùng Năng', title: 'Phó Chủ tịch UBND xã', serialNumber: pki.leader.serial });
        expect(lead.signingTime).to.equal('2026-02-02T03:15:00.000Z');
        expect(lead.integrity).to.equal(true);
        expect(lead.chainTrusted).to.equal(true);
        expect(lead.revoked).to.equal(false);
        expect(lead.coversWholeDocument).to.equal(false);
        expect(lead.revisionEnd).to.equal(signed.length);
        expect(lead.problems).to.deep.equal([]);

        expect(seal.fieldName).to.equal('DauCoQuan');
        expect(seal.signer.commonName).to.equal('UBND xã Nùng Năng');
        expect(seal.signer.serialNumber).to.equal(pki.seal.serial);
        expect(seal.integrity).to.equal(true);
        expect(seal.chainTrusted).to.equal(true);
        expect(seal.coversWholeDocument).to.equal(true);
        expect(seal.revisionEnd).to.equal(sealed.length);
      });

      it('one flipped byte in the first signed range: pdfsig and our verifier both say invalid', async function () {
        const tampered = Buffer.from(sealed);
        // A byte of the binary comment after the header: the file still parses, only the digest changes.
        const at = tampered.indexOf('\n%', 0, 'latin1') + 2;
        expect(at).to.be.within(2, 20);
        tampered[at] ^= 0x01;

        const reports = verifyPdfSignatures(tampered, trust);
        expect(reports.map((r) => r.integrity)).to.deep.equal([false, false]);
        expect(reports[0].problems.join(' ')).to.include('Mã băm');

        if (!hasPoppler) return;
        const sigs = await pdfsig(`tampered-${useObjectStreams}.pdf`, tampered);
        expect(sigs).to.have.length(2);
        for (const s of sigs) expect(s.validation).to.match(/Signature is Invalid|Digest Mismatch/);
      });

      it('a change inside the seal revision breaks only the seal', () => {
        const tampered = Buffer.from(sealed);
        const text = tampered.toString('latin1');
        const at = text.lastIndexOf('/Type /Annot');
        expect(at).to.be.greaterThan(signed.length);
        tampered[at + 1] = 'X'.charCodeAt(0);
        const reports = verifyPdfSignatures(tampered, trust);
        expect(reports.map((r) => r.integrity)).to.deep.equal([true, false]);
      });

      it('flags a revoked signer and an untrusted chain', () => {
        const revokedAt = '2026-03-01T00:00:00.000Z';
        const reports = verifyPdfSignatures(sealed, { roots: trust.roots, revokedSerials: new Map([[pki.leader.serial.toLowerCase(), revokedAt]]) });
        expect(reports[0].revoked).to.equal(true);
        expect(reports[0].integrity).to.equal(true);
        expect(reports[0].problems.join(' ')).to.include('đã bị thu hồi').and.include('(sau thời điểm ký)');
        expect(reports[1].revoked).to.equal(false);

        const strangers = verifyPdfSignatures(sealed, { roots: [testPki().ca.certificate] });
        expect(strangers.map((r) => [r.integrity, r.chainTrusted])).to.deep.equal([
          [true, false],
          [true, false],
        ]);
      });
    });
  }

  it('signs a minimal hand-written PDF and refuses a second field of the same name', async function () {
    const original = textPagePdf(['Giay to goc', 'Mot trang']);
    const signed = await signPdf(original, leaderOptions);
    expect(verifyPdfSignatures(signed, trust).map((r) => [r.fieldName, r.integrity, r.chainTrusted])).to.deep.equal([['LanhDaoKy', true, true]]);
    let refused: unknown;
    try {
      await signPdf(signed, { ...sealOptions, fieldName: 'LanhDaoKy' });
    } catch (e) {
      refused = e;
    }
    expect(String(refused)).to.include('LanhDaoKy');
    if (!hasPoppler) return;
    const sigs = await pdfsig('minimal.pdf', signed);
    expect(sigs.map((s) => s.validation)).to.deep.equal(['Signature is Valid.']);
  });
});
