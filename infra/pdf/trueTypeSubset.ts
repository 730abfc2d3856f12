/**
 * TrueType font subsets for embedding, written from an index of the font file read once per
 * process. fontkit's own subsetter decodes every glyph's outline again in every document only to
 * learn whether it is a composite; here a glyph is a slice of the source `glyf` table and a
 * composite's component offsets are read once per face.
 *
 * The output is what fontkit writes for a subset (and what pdfkit and pdf-lib embed as
 * /FontFile2): the tables head, hhea, loca, maxp, cvt, prep, glyf, hmtx and fpgm in that order,
 * each right after the other behind a directory with zero checksums; glyphs numbered in the order
 * they were included, .notdef first, a composite's components appended as they are met and the
 * composite rewritten to point at their new numbers.
 */
import { EventEmitter } from 'node:events';

/** How `loca` is written: as in the source font (fontkit 2, pdfkit's) or the shortest the subset allows (pdf-lib's fontkit). */
export type LocaFormat = 'source' | 'compact';

interface Component {
  glyphId: number;
  /** Where the component's glyph index sits in the glyph's bytes. */
  at: number;
}

const ARG_1_AND_2_ARE_WORDS = 0x0001;
const WE_HAVE_A_SCALE = 0x0008;
const MORE_COMPONENTS = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE = 0x0040;
const WE_HAVE_A_TWO_BY_TWO = 0x0080;

/** The source tables a subset is written from; read-only once built. */
export class TrueTypeFace {
  private readonly tables = new Map<string, Uint8Array>();
  private readonly glyphStarts: Uint32Array;
  private readonly hMetrics: number;
  private readonly components = new Map<number, Component[] | null>();
  readonly numGlyphs: number;
  readonly locaLong: boolean;

  constructor(bytes: Uint8Array) {
    const view = dataView(bytes);
    const count = view.getUint16(4);
    for (let i = 0; i < count; i++) {
      const record = 12 + 16 * i;
      const tag = String.fromCharCode(...bytes.subarray(record, record + 4));
      const offset = view.getUint32(record + 8);
      const length = view.getUint32(record + 12);
      if (offset + length > bytes.length) throw new Error(`font table ${tag} runs past the end of the file`);
      this.tables.set(tag, bytes.subarray(offset, offset + length));
    }
    for (const tag of ['head', 'hhea', 'maxp', 'loca', 'glyf', 'hmtx']) if (!this.tables.has(tag)) throw new Error(`not a TrueType font: no ${tag} table`);
    this.numGlyphs = dataView(this.table('maxp')).getUint16(4);
    this.locaLong = dataView(this.table('head')).getInt16(50) === 1;
    this.hMetrics = dataView(this.table('hhea')).getUint16(34);
    const loca = dataView(this.table('loca'));
    this.glyphStarts = new Uint32Array(this.numGlyphs + 1);
    for (let g = 0; g <= this.numGlyphs; g++) this.glyphStarts[g] = this.locaLong ? loca.getUint32(4 * g) : 2 * loca.getUint16(2 * g);
  }

  table(tag: string): Uint8Array {
    const table = this.tables.get(tag);
    if (table === undefined) throw new Error(`font has no ${tag} table`);
    return table;
  }

  optionalTable(tag: string): Uint8Array | undefined {
    return this.tables.get(tag);
  }

  /** The glyph's bytes in the source `glyf` table (empty for a glyph without outline). */
  glyph(id: number): Uint8Array {
    if (!(id >= 0 && id < this.numGlyphs)) throw new RangeError(`glyph ${id} is not in the font`);
    return this.table('glyf').subarray(this.glyphStarts[id], this.glyphStarts[id + 1]);
  }

  /** The components of a composite glyph; null for a simple or empty one. */
  componentsOf(id: number): Component[] | null {
    let found = this.components.get(id);
    if (found === undefined) {
      found = readComponents(this.glyph(id));
      this.components.set(id, found);
    }
    return found;
  }

  /** Advance width and left side bearing from `hmtx`, as fontkit reads them. */
  metrics(id: number): { advance: number; bearing: number } {
    const hmtx = dataView(this.table('hmtx'));
    if (id < this.hMetrics) return { advance: hmtx.getUint16(4 * id), bearing: hmtx.getInt16(4 * id + 2) };
    const advance = this.hMetrics > 0 ? hmtx.getUint16(4 * (this.hMetrics - 1)) : 0;
    const at = 4 * this.hMetrics + 2 * (id - this.hMetrics);
    return { advance, bearing: at + 2 <= hmtx.byteLength ? hmtx.getInt16(at) : 0 };
  }
}

function dataView(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readComponents(glyph: Uint8Array): Component[] | null {
  if (glyph.length < 10) return null;
  const view = dataView(glyph);
  if (view.getInt16(0) >= 0) return null;
  const out: Component[] = [];
  let at = 10;
  let flags = MORE_COMPONENTS;
  while (flags & MORE_COMPONENTS) {
    flags = view.getUint16(at);
    out.push({ glyphId: view.getUint16(at + 2), at: at + 2 });
    at += 4 + (flags & ARG_1_AND_2_ARE_WORDS ? 4 : 2);
    if (flags & WE_HAVE_A_SCALE) at += 2;
    else if (flags & WE_HAVE_AN_X_AND_Y_SCALE) at += 4;
    else if (flags & WE_HAVE_A_TWO_BY_TWO) at += 8;
  }
  return out;
}

/** The subset one font of one document collects while its text is encoded. */
export class TrueTypeSubset {
  private readonly glyphs: number[] = [];
  private readonly mapping = new Map<number, number>();

  constructor(
    private readonly face: TrueTypeFace,
    private readonly locaFormat: LocaFormat,
  ) {
    this.includeGlyph(0);
  }

  /** The glyph's number in the subset, included now if it was not yet. */
  includeGlyph(glyph: number | { id: number }): number {
    const id = typeof glyph === 'number' ? glyph : glyph.id;
    let mapped = this.mapping.get(id);
    if (mapped === undefined) {
      mapped = this.glyphs.length;
      this.glyphs.push(id);
      this.mapping.set(id, mapped);
    }
    return mapped;
  }

  encode(): Uint8Array {
    const glyf: Uint8Array[] = [];
    const offsets: number[] = [];
    const metrics: Array<{ advance: number; bearing: number }> = [];
    let offset = 0;
    // Components are included while the list is walked, so it grows under the loop.
    for (let i = 0; i < this.glyphs.length; i++) {
      const id = this.glyphs[i] as number;
      let bytes = this.face.glyph(id);
      const components = this.face.componentsOf(id);
      if (components !== null) {
        bytes = new Uint8Array(bytes);
        const view = dataView(bytes);
        for (const c of components) view.setUint16(c.at, this.includeGlyph(c.glyphId));
      }
      glyf.push(bytes);
      offsets.push(offset);
      metrics.push(this.face.metrics(id));
      offset += bytes.length;
    }
    offsets.push(offset);
    const long = this.locaFormat === 'source' ? this.face.locaLong : offset > 0xffff || offsets.some((o) => o % 2 !== 0);
    return writeFont(this.face, { glyf, offsets, metrics, long });
  }

  /** pdf-lib reads the subset as a stream of chunks. */
  encodeStream(): EventEmitter {
    const stream = new EventEmitter();
    process.nextTick(() => {
      try {
        stream.emit('data', this.encode());
        stream.emit('end');
      } catch (err) {
        stream.emit('error', err);
      }
    });
    return stream;
  }
}

interface Built {
  glyf: Uint8Array[];
  offsets: number[];
  metrics: Array<{ advance: number; bearing: number }>;
  long: boolean;
}

function patched(source: Uint8Array, at: number, value: number, signed: boolean): Uint8Array {
  const copy = new Uint8Array(source);
  if (signed) dataView(copy).setInt16(at, value);
  else dataView(copy).setUint16(at, value);
  return copy;
}

function writeFont(face: TrueTypeFace, built: Built): Uint8Array {
  const loca = new Uint8Array(built.offsets.length * (built.long ? 4 : 2));
  const locaView = dataView(loca);
  built.offsets.forEach((o, i) => (built.long ? locaView.setUint32(4 * i, o) : locaView.setUint16(2 * i, o / 2)));
  const hmtx = new Uint8Array(4 * built.metrics.length);
  const hmtxView = dataView(hmtx);
  built.metrics.forEach((m, i) => {
    hmtxView.setUint16(4 * i, m.advance);
    hmtxView.setInt16(4 * i + 2, m.bearing);
  });
  const glyf = new Uint8Array(built.offsets[built.offsets.length - 1] as number);
  built.glyf.reduce((at, g) => (glyf.set(g, at), at + g.length), 0);

  const tables: Array<[string, Uint8Array | undefined]> = [
    ['head', patched(face.table('head'), 50, built.long ? 1 : 0, true)],
    ['hhea', patched(face.table('hhea'), 34, built.metrics.length, false)],
    ['loca', loca],
    ['maxp', patched(face.table('maxp'), 4, built.glyf.length, false)],
    ['cvt ', face.optionalTable('cvt ')],
    ['prep', face.optionalTable('prep')],
    ['glyf', glyf],
    ['hmtx', hmtx],
    ['fpgm', face.optionalTable('fpgm')],
  ];
  const present = tables.filter((t): t is [string, Uint8Array] => t[1] !== undefined);
  const headerLength = 12 + 16 * present.length;
  const out = new Uint8Array(headerLength + present.reduce((sum, [, t]) => sum + t.length, 0));
  const view = dataView(out);
  const power = 2 ** Math.floor(Math.log2(present.length));
  out.set([0x74, 0x72, 0x75, 0x65]); // 'true', as fontkit tags its subsets
  view.setUint16(4, present.length);
  view.setUint16(6, power * 16);
  view.setUint16(8, Math.log2(power));
  view.setUint16(10, present.length * 16 - power * 16);
  let at = headerLength;
  present.forEach(([tag, table], i) => {
    const record = 12 + 16 * i;
    for (let k = 0; k < 4; k++) out[record + k] = tag.charCodeAt(k);
    view.setUint32(record + 4, 0);
    view.setUint32(record + 8, at);
    view.setUint32(record + 12, table.length);
    out.set(table, at);
    at += table.length;
  });
  return out;
}
