/**
 * Where things sit on the certification page (trang lời chứng), the last page of every certified
 * copy. The page is always one A4 page drawn by this code, so the box kept free for the number and
 * the commune's seal has a fixed place, and the seal step finds it without reading the page.
 *
 * Coordinates are PDF user space: points, origin at the bottom-left corner of the page.
 */
import { A4_HEIGHT, A4_WIDTH } from './pdfkitDocument';

/** Bump when anything below moves; the page records it and the seal step checks it. */
export const CERTIFICATION_LAYOUT_VERSION = 1;

/** The page marks itself in its /PieceInfo under this key (ISO 32000-1 §14.5). */
export const PIECE_INFO_KEY = 'ChungThucDienTu';

export const CERTIFICATION_PAGE_SIZE = { width: A4_WIDTH, height: A4_HEIGHT } as const;

/** The reserved box: left column, beside the signer's block. */
export const SEAL_BOX = { x: 70, y: 176, width: 228, height: 204 } as const;

const boxTop = SEAL_BOX.y + SEAL_BOX.height;
const inset = 8;

/** Caption printed at the top of the box when the page is rendered. */
export const SEAL_BOX_CAPTION = { text: 'PHẦN CẤP SỐ VÀ ĐÓNG DẤU ĐIỆN TỬ', baseline: boxTop - 13, size: 7.5 } as const;

export type SealField = 'number' | 'book' | 'sealedAt' | 'sealer';

/**
 * The labelled lines of the box. The page prints each label and a dotted line after it; the seal
 * step writes the value on the same baseline from `SEAL_VALUE_X`.
 */
export const SEAL_FIELDS: ReadonlyArray<{ field: SealField; label: string; baseline: number }> = [
  { field: 'number', label: 'Số chứng thực:', baseline: boxTop - 32 },
  { field: 'book', label: 'Quyển số:', baseline: boxTop - 48 },
  { field: 'sealedAt', label: 'Thời điểm đóng dấu:', baseline: boxTop - 64 },
  { field: 'sealer', label: 'Người đóng dấu:', baseline: boxTop - 80 },
];
export const SEAL_LABEL_X = SEAL_BOX.x + inset;
export const SEAL_LABEL_SIZE = 8.5;
export const SEAL_VALUE_X = SEAL_BOX.x + 106;
export const SEAL_VALUE_MAX_WIDTH = SEAL_BOX.x + SEAL_BOX.width - inset - SEAL_VALUE_X;
export const SEAL_VALUE_SIZE = 9.5;

/** The round seal mark, under the lines: 35 mm across, the size of a commune's seal. */
export const SEAL_MARK = { cx: SEAL_BOX.x + SEAL_BOX.width / 2, cy: SEAL_BOX.y + 57, radius: 49.6 } as const;

/** The signer's column, right of the box (x and width; tops in pdfkit's top-down space). */
export const SIGNER_COLUMN = { x: SEAL_BOX.x + SEAL_BOX.width + 12, width: A4_WIDTH - 50 - (SEAL_BOX.x + SEAL_BOX.width + 12) } as const;

/** The verification QR code, bottom left. */
export const QR_BOX = { x: 70, y: 72, size: 80 } as const;

/** The table of originals must end above this line (pdfkit's top-down y). */
export const ORIGINALS_BOTTOM = A4_HEIGHT - boxTop - 44;

/** The legal sentence sits just above the box and the signer's column (pdfkit's top-down y). */
export const LEGAL_SENTENCE_TOP = A4_HEIGHT - boxTop - 30;

/** Top-down y of a PDF-space y, for pdfkit. */
export function topDown(y: number): number {
  return A4_HEIGHT - y;
}
