/**
 * The DejaVu fonts every generated document uses. They cover the whole Vietnamese alphabet with
 * precomposed glyphs (ắ, ỗ, ữ …), so text is laid out without mark positioning and copies out of
 * the PDF as the same NFC characters it was written with.
 *
 * Each face is read and parsed once per process (for pdfkit with pdfkit's own fontkit, for pdf-lib
 * with @pdf-lib/fontkit): parsing and decoding the layout tables was most of a certified copy's
 * cost. Documents use views of the parsed faces with a glyph cache of their own (fontView.ts says
 * why), and their subsets are written by trueTypeSubset.ts.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import type { PDFDocument as LibDocument, PDFFont } from 'pdf-lib';
import type { Fontkit as LibFontkit } from 'pdf-lib/cjs/types/fontkit';
import { sharedFont, type SharedFont } from './fontView';
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

function subsetsOf(face: FontFace, loca: LocaFormat): () => TrueTypeSubset {
  return () => {
    let index = trueTypeFaces.get(face);
    if (index === undefined) {
      index = new TrueTypeFace(fontBytes(face));
      trueTypeFaces.set(face, index);
    }
    return new TrueTypeSubset(index, loca);
  };
}

/** pdfkit's own fontkit (2.x): pdfkit subsets and encodes with the API of that version. */
const pdfkitFontkit = createRequire(require.resolve('pdfkit'))('fontkit') as { create(bytes: Uint8Array): object };

const pdfkitFaces = new Map<FontFace, SharedFont<object>>();

function pdfkitFace(face: FontFace): object {
  let font = pdfkitFaces.get(face);
  if (font === undefined) {
    font = sharedFont(pdfkitFontkit.create(fontBytes(face)), subsetsOf(face, 'source'));
    pdfkitFaces.set(face, font);
  }
  return font.view();
}

/**
 * pdfkit keeps each word it measured or wrote, laid out and scaled, in a cache per font of a
 * document. What it stores comes from the views' layout (glyph records the same for every
 * document, positions it does not change afterwards), so one cache per face serves every document;
 * it is started afresh now and then, as a process meets ever new names.
 */
const pdfkitLayouts = new Map<FontFace, { words: Record<string, unknown>; documents: number }>();
const DOCUMENTS_PER_LAYOUT_CACHE = 1_000;

function pdfkitLayoutCache(face: FontFace): Record<string, unknown> {
  let cache = pdfkitLayouts.get(face);
  if (cache === undefined || cache.documents >= DOCUMENTS_PER_LAYOUT_CACHE) {
    cache = { words: Object.create(null) as Record<string, unknown>, documents: 0 };
    pdfkitLayouts.set(face, cache);
  }
  cache.documents++;
  return cache.words;
}

/**
 * Registers every face under its own name, so pdfkit code says `doc.font('serifBold')`, and opens
 * each (a face never written to is not embedded). pdfkit takes a fontkit font in place of font
 * bytes (its typings only name the bytes).
 */
export function registerPdfkitFonts(doc: PDFKit.PDFDocument): void {
  for (const face of FACES) doc.registerFont(face, pdfkitFace(face) as unknown as Buffer);
  for (const face of FACES) {
    const font = (doc.font(face) as unknown as { _font?: { layoutCache?: unknown } })._font;
    // pdfkit's own cache (an option, on by default) is replaced only where it is there.
    if (font?.layoutCache !== undefined) font.layoutCache = pdfkitLayoutCache(face);
  }
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

const libFaces = new Map<FontFace, SharedFont<Font>>();

/** pdf-lib asks its fontkit to parse the bytes it is given; ours hands out views of the parsed faces. */
const libFontkit: LibFontkit = {
  create(bytes: Uint8Array): Font {
    const face = FACES.find((f) => cache.get(f) === bytes);
    if (face === undefined) return fontkit.create(bytes);
    let font = libFaces.get(face);
    if (font === undefined) {
      font = sharedFont(parsedFont(face), subsetsOf(face, 'compact'));
      libFaces.set(face, font);
    }
    return font.view();
  },
};

/** Embeds a face into a pdf-lib document as a subset (only the glyphs drawn are stored). */
export async function embedLibFont(doc: LibDocument, face: FontFace): Promise<PDFFont> {
  doc.registerFontkit(libFontkit);
  return doc.embedFont(fontBytes(face), { subset: true });
}
