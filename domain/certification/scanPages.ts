/**
 * The scan must show every page of the originals declared (seed 000 §3.6: the officer scans the
 * original, or checks the citizen's scan against it), because the certified copy says how many
 * pages it copies and the fee counts the declared pages. A scan is either one set of files for
 * all originals — then the pages are compared in total — or split per original, each file naming
 * the original it shows — then per original. Pure: the workflow and the web app share it.
 */
import { bilingual, type BilingualMessage } from '../messages';

export interface DeclaredOriginal {
  type: string;
  pages: number;
}

export interface ScannedFile {
  /** Pages of the file: a PDF's pages, 1 for an image; absent for scans recorded before pages were counted. */
  pages?: number;
  /** Index of the original the file shows, when the scan is split per original. */
  document?: number;
}

export interface PageMismatch {
  /** The original concerned; absent when the pages are compared in total. */
  document?: number;
  declared: number;
  scanned: number;
}

/** The mismatches between the scan and the declaration; empty when they agree, or when the scan's pages were never counted. */
export function scanPageMismatches(originals: readonly DeclaredOriginal[], files: readonly ScannedFile[]): PageMismatch[] {
  if (files.length === 0 || files.some((f) => f.pages === undefined)) return [];
  const pagesOf = (list: readonly ScannedFile[]) => list.reduce((sum, f) => sum + (f.pages ?? 0), 0);
  if (files.every((f) => f.document === undefined)) {
    const declared = originals.reduce((sum, o) => sum + o.pages, 0);
    const scanned = pagesOf(files);
    return declared === scanned ? [] : [{ declared, scanned }];
  }
  const mismatches: PageMismatch[] = [];
  originals.forEach((o, document) => {
    const scanned = pagesOf(files.filter((f) => f.document === document));
    if (scanned !== o.pages) mismatches.push({ document, declared: o.pages, scanned });
  });
  // A file naming an original that is no longer declared (the declaration was corrected meanwhile).
  const stray = files.filter((f) => f.document === undefined || f.document < 0 || f.document >= originals.length);
  if (stray.length > 0) mismatches.push({ document: -1, declared: 0, scanned: pagesOf(stray) });
  return mismatches;
}

/** What the officer reads when the scan and the declaration disagree. */
export function pageMismatchMessage(originals: readonly DeclaredOriginal[], mismatches: readonly PageMismatch[]): BilingualMessage {
  const parts = mismatches.map((m) => {
    if (m.document === undefined) {
      return bilingual(`bản quét có ${m.scanned} trang nhưng các bản chính khai tổng cộng ${m.declared} trang`, `the scan has ${m.scanned} pages but the originals declare ${m.declared} in all`);
    }
    if (m.document < 0) {
      return bilingual(`${m.scanned} trang quét thuộc bản chính không còn trong danh sách`, `${m.scanned} scanned pages belong to no declared original`);
    }
    const o = originals[m.document]!;
    return bilingual(
      `bản chính ${m.document + 1} (${o.type}) khai ${m.declared} trang, bản quét của nó có ${m.scanned} trang`,
      `original ${m.document + 1} (${o.type}) declares ${m.declared} pages, its scan has ${m.scanned}`,
    );
  });
  return bilingual(
    `Số trang bản quét không khớp với bản chính đã khai: ${parts.map((p) => p.vi).join('; ')}. Hãy sửa số trang đã khai hoặc đính kèm bản quét đủ trang trước khi trình ký.`,
    `The scan's pages do not match the originals declared: ${parts.map((p) => p.en).join('; ')}. Correct the declared pages or attach a complete scan before submitting.`,
  );
}
