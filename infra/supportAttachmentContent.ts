/**
 * Attachments of a support request (seed 003: "Chỉ nhận file .jpg, .mp3, .mp4, .png, .pdf, .doc,
 * .docx, .xls, .xlsx, .txt"), recognised by their content: a file whose name says one type and
 * whose bytes are another (a renamed .exe, a .doc that is really an .xls) is refused, saying what it
 * really is. Office files are told apart by the directories of their containers (the ZIP's central
 * directory, the OLE2 directory), nothing is decompressed.
 */
import { ApiError } from '../api/errors';
import { countPdfPages, fileEmpty, formatSize, pdfHasEof } from './fileContent';
import type { ContentCheck } from './fileStore';
import { ole2EntryNames, zipEntryNames } from './idScanContent';

export const SUPPORT_ATTACHMENT_TYPES = {
  jpg: 'image/jpeg',
  png: 'image/png',
  pdf: 'application/pdf',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  txt: 'text/plain',
} as const;

export type SupportAttachmentExtension = keyof typeof SUPPORT_ATTACHMENT_TYPES;
export type SupportAttachmentType = (typeof SUPPORT_ATTACHMENT_TYPES)[SupportAttachmentExtension];

export const SUPPORT_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;
export const SUPPORT_MAX_ATTACHMENTS = 10;

const EXTENSION_ALIASES: Readonly<Record<string, SupportAttachmentExtension>> = { jpeg: 'jpg' };
const ACCEPTED_VI = 'Chỉ nhận tệp .jpg, .mp3, .mp4, .png, .pdf, .doc, .docx, .xls, .xlsx, .txt';

const startsWith = (data: Buffer, bytes: readonly number[], at = 0) => data.length >= at + bytes.length && bytes.every((b, i) => data[at + i] === b);

/** What the bytes are: an accepted kind (by its extension) or a name for something else. */
type Content = { kind: SupportAttachmentExtension } | { kind: null; name: string };

const MP4_BRANDS = new Set(['isom', 'iso2', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ', 'M4A ', 'dash', 'mmp4', '3gp4', '3gp5', '3g2a']);

function zipKind(data: Buffer): Content {
  const names = new Set(zipEntryNames(data));
  if (names.has('[Content_Types].xml') && names.has('word/document.xml')) return { kind: 'docx' };
  if (names.has('[Content_Types].xml') && names.has('xl/workbook.xml')) return { kind: 'xlsx' };
  if (names.has('ppt/presentation.xml')) return { kind: null, name: 'bản trình chiếu PowerPoint (.pptx)' };
  return { kind: null, name: 'tệp nén ZIP' };
}

function ole2Kind(data: Buffer): Content {
  const names = new Set(ole2EntryNames(data));
  if (names.has('WordDocument')) return { kind: 'doc' };
  if (names.has('Workbook') || names.has('Book')) return { kind: 'xls' };
  if (names.has('PowerPoint Document')) return { kind: null, name: 'bản trình chiếu PowerPoint cũ (.ppt)' };
  return { kind: null, name: 'tệp Office cũ không phải Word hay Excel' };
}

/** Plain text: valid UTF-8 (a BOM allowed), no NUL, and control characters only as line and tab breaks. */
function isPlainText(data: Buffer): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(data);
  if (text.includes('\uFFFD')) return false;
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text);
}

function isMp3(data: Buffer): boolean {
  if (startsWith(data, [0x49, 0x44, 0x33])) return true; // an ID3 tag
  // An MPEG audio frame header: 11 bits of sync, layer III.
  return data.length >= 4 && data[0] === 0xff && (data[1]! & 0xe0) === 0xe0 && (data[1]! & 0x06) === 0x02;
}

function sniff(data: Buffer): Content {
  if (startsWith(data, [0x25, 0x50, 0x44, 0x46, 0x2d])) return { kind: 'pdf' };
  if (startsWith(data, [0xff, 0xd8, 0xff])) return { kind: 'jpg' };
  if (startsWith(data, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { kind: 'png' };
  if (startsWith(data, [0x50, 0x4b, 0x03, 0x04]) || startsWith(data, [0x50, 0x4b, 0x05, 0x06])) return zipKind(data);
  if (startsWith(data, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return ole2Kind(data);
  if (startsWith(data, [0x66, 0x74, 0x79, 0x70], 4)) {
    const brand = data.subarray(8, 12).toString('latin1');
    return MP4_BRANDS.has(brand) ? { kind: 'mp4' } : { kind: null, name: `tệp ${brand.trim() === 'heic' || brand.startsWith('hei') || brand === 'mif1' ? 'ảnh HEIC' : 'đa phương tiện không phải MP4'}` };
  }
  if (startsWith(data, [0x4d, 0x5a])) return { kind: null, name: 'chương trình chạy được (.exe)' };
  if (startsWith(data, [0x7f, 0x45, 0x4c, 0x46])) return { kind: null, name: 'chương trình chạy được (ELF)' };
  if (isMp3(data)) return { kind: 'mp3' };
  const head = data.subarray(0, 512).toString('latin1').trimStart().toLowerCase();
  if (head.startsWith('<!doctype html') || head.startsWith('<html') || head.startsWith('<script')) return { kind: null, name: 'trang web HTML' };
  if (isPlainText(data)) return { kind: 'txt' };
  return { kind: null, name: 'một loại tệp không được nhận' };
}

function extensionOf(name: string | null | undefined): string | undefined {
  const m = /\.([a-z0-9]+)$/i.exec(name?.trim() ?? '');
  if (!m) return undefined;
  const ext = (m[1] as string).toLowerCase();
  return EXTENSION_ALIASES[ext] ?? ext;
}

const refuse = (status: number, code: string, vi: string, en: string, details?: Record<string, unknown>) => new ApiError(status, code, vi, en, details);

export const checkSupportAttachment: ContentCheck<SupportAttachmentType> = (data, maxBytes, originalName) => {
  if (data.length === 0) throw fileEmpty();
  if (data.length > maxBytes) {
    throw refuse(413, 'FILE_TOO_LARGE', `Tệp đính kèm quá lớn (${formatSize(data.length)}): mỗi tệp tối đa ${formatSize(maxBytes)}.`, `The attachment is too large; at most ${maxBytes} bytes.`, { maxBytes, bytes: data.length });
  }
  let content: Content;
  try {
    content = sniff(data);
  } catch {
    throw refuse(400, 'FILE_DAMAGED', 'Tệp Office đính kèm bị hỏng hoặc không trọn vẹn; hãy lưu lại tệp và tải lên lại.', 'The Office file is damaged or incomplete.');
  }
  // A file without a name (or an extension) is taken for what its content is.
  const named = extensionOf(originalName) ?? content.kind ?? undefined;
  const label = originalName?.trim() || 'đính kèm';
  if (named === undefined || !(named in SUPPORT_ATTACHMENT_TYPES)) {
    throw refuse(415, 'UNSUPPORTED_FILE_TYPE', `Tệp “${label}” không được nhận. ${ACCEPTED_VI}.`, 'Only .jpg, .mp3, .mp4, .png, .pdf, .doc, .docx, .xls, .xlsx, .txt files are accepted.', {
      accepted: Object.keys(SUPPORT_ATTACHMENT_TYPES),
    });
  }
  if (content.kind !== named) {
    const real = content.kind ? `tệp .${content.kind}` : content.name;
    throw refuse(
      415,
      'FILE_EXTENSION_MISMATCH',
      `Tệp “${label}” có đuôi .${named} nhưng nội dung thực chất là ${real}. Loại tệp được kiểm tra theo nội dung, không theo đuôi tên tệp; ${ACCEPTED_VI.toLowerCase()}.`,
      `The file “${label}” is named .${named} but its content is ${content.kind ?? 'another type'}.`,
      { extension: named, ...(content.kind ? { detected: content.kind } : {}) },
    );
  }
  if (content.kind === 'pdf' && !pdfHasEof(data)) {
    throw refuse(400, 'PDF_TRUNCATED', 'Tệp PDF đính kèm không trọn vẹn (thiếu dấu kết thúc %%EOF); hãy tải lên lại.', 'The PDF is incomplete (no %%EOF).');
  }
  return { mimeType: SUPPORT_ATTACHMENT_TYPES[content.kind], pages: content.kind === 'pdf' ? countPdfPages(data) : null };
};
