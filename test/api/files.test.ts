/**
 * Uploading scans and reading them back: PDF, JPEG and PNG recognised by content, not by name;
 * size limit; cut-off PDFs refused; PDF pages counted; the same bytes stored once; downloads
 * byte-identical and limited to the officers whose units cover an uploader.
 */
import { pdfFromObjects } from '../../infra/pdf/simplePdf';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect } from 'chai';
import { countPdfPages } from '../../infra/fileContent';
import { DEFAULT_FILES_DIR, FileStore, fileStoreConfigFromEnv } from '../../infra/fileStore';
import { DEFAULT_LIMITS } from '../../infra/uploads/limits';
import { tinyJpeg, tinyPng } from '../support/scanImages';
import { createTestOfficer, http, sessionFor, startTestApp, type HttpResult, type TestApp } from '../support/identityApp';


const page = (text: string) => `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ${text} >>`;

/** Two A4 pages, each with a line of text. */
function twoPagePdf(): Buffer {
  const content = (line: string) => {
    const stream = `BT /F1 24 Tf 72 760 Td (${line}) Tj ET`;
    return `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  };
  return pdfFromObjects([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>',
    page('5 0 R /Resources << /Font << /F1 7 0 R >> >>'),
    page('6 0 R /Resources << /Font << /F1 7 0 R >> >>'),
    content('Trang 1'),
    content('Trang 2'),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** Three pages kept compressed in an object stream, as PDF 1.5+ scanners write them. */
function objectStreamPdf(): Buffer {
  const objs = ['<< /Type /Page /Parent 2 0 R >>', '<</Type/Page/Parent 2 0 R>>', '<< /Type /Page /Parent 2 0 R /Rotate 90 >>'];
  let header = '';
  let body = '';
  objs.forEach((o, i) => {
    header += `${3 + i} ${body.length} `;
    body += `${o}\n`;
  });
  const packed = deflateSync(Buffer.from(header + body, 'latin1'));
  const head = Buffer.from(
    '%PDF-1.5\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>\nendobj\n' +
      `6 0 obj\n<< /Type /ObjStm /N 3 /First ${header.length} /Filter /FlateDecode /Length ${packed.length} >>\nstream\n`,
    'latin1',
  );
  return Buffer.concat([head, packed, Buffer.from('\nendstream\nendobj\nstartxref\n0\n%%EOF\n', 'latin1')]);
}

const JPEG = tinyJpeg('dữ liệu ảnh quét');
const PNG = tinyPng();
/** A PNG of exactly `bytes` bytes, its comment making up the size. */
const pngOfSize = (bytes: number) => tinyPng('x'.repeat(bytes - PNG.length - 20));

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('API file uploads (scans)', function () {
  this.timeout(60_000);
  let app: TestApp;
  let filesDir: string;
  let receiverId: string;
  let receiver: string;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async function upload(data: Buffer | string, options: { contentType?: string; name?: string; token?: string; key?: string } = {}): Promise<HttpResult<any>> {
    const res = await fetch(`${app.baseUrl}/api/files`, {
      method: 'POST',
      headers: {
        'content-type': options.contentType ?? 'application/octet-stream',
        authorization: `Bearer ${options.token ?? receiver}`,
        ...(options.name !== undefined ? { 'x-file-name': encodeURIComponent(options.name) } : {}),
        ...(options.key !== undefined ? { 'idempotency-key': options.key } : {}),
      },
      body: data,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  async function download(fileId: string, token: string): Promise<{ status: number; bytes: Buffer; headers: Headers }> {
    const res = await fetch(`${app.baseUrl}/api/files/${fileId}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), headers: res.headers };
  }

  const useLimit = (maxBytes: number) => {
    app.ctx.files = new FileStore(app.ctx.db, app.clock, { dir: filesDir, maxBytes });
  };

  before(async () => {
    app = await startTestApp({ otpRequired: false });
    filesDir = mkdtempSync(join(tmpdir(), 'files-test-'));
    useLimit(1024 * 1024);
    receiverId = await createTestOfficer(app.ctx.db, { username: 'tiepnhan.tep', rights: ['CERT_CREATE'], unitIds: [app.org.deskA] });
    receiver = await sessionFor(app, receiverId);
  });
  after(async () => {
    await app?.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('accepts a 2-page PDF, counts its pages, stores it under its SHA-256 and audits the upload', async () => {
    const pdf = twoPagePdf();
    const res = await upload(pdf, { contentType: 'application/pdf', name: 'Bản sao giấy khai sinh.pdf' });
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ mimeType: 'application/pdf', bytes: pdf.length, pages: 2, sha256: sha256(pdf), originalName: 'Bản sao giấy khai sinh.pdf', alreadyStored: false });
    expect(res.body.fileId).to.match(/^[0-9a-f-]{36}$/);
    const onDisk = join(filesDir, sha256(pdf).slice(0, 2), sha256(pdf).slice(2, 4), sha256(pdf));
    expect(readFileSync(onDisk).equals(pdf)).to.equal(true);
    const audit: Array<{ action: string; target: string; outcome: string; details: Record<string, unknown> }> = await app.ctx.db.query(
      `select action, target, outcome, details from audit_log where action = 'files.upload' and target = $1`,
      [`file:${res.body.fileId}`],
    );
    expect(audit).to.have.length(1);
    expect(audit[0].details).to.include({ sha256: sha256(pdf), mimeType: 'application/pdf', pages: 2 });
  });

  it('accepts a JPEG sent as application/octet-stream and a PNG sent as image/png; images have no page count', async () => {
    const jpeg = await upload(JPEG, { name: 'cccd-mat-truoc.jpg' });
    expect(jpeg.status, JSON.stringify(jpeg.body)).to.equal(201);
    expect(jpeg.body).to.include({ mimeType: 'image/jpeg', bytes: JPEG.length, pages: null });
    const png = await upload(PNG, { contentType: 'image/png' });
    expect(png.status, JSON.stringify(png.body)).to.equal(201);
    expect(png.body).to.include({ mimeType: 'image/png', pages: null, originalName: null });
  });

  it('judges the type by content: a text file named .pdf, a Word file and a TIFF are refused with 415 naming the accepted types', async () => {
    const fake = await upload(Buffer.from('Đây không phải là tệp PDF, chỉ là văn bản.'), { contentType: 'application/pdf', name: 'giay-to.pdf' });
    expect(fake.status).to.equal(415);
    expect(fake.body.error.code).to.equal('UNSUPPORTED_FILE_TYPE');
    expect(fake.body.error.message).to.include('PDF, JPEG hoặc PNG').and.include('giay-to.pdf');
    const docx = await upload(Buffer.from('PK\x03\x04 word/document.xml', 'latin1'), { name: 'don.docx' });
    expect(docx.status).to.equal(415);
    expect(docx.body.error.message).to.include('Word');
    const tiff = await upload(Buffer.from([0x49, 0x49, 0x2a, 0x00, 1, 2, 3]), { name: 'scan.tif' });
    expect(tiff.status).to.equal(415);
    expect(tiff.body.error.message).to.include('TIFF');
    const heic = await upload(Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]), { name: 'IMG_0001.HEIC' });
    expect(heic.status).to.equal(415);
    expect(heic.body.error.message).to.include('HEIC');
    const rows: unknown[] = await app.ctx.db.query(`select 1 from uploaded_files where original_name in ('giay-to.pdf', 'don.docx', 'scan.tif')`);
    expect(rows).to.have.length(0);
  });

  it('refuses a file over the size limit with 413 saying the limit, and accepts one exactly at it', async () => {
    useLimit(2048);
    try {
      const big = pngOfSize(3000);
      const tooBig = await upload(big, { contentType: 'image/png' });
      expect(tooBig.status).to.equal(413);
      expect(tooBig.body.error.code).to.equal('FILE_TOO_LARGE');
      expect(tooBig.body.error.message).to.include('tối đa cho phép là 2 KB');
      const exact = await upload(pngOfSize(2048), { contentType: 'image/png' });
      expect(exact.status, JSON.stringify(exact.body)).to.equal(201);
      expect(exact.body.bytes).to.equal(2048);
    } finally {
      useLimit(1024 * 1024);
    }
  });

  it('refuses a PDF cut off mid-upload (no %%EOF) and an empty body, storing nothing', async () => {
    const pdf = twoPagePdf();
    const cut = pdf.subarray(0, Math.floor(pdf.length / 2));
    const truncated = await upload(cut, { contentType: 'application/pdf', name: 'dang-do.pdf' });
    expect(truncated.status).to.equal(400);
    expect(truncated.body.error.code).to.equal('PDF_TRUNCATED');
    expect(truncated.body.error.message).to.include('tải lên lại');
    const rows: unknown[] = await app.ctx.db.query('select 1 from uploaded_files where sha256 = $1', [sha256(cut)]);
    expect(rows).to.have.length(0);
    expect(existsSync(join(filesDir, sha256(cut).slice(0, 2)))).to.equal(false);
    const empty = await upload(Buffer.alloc(0));
    expect(empty.status).to.equal(400);
    expect(empty.body.error.code).to.equal('FILE_EMPTY');
  });

  it('counts PDF pages in plain objects, in compressed object streams and across an incremental save, never counting /Pages nodes', async () => {
    expect(countPdfPages(twoPagePdf())).to.equal(2);
    expect(countPdfPages(objectStreamPdf())).to.equal(3);
    // An incremental save appends a new version of page 4 0 obj: still two pages.
    const base = twoPagePdf();
    const update = Buffer.from(`4 0 obj\n${page('6 0 R /Rotate 90')}\nendobj\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 8 /Root 1 0 R /Prev 0 >>\nstartxref\n0\n%%EOF\n`, 'latin1');
    expect(countPdfPages(Buffer.concat([base, update]))).to.equal(2);
    expect(countPdfPages(pdfFromObjects(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']))).to.equal(null);
    const viaApi = await upload(objectStreamPdf(), { contentType: 'application/pdf' });
    expect(viaApi.status, JSON.stringify(viaApi.body)).to.equal(201);
    expect(viaApi.body.pages).to.equal(3);
  });

  it('gives the same file id for the same bytes, also from another officer, and keeps one copy', async () => {
    const bytes = tinyPng('cung mot ban quet');
    const first = await upload(bytes, { name: 'lan-1.png' });
    const otherId = await createTestOfficer(app.ctx.db, { username: 'tiepnhan.b', rights: ['CERT_CREATE'], unitIds: [app.org.deskB] });
    const second = await upload(bytes, { name: 'lan-2.png', token: await sessionFor(app, otherId) });
    expect([first.status, second.status]).to.deep.equal([201, 201]);
    expect(second.body.fileId).to.equal(first.body.fileId);
    expect(second.body).to.include({ alreadyStored: true, originalName: 'lan-1.png' });
    const rows: unknown[] = await app.ctx.db.query('select 1 from uploaded_files where sha256 = $1', [sha256(bytes)]);
    expect(rows).to.have.length(1);
    const uploaders: Array<{ officer_id: string }> = await app.ctx.db.query('select officer_id from uploaded_file_uploaders where file_id = $1 order by officer_id', [first.body.fileId]);
    expect(uploaders.map((u) => u.officer_id).sort()).to.deep.equal([receiverId, otherId].sort());
  });

  it('stores the same bytes uploaded by several officers at once as one file that each of them uploaded', async () => {
    const bytes = tinyPng('cung luc nhieu nguoi');
    const officers = [receiverId];
    for (const n of [1, 2, 3]) officers.push(await createTestOfficer(app.ctx.db, { username: `tiepnhan.cungluc${n}`, rights: ['CERT_CREATE'], unitIds: [app.org.deskA] }));
    const tokens = await Promise.all(officers.map((id) => sessionFor(app, id)));
    const answers = await Promise.all(tokens.map((token, i) => upload(bytes, { name: `cung-luc-${i}.png`, token })));
    expect(answers.map((a) => a.status)).to.deep.equal([201, 201, 201, 201]);
    expect(new Set(answers.map((a) => a.body.fileId)).size).to.equal(1);
    expect(answers.filter((a) => a.body.alreadyStored === false)).to.have.length(1);
    const uploaders: Array<{ officer_id: string }> = await app.ctx.db.query('select officer_id from uploaded_file_uploaders where file_id = $1', [answers[0]!.body.fileId]);
    expect(uploaders.map((u) => u.officer_id).sort()).to.deep.equal([...officers].sort());
  });

  it('sends back identical bytes with the stored type to the uploader and to officers whose units cover his; others get 404 or 403', async () => {
    const pdf = twoPagePdf();
    const up = await upload(Buffer.concat([pdf.subarray(0, pdf.length - 6), Buffer.from('%%EOF\n\n')]), { contentType: 'application/pdf', name: 'Tờ khai.pdf' });
    expect(up.status, JSON.stringify(up.body)).to.equal(201);
    const own = await download(up.body.fileId, receiver);
    expect(own.status).to.equal(200);
    expect(own.headers.get('content-type')).to.equal('application/pdf');
    expect(sha256(own.bytes)).to.equal(up.body.sha256);
    expect(own.headers.get('etag')).to.equal(`"${up.body.sha256}"`);
    expect(own.headers.get('content-disposition')).to.match(/^inline; .*filename\*=UTF-8''T%E1%BB%9D%20khai\.pdf$/);

    const leaderId = await createTestOfficer(app.ctx.db, { username: 'lanhdao.a', rights: ['CERT_SIGN'], unitIds: [app.org.communeA] });
    const auditorId = await createTestOfficer(app.ctx.db, { username: 'thanhtra.huyen', rights: ['AUDIT'], unitIds: [app.org.district] });
    const strangerId = await createTestOfficer(app.ctx.db, { username: 'lanhdao.b', rights: ['CERT_SIGN'], unitIds: [app.org.communeB] });
    const supervisorId = await createTestOfficer(app.ctx.db, { username: 'giamsat.a', rights: ['CASE_SUPERVISE'], unitIds: [app.org.communeA] });
    for (const id of [leaderId, auditorId]) {
      const res = await download(up.body.fileId, await sessionFor(app, id));
      expect(res.status).to.equal(200);
      expect(res.bytes.equals(own.bytes)).to.equal(true);
    }
    const stranger = await download(up.body.fileId, await sessionFor(app, strangerId));
    expect(stranger.status).to.equal(404);
    const supervisor = await http(app, 'GET', `/api/files/${up.body.fileId}`, { token: await sessionFor(app, supervisorId) });
    expect(supervisor.status).to.equal(403);
    expect(supervisor.body.error.code).to.equal('RIGHT_REQUIRED');
    expect(supervisor.body.error.message).to.include('CERT_CREATE').and.include('AUDIT');
    const missing = await http(app, 'GET', '/api/files/00000000-0000-4000-8000-000000000000', { token: receiver });
    expect(missing.status).to.equal(404);
    const reads: Array<{ n: number }> = await app.ctx.db.query(`select count(*)::int as n from audit_log where action = 'files.read' and target = $1`, [`file:${up.body.fileId}`]);
    // The uploader, the leader, the auditor, and the refused stranger; the 403 is refused before the file is known.
    expect(reads[0].n).to.equal(4);
  });

  it('explains how to send a file when it comes as JSON or multipart form data', async () => {
    const asJson = await http(app, 'POST', '/api/files', { token: receiver, body: { file: 'JVBERi0xLjQ=' } });
    expect(asJson.status).to.equal(415);
    expect(asJson.body.error.message).to.include('X-File-Name');
    const form = new FormData();
    form.append('file', new Blob([twoPagePdf()]), 'a.pdf');
    const res = await fetch(`${app.baseUrl}/api/files`, { method: 'POST', headers: { authorization: `Bearer ${receiver}` }, body: form });
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(res.status).to.equal(415);
    expect(body.error.message).to.include('multipart/form-data');
  });

  it('refuses a malformed X-File-Name and strips folders from a good one', async () => {
    const bad = await fetch(`${app.baseUrl}/api/files`, {
      method: 'POST',
      headers: { 'content-type': 'image/png', authorization: `Bearer ${receiver}`, 'x-file-name': '%E0%A4%A' },
      body: tinyPng('ten hong'),
    });
    expect(bad.status).to.equal(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).to.equal('INVALID_FILE_NAME');
    const ok = await upload(tinyPng('ten co thu muc'), { name: 'C:\\Scan\\..\\ảnh.png' });
    expect(ok.body.originalName).to.equal('ảnh.png');
  });

  it('an upload with an Idempotency-Key is answered again without storing twice', async () => {
    const bytes = tinyPng('tai len hai lan');
    const a = await upload(bytes, { key: 'tai-len-1', name: 'x.png' });
    const b = await upload(bytes, { key: 'tai-len-1', name: 'x.png' });
    expect(b.headers.get('idempotent-replayed')).to.equal('true');
    expect(b.body).to.deep.equal(a.body);
    const other = await upload(tinyPng('tai len hai lan!'), { key: 'tai-len-1', name: 'x.png' });
    expect(other.status).to.equal(422);
  });

  it('reads FILES_DIR and UPLOAD_MAX_MB, with defaults', () => {
    expect(fileStoreConfigFromEnv({})).to.deep.equal({ dir: DEFAULT_FILES_DIR, maxBytes: 20 * 1024 * 1024, inspection: DEFAULT_LIMITS });
    expect(DEFAULT_FILES_DIR).to.equal(resolve(__dirname, '..', '..', '.data', 'files'));
    expect(fileStoreConfigFromEnv({ FILES_DIR: '/srv/scans', UPLOAD_MAX_MB: '2.5' })).to.deep.equal({ dir: '/srv/scans', maxBytes: 2.5 * 1024 * 1024, inspection: DEFAULT_LIMITS });
    expect(fileStoreConfigFromEnv({ DATA_DIR: '/srv/motcua' }).dir, 'with the system’s other data').to.equal('/srv/motcua/files');
    expect(fileStoreConfigFromEnv({ DATA_DIR: '/srv/motcua', FILES_DIR: '/mnt/scans' }).dir).to.equal('/mnt/scans');
    expect(() => fileStoreConfigFromEnv({ UPLOAD_MAX_MB: 'nhiều' })).to.throw(/UPLOAD_MAX_MB/);
  });
});
