/**
 * What an uploaded scan is, decided by its bytes and never by its name: PDF, JPEG or PNG. A PDF
 * must end with its %%EOF marker (a cut-off upload does not) and has its pages counted.
 */
import { inflateSync, constants as zlib } from 'node:zlib';
import { ApiError } from '../api/errors';

export const ACCEPTED_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type AcceptedType = (typeof ACCEPTED_TYPES)[number];

const MAGIC: ReadonlyArray<{ type: AcceptedType; bytes: readonly number[] }> = [
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

/** Formats officers may try to send instead, so the refusal can say what the file really is. */
const OTHER_FORMATS: ReadonlyArray<{ name: string; bytes: readonly number[]; at?: number }> = [
  // Phone photos: an ISO media box "ftyp" with a HEIF brand, 4 bytes in.
  { name: 'HEIC (ảnh chụp từ điện thoại iPhone)', bytes: [0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69], at: 4 },
  { name: 'HEIC (ảnh chụp từ điện thoại iPhone)', bytes: [0x66, 0x74, 0x79, 0x70, 0x6d, 0x69, 0x66, 0x31], at: 4 },
  { name: 'TIFF', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'TIFF', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: 'GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'BMP', bytes: [0x42, 0x4d] },
  { name: 'ZIP/Word/Excel (docx, xlsx)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'Word/Excel cũ (doc, xls)', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

const startsWith = (data: Buffer, bytes: readonly number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);

export const EXTENSION: Record<string, string> = {
  'application/pdf': 'pdf',
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

export function isAcceptedType(mimeType: string): mimeType is AcceptedType {
  return (ACCEPTED_TYPES as readonly string[]).includes(mimeType);
}

const MIB = 1024 * 1024;

/** "20 MB", "1,5 MB", "4 KB": sizes as an officer reads them. */
export function formatSize(bytes: number): string {
  const fmt = (n: number) => n.toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  return bytes >= MIB ? `${fmt(bytes / MIB)} MB` : `${fmt(Math.max(bytes / 1024, 0.1))} KB`;
}

export const fileTooLarge = (maxBytes: number, actual?: number) =>
  new ApiError(
    413,
    'FILE_TOO_LARGE',
    `Tệp quá lớn${actual !== undefined ? ` (${formatSize(actual)})` : ''}: dung lượng tối đa cho phép là ${formatSize(maxBytes)}. Hãy quét lại với độ phân giải thấp hơn (ví dụ 200–300 dpi) hoặc chia thành nhiều tệp.`,
    `The file is too large${actual !== undefined ? ` (${actual} bytes)` : ''}; at most ${maxBytes} bytes are accepted.`,
    { maxBytes, ...(actual !== undefined ? { bytes: actual } : {}) },
  );

export const fileEmpty = () =>
  new ApiError(400, 'FILE_EMPTY', 'Tệp gửi lên trống (0 byte): hãy chọn lại tệp bản quét.', 'The uploaded file is empty.');

function unsupported(data: Buffer, originalName: string | null | undefined): ApiError {
  const other = OTHER_FORMATS.find((f) => startsWith(data, f.bytes, f.at));
  const what = other ? `Tệp này là ${other.name}, ` : 'Nội dung tệp không phải PDF, JPEG hay PNG, ';
  const named = originalName && /\.(pdf|jpe?g|png)$/i.test(originalName) ? ` (dù tên tệp “${originalName}” có đuôi như vậy)` : '';
  return new ApiError(
    415,
    'UNSUPPORTED_FILE_TYPE',
    `${what}không được nhận${named}. Chỉ nhận bản quét dạng PDF, JPEG hoặc PNG; loại tệp được kiểm tra theo nội dung, không theo đuôi tên tệp.`,
    `Only PDF, JPEG or PNG files are accepted, recognised by their content${other ? `; this one is ${other.name}` : ''}.`,
    { accepted: ACCEPTED_TYPES },
  );
}

/** The accepted type of these bytes, or a 415. */
export function sniffType(data: Buffer, originalName?: string | null): AcceptedType {
  const match = MAGIC.find((m) => startsWith(data, m.bytes));
  if (!match) throw unsupported(data, originalName);
  return match.type;
}

/** The PDF specification puts %%EOF within the last 1024 bytes; an upload cut short lacks it. */
export function pdfHasEof(data: Buffer): boolean {
  return data.subarray(Math.max(0, data.length - 1024)).includes('%%EOF', 0, 'latin1');
}

// A page object's dictionary says "/Type /Page"; the tree nodes above pages say "/Type /Pages".
const PAGE_TYPE = /\/Type\s*\/Page(?=[\s/<>[\]()%{}]|$)/g;
const OBJECT_HEADER = /(\d+)\s+\d+\s+obj\b/g;

/** Object numbers of the page objects in a run of PDF text, by the nearest object header before each "/Type /Page". */
function pageObjects(text: string, into: Set<string>, prefix: string): void {
  const headers: Array<{ at: number; num: string }> = [];
  for (const m of text.matchAll(OBJECT_HEADER)) headers.push({ at: m.index, num: m[1] });
  let h = -1;
  for (const m of text.matchAll(PAGE_TYPE)) {
    while (h + 1 < headers.length && headers[h + 1].at < m.index) h++;
    into.add(h >= 0 ? `${prefix}${headers[h].num}` : `${prefix}@${m.index}`);
  }
}

/** What the object streams of one file may inflate to, together, while pages are counted here. */
const OBJECT_STREAMS_BUDGET = 16 * 1024 * 1024;

/** Page objects stored compressed inside object streams (PDF 1.5+), as many scanners write them. */
function objectStreamPages(text: string, data: Buffer, into: Set<string>, budget = { left: OBJECT_STREAMS_BUDGET }): void {
  const OBJSTM = /\/Type\s*\/ObjStm\b/g;
  for (const m of text.matchAll(OBJSTM)) {
    const dictStart = text.lastIndexOf('obj', m.index);
    const streamAt = text.indexOf('stream', m.index);
    if (dictStart < 0 || streamAt < 0) continue;
    const dict = text.slice(dictStart, streamAt);
    const first = /\/First\s+(\d+)/.exec(dict);
    const count = /\/N\s+(\d+)/.exec(dict);
    if (!first || !count || !/\/FlateDecode/.test(dict) || /\/DecodeParms/.test(dict)) continue;
    let start = streamAt + 'stream'.length;
    if (text[start] === '\r') start++;
    if (text[start] === '\n') start++;
    const end = text.indexOf('endstream', start);
    if (end < 0) continue;
    let inflated: string;
    if (budget.left <= 0) return;
    try {
      // Bounded: this runs in the API's thread, and a stream of zeros may inflate a thousandfold.
      inflated = inflateSync(data.subarray(start, end), { finishFlush: zlib.Z_SYNC_FLUSH, maxOutputLength: budget.left }).toString('latin1');
    } catch {
      continue; // encrypted, damaged or beyond the budget: its pages stay uncounted
    }
    budget.left -= inflated.length;
    const header = inflated.slice(0, Number(first[1])).trim().split(/\s+/).map(Number);
    for (let i = 0; i < Number(count[1]) && 2 * i + 1 < header.length; i++) {
      const from = Number(first[1]) + header[2 * i + 1];
      const to = 2 * i + 3 < header.length ? Number(first[1]) + header[2 * i + 3] : inflated.length;
      if (new RegExp(PAGE_TYPE.source).test(inflated.slice(from, to))) into.add(String(header[2 * i]));
    }
  }
}

/**
 * The number of pages of a PDF, or null when none could be found. A scan for page objects, not a
 * PDF parser: it reads plain objects and Flate-compressed object streams, and counts each object
 * number once (so incremental saves do not double pages). Limits: pages removed by a later
 * incremental save are still counted; object streams with predictors or other filters, and
 * encrypted object streams, are not read (their pages are missed, possibly giving null). Officers
 * confirm the page count on reception, so this is a proposal, not the fee's last word.
 */
export function countPdfPages(data: Buffer): number | null {
  const text = data.toString('latin1');
  const pages = new Set<string>();
  pageObjects(text, pages, '');
  objectStreamPages(text, data, pages);
  return pages.size > 0 ? pages.size : null;
}

export interface CheckedContent {
  mimeType: AcceptedType;
  /** Pages of a PDF (null when unknown); null for an image. */
  pages: number | null;
}

/** Everything decided from the bytes alone: empty (400), too large (413), wrong type (415), cut-off PDF (400). */
export function checkFileContent(data: Buffer, maxBytes: number, originalName?: string | null): CheckedContent {
  if (data.length === 0) throw fileEmpty();
  if (data.length > maxBytes) throw fileTooLarge(maxBytes, data.length);
  const mimeType = sniffType(data, originalName);
  if (mimeType !== 'application/pdf') return { mimeType, pages: null };
  if (!pdfHasEof(data)) {
    throw new ApiError(
      400,
      'PDF_TRUNCATED',
      'Tệp PDF không trọn vẹn (thiếu dấu kết thúc %%EOF), có thể do tải lên bị ngắt giữa chừng. Vui lòng tải lên lại hoặc quét lại.',
      'The PDF is incomplete (no %%EOF marker at its end); the upload was probably cut short.',
    );
  }
  return { mimeType, pages: countPdfPages(data) };
}
