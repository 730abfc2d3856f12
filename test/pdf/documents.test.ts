/**
 * The PDFs a citizen receives: the certified copy (scan pages + certification page), the seal
 * stamp drawn into its reserved box, and the reception, apology and refusal slips. Checked the
 * way a reader meets them: page counts with pdfinfo, text with pdftotext (Vietnamese diacritics
 * must come out as the same characters), pixels with pdftoppm (the QR code, the red seal, the
 * orientation of photographed pages). Page previews are left in
 * <tmpdir>/chung-thuc-pdf-preview for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { PDFArray, PDFDocument, PDFRawStream, type PDFObject } from 'pdf-lib';
import PDFKitDocument from 'pdfkit';
import { DomainError } from '../../domain/messages';
import { REFUSAL_GROUNDS } from '../../domain/certification/refusalGrounds';
import { QR_BOX, SEAL_BOX, SEAL_MARK } from '../../infra/pdf/certificationLayout';
import { drawSealStamp, renderCertifiedCopy, splitCertificationNumber, type CertificationBlock, type ScanPart } from '../../infra/pdf/certifiedCopy';
import { jpegExifOrientation } from '../../infra/pdf/jpegOrientation';
import { A4_HEIGHT, A4_WIDTH } from '../../infra/pdf/pdfkitDocument';
import { qrMatrix } from '../../infra/pdf/qr';
import { renderApologySlip, renderReceptionReceipt, renderRefusalNotice, type ReceptionReceiptInput } from '../../infra/pdf/slips';
import { formatVnd, placeNameOf, viClockLongDate, viLongDate } from '../../infra/pdf/viFormat';
import { pageCount, pdfText, photographedPage, poppler, POPPLER, saveTemp, threePageScan } from '../support/pdfTools';

const previews = join(tmpdir(), 'chung-thuc-pdf-preview');

function squash(text: string): string {
  return text.replace(/\s+/g, ' ');
}

/** Renders every page to PNG at 50 dpi under the preview directory; returns the files. */
function preview(file: string, name: string): string[] {
  const own = new RegExp(`^${name}-\\d+\\.png$`);
  mkdirSync(previews, { recursive: true });
  for (const f of readdirSync(previews)) if (own.test(f)) rmSync(join(previews, f));
  execFileSync(join(POPPLER, 'pdftoppm'), ['-png', '-r', '50', file, join(previews, name)]);
  return readdirSync(previews)
    .filter((f) => own.test(f))
    .sort()
    .map((f) => join(previews, f));
}

interface Raster {
  width: number;
  height: number;
  channels: 1 | 3;
  data: Buffer;
}

/** Renders one page to PGM (gray) or PPM (colour) and reads it. */
function raster(file: string, page: number, dpi: number, gray: boolean): Raster {
  const base = saveTemp(new Uint8Array(0), 'raster', 'base');
  execFileSync(join(POPPLER, 'pdftoppm'), [...(gray ? ['-gray'] : []), '-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile', file, base]);
  const bytes = readFileSync(`${base}.${gray ? 'pgm' : 'ppm'}`);
  // Header: magic, width, height, maxval, each followed by one whitespace.
  const fields: string[] = [];
  let at = 0;
  while (fields.length < 4) {
    while (/\s/.test(String.fromCharCode(bytes[at] as number))) at++;
    let token = '';
    while (!/\s/.test(String.fromCharCode(bytes[at] as number))) token += String.fromCharCode(bytes[at++] as number);
    fields.push(token);
  }
  at++;
  expect(fields[0]).to.equal(gray ? 'P5' : 'P6');
  return { width: Number(fields[1]), height: Number(fields[2]), channels: gray ? 1 : 3, data: bytes.subarray(at) };
}

function pixel(r: Raster, x: number, y: number): number[] {
  const i = (Math.floor(y) * r.width + Math.floor(x)) * r.channels;
  return [...r.data.subarray(i, i + r.channels)];
}

/** Mean gray level of a rectangle given in fractions of the page. */
function meanGray(r: Raster, fx0: number, fy0: number, fx1: number, fy1: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.floor(fy0 * r.height); y < Math.floor(fy1 * r.height); y++) {
    for (let x = Math.floor(fx0 * r.width); x < Math.floor(fx1 * r.width); x++) {
      sum += pixel(r, x, y)[0] as number;
      n++;
    }
  }
  return sum / n;
}

/** Decoded bytes of a page's content streams, in order. */
function pageContent(doc: PDFDocument, index: number): Buffer {
  const contents = doc.getPage(index).node.Contents();
  const streams: PDFObject[] = contents instanceof PDFArray ? contents.asArray().map((ref) => doc.context.lookup(ref) as PDFObject) : contents ? [contents] : [];
  return Buffer.concat(
    streams.map((s) => {
      expect(s).to.be.instanceOf(PDFRawStream);
      return Buffer.from((s as PDFRawStream).getContents());
    }),
  );
}

function serialized(object: PDFObject): Buffer {
  const out = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

/** Inserts an EXIF APP1 segment carrying `orientation` right after the JPEG's SOI marker. */
function withExifOrientation(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.from([0x4d, 0x4d, 0x00, 0x2a, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0]);
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]);
  return Buffer.concat([jpeg.subarray(0, 2), header, body, jpeg.subarray(2)]);
}

async function expectDomainError(promise: Promise<unknown>, code: string): Promise<void> {
  try {
    await promise;
  } catch (e) {
    expect(e).to.be.instanceOf(DomainError);
    expect((e as DomainError).code).to.equal(code);
    return;
  }
  expect.fail(`expected DomainError ${code}`);
}

const block: CertificationBlock = {
  unitName: 'UBND xã Nùng Năng',
  placeName: 'Nùng Năng',
  certifiedAt: '2026-11-05T07:30:00Z',
  signerTitle: 'Phó Chủ tịch UBND xã',
  signerName: 'Lò Văn Hùng',
  caseCode: 'CT-2026-000123',
  verifyUrl: 'https://chungthuc.nungnang.example.vn/xac-thuc/CT-2026-000123?k=8f3a9c2d',
  documents: [
    { type: 'Căn cước công dân', issuer: 'Cục Cảnh sát quản lý hành chính về trật tự xã hội', pages: 2, copies: 1 },
    { type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 2 },
  ],
};

const stamp = {
  certificationNumber: '4711/2026-SCTĐT/BS',
  book: 'SCTĐT/BS',
  sealedAt: '2026-11-05T08:45:00Z',
  unitName: 'UBND xã Nùng Năng',
  sealerName: 'Phạm Thị Mai',
};

async function sealed(copy: Uint8Array): Promise<Uint8Array> {
  const doc = await PDFDocument.load(copy, { updateMetadata: false });
  await drawSealStamp(doc, stamp);
  return doc.save({ useObjectStreams: false });
}

describe('PDF documents for citizens', function () {
  this.timeout(60_000);

  describe('formats of administrative papers', () => {
    it('writes dates the way Nghị định 30/2020 pads them, in Viet Nam time', () => {
      expect(viLongDate('2026-11-05T07:30:00Z')).to.equal('ngày 05 tháng 11 năm 2026');
      expect(viLongDate('2026-03-09T02:00:00Z')).to.equal('ngày 09 tháng 3 năm 2026');
      expect(viLongDate('2026-01-20T02:00:00Z')).to.equal('ngày 20 tháng 01 năm 2026');
      // 18:30 UTC on 31 Dec is already 1 Jan in Viet Nam.
      expect(viLongDate('2026-12-31T18:30:00Z')).to.equal('ngày 01 tháng 01 năm 2027');
      expect(viClockLongDate('2026-11-05T09:30:00Z')).to.equal('16 giờ 30 phút, ngày 05 tháng 11 năm 2026');
    });

    it('groups VND with dots and names the place without its level', () => {
      expect(formatVnd(6_000)).to.equal('6.000 đồng');
      expect(formatVnd(200_000)).to.equal('200.000 đồng');
      expect(formatVnd(1_234_567)).to.equal('1.234.567 đồng');
      expect(formatVnd(500)).to.equal('500 đồng');
      expect(placeNameOf('UBND xã Nùng Năng')).to.equal('Nùng Năng');
      expect(placeNameOf('Bộ phận Một cửa xã Bản Bo')).to.equal('Bản Bo');
      expect(placeNameOf('Ủy ban nhân dân phường Đông Ngạc')).to.equal('Đông Ngạc');
      expect(placeNameOf('Trung tâm Phục vụ hành chính công')).to.equal('Trung tâm Phục vụ hành chính công');
    });

    it('splits a certification number into number and book as the form prints them', () => {
      expect(splitCertificationNumber('12/2026-SCTĐT/BS', 'SCTĐT/BS')).to.deep.equal({ number: '12', book: '2026-SCTĐT/BS' });
      expect(splitCertificationNumber('000.15.43.H35-7/2026', 'SCTĐT/BS')).to.deep.equal({ number: '000.15.43.H35-7/2026', book: 'SCTĐT/BS' });
    });

    it('reads the EXIF orientation of a JPEG, 1 when there is none', async () => {
      const plain = await photographedPage(100, 150);
      expect(jpegExifOrientation(plain)).to.equal(1);
      for (const o of [3, 6, 8]) expect(jpegExifOrientation(withExifOrientation(plain, o))).to.equal(o);
      expect(jpegExifOrientation(Buffer.from('not a jpeg'))).to.equal(1);
    });
  });

  describe('certified copy from a 3-page PDF scan', () => {
    let scan: Uint8Array;
    let copy: Uint8Array;
    let copyFile: string;

    before(async () => {
      scan = await threePageScan();
      copy = await renderCertifiedCopy([{ bytes: scan, mimeType: 'application/pdf' }], block);
      copyFile = saveTemp(copy, 'copy');
    });

    it('has the 3 scan pages, unchanged, then one A4 certification page', async () => {
      expect(pageCount(copyFile)).to.equal(4);
      const out = await PDFDocument.load(copy);
      const src = await PDFDocument.load(scan);
      expect(out.getPageCount()).to.equal(4);
      for (let i = 0; i < 3; i++) {
        expect(pageContent(out, i).equals(pageContent(src, i)), `content of page ${i + 1}`).to.equal(true);
        expect(out.getPage(i).getSize()).to.deep.equal(src.getPage(i).getSize());
        expect(squash(pdfText(copyFile, i + 1))).to.include(`Scan page ${i + 1}`);
      }
      const last = out.getPage(3).getSize();
      expect(last.width).to.be.closeTo(A4_WIDTH, 0.01);
      expect(last.height).to.be.closeTo(A4_HEIGHT, 0.01);
      // Classic cross-reference table: signatures are appended as incremental updates.
      const tail = Buffer.from(copy).toString('latin1');
      expect(tail).to.match(/\nxref\n0 \d+\n/);
      expect(tail).not.to.include('/ObjStm');
    });

    it('prints the legal wording, the originals, the place and date, the signer and the verify URL', () => {
      const text = pdfText(copyFile, 4);
      const flat = squash(text);
      expect(flat).to.include('Chứng thực bản sao đúng với bản chính.');
      expect(flat).to.include('CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH');
      expect(flat).to.include('UBND XÃ NÙNG NĂNG');
      expect(flat).to.include('Nùng Năng, ngày 05 tháng 11 năm 2026');
      expect(flat).to.include('NGƯỜI THỰC HIỆN CHỨNG THỰC');
      expect(flat).to.include('Phó Chủ tịch UBND xã');
      expect(flat).to.include('Lò Văn Hùng');
      expect(flat).to.include('Căn cước công dân');
      expect(flat).to.include('Giấy khai sinh');
      expect(flat).to.include('tổng cộng 4 trang');
      expect(flat).to.include(block.verifyUrl);
      expect(flat).to.include(`Mã hồ sơ: ${block.caseCode}`);
      // The reserved box is there and empty.
      expect(text).to.include('Số chứng thực:').and.include('Quyển số:');
      expect(text).not.to.match(/Số chứng thực:\s+\d/);
      expect(flat).not.to.include('4711');
      // Precomposed characters, not letters followed by combining marks.
      expect(text).not.to.match(/[\u0300-\u036f]/);
      expect(text.normalize('NFC')).to.equal(text);
    });

    it('embeds its fonts with a ToUnicode map on the certification page', () => {
      const lines = poppler('pdffonts', ['-f', '4', '-l', '4', copyFile]).trim().split('\n').slice(2);
      expect(lines.length).to.be.greaterThan(0);
      for (const line of lines) {
        expect(line).to.match(/DejaVu/);
        // columns: emb sub uni
        expect(line).to.match(/\byes\s+yes\s+yes\b/);
      }
    });

    it('draws a QR code that holds the verify URL, module for module', () => {
      const dpi = 144;
      const r = raster(copyFile, 4, dpi, true);
      const m = qrMatrix(block.verifyUrl);
      const unit = QR_BOX.size / m.size;
      const px = dpi / 72;
      let wrong = 0;
      for (let row = 0; row < m.size; row++) {
        for (let col = 0; col < m.size; col++) {
          const x = (QR_BOX.x + (col + 0.5) * unit) * px;
          const y = (A4_HEIGHT - QR_BOX.y - QR_BOX.size + (row + 0.5) * unit) * px;
          const dark = (pixel(r, x, y)[0] as number) < 128;
          if (dark !== m.isDark(row, col)) wrong++;
        }
      }
      expect(m.size).to.be.at.least(21);
      expect(wrong).to.equal(0);
    });

    it('is the same file, byte for byte, when rendered again from the same input', async () => {
      const again = await renderCertifiedCopy([{ bytes: scan, mimeType: 'application/pdf' }], block);
      expect(Buffer.from(again).equals(Buffer.from(copy))).to.equal(true);
    });

    it('keeps the certification page on one page however many originals there are', async () => {
      const many = { ...block, documents: Array.from({ length: 40 }, (_, i) => ({ type: `Giấy tờ số ${i + 1}`, issuer: 'Sở Tư pháp tỉnh Lai Châu', pages: 1, copies: 1 })) };
      const file = saveTemp(await renderCertifiedCopy([{ bytes: scan, mimeType: 'application/pdf' }], many), 'many');
      expect(pageCount(file)).to.equal(4);
      const flat = squash(pdfText(file, 4));
      expect(flat).to.match(/… và \d+ bản chính khác/);
      expect(flat).to.include('Chứng thực bản sao đúng với bản chính.');
      expect(preview(file, 'ban-sao-nhieu-ban-chinh')).to.have.length(4);
    });

    describe('the seal stamp', () => {
      let sealedCopy: Uint8Array;
      let sealedFile: string;

      before(async () => {
        sealedCopy = await sealed(copy);
        sealedFile = saveTemp(sealedCopy, 'sealed');
      });

      it('writes the number, the book, the time and the sealer into the box', () => {
        const text = pdfText(sealedFile, 4);
        expect(text).to.match(/Số chứng thực:\s+4711\b/);
        expect(text).to.match(/Quyển số:\s+2026-SCTĐT\/BS/);
        expect(text).to.match(/Thời điểm đóng dấu:\s+15:45 ngày 05\/11\/2026/);
        expect(text).to.match(/Người đóng dấu:\s+Phạm Thị Mai/);
        expect(text).not.to.match(/[\u0300-\u036f]/);
        // The ring lettering is an outline: it does not scatter letters through the text.
        expect(squash(text)).to.include('Chứng thực bản sao đúng với bản chính.');
      });

      it('puts a red round seal inside the box, where there was no red before', () => {
        const countRed = (file: string) => {
          const dpi = 36;
          const r = raster(file, 4, dpi, false);
          const px = dpi / 72;
          let red = 0;
          let outside = 0;
          for (let y = 0; y < r.height; y++) {
            for (let x = 0; x < r.width; x++) {
              const [R, G, B] = pixel(r, x, y) as [number, number, number];
              if (!(R > 150 && G < 110 && B < 110)) continue;
              const pdfX = x / px;
              const pdfY = A4_HEIGHT - y / px;
              const inBox = pdfX >= SEAL_BOX.x && pdfX <= SEAL_BOX.x + SEAL_BOX.width && pdfY >= SEAL_BOX.y && pdfY <= SEAL_BOX.y + SEAL_BOX.height;
              if (inBox && Math.hypot(pdfX - SEAL_MARK.cx, pdfY - SEAL_MARK.cy) <= SEAL_MARK.radius + 2) red++;
              else outside++;
            }
          }
          return { red, outside };
        };
        expect(countRed(copyFile)).to.deep.equal({ red: 0, outside: 0 });
        const after = countRed(sealedFile);
        expect(after.red).to.be.greaterThan(100);
        expect(after.outside).to.equal(0);
      });

      it('changes nothing on the other pages', async () => {
        const before = await PDFDocument.load(copy);
        const after = await PDFDocument.load(sealedCopy);
        expect(after.getPageCount()).to.equal(4);
        for (let i = 0; i < 3; i++) {
          expect(pageContent(after, i).equals(pageContent(before, i)), `content of page ${i + 1}`).to.equal(true);
          expect(serialized(after.getPage(i).node).equals(serialized(before.getPage(i).node)), `dictionary of page ${i + 1}`).to.equal(true);
        }
        expect(pageContent(after, 3).equals(pageContent(before, 3))).to.equal(false);
      });

      it('refuses to stamp twice, or a document without a certification page', async () => {
        const doc = await PDFDocument.load(sealedCopy);
        await expectDomainError(drawSealStamp(doc, stamp), 'ALREADY_SEALED');
        await expectDomainError(drawSealStamp(await PDFDocument.load(scan), stamp), 'NOT_A_CERTIFICATION_PAGE');
      });

      it('stamps the same bytes when repeated from the same copy', async () => {
        expect(Buffer.from(await sealed(copy)).equals(Buffer.from(sealedCopy))).to.equal(true);
      });

      it('renders every page to a non-trivial PNG preview', () => {
        const files = preview(sealedFile, 'ban-sao-chung-thuc');
        expect(files).to.have.length(4);
        for (const f of files) expect(statSync(f).size).to.be.greaterThan(1_000);
      });
    });
  });

  describe('certified copy from photographed pages', () => {
    it('gives each JPEG an A4 page in its own orientation, then the certification page', async () => {
      const portrait = await photographedPage(300, 420);
      const landscape = await photographedPage(420, 300);
      const copy = await renderCertifiedCopy(
        [
          { bytes: portrait, mimeType: 'image/jpeg' },
          { bytes: landscape, mimeType: 'image/jpeg' },
        ],
        block,
      );
      const file = saveTemp(copy, 'jpeg-copy');
      expect(pageCount(file)).to.equal(3);
      const doc = await PDFDocument.load(copy);
      const [p1, p2, p3] = [0, 1, 2].map((i) => doc.getPage(i).getSize());
      expect(p1?.width).to.be.closeTo(A4_WIDTH, 0.01);
      expect(p1?.height).to.be.closeTo(A4_HEIGHT, 0.01);
      expect(p2?.width).to.be.closeTo(A4_HEIGHT, 0.01);
      expect(p2?.height).to.be.closeTo(A4_WIDTH, 0.01);
      expect(p3?.height).to.be.closeTo(A4_HEIGHT, 0.01);
      expect(squash(pdfText(file, 3))).to.include('gồm 2 trang sao (trang 1 đến trang 2)');
      // The picture fills the page inside the margins: its black corner block lands top left.
      const r = raster(file, 1, 20, true);
      expect(meanGray(r, 0.08, 0.08, 0.25, 0.25)).to.be.below(60);
      expect(meanGray(r, 0.6, 0.6, 0.9, 0.9)).to.be.above(200);

      const sealedFile = saveTemp(await sealed(copy), 'jpeg-sealed');
      expect(pdfText(sealedFile, 3)).to.match(/Số chứng thực:\s+4711\b/);
      const files = preview(sealedFile, 'ban-sao-tu-anh');
      expect(files).to.have.length(3);
      for (const f of files) expect(statSync(f).size).to.be.greaterThan(1_000);
    });

    it('turns a phone photo upright from its EXIF orientation', async () => {
      // Stored portrait with the block top left; orientation 6 = shown turned a quarter clockwise.
      const rotated = withExifOrientation(await photographedPage(300, 420), 6);
      const copy = await renderCertifiedCopy([{ bytes: rotated, mimeType: 'image/jpeg' }], block);
      const doc = await PDFDocument.load(copy);
      expect(doc.getPage(0).getSize().width).to.be.closeTo(A4_HEIGHT, 0.01);
      const r = raster(saveTemp(copy, 'exif'), 1, 20, true);
      expect(meanGray(r, 0.75, 0.1, 0.9, 0.25)).to.be.below(60);
      expect(meanGray(r, 0.1, 0.1, 0.25, 0.25)).to.be.above(200);
    });

    it('takes PNG pages too', async () => {
      const png = await photographedPage(300, 420, 'png');
      const file = saveTemp(await renderCertifiedCopy([{ bytes: png, mimeType: 'image/png' }], block), 'png-copy');
      expect(pageCount(file)).to.equal(2);
      expect(meanGray(raster(file, 1, 20, true), 0.08, 0.08, 0.25, 0.25)).to.be.below(60);
    });

    it('refuses an empty scan, unreadable parts and password-protected PDFs', async () => {
      await expectDomainError(renderCertifiedCopy([], block), 'SCAN_EMPTY');
      await expectDomainError(renderCertifiedCopy([{ bytes: Buffer.from('%PDF-1.4 nothing'), mimeType: 'application/pdf' }], block), 'SCAN_UNREADABLE');
      await expectDomainError(renderCertifiedCopy([{ bytes: Buffer.from('not an image'), mimeType: 'image/jpeg' }], block), 'SCAN_UNREADABLE');
      await expectDomainError(renderCertifiedCopy([{ bytes: await threePageScan(), mimeType: 'application/pdf' }], { ...block, documents: [] }), 'NO_ORIGINALS');

      const locked = new PDFKitDocument({ userPassword: 'matkhau', ownerPassword: 'chu' });
      const chunks: Buffer[] = [];
      locked.on('data', (c: Buffer) => chunks.push(c));
      const ended = new Promise<void>((resolve) => locked.on('end', () => resolve()));
      locked.text('mat');
      locked.end();
      await ended;
      const part: ScanPart = { bytes: Buffer.concat(chunks), mimeType: 'application/pdf' };
      await expectDomainError(renderCertifiedCopy([part], block), 'SCAN_ENCRYPTED');
    });
  });

  describe('slips', () => {
    const unit = { id: 'u-nung-nang', code: '000.15.43.H35', name: 'UBND xã Nùng Năng' };
    const citizen = { fullName: 'Nguyễn Thị Hòa', citizenId: '035190001234', birthDate: '1990-03-12', phone: '0912345678', email: 'hoa.nt@example.vn' };
    const officer = { officerId: 'o-lan', fullName: 'Trần Ngọc Lan' };
    const receipt: ReceptionReceiptInput = {
      caseCode: 'CT-2026-000123',
      unit,
      deskName: 'Bộ phận Một cửa',
      citizen,
      documents: [
        { type: 'Bằng tốt nghiệp trung học phổ thông', issuer: 'Sở Giáo dục và Đào tạo tỉnh Lai Châu', pages: 2, copies: 1 },
        { type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 },
      ],
      receivedAt: '2026-11-05T02:15:00Z',
      dueAt: '2026-11-05T09:30:00Z',
      receivedBy: officer,
      trackingUrl: 'https://chungthuc.nungnang.example.vn/tra-cuu/CT-2026-000123',
    };

    it('reception receipt: citizen, originals, fee in VND, reception and due time, tracking link', async () => {
      const bytes = await renderReceptionReceipt(receipt);
      const file = saveTemp(bytes, 'receipt');
      expect(pageCount(file)).to.equal(1);
      const text = pdfText(file, 1);
      const flat = squash(text);
      expect(flat).to.include('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
      expect(flat).to.include('Độc lập - Tự do - Hạnh phúc');
      expect(flat).to.include('GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ');
      expect(flat).to.include('Mã hồ sơ: CT-2026-000123');
      expect(flat).to.include('Nguyễn Thị Hòa');
      expect(flat).to.include('035190001234');
      expect(flat).to.include('0912345678');
      expect(flat).to.include('hoa.nt@example.vn');
      expect(flat).to.include('Bằng tốt nghiệp');
      expect(flat).to.include('Phí chứng thực: 6.000 đồng');
      expect(flat).to.include('Thời gian nhận hồ sơ: 09 giờ 15 phút, ngày 05 tháng 11 năm 2026');
      expect(flat).to.include('Hẹn trả kết quả: 16 giờ 30 phút, ngày 05 tháng 11 năm 2026');
      expect(flat).to.include('Nùng Năng, ngày 05 tháng 11 năm 2026');
      expect(flat).to.include('NGƯỜI TIẾP NHẬN HỒ SƠ');
      expect(flat).to.include('Trần Ngọc Lan');
      expect(flat).to.include(receipt.trackingUrl);
      expect(text).not.to.match(/[\u0300-\u036f]/);
      expect(flat).not.to.include('Trang 1/');
      expect(Buffer.from(await renderReceptionReceipt(receipt)).equals(Buffer.from(bytes))).to.equal(true);
      const files = preview(file, 'giay-tiep-nhan');
      expect(files).to.have.length(1);
      expect(statSync(files[0] as string).size).to.be.greaterThan(1_000);
    });

    it('reception receipt: a long list of originals flows onto further pages', async () => {
      const documents = Array.from({ length: 45 }, (_, i) => ({ type: `Giấy tờ số ${i + 1}`, issuer: 'Sở Tư pháp tỉnh Lai Châu', pages: 3, copies: 1 }));
      const file = saveTemp(await renderReceptionReceipt({ ...receipt, documents }), 'receipt-long');
      const pages = pageCount(file);
      expect(pages).to.be.at.least(2);
      const all = squash(poppler('pdftotext', ['-layout', file, '-']));
      expect(all).to.include('Giấy tờ số 45');
      expect(all).to.include(`Phí chứng thực: ${formatVnd(45 * 5_000)}`);
      expect(all).to.include('Trần Ngọc Lan');
      for (let page = 1; page <= pages; page++) expect(squash(pdfText(file, page))).to.include(`mã hồ sơ CT-2026-000123 - Trang ${page}/${pages}`);
      expect(preview(file, 'giay-tiep-nhan-dai')).to.have.length(pages);
    });

    it('apology slip: the missed date, the reason and the new appointment', async () => {
      const input = {
        caseCode: 'CT-2026-000123',
        unit,
        citizen,
        receivedAt: '2026-11-05T02:15:00Z',
        missedDueAt: '2026-11-05T09:30:00Z',
        newAppointmentAt: '2026-11-06T03:00:00Z',
        issuedAt: '2026-11-05T09:40:00Z',
        stuckAt: 'ký duyệt của lãnh đạo',
      };
      const bytes = await renderApologySlip(input);
      const file = saveTemp(bytes, 'apology');
      expect(pageCount(file)).to.equal(1);
      const flat = squash(pdfText(file, 1));
      expect(flat).to.include('PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ');
      expect(flat).to.include('Kính gửi: Ông (Bà) Nguyễn Thị Hòa');
      expect(flat).to.include('16 giờ 30 phút, ngày 05 tháng 11 năm 2026');
      expect(flat).to.include('ký duyệt của lãnh đạo');
      expect(flat).to.include('hẹn trả kết quả giải quyết hồ sơ vào 10 giờ 00 phút, ngày 06 tháng 11 năm 2026');
      expect(flat).to.include('xin lỗi Ông (Bà)');
      expect(flat).to.include('THỦ TRƯỞNG CƠ QUAN');
      expect(Buffer.from(await renderApologySlip(input)).equals(Buffer.from(bytes))).to.equal(true);

      const signedFlat = squash(pdfText(saveTemp(await renderApologySlip({ ...input, signedBy: { title: 'Chủ tịch', fullName: 'Lý Văn Sơn' } })), 1));
      expect(signedFlat).to.include('CHỦ TỊCH');
      expect(signedFlat).to.include('Lý Văn Sơn');
      expect(preview(file, 'phieu-xin-loi')).to.have.length(1);
    });

    it('refusal notice: the legal ground, the note and who refused', async () => {
      const input = {
        caseCode: 'CT-2026-000124',
        unit,
        citizen,
        ground: 'SECRET' as const,
        note: 'Bản chính có dấu "MẬT" của cơ quan cấp.',
        refusedBy: officer,
        refusedAt: '2026-11-05T03:05:00Z',
      };
      const bytes = await renderRefusalNotice(input);
      const file = saveTemp(bytes, 'refusal');
      expect(pageCount(file)).to.equal(1);
      const flat = squash(pdfText(file, 1));
      expect(flat).to.include('PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ');
      expect(flat).to.include('Điều 22 Nghị định số 23/2015/NĐ-CP');
      expect(flat).to.include(REFUSAL_GROUNDS.SECRET);
      expect(flat).to.include('Bản chính có dấu "MẬT" của cơ quan cấp.');
      expect(flat).to.include('10 giờ 05 phút, ngày 05 tháng 11 năm 2026');
      expect(flat).to.include('Trần Ngọc Lan');
      expect(Buffer.from(await renderRefusalNotice(input)).equals(Buffer.from(bytes))).to.equal(true);
      expect(preview(file, 'phieu-tu-choi')).to.have.length(1);
    });
  });
});
