/**
 * Uploads are read as well-formed documents of their kind, within bounded memory: a PDF that
 * inflates to 400 MB, a program wrapped in %PDF-…%%EOF, a PDF with no pages, a PNG claiming
 * 100 000 × 100 000 pixels are refused with 422 and nothing stored; a real multi-page PDF is
 * accepted with its page count; a file name's text-direction tricks are removed.
 */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';
import { expect } from 'chai';
import { PDFDocument } from 'pdf-lib';
import { FileStore } from '../../infra/fileStore';
import { DEFAULT_LIMITS } from '../../infra/uploads/limits';
import { createTestOfficer, sessionFor, startTestApp, type TestApp } from '../support/identityApp';
import { pngHeader, pngChunk, tinyPng } from '../support/scanImages';

/** Zeros deflated a megabyte at a time, so the test itself never holds the inflated size. */
export async function deflatedZeros(megabytes: number): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  z.on('data', (c: Buffer) => chunks.push(c));
  const zero = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < megabytes; i++) if (!z.write(zero)) await once(z, 'drain');
  z.end();
  await once(z, 'end');
  return Buffer.concat(chunks);
}

/** A one-page PDF whose page content is `packed`, declared FlateDecode. */
export function pdfWithStream(packed: Buffer): Buffer {
  const head =
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>endobj\n4 0 obj<</Length ${packed.length}/Filter/FlateDecode>>stream\n`;
  return Buffer.concat([Buffer.from(head, 'latin1'), packed, Buffer.from('\nendstream\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n', 'latin1')]);
}

/** The start of a Windows program: "MZ", e_lfanew at 0x3c pointing at "PE\0\0". */
export function windowsProgram(): Buffer {
  const exe = Buffer.alloc(512, 0x90);
  exe.write('MZ', 0, 'latin1');
  exe.writeUInt32LE(0x80, 0x3c);
  exe.write('PE\0\0', 0x80, 'latin1');
  exe.write('This program cannot be run in DOS mode.', 0x4e, 'latin1');
  return exe;
}

async function pagesPdf(pages: number): Promise<Buffer> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([595, 842]).drawText(`Trang ${i + 1}`, { x: 72, y: 760 });
  return Buffer.from(await doc.save());
}

describe('API upload inspection (bombs, disguised programs, empty documents, names)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let filesDir: string;
  let receiver: string;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function upload(data: Buffer, contentType: string, name?: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${app.baseUrl}/api/files`, {
      method: 'POST',
      headers: { 'content-type': contentType, authorization: `Bearer ${receiver}`, ...(name ? { 'x-file-name': encodeURIComponent(name) } : {}) },
      body: data,
    });
    return { status: res.status, body: await res.json() };
  }

  async function stored(): Promise<number> {
    const rows: Array<{ n: number }> = await app.ctx.db.query('select count(*)::int as n from uploaded_files');
    return rows[0]!.n;
  }

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    filesDir = mkdtempSync(join(tmpdir(), 'inspect-test-'));
    app.ctx.files = new FileStore(app.ctx.db, app.clock, { dir: filesDir, maxBytes: 20 * 1024 * 1024, inspection: DEFAULT_LIMITS });
    const id = await createTestOfficer(app.ctx.db, { username: 'tiepnhan.kiemtra', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
    receiver = await sessionFor(app, id);
  });
  after(async () => {
    await app?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('refuses a 400 KB PDF whose content inflates to 400 MB, with the API process staying far below that', async () => {
    const bomb = pdfWithStream(await deflatedZeros(400));
    expect(bomb.length).to.be.below(500 * 1024);
    const before = await stored();
    const baseline = process.memoryUsage().rss;
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
    try {
      const res = await upload(bomb, 'application/pdf', 'bom.pdf');
      expect(res.status).to.equal(422);
      expect(res.body.error.code).to.equal('FILE_TOO_COMPLEX');
      expect(res.body.error.message).to.include('giải nén').and.include('64 MB');
    } finally {
      clearInterval(sampler);
    }
    // The whole process — API and inspection thread — grows by the budget at most, not by 400 MB.
    expect(peak - baseline).to.be.below(256 * 1024 * 1024);
    expect(await stored()).to.equal(before);
  });

  it('refuses a Windows program between %PDF- and %%EOF, and one appended after a real PDF', async () => {
    const wrapped = Buffer.concat([Buffer.from('%PDF-1.4\n', 'latin1'), windowsProgram(), Buffer.from('\n%%EOF\n', 'latin1')]);
    const res = await upload(wrapped, 'application/pdf', 'hoa-don.pdf');
    expect(res.status).to.equal(422);
    expect(res.body.error.code).to.equal('FILE_CONTAINS_PROGRAM');
    expect(res.body.error.message).to.include('chương trình');
    const appended = await upload(Buffer.concat([await pagesPdf(1), windowsProgram()]), 'application/pdf');
    expect(appended.status).to.equal(422);
    expect(appended.body.error.code).to.equal('FILE_CONTAINS_PROGRAM');
    const after = await upload(Buffer.concat([await pagesPdf(1), windowsProgram(), Buffer.from('\n%%EOF\n')]), 'application/pdf');
    expect(after.status).to.equal(422);
    expect(after.body.error.code).to.equal('FILE_CONTAINS_PROGRAM');
  });

  it('refuses a bare "%PDF-1.4 %%EOF" and a PDF whose page tree is empty', async () => {
    const bare = await upload(Buffer.from('%PDF-1.4\n%%EOF', 'latin1'), 'application/pdf');
    expect(bare.status).to.equal(422);
    expect(bare.body.error).to.include({ code: 'PDF_MALFORMED' });
    expect(bare.body.error.message).to.match(/^Tệp không phải là một tài liệu PDF hợp lệ/);
    const noPages = Buffer.from(
      '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
      'latin1',
    );
    const empty = await upload(noPages, 'application/pdf');
    expect(empty.status).to.equal(422);
    expect(empty.body.error.message).to.include('không có trang nào');
  });

  it('accepts a real 7-page PDF with its page count, and refuses one beyond the page limit', async () => {
    const ok = await upload(await pagesPdf(7), 'application/pdf', 'Giấy khai sinh.pdf');
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body).to.include({ pages: 7, originalName: 'Giấy khai sinh.pdf' });
    const store = app.ctx.files!;
    app.ctx.files = new FileStore(app.ctx.db, app.clock, { ...store.config, inspection: { ...DEFAULT_LIMITS, maxPages: 5 } });
    try {
      const many = await upload(await pagesPdf(6), 'application/pdf');
      expect(many.status).to.equal(422);
      expect(many.body.error).to.deep.include({ code: 'PDF_TOO_MANY_PAGES', details: { maxPages: 5 } });
    } finally {
      app.ctx.files = store;
    }
  });

  it('refuses a PNG whose header claims 100 000 × 100 000 pixels, before decoding it', async () => {
    const bomb = Buffer.concat([pngHeader(100_000, 100_000), pngChunk('IDAT', Buffer.from([0x78, 0x9c, 0x03, 0x00])), pngChunk('IEND', Buffer.alloc(0))]);
    const res = await upload(bomb, 'image/png', 'anh.png');
    expect(res.status).to.equal(422);
    expect(res.body.error).to.deep.include({ code: 'IMAGE_TOO_LARGE', details: { width: 100_000, height: 100_000, maxPixels: DEFAULT_LIMITS.maxPixels, maxSide: DEFAULT_LIMITS.maxSide } });
    const junk = await upload(Buffer.concat([tinyPng('duoi'), windowsProgram()]), 'image/png');
    expect(junk.status).to.equal(422);
    expect(junk.body.error.code).to.equal('FILE_CONTAINS_PROGRAM');
  });

  it('removes a right-to-left override from a file name, so "scan‮fdp.exe" is kept as "scanfdp.exe", and keeps Vietnamese letters', async () => {
    const res = await upload(tinyPng('ten rtl'), 'image/png', 'scan\u202efdp.exe');
    expect(res.status).to.equal(201);
    expect(res.body.originalName).to.equal('scanfdp.exe');
    const vi = await upload(tinyPng('ten viet'), 'image/png', '\u2067Bản quét\u2069 \u200fhộ khẩu.png');
    expect(vi.body.originalName).to.equal('Bản quét hộ khẩu.png');
  });
});
