/**
 * Incremental updates (ISO 32000-1 §7.5.6): a new revision appended after the original bytes,
 * which stay untouched, so earlier signatures over them remain valid.
 *
 * pdf-lib loads the document and the caller changes it; only the indirect objects whose
 * serialization differs from what the original held (or that are new) are written, followed
 * by a cross-reference section of the same kind as the previous one: a classic table after a
 * table, an (uncompressed) cross-reference stream after a stream. Poppler reads either way, but
 * mixing the two styles across revisions is outside what the standard describes (only
 * hybrid-reference files combine them, within one revision) and strict readers refuse it.
 *
 * Objects are compared with a snapshot of their serialization taken before `mutate` can touch
 * them, which equals a second parse of the original without paying for it. A file with classic
 * cross-reference tables (every document this system writes) is opened with only the objects the
 * change looks at parsed, each snapshotted as it is parsed (openForUpdate.ts); any other file is
 * parsed whole and every object snapshotted. Objects deleted by `mutate` are left as they were (no
 * free entries are written). Encrypted documents are not supported. New streams are compressed
 * with Node's zlib (nativeDeflate.ts).
 */
import { PDFDocument, PDFRef } from 'pdf-lib';
import { compressContentStreams, deflateNatively } from './nativeDeflate';
import { openForUpdate, serialize, type OpenedForUpdate } from './openForUpdate';

export type Mutation = (doc: PDFDocument) => Promise<void> | void;

interface PreviousSection {
  offset: number;
  kind: 'table' | 'stream';
  size: number;
}

const latin1 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');

/** Where the last cross-reference section starts, its kind and the trailer's /Size. */
export function previousSection(pdf: Uint8Array): PreviousSection {
  const tail = latin1(pdf, Math.max(0, pdf.length - 1024), pdf.length);
  const match = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail) ?? /startxref\s+(\d+)/.exec(tail.slice(tail.lastIndexOf('startxref')));
  if (!match) throw new Error('Tệp PDF không có startxref / The PDF has no startxref');
  const offset = Number(match[1]);
  if (!(offset > 0 && offset < pdf.length)) throw new Error(`startxref ${offset} nằm ngoài tệp / startxref ${offset} is outside the file`);
  const section = latin1(pdf, offset, Math.min(pdf.length, offset + 64 * 1024));
  const kind = section.startsWith('xref') ? 'table' : 'stream';
  const dictionary = kind === 'table' ? section.slice(section.indexOf('trailer')) : section.slice(0, section.indexOf('stream'));
  const size = /\/Size\s+(\d+)/.exec(dictionary);
  if (!size) throw new Error('Không đọc được /Size của phần tham chiếu chéo / The cross-reference section has no readable /Size');
  if (/\/Encrypt\b/.test(dictionary)) throw new Error('Không hỗ trợ tệp PDF mã hóa / Encrypted PDFs are not supported');
  return { offset, kind, size: Number(size[1]) };
}

interface ObjectEntry {
  ref: PDFRef;
  offset: number;
}

function subsections(entries: readonly { num: number }[]): Array<{ first: number; count: number }> {
  const out: Array<{ first: number; count: number }> = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && last.first + last.count === e.num) last.count++;
    else out.push({ first: e.num, count: 1 });
  }
  return out;
}

function trailerEntries(doc: PDFDocument, size: number, prev: number): string {
  const info = doc.context.trailerInfo;
  let s = `/Size ${size} /Root ${String(info.Root)}`;
  if (info.Info) s += ` /Info ${String(info.Info)}`;
  if (info.ID) s += ` /ID ${String(info.ID)}`;
  return `${s} /Prev ${prev}`;
}

/** Object 0 heads the free list in every table, as writers conventionally repeat it in updates. */
function classicTable(entries: readonly ObjectEntry[], doc: PDFDocument, size: number, prev: number, at: number): string {
  const rows = [
    { num: 0, line: '0000000000 65535 f\r\n' },
    ...entries.map((e) => ({ num: e.ref.objectNumber, line: `${String(e.offset).padStart(10, '0')} ${String(e.ref.generationNumber).padStart(5, '0')} n\r\n` })),
  ];
  let xref = 'xref\n';
  let i = 0;
  for (const sub of subsections(rows)) {
    xref += `${sub.first} ${sub.count}\n`;
    for (let k = 0; k < sub.count; k++, i++) xref += rows[i].line;
  }
  return `${xref}trailer\n<< ${trailerEntries(doc, size, prev)} >>\nstartxref\n${at}\n%%EOF\n`;
}

function xrefStream(entries: readonly ObjectEntry[], doc: PDFDocument, streamNumber: number, prev: number, at: number): Buffer {
  const rows = [
    ...entries.map((e) => ({ num: e.ref.objectNumber, gen: e.ref.generationNumber, offset: e.offset })),
    { num: streamNumber, gen: 0, offset: at },
  ].sort((a, b) => a.num - b.num);
  const data = Buffer.alloc(rows.length * 7);
  rows.forEach((r, i) => {
    data.writeUInt8(1, i * 7);
    data.writeUInt32BE(r.offset, i * 7 + 1);
    data.writeUInt16BE(r.gen, i * 7 + 5);
  });
  const index = subsections(rows).map((s) => `${s.first} ${s.count}`).join(' ');
  const dict = `<< /Type /XRef ${trailerEntries(doc, streamNumber + 1, prev)} /Index [${index}] /W [1 4 2] /Length ${data.length} >>`;
  return Buffer.concat([
    Buffer.from(`${streamNumber} 0 obj\n${dict}\nstream\n`, 'latin1'),
    data,
    Buffer.from(`\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`, 'latin1'),
  ]);
}

async function openWhole(pdf: Uint8Array): Promise<OpenedForUpdate> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const before = new Map<string, Buffer>();
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) before.set(ref.tag, serialize(object));
  return { doc, before };
}

export interface Revision {
  bytes: Uint8Array;
  /** Offset of each written object in `bytes`, by object number. */
  offsets: Map<number, number>;
}

/** appendRevision, also telling where each new object landed. */
export async function appendRevisionWithOffsets(pdf: Uint8Array, mutate: Mutation): Promise<Revision> {
  const previous = previousSection(pdf);
  const { doc, before } = openForUpdate(pdf) ?? (await openWhole(pdf));
  // Object and cross-reference streams are not kept in pdf-lib's context; new objects must not reuse their numbers.
  doc.context.largestObjectNumber = Math.max(doc.context.largestObjectNumber, previous.size - 1);

  deflateNatively(doc.context);
  await mutate(doc);
  await doc.flush();
  compressContentStreams(doc.context);

  const changed = doc.context
    .enumerateIndirectObjects()
    .map(([ref, object]) => ({ ref, bytes: serialize(object) }))
    .filter(({ ref, bytes }) => !before.get(ref.tag)?.equals(bytes))
    .sort((a, b) => a.ref.objectNumber - b.ref.objectNumber);

  const parts: Buffer[] = [Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length)];
  let length = pdf.length;
  const last = pdf[pdf.length - 1];
  if (last !== 0x0a && last !== 0x0d) {
    parts.push(Buffer.from('\n'));
    length += 1;
  }
  const entries: ObjectEntry[] = [];
  for (const { ref, bytes } of changed) {
    entries.push({ ref, offset: length });
    const chunk = Buffer.concat([Buffer.from(`${ref.objectNumber} ${ref.generationNumber} obj\n`, 'latin1'), bytes, Buffer.from('\nendobj\n', 'latin1')]);
    parts.push(chunk);
    length += chunk.length;
  }
  const size = Math.max(previous.size, doc.context.largestObjectNumber + 1);
  if (previous.kind === 'table') {
    parts.push(Buffer.from(classicTable(entries, doc, size, previous.offset, length), 'latin1'));
  } else {
    parts.push(xrefStream(entries, doc, size, previous.offset, length));
  }
  return { bytes: new Uint8Array(Buffer.concat(parts)), offsets: new Map(entries.map((e) => [e.ref.objectNumber, e.offset])) };
}

/**
 * Appends one revision holding what `mutate` changed. The original bytes are a prefix of the
 * result; `/Prev` links the new cross-reference section to the previous one.
 */
export async function appendRevision(pdf: Uint8Array, mutate: Mutation): Promise<Uint8Array> {
  return (await appendRevisionWithOffsets(pdf, mutate)).bytes;
}
