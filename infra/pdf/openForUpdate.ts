/**
 * A PDF opened for an incremental update with only the objects the update looks at parsed. A
 * signature or the seal reads the catalog, the page tree, the form and the last page; parsing
 * the scan's pages and the fonts' files as well, and serialising all of them twice to find what
 * changed, was most of what signing a copy cost.
 *
 * The cross-reference tables (classic ones, as this system writes its documents) give every
 * object's offset; pdf-lib's context is handed a map that parses an object the first time it is
 * looked up and keeps the object's serialisation from that moment, which is what the update
 * compares with to find what changed. An object never looked up cannot have changed. Files with
 * cross-reference streams (or hybrid ones) are left to pdf-lib's full parser (`undefined`).
 */
import { PDFArray, PDFContext, PDFDict, PDFDocument, PDFName, PDFNumber, PDFObjectParser, PDFRef, type PDFObject } from 'pdf-lib';

export interface OpenedForUpdate {
  doc: PDFDocument;
  /** The serialisation of each object as it was in the file, by ref tag, for every object parsed so far. */
  before: Map<string, Buffer>;
}

export function serialize(object: PDFObject): Buffer {
  const out = Buffer.alloc(object.sizeInBytes());
  object.copyBytesInto(out, 0);
  return out;
}

interface XrefEntry {
  offset: number;
  generation: number;
}

interface CrossReference {
  /** Newest entry of each object number; null where the newest says the number is free. */
  entries: Map<number, XrefEntry | null>;
  trailers: PDFDict[];
}

const latin1 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');

function startXref(pdf: Uint8Array): number | undefined {
  const tail = latin1(pdf, Math.max(0, pdf.length - 1024), pdf.length);
  const at = tail.lastIndexOf('startxref');
  const m = at < 0 ? null : /^startxref\s+(\d+)/.exec(tail.slice(at));
  return m ? Number(m[1]) : undefined;
}

/** Reads the chain of classic cross-reference sections, newest first; undefined for anything else. */
function readCrossReference(pdf: Uint8Array, context: PDFContext): CrossReference | undefined {
  const bytes = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.length);
  const entries = new Map<number, XrefEntry | null>();
  const trailers: PDFDict[] = [];
  const visited = new Set<number>();
  let at = startXref(pdf);
  while (at !== undefined) {
    if (visited.has(at) || at <= 0 || at >= pdf.length || latin1(pdf, at, Math.min(pdf.length, at + 4)) !== 'xref') return undefined;
    visited.add(at);
    const trailerAt = bytes.indexOf('trailer', at, 'latin1');
    if (trailerAt < 0) return undefined;
    const tokens = latin1(pdf, at + 4, trailerAt).trim().split(/\s+/);
    for (let i = 0; i < tokens.length; ) {
      const first = Number(tokens[i]);
      const count = Number(tokens[i + 1]);
      if (!Number.isSafeInteger(first) || !Number.isSafeInteger(count)) return undefined;
      i += 2;
      for (let k = 0; k < count; k++, i += 3) {
        const kind = tokens[i + 2];
        if (kind !== 'n' && kind !== 'f') return undefined;
        if (!entries.has(first + k)) entries.set(first + k, kind === 'n' ? { offset: Number(tokens[i]), generation: Number(tokens[i + 1]) } : null);
      }
    }
    const trailer = PDFObjectParser.forBytes(pdf.subarray(trailerAt + 'trailer'.length), context).parseObject();
    if (!(trailer instanceof PDFDict) || trailer.has(PDFName.of('XRefStm'))) return undefined;
    trailers.push(trailer);
    at = trailer.lookupMaybe(PDFName.of('Prev'), PDFNumber)?.asNumber();
  }
  return trailers.length > 0 ? { entries, trailers } : undefined;
}

/** The context's object map, filled as objects are looked up. */
class ObjectsOnDemand extends Map<PDFRef, PDFObject> {
  private readonly tried = new Set<PDFRef>();

  constructor(private readonly parse: (ref: PDFRef) => PDFObject | undefined) {
    super();
  }

  override get(ref: PDFRef): PDFObject | undefined {
    const present = super.get(ref);
    if (present !== undefined || this.tried.has(ref)) return present;
    this.tried.add(ref);
    const parsed = this.parse(ref);
    if (parsed !== undefined) super.set(ref, parsed);
    return parsed;
  }

  override has(ref: PDFRef): boolean {
    return this.get(ref) !== undefined;
  }

  override delete(ref: PDFRef): boolean {
    this.tried.add(ref);
    return super.delete(ref);
  }
}

/** Opens `pdf` parsing objects on demand; undefined when its cross-reference is not classic tables. */
export function openForUpdate(pdf: Uint8Array): OpenedForUpdate | undefined {
  const context = PDFContext.create();
  const xref = readCrossReference(pdf, context);
  if (xref === undefined) return undefined;
  const newest = (key: string) => {
    for (const t of xref.trailers) {
      const value = t.get(PDFName.of(key));
      if (value !== undefined) return value;
    }
    return undefined;
  };
  const size = xref.trailers[0]?.lookupMaybe(PDFName.of('Size'), PDFNumber)?.asNumber();
  const root = newest('Root');
  if (size === undefined || !(root instanceof PDFRef)) return undefined;
  const id = newest('ID');

  const before = new Map<string, Buffer>();
  const objects = new ObjectsOnDemand((ref) => {
    const entry = xref.entries.get(ref.objectNumber);
    if (!entry || entry.generation !== ref.generationNumber) return undefined;
    const header = /^\s*(\d+)\s+(\d+)\s+obj\b/.exec(latin1(pdf, entry.offset, Math.min(pdf.length, entry.offset + 32)));
    if (!header || Number(header[1]) !== ref.objectNumber || Number(header[2]) !== ref.generationNumber) {
      throw new Error(`Đối tượng ${ref.toString()} không ở vị trí bảng tham chiếu chéo ghi / Object ${ref.toString()} is not where the cross-reference table says`);
    }
    const object = PDFObjectParser.forBytes(pdf.subarray(entry.offset + header[0].length), context).parseObject();
    before.set(ref.tag, serialize(object));
    return object;
  });
  // pdf-lib keeps its objects in a private map; this one parses them when first looked up.
  (context as unknown as { indirectObjects: Map<PDFRef, PDFObject> }).indirectObjects = objects;
  context.largestObjectNumber = size - 1;
  context.trailerInfo = {
    Root: root,
    Info: newest('Info'),
    ID: id instanceof PDFArray ? id : undefined,
    Encrypt: newest('Encrypt'),
  };
  // The constructor is private in pdf-lib's typings; PDFDocument.load calls it the same way.
  const doc = Reflect.construct(PDFDocument, [context, false, false]) as PDFDocument;
  return { doc, before };
}
