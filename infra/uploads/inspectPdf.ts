/**
 * Reads an uploaded PDF the way the certified copy will read it, within bounds: runs in the
 * inspection thread (inspectWorker.ts), never in the API's own thread.
 *
 * 1. Before any parser sees it, every compressed stream is inflated with zlib's maxOutputLength
 *    against one budget for the whole file: a small file that inflates to hundreds of megabytes
 *    is refused here. Object and cross-reference streams — the ones pdf-lib itself decompresses
 *    while loading, with no limit — must be Flate or plain, so nothing else can inflate unseen.
 * 2. pdf-lib parses it; the catalog must name a page tree with at least one page and no more than
 *    the page limit, walked by hand so that a looping tree cannot hang the reader.
 * 3. What a scan never holds is refused: bytes after the last %%EOF, an executable anywhere,
 *    scripts, launch actions and embedded files.
 */
import { constants as zlib, inflateSync } from 'node:zlib';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFStream, type PDFObject } from 'pdf-lib';
import { findExecutable } from './executables';
import type { InspectionLimits } from './limits';
import { refuse, tooComplex, type Refusal } from './refusal';

const damaged = (why: { vi: string; en: string }): Refusal => ({
  status: 422,
  code: 'PDF_MALFORMED',
  vi: `Tệp không phải là một tài liệu PDF hợp lệ (${why.vi}). Hãy mở tệp để kiểm tra, lưu lại hoặc quét lại rồi tải lên.`,
  en: `The file is not a well-formed PDF document (${why.en}). Open it to check, save it again or scan again, then upload it.`,
});

export const executableInside = (kind: string): Refusal => ({
  status: 422,
  code: 'FILE_CONTAINS_PROGRAM',
  vi: `Tệp chứa một chương trình máy tính (${kind}) nên không được nhận. Chỉ tải lên bản quét của giấy tờ.`,
  en: `The file contains a computer program (${kind}) and is refused. Upload only the scan of the paper.`,
  details: { program: kind },
});

function mib(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}

const inflationBomb = (limit: number): Refusal =>
  tooComplex(
    { vi: `khi giải nén, nội dung tệp lớn hơn ${mib(limit)}`, en: `its content inflates to more than ${mib(limit)}` },
    { maxInflatedBytes: limit },
  );

// ---------------------------------------------------------------- the raw pass

const STREAM_KEYWORD = /\bstream(?:\r\n|\r|\n)/g;

function filtersOf(dict: string): string[] {
  const m = /\/Filter\s*(\/[^\s/<>[\]()%]+|\[([^\]]*)\])/.exec(dict);
  if (!m) return [];
  const list = m[2] ?? m[1] ?? '';
  return [...list.matchAll(/\/([^\s/<>[\]()%]+)/g)].map((n) => n[1] ?? '');
}

const isFlate = (name: string) => name === 'FlateDecode' || name === 'Fl';

/** Inflates every Flate stream against one budget; returns the bytes they inflate to together. */
function inflateStreams(data: Buffer, limits: InspectionLimits): number {
  const text = data.toString('latin1');
  let used = 0;
  let from = 0;
  for (;;) {
    STREAM_KEYWORD.lastIndex = from;
    const m = STREAM_KEYWORD.exec(text);
    if (!m) return used;
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const dict = text.slice(Math.max(from, text.lastIndexOf('obj', m.index)), m.index);
    const body = data.subarray(start, end < 0 ? data.length : end);
    from = end < 0 ? data.length : end + 'endstream'.length;

    const filters = filtersOf(dict);
    // pdf-lib decodes these itself while loading, with every filter it knows and no bound.
    const structural = /\/Type\s*\/(ObjStm|XRef)\b/.test(dict);
    if (structural && !filters.every(isFlate)) {
      refuse(tooComplex({ vi: `bảng đối tượng được nén theo kiểu ${filters.join(', ')}`, en: `its object table is compressed with ${filters.join(', ')}` }));
    }
    if (filters.length === 0 || !isFlate(filters[0] ?? '')) continue;
    const budget = limits.maxInflatedBytes - used;
    if (budget <= 0) refuse(inflationBomb(limits.maxInflatedBytes));
    try {
      // Sync flush: a scanner's stream missing its last few bytes still counts for what it holds.
      used += inflateSync(body, { maxOutputLength: budget, finishFlush: zlib.Z_SYNC_FLUSH }).length;
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') refuse(inflationBomb(limits.maxInflatedBytes));
      // A damaged picture shows as a blank area; a damaged object table loses the document.
      if (structural) refuse(damaged({ vi: 'bảng đối tượng nén bị hỏng', en: 'a compressed object table is damaged' }));
    }
  }
}

// ---------------------------------------------------------------- the parsed document

const NAMES = {
  Pages: PDFName.of('Pages'),
  Kids: PDFName.of('Kids'),
  Type: PDFName.of('Type'),
  Page: PDFName.of('Page'),
  S: PDFName.of('S'),
  JS: PDFName.of('JS'),
  JavaScript: PDFName.of('JavaScript'),
  Launch: PDFName.of('Launch'),
  EmbeddedFile: PDFName.of('EmbeddedFile'),
  EmbeddedFiles: PDFName.of('EmbeddedFiles'),
};

/** Leaves of the page tree, refusing beyond the limit and any node met twice (a loop). */
function countPages(root: PDFDict, limits: InspectionLimits): number {
  const seen = new Set<PDFDict>();
  const stack: PDFDict[] = [root];
  let pages = 0;
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (seen.has(node)) refuse(damaged({ vi: 'cây trang có vòng lặp', en: 'its page tree loops' }));
    seen.add(node);
    const kids = node.lookup(NAMES.Kids);
    if (node.get(NAMES.Type) !== NAMES.Page && kids instanceof PDFArray) {
      for (let i = kids.size() - 1; i >= 0; i--) {
        const kid = kids.lookup(i);
        if (!(kid instanceof PDFDict)) refuse(damaged({ vi: 'cây trang trỏ tới đối tượng không phải trang', en: 'its page tree points at something that is not a page' }));
        stack.push(kid as PDFDict);
      }
    } else if (++pages > limits.maxPages) {
      refuse({
        status: 422,
        code: 'PDF_TOO_MANY_PAGES',
        vi: `Tệp PDF có hơn ${limits.maxPages} trang, vượt quá số trang tối đa của một bản quét. Hãy chia thành nhiều tệp.`,
        en: `The PDF has more than ${limits.maxPages} pages, beyond the most a scan may have. Split it into several files.`,
        details: { maxPages: limits.maxPages },
      });
    }
  }
  return pages;
}

/** Scripts, launch actions, attachments: the dictionary or anything directly inside it. */
function activeContent(obj: PDFObject, depth = 0): string | null {
  const dict = obj instanceof PDFStream ? obj.dict : obj;
  if (dict instanceof PDFDict) {
    const s = dict.get(NAMES.S);
    if (s === NAMES.JavaScript || dict.has(NAMES.JS)) return 'JavaScript';
    if (s === NAMES.Launch) return 'Launch';
    if (dict.get(NAMES.Type) === NAMES.EmbeddedFile || dict.has(NAMES.EmbeddedFiles)) return 'EmbeddedFile';
    if (depth < 16) for (const [, v] of dict.entries()) {
      const found = activeContent(v, depth + 1);
      if (found) return found;
    }
  } else if (dict instanceof PDFArray && depth < 16) {
    for (const v of dict.asArray()) {
      const found = activeContent(v, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

export interface PdfFacts {
  pages: number;
  inflatedBytes: number;
}

export async function inspectPdf(data: Buffer, limits: InspectionLimits): Promise<PdfFacts> {
  if (!/^%PDF-\d\.\d/.test(data.subarray(0, 8).toString('latin1'))) refuse(damaged({ vi: 'thiếu phần đầu %PDF-x.y', en: 'no %PDF-x.y header' }));
  const eof = data.lastIndexOf('%%EOF', undefined, 'latin1');
  // After the last %%EOF only line ends (some scanners pad with NULs) may follow.
  if (eof < 0 || /[^\s\0]/.test(data.subarray(eof + 5).toString('latin1'))) {
    const program = findExecutable(data.subarray(Math.max(0, eof)));
    refuse(program ? executableInside(program) : damaged({ vi: 'có dữ liệu lạ sau dấu kết thúc %%EOF', en: 'unknown data follows its %%EOF end marker' }));
  }
  const program = findExecutable(data);
  if (program) refuse(executableInside(program));

  const inflatedBytes = inflateStreams(data, limits);

  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(data, { updateMetadata: false, ignoreEncryption: true });
  } catch (err) {
    return refuse(damaged({ vi: 'không đọc được cấu trúc tệp', en: `its structure cannot be read: ${(err as Error).message}` }));
  }
  if (doc.isEncrypted) {
    refuse({
      status: 422,
      code: 'PDF_ENCRYPTED',
      vi: 'Tệp PDF được đặt mật khẩu hoặc mã hóa nên không sao chụp được. Hãy lưu lại tệp không có mật khẩu rồi tải lên.',
      en: 'The PDF is password-protected or encrypted and cannot be copied. Save it without a password and upload it again.',
    });
  }
  const rootRef = doc.context.trailerInfo.Root;
  const catalog = rootRef ? doc.context.lookup(rootRef) : undefined;
  if (!(catalog instanceof PDFDict)) return refuse(damaged({ vi: 'không có mục lục tài liệu (Catalog)', en: 'it has no document catalog' }));
  const tree = catalog.lookup(NAMES.Pages);
  if (!(tree instanceof PDFDict)) return refuse(damaged({ vi: 'không có cây trang (Pages)', en: 'its catalog has no page tree' }));
  const pages = countPages(tree, limits);
  if (pages === 0) refuse(damaged({ vi: 'không có trang nào', en: 'it has no page' }));

  for (const [, obj] of doc.context.enumerateIndirectObjects()) {
    const found = activeContent(obj);
    if (found) {
      refuse({
        status: 422,
        code: 'PDF_ACTIVE_CONTENT',
        vi: 'Tệp PDF chứa mã lệnh, lệnh mở chương trình hoặc tệp đính kèm, là những thứ bản quét không có. Hãy quét lại hoặc in ra PDF mới rồi tải lên.',
        en: 'The PDF contains scripts, program launches or attached files, which a scan does not. Scan it again or print it to a new PDF, then upload it.',
        details: { found },
      });
    }
  }
  return { pages, inflatedBytes };
}
