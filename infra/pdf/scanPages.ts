/**
 * The scan's pages as they enter a certified copy: pages of a PDF scan are copied unchanged; a
 * JPEG or PNG becomes one A4 page, turned to the picture's orientation, the picture fitted inside
 * a 1 cm margin and centred.
 */
import { concatTransformationMatrix, drawObject, PDFDocument, popGraphicsState, pushGraphicsState, type PDFImage } from 'pdf-lib';
import { bilingual, DomainError } from '../../domain/messages';
import { jpegExifOrientation, orientedImageMatrix, swapsSides, type ExifOrientation } from './jpegOrientation';
import { A4_HEIGHT, A4_WIDTH } from './pdfkitDocument';

export type ScanPart = { bytes: Uint8Array; mimeType: 'application/pdf' | 'image/jpeg' | 'image/png' };

export const IMAGE_PAGE_MARGIN = 28.35;

function unreadable(index: number, mimeType: string, cause: unknown): DomainError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new DomainError(
    'SCAN_UNREADABLE',
    bilingual(`Không đọc được phần ${index + 1} của bản quét (${mimeType}): ${detail}`, `Part ${index + 1} of the scan (${mimeType}) cannot be read: ${detail}`),
  );
}

function encrypted(index: number): DomainError {
  return new DomainError(
    'SCAN_ENCRYPTED',
    bilingual(`Phần ${index + 1} của bản quét là tệp PDF có mật khẩu, không sao được`, `Part ${index + 1} of the scan is a password-protected PDF and cannot be copied`),
  );
}

async function loadScanPdf(part: ScanPart, index: number): Promise<PDFDocument> {
  let source: PDFDocument;
  try {
    // Loaded even when encrypted, to say so: pdf-lib's own EncryptedPDFError fails instanceof.
    source = await PDFDocument.load(part.bytes, { updateMetadata: false, ignoreEncryption: true });
  } catch (e) {
    throw unreadable(index, part.mimeType, e);
  }
  if (source.isEncrypted) throw encrypted(index);
  return source;
}

async function appendPdfPages(target: PDFDocument, part: ScanPart, index: number): Promise<number> {
  const source = await loadScanPdf(part, index);
  try {
    const count = source.getPageCount();
    if (count === 0) throw new Error('no pages');
    const pages = await target.copyPages(source, source.getPageIndices());
    for (const page of pages) target.addPage(page);
    return count;
  } catch (e) {
    throw unreadable(index, part.mimeType, e);
  }
}

/**
 * The pages a part adds to the copy, read as the copy will read it: a PDF's page count (refused
 * when unreadable, encrypted or empty), one page for an image.
 */
export async function scanPartPages(part: ScanPart, index = 0): Promise<number> {
  if (part.mimeType !== 'application/pdf') return 1;
  const source = await loadScanPdf(part, index);
  let count: number;
  try {
    // A file with the PDF markers but no page tree throws here rather than at load.
    count = source.getPageCount();
  } catch (e) {
    throw unreadable(index, part.mimeType, e);
  }
  if (count === 0) throw unreadable(index, part.mimeType, new Error('no pages'));
  return count;
}

/** pdf-lib's image readers look at the whole underlying ArrayBuffer, so a Buffer slice of Node's pool must be copied out first. */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : new Uint8Array(bytes);
}

async function appendImagePage(target: PDFDocument, part: ScanPart, index: number): Promise<number> {
  let image: PDFImage;
  let orientation: ExifOrientation = 1;
  try {
    if (part.mimeType === 'image/jpeg') {
      image = await target.embedJpg(ownBytes(part.bytes));
      orientation = jpegExifOrientation(part.bytes);
    } else {
      image = await target.embedPng(ownBytes(part.bytes));
    }
  } catch (e) {
    throw unreadable(index, part.mimeType, e);
  }
  const [shownWidth, shownHeight] = swapsSides(orientation) ? [image.height, image.width] : [image.width, image.height];
  const landscape = shownWidth > shownHeight;
  const [pageWidth, pageHeight] = landscape ? [A4_HEIGHT, A4_WIDTH] : [A4_WIDTH, A4_HEIGHT];
  const scale = Math.min((pageWidth - 2 * IMAGE_PAGE_MARGIN) / shownWidth, (pageHeight - 2 * IMAGE_PAGE_MARGIN) / shownHeight);
  const w = shownWidth * scale;
  const h = shownHeight * scale;
  const x = (pageWidth - w) / 2;
  const y = (pageHeight - h) / 2;

  const page = target.addPage([pageWidth, pageHeight]);
  const name = page.node.newXObject('Scan', image.ref);
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...orientedImageMatrix(orientation, x, y, w, h)), drawObject(name), popGraphicsState());
  return 1;
}

/** Appends one part of the scan to `target`; returns the number of pages added. */
export async function appendScanPart(target: PDFDocument, part: ScanPart, index: number): Promise<number> {
  switch (part.mimeType) {
    case 'application/pdf':
      return appendPdfPages(target, part, index);
    case 'image/jpeg':
    case 'image/png':
      return appendImagePage(target, part, index);
    default: {
      const unknown: never = part.mimeType;
      throw new DomainError('SCAN_TYPE', bilingual(`Loại tệp ${String(unknown)} không dùng làm bản quét được`, `File type ${String(unknown)} cannot be a scan`));
    }
  }
}
