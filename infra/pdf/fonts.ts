/**
 * The DejaVu fonts every generated document uses. They cover the whole Vietnamese alphabet with
 * precomposed glyphs (ắ, ỗ, ữ …), so text is laid out without mark positioning and copies out of
 * the PDF as the same NFC characters it was written with. Files are read once per process.
 */
import { readFileSync } from 'node:fs';
import fontkit, { type Font } from '@pdf-lib/fontkit';
import type { PDFDocument as LibDocument, PDFFont } from 'pdf-lib';

export const FONT_FACES = {
  serif: 'DejaVuSerif.ttf',
  serifBold: 'DejaVuSerif-Bold.ttf',
  serifItalic: 'DejaVuSerif-Italic.ttf',
  serifBoldItalic: 'DejaVuSerif-BoldItalic.ttf',
  sans: 'DejaVuSans.ttf',
  sansBold: 'DejaVuSans-Bold.ttf',
} as const;

export type FontFace = keyof typeof FONT_FACES;

const cache = new Map<FontFace, Buffer>();

export function fontBytes(face: FontFace): Buffer {
  let bytes = cache.get(face);
  if (bytes === undefined) {
    bytes = readFileSync(require.resolve(`dejavu-fonts-ttf/ttf/${FONT_FACES[face]}`));
    cache.set(face, bytes);
  }
  return bytes;
}

/** Registers every face under its own name, so pdfkit code says `doc.font('serifBold')`. */
export function registerPdfkitFonts(doc: PDFKit.PDFDocument): void {
  for (const face of Object.keys(FONT_FACES) as FontFace[]) doc.registerFont(face, fontBytes(face));
}

/** Embeds a face into a pdf-lib document as a subset (only the glyphs drawn are stored). */
export async function embedLibFont(doc: LibDocument, face: FontFace): Promise<PDFFont> {
  doc.registerFontkit(fontkit);
  return doc.embedFont(fontBytes(face), { subset: true });
}

const parsedCache = new Map<FontFace, Font>();

/** The parsed face, for drawing glyph outlines rather than text (the seal's ring lettering). */
export function parsedFont(face: FontFace): Font {
  let font = parsedCache.get(face);
  if (font === undefined) {
    font = fontkit.create(fontBytes(face));
    parsedCache.set(face, font);
  }
  return font;
}
