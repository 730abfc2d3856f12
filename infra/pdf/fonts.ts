/**
 * The DejaVu fonts every generated document uses. They cover the whole Vietnamese alphabet with
 * precomposed glyphs (ắ, ỗ, ữ …), so text is laid out without mark positioning and copies out of
 * the PDF as the same NFC characters it was written with.
 *
 * Each face is read and parsed once per process (for pdfkit with pdfkit's own fontkit, for pdf-lib
 * with @pdf-lib/fontkit): parsing and decoding the layout tables was most of a certified copy's
 * cost. A document never uses the parsed face itself but a view of it with a glyph cache of its
 * own (`withOwnGlyphs`), because fontkit keeps the characters a glyph stands for on the cached
 * glyph object, set by whichever call created it first. Subsetting a composite glyph (ắ = a + ̆ +
 * ́) creates its components with no characters; shared across documents, a later document writing
 * a plain "a" got that cached glyph, and the text extracted from it lost every such letter.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import type { PDFDocument as LibDocument, PDFFont } from 'pdf-lib';
import type { Fontkit as LibFontkit } from 'pdf-lib/cjs/types/fontkit';
import { TrueTypeFace, TrueTypeSubset, type LocaFormat } from './trueTypeSubset';

export const FONT_FACES = {
  serif: 'DejaVuSerif.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  serifItalic: 'DejaVuSerif-Italic.ttf',
  serifBoldItalic: 'DejaVuSerif-BoldItalic.ttf',
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
} as const;

export type FontFace = keyof typeof FONT_FACES;

const FACES = Object.keys(FONT_FACES) as FontFace[];

const cache = new Map<FontFace, Buffer>();

export function fontBytes(face: FontFace): Buffer {
  let bytes = cache.get(face);
  if (bytes === undefined) {
    bytes = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${FONT_FACES[face]}`));
    cache.set(face, bytes);
  }
  return bytes;
}

const trueTypeFaces = new Map<FontFace, TrueTypeFace>();

function trueTypeFace(face: FontFace): TrueTypeFace {
  let index = trueTypeFaces.get(face);
  if (index === undefined) {
    index = new TrueTypeFace(fontBytes(face));
    trueTypeFaces.set(face, index);
  }
  return index;
}

/**
 * A view of a parsed fontkit font that shares its tables (decoded once, read-only afterwards)
 * but creates glyph objects and the layout engine that hands them out for itself alone. Works
 * for both fontkit versions: each keeps glyphs in `_glyphs` and builds its layout engine in a
 * cached `_layoutEngine` getter on the font class. Its subsets are written by `TrueTypeSubset`
 * from the face's index, in the `loca` format of the fontkit the view stands for.
 */
export function withOwnGlyphs<T extends object>(shared: T, face: FontFace, loca: LocaFormat): T {
  const layoutEngine = inheritedGetter(shared, '_layoutEngine');
  const view = Object.create(shared) as T;
  Object.defineProperty(view, '_glyphs', { value: {}, writable: true, configurable: true });
  Object.defineProperty(view, 'createSubset', { value: () => new TrueTypeSubset(trueTypeFace(face), loca), configurable: true });
  // The class getter replaces this accessor with the engine it builds for the view.
  Object.defineProperty(view, '_layoutEngine', {
    configurable: true,
    get(this: T) {
      return layoutEngine.call(this);
    },
  });
  return view;
}

function inheritedGetter(object: object, key: string): () => unknown {
  for (let proto = Object.getPrototypeOf(object) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const getter = Object.getOwnPropertyDescriptor(proto, key)?.get;
    if (getter !== undefined) return getter;
  }
  throw new Error(`fontkit font without a ${key} getter: the glyph cache cannot be kept per document`);
}

/** pdfkit's own fontkit (2.x): pdfkit subsets and encodes with the API of that version. */
const pdfkitFontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(bytes: Uint8Array): object };

const pdfkitParsed = new Map<FontFace, object>();

function pdfkitFace(face: FontFace): object {
  let font = pdfkitParsed.get(face);
  if (font === undefined) {
    font = pdfkitFontkit.create(fontBytes(face));
    pdfkitParsed.set(face, font);
  }
  return withOwnGlyphs(font, face, 'source');
}

/**
 * Registers every face under its own name, so pdfkit code says `doc.font('serifBold')`. pdfkit
 * takes a fontkit font in place of font bytes (its typings only name the bytes).
 */
export function registerPdfkitFonts(doc: PDFKit.PDFDocument): void {
  for (const face of FACES) doc.registerFont(face, pdfkitFace(face) as unknown as Buffer);
}

const parsedCache = new Map<FontFace, Font>();

/**
 * The parsed face, for drawing glyph outlines rather than text (the seal's ring lettering, the
 * captcha). Embedding in pdf-lib documents goes through views of it (`embedLibFont`).
 */
export function parsedFont(face: FontFace): Font {
  let font = parsedCache.get(face);
  if (font === undefined) {
    font = fontkit.create(fontBytes(face));
    parsedCache.set(face, font);
  }
  return font;
}

/** pdf-lib asks its fontkit to parse the bytes it is given; ours hands out views of the parsed faces. */
const libFontkit: LibFontkit = {
  create(bytes: Uint8Array): Font {
    const face = FACES.find((f) => cache.get(f) === bytes);
    return face === undefined ? fontkit.create(bytes) : withOwnGlyphs(parsedFont(face), face, 'compact');
  },
};

/** Embeds a face into a pdf-lib document as a subset (only the glyphs drawn are stored). */
export async function embedLibFont(doc: LibDocument, face: FontFace): Promise<PDFFont> {
  doc.registerFontkit(libFontkit);
  return doc.embedFont(fontBytes(face), { subset: true });
}
