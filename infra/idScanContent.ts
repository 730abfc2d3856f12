/**
 * The scan of both sides of a citizen's ID card attached to an account request: one Word (.doc,
 * .docx) or PDF file of at most 5 MB (Công văn VPCP 2021, Phụ lục 2), recognised by its content.
 *
 * A .docx must be a ZIP whose central directory lists "[Content_Types].xml" and
 * "word/document.xml" (an Excel or PowerPoint file is a ZIP too); a .doc must be an OLE2 compound
 * file with a "WordDocument" stream (an .xls is an OLE2 file too). Only the directories are read,
 * nothing is decompressed. A file whose name says .pdf/.doc/.docx but whose content is another
 * type is refused, saying what it really is, so the officer knows which file went wrong.
 */
import { ApiError } from '../api/errors';
import { countPdfPages, fileEmpty, formatSize, pdfHasEof } from './fileContent';
import type { ContentCheck } from './fileStore';

export type IdScanType = 'application/pdf' | 'application/msword' | 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const ID_SCAN_MAX_BYTES = 5 * 1024 * 1024;

export const ID_SCAN_TYPES: readonly IdScanType[] = [
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
];

const TYPE_OF_EXTENSION: Record<string, IdScanType> = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

const EXTENSION_OF_TYPE: Record<IdScanType, string> = {
  'application/pdf': 'pdf',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
};

const ACCEPTED_VI = 'Chỉ nhận một tệp Word (.doc, .docx) hoặc PDF gồm hai mặt thẻ CCCD/CMND';

/** What the bytes are: one of the accepted types, or a description of something else. */
type Content = { type: IdScanType; name: string } | { type: null; name: string | null };

const startsWith = (data: Buffer, bytes: readonly number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);

const OTHER_SIGNATURES: ReadonlyArray<{ name: string; bytes: readonly number[]; at?: number }> = [
  { name: 'ảnh PNG', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'ảnh JPEG', bytes: [0xff, 0xd8, 0xff] },
  { name: 'ảnh HEIC (chụp từ điện thoại iPhone)', bytes: [0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69], at: 4 },
  { name: 'ảnh HEIC (chụp từ điện thoại iPhone)', bytes: [0x66, 0x74, 0x79, 0x70, 0x6d, 0x69, 0x66, 0x31], at: 4 },
  { name: 'ảnh TIFF', bytes: [0x49, 0x49, 0x2a, 0x00] },
  { name: 'ảnh TIFF', bytes: [0x4d, 0x4d, 0x00, 0x2a] },
  { name: 'ảnh GIF', bytes: [0x47, 0x49, 0x46, 0x38] },
  { name: 'ảnh WebP', bytes: [0x57, 0x45, 0x42, 0x50], at: 8 },
  { name: 'ảnh BMP', bytes: [0x42, 0x4d] },
  { name: 'văn bản RTF', bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66] },
  { name: 'tệp nén RAR', bytes: [0x52, 0x61, 0x72, 0x21] },
  { name: 'tệp nén 7z', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
];

class DamagedFile extends Error {}

// ---------------------------------------------------------------- ZIP (docx)

const ZIP_CENTRAL = 0x02014b50;
const ZIP_END = 0x06054b50;

/** Entry names from the ZIP's central directory. */
export function zipEntryNames(data: Buffer): string[] {
  const earliest = Math.max(0, data.length - 22 - 0xffff);
  let end = -1;
  for (let at = data.length - 22; at >= earliest; at--) {
    if (data.readUInt32LE(at) === ZIP_END) {
      end = at;
      break;
    }
  }
  if (end < 0) throw new DamagedFile('no end of central directory');
  const count = data.readUInt16LE(end + 10);
  const size = data.readUInt32LE(end + 12);
  const offset = data.readUInt32LE(end + 16);
  if (offset + size > end) throw new DamagedFile('central directory out of bounds');
  const names: string[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > end || data.readUInt32LE(at) !== ZIP_CENTRAL) throw new DamagedFile('bad central directory entry');
    const nameLength = data.readUInt16LE(at + 28);
    const extraLength = data.readUInt16LE(at + 30);
    const commentLength = data.readUInt16LE(at + 32);
    if (at + 46 + nameLength > end) throw new DamagedFile('entry name out of bounds');
    names.push(data.subarray(at + 46, at + 46 + nameLength).toString('utf8'));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

function zipContent(data: Buffer): Content {
  const names = new Set(zipEntryNames(data));
  if (names.has('[Content_Types].xml') && names.has('word/document.xml')) {
    return { type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', name: 'văn bản Word (.docx)' };
  }
  if (names.has('xl/workbook.xml')) return { type: null, name: 'bảng tính Excel (.xlsx)' };
  if (names.has('ppt/presentation.xml')) return { type: null, name: 'bản trình chiếu PowerPoint (.pptx)' };
  if (names.has('mimetype') && names.has('content.xml')) return { type: null, name: 'tài liệu OpenDocument (.odt/.ods)' };
  return { type: null, name: 'tệp nén ZIP (không phải văn bản Word)' };
}

// ---------------------------------------------------------------- OLE2 compound file (doc)

const OLE2_MAGIC = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;
const END_OF_CHAIN = 0xfffffffe;
const MAX_SECTOR = 0xfffffffa;

/** Names of the storages and streams in an OLE2 compound file's directory. */
export function ole2EntryNames(data: Buffer): string[] {
  if (data.length < 512) throw new DamagedFile('header cut short');
  const shift = data.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) throw new DamagedFile(`sector shift ${shift}`);
  const sectorSize = 1 << shift;
  const sectorAt = (n: number) => (n + 1) * sectorSize;
  const readSector = (n: number) => {
    if (n > MAX_SECTOR || sectorAt(n) + sectorSize > data.length) throw new DamagedFile(`sector ${n} out of bounds`);
    return data.subarray(sectorAt(n), sectorAt(n) + sectorSize);
  };

  // The FAT's own sectors: 109 listed in the header, the rest in a chain of DIFAT sectors.
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) fatSectors.push(data.readUInt32LE(0x4c + 4 * i));
  let difat = data.readUInt32LE(0x44);
  // Bounded by the sectors the file can hold, so a looping chain ends.
  for (let guard = Math.min(data.readUInt32LE(0x48), data.length / sectorSize); difat <= MAX_SECTOR && guard > 0; guard--) {
    const s = readSector(difat);
    for (let i = 0; i < sectorSize / 4 - 1; i++) fatSectors.push(s.readUInt32LE(4 * i));
    difat = s.readUInt32LE(sectorSize - 4);
  }
  const fatCount = data.readUInt32LE(0x2c);
  const fat = fatSectors.filter((n) => n <= MAX_SECTOR).slice(0, fatCount).map(readSector);
  const next = (n: number): number => {
    const perSector = sectorSize / 4;
    const s = fat[Math.floor(n / perSector)];
    if (s === undefined) throw new DamagedFile(`sector ${n} beyond the FAT`);
    return s.readUInt32LE(4 * (n % perSector));
  };

  const names: string[] = [];
  const seen = new Set<number>();
  for (let n = data.readUInt32LE(0x30); n !== END_OF_CHAIN; n = next(n)) {
    if (seen.has(n)) throw new DamagedFile('directory chain loops');
    seen.add(n);
    const s = readSector(n);
    for (let e = 0; e + 128 <= sectorSize; e += 128) {
      const type = s[e + 0x42];
      const length = s.readUInt16LE(e + 0x40);
      if (type === 0 || length < 2 || length > 64) continue; // unused entry
      names.push(s.subarray(e, e + length - 2).toString('utf16le'));
    }
  }
  return names;
}

function ole2Content(data: Buffer): Content {
  const names = new Set(ole2EntryNames(data));
  if (names.has('WordDocument')) return { type: 'application/msword', name: 'văn bản Word cũ (.doc)' };
  if (names.has('Workbook') || names.has('Book')) return { type: null, name: 'bảng tính Excel cũ (.xls)' };
  if (names.has('PowerPoint Document')) return { type: null, name: 'bản trình chiếu PowerPoint cũ (.ppt)' };
  if (names.has('EncryptedPackage')) return { type: null, name: 'tài liệu Office được đặt mật khẩu' };
  return { type: null, name: 'tệp Office cũ không phải văn bản Word' };
}

// ---------------------------------------------------------------- the check

function sniff(data: Buffer): Content {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { type: 'application/pdf', name: 'PDF' };
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) return zipContent(data);
  if (startsWith(data, OLE2_MAGIC)) return ole2Content(data);
  const other = OTHER_SIGNATURES.find((s) => startsWith(data, s.bytes, s.at));
  if (other) return { type: null, name: other.name };
  const head = data.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return { type: null, name: 'trang web HTML' };
  return { type: null, name: null };
}

function extensionOf(originalName: string | null | undefined): string | undefined {
  const m = /\.([a-z0-9]+)$/i.exec(originalName?.trim() ?? '');
  return m ? (m[1] as string).toLowerCase() : undefined;
}

function tooLarge(maxBytes: number, actual: number): ApiError {
  // Just over the limit rounds to the limit itself: "5 MB, at most 5 MB" would puzzle the officer.
  const size = formatSize(actual) === formatSize(maxBytes) ? `hơn ${formatSize(maxBytes)}` : formatSize(actual);
  return new ApiError(
    413,
    'FILE_TOO_LARGE',
    `Tệp bản quét CCCD/CMND quá lớn (${size}): dung lượng tối đa cho phép là ${formatSize(maxBytes)}. Hãy quét lại với độ phân giải thấp hơn (ví dụ 200 dpi) hoặc nén tệp, vẫn giữ hai mặt thẻ trong một tệp.`,
    `The ID scan is too large (${actual} bytes); at most ${maxBytes} bytes are accepted.`,
    { maxBytes, bytes: actual },
  );
}

function damaged(what: string): ApiError {
  return new ApiError(
    400,
    'FILE_DAMAGED',
    `Tệp ${what} bị hỏng hoặc không trọn vẹn (không đọc được cấu trúc của tệp), có thể do tải lên bị ngắt giữa chừng. Vui lòng lưu lại tệp và tải lên lại.`,
    `The ${what} file is damaged or incomplete; please save it again and upload it again.`,
  );
}

function mismatch(originalName: string, extension: string, content: Content): ApiError {
  const real = content.name ?? 'một loại tệp không xác định';
  const tail = content.type === null ? `${ACCEPTED_VI}.` : `Hãy đổi tên tệp cho đúng loại (.${EXTENSION_OF_TYPE[content.type]}) hoặc chọn lại tệp.`;
  return new ApiError(
    415,
    'FILE_EXTENSION_MISMATCH',
    `Tệp “${originalName}” có đuôi .${extension} nhưng nội dung thực chất là ${real}. ${tail} Loại tệp được kiểm tra theo nội dung, không theo đuôi tên tệp.`,
    `The file “${originalName}” is named .${extension} but its content is ${content.type ?? 'another type'}${content.type === null ? '; only Word (.doc, .docx) or PDF is accepted' : ''}.`,
    { extension, ...(content.type ? { detectedType: content.type } : {}), accepted: ID_SCAN_TYPES },
  );
}

function unsupported(content: Content): ApiError {
  const what = content.name ? `Tệp này là ${content.name}, không được nhận. ` : 'Nội dung tệp không phải văn bản Word hay PDF. ';
  return new ApiError(
    415,
    'UNSUPPORTED_FILE_TYPE',
    `${what}${ACCEPTED_VI}, dung lượng không quá 5 MB; loại tệp được kiểm tra theo nội dung, không theo đuôi tên tệp.`,
    `Only one Word (.doc, .docx) or PDF file with both sides of the ID card is accepted, recognised by its content.`,
    { accepted: ID_SCAN_TYPES },
  );
}

export const checkIdScanContent: ContentCheck<IdScanType> = (data, maxBytes, originalName) => {
  if (data.length === 0) throw fileEmpty();
  if (data.length > maxBytes) throw tooLarge(maxBytes, data.length);
  let content: Content;
  try {
    content = sniff(data);
  } catch (e) {
    if (!(e instanceof DamagedFile) && !(e instanceof RangeError)) throw e;
    throw damaged(startsWith(data, OLE2_MAGIC) ? 'Word/Office cũ (.doc)' : 'Word (.docx) hoặc ZIP');
  }
  const extension = extensionOf(originalName);
  const named = extension === undefined ? undefined : TYPE_OF_EXTENSION[extension];
  if (named !== undefined && named !== content.type) throw mismatch((originalName as string).trim(), extension as string, content);
  if (content.type === null) throw unsupported(content);
  if (content.type !== 'application/pdf') return { mimeType: content.type, pages: null };
  if (!pdfHasEof(data)) {
    throw new ApiError(
      400,
      'PDF_TRUNCATED',
      'Tệp PDF không trọn vẹn (thiếu dấu kết thúc %%EOF), có thể do tải lên bị ngắt giữa chừng. Vui lòng tải lên lại hoặc quét lại.',
      'The PDF is incomplete (no %%EOF marker at its end); the upload was probably cut short.',
    );
  }
  return { mimeType: content.type, pages: countPdfPages(data) };
};
