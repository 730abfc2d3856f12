/**
 * Reads an uploaded JPEG or PNG's structure within bounds: its size in pixels is read from the
 * header and capped before anything is decoded (a 100 000 × 100 000 picture is a few kilobytes
 * compressed and gigabytes decoded), and a PNG's pixel data is inflated against what its header
 * declares. Programs appended after the picture are refused.
 */
import { constants as zlib, inflateSync } from 'node:zlib';
import { executableInside } from './inspectPdf';
import { findExecutable } from './executables';
import type { InspectionLimits } from './limits';
import { refuse, tooComplex, type Refusal } from './refusal';

const malformed = (kind: 'PNG' | 'JPEG', why: { vi: string; en: string }): Refusal => ({
  status: 422,
  code: 'IMAGE_MALFORMED',
  vi: `Tệp không phải là ảnh ${kind} hợp lệ (${why.vi}). Hãy mở ảnh để kiểm tra, lưu lại hoặc chụp/quét lại rồi tải lên.`,
  en: `The file is not a well-formed ${kind} image (${why.en}). Open it to check, save it again or scan again, then upload it.`,
});

function checkSize(kind: 'PNG' | 'JPEG', width: number, height: number, limits: InspectionLimits): void {
  if (width === 0 || height === 0) refuse(malformed(kind, { vi: 'kích thước ảnh bằng 0', en: 'its width or height is 0' }));
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    refuse({
      status: 422,
      code: 'IMAGE_TOO_LARGE',
      vi: `Ảnh có kích thước ${width} × ${height} điểm ảnh, vượt quá giới hạn ${Math.round(limits.maxPixels / 1_000_000)} triệu điểm ảnh (mỗi cạnh tối đa ${limits.maxSide}). Hãy quét với độ phân giải thấp hơn (ví dụ 200–300 dpi).`,
      en: `The image is ${width} × ${height} pixels, beyond the limit of ${Math.round(limits.maxPixels / 1_000_000)} megapixels (${limits.maxSide} per side). Scan at a lower resolution (e.g. 200–300 dpi).`,
      details: { width, height, maxPixels: limits.maxPixels, maxSide: limits.maxSide },
    });
  }
}

export interface ImageFacts {
  width: number;
  height: number;
}

// ---------------------------------------------------------------- PNG

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Samples per pixel by colour type, and the bit depths each allows. */
const PNG_COLOURS: Record<number, { channels: number; depths: readonly number[] }> = {
  0: { channels: 1, depths: [1, 2, 4, 8, 16] },
  2: { channels: 3, depths: [8, 16] },
  3: { channels: 1, depths: [1, 2, 4, 8] },
  4: { channels: 2, depths: [8, 16] },
  6: { channels: 4, depths: [8, 16] },
};

export function inspectPng(data: Buffer, limits: InspectionLimits): ImageFacts {
  const bad = (vi: string, en: string) => refuse(malformed('PNG', { vi, en }));
  if (data.length < 33 || !data.subarray(0, 8).equals(PNG_SIGNATURE)) bad('thiếu phần đầu PNG', 'no PNG header');
  if (data.readUInt32BE(8) !== 13 || data.toString('latin1', 12, 16) !== 'IHDR') bad('thiếu khối IHDR', 'no IHDR chunk first');
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const depth = data[24] ?? 0;
  const colour = PNG_COLOURS[data[25] ?? 255];
  if (!colour || !colour.depths.includes(depth) || data[26] !== 0 || data[27] !== 0 || (data[28] ?? 2) > 1) bad('thông số ảnh không hợp lệ', 'invalid image parameters');
  checkSize('PNG', width, height, limits);

  const idat: Buffer[] = [];
  let at = 8;
  let ended = false;
  while (at + 12 <= data.length) {
    const length = data.readUInt32BE(at);
    const type = data.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > data.length) bad('tệp bị cắt cụt', 'the file is cut short');
    if (type === 'IDAT') idat.push(data.subarray(at + 8, at + 8 + length));
    at += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) bad('thiếu khối kết thúc IEND', 'no IEND chunk');
  if (/[^\s\0]/.test(data.subarray(at).toString('latin1'))) {
    const program = findExecutable(data.subarray(at));
    refuse(program ? executableInside(program) : malformed('PNG', { vi: 'có dữ liệu lạ sau phần kết thúc ảnh', en: 'unknown data follows the image' }));
  }
  if (idat.length === 0) bad('không có dữ liệu ảnh', 'no image data');

  // Each row is a filter byte and its samples; interlacing adds at most a few rows' worth.
  const rowBytes = 1 + Math.ceil((width * colour!.channels * depth) / 8);
  const expected = rowBytes * height + (data[28] === 1 ? 8 * rowBytes : 0);
  if (expected > limits.maxInflatedBytes) {
    refuse(tooComplex({ vi: `ảnh giải nén lớn hơn ${Math.round(limits.maxInflatedBytes / 1024 / 1024)} MB`, en: `the image decodes to more than ${Math.round(limits.maxInflatedBytes / 1024 / 1024)} MB` }));
  }
  try {
    inflateSync(Buffer.concat(idat), { maxOutputLength: expected, finishFlush: zlib.Z_SYNC_FLUSH });
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') bad('dữ liệu ảnh nhiều hơn kích thước khai báo', 'more pixel data than its size declares');
    bad('dữ liệu ảnh nén bị hỏng', 'its compressed pixel data is damaged');
  }
  return { width, height };
}

// ---------------------------------------------------------------- JPEG

/** Start-of-frame markers carry the size: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isStartOfFrame = (marker: number) => marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

export function inspectJpeg(data: Buffer, limits: InspectionLimits): ImageFacts {
  const bad = (vi: string, en: string) => refuse(malformed('JPEG', { vi, en }));
  if (data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8) bad('thiếu phần đầu JPEG', 'no JPEG header');
  let at = 2;
  let size: ImageFacts | undefined;
  // The header segments, up to the start of the compressed picture.
  while (at + 4 <= data.length) {
    if (data[at] !== 0xff) bad('cấu trúc phần đầu bị hỏng', 'its header segments are damaged');
    const marker = data[at + 1] ?? 0;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = data.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > data.length) bad('tệp bị cắt cụt', 'the file is cut short');
    if (isStartOfFrame(marker)) {
      if (length < 8) bad('khung ảnh không hợp lệ', 'invalid frame header');
      size = { height: data.readUInt16BE(at + 5), width: data.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  if (!size) return bad('không có thông tin kích thước ảnh', 'no frame header with its size');
  checkSize('JPEG', size.width, size.height, limits);
  const end = data.lastIndexOf(Buffer.from([0xff, 0xd9]));
  if (end < at) bad('thiếu dấu kết thúc ảnh, có thể tệp bị cắt cụt', 'no end-of-image marker, the file may be cut short');
  // Phones append their own data after the picture (depth maps, previews); programs are refused.
  const program = findExecutable(data.subarray(at));
  if (program) refuse(executableInside(program));
  return size;
}
