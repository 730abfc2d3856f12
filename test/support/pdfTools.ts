/**
 * PDFs for tests and poppler's view of them: scans to certify (a 3-page PDF, photographed pages),
 * and what the outside tools — pdfsig, pdftotext, pdfinfo — report about a file.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, rgb, StandardFonts } from 'pdf-lib';
import { run } from '../pki/fixtures';

export const POPPLER = '/usr/bin';

let work: string | undefined;
let fileNo = 0;

export function saveTemp(bytes: Uint8Array, name = 'doc', extension = 'pdf'): string {
  work ??= mkdtempSync(join(tmpdir(), 'chung-thuc-pdf-test-'));
  const file = join(work, `${name}-${++fileNo}.${extension}`);
  writeFileSync(file, bytes);
  return file;
}

export function poppler(name: string, args: string[]): string {
  return execFileSync(join(POPPLER, name), args, { encoding: 'utf8' });
}

export function pageCount(file: string): number {
  const m = /^Pages:\s+(\d+)$/m.exec(poppler('pdfinfo', [file]));
  return Number(m?.[1]);
}

/** Text of one page (1-based), or of the whole file, as pdftotext extracts it. */
export function pdfText(file: string, page?: number, layout = true): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return poppler('pdftotext', [...(layout ? ['-layout'] : []), ...range, file, '-']);
}

export interface PdfsigSignature {
  fieldName: string;
  validation: string;
  certificate: string;
  commonName: string;
}

export function parsePdfsig(output: string): PdfsigSignature[] {
  return output
    .split(/^Signature #\d+:\s*$/m)
    .slice(1)
    .map((block) => ({
      fieldName: /Signature Field Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
      validation: /Signature Validation: (.*)/.exec(block)?.[1]?.trim() ?? '',
      certificate: /Certificate Validation: (.*)/.exec(block)?.[1]?.trim() ?? '',
      commonName: /Signer Certificate Common Name: (.*)/.exec(block)?.[1]?.trim() ?? '',
    }));
}

/** pdfsig's verdict on every signature of the file (it exits non-zero when one is invalid). */
export async function pdfsig(bytes: Uint8Array): Promise<PdfsigSignature[]> {
  const { output } = await run(join(POPPLER, 'pdfsig'), ['-no-ocsp', saveTemp(bytes, 'signed')]);
  return parsePdfsig(output);
}

/** A scanned original of three pages, the second one landscape. */
export async function threePageScan(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 3; i++) {
    const page = doc.addPage(i === 2 ? [842, 595] : [595, 842]);
    page.drawText(`Scan page ${i}`, { x: 60, y: page.getHeight() - 80, size: 24, font, color: rgb(0, 0, 0) });
  }
  return doc.save();
}

/** A photographed page (JPEG or PNG): white, with a black block in the top-left corner of the picture. */
export async function photographedPage(widthPt: number, heightPt: number, format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([widthPt, heightPt]);
  page.drawRectangle({ x: 0, y: heightPt * 0.7, width: widthPt * 0.3, height: heightPt * 0.3, color: rgb(0, 0, 0) });
  const src = saveTemp(await doc.save(), 'photo-src');
  const base = src.replace(/\.pdf$/, '');
  execFileSync(join(POPPLER, 'pdftoppm'), [`-${format}`, '-r', '36', '-singlefile', src, base]);
  return readFileSync(`${base}.${format === 'jpeg' ? 'jpg' : 'png'}`);
}
