/**
 * The subset written from the face's index must be what fontkit itself writes for the same
 * glyphs (pdfkit's fontkit 2 with the source `loca`, pdf-lib's fontkit with the shortest one),
 * composites and their components included.
 */
import { createRequire } from 'node:module';
import { expect } from 'chai';
import libFontkit from '@pdf-lib/fontkit';
import { fontBytes, FONT_FACES, type FontFace } from './fonts';
import { TrueTypeFace, TrueTypeSubset } from './trueTypeSubset';

interface Fontkit2 {
  create(bytes: Uint8Array): {
    layout(text: string): { glyphs: Array<{ id: number }> };
    createSubset(): { includeGlyph(id: number): number; encode(): Uint8Array };
  };
}
const fontkit2 = createRequire(require.resolve('pdfkit'))('fontkit') as Fontkit2;

function libSubsetBytes(stream: NodeJS.EventEmitter): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on('data', (d: Uint8Array) => parts.push(Buffer.from(d)));
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
}

const TEXTS = [
  'Chứng thực bản sao đúng với bản chính.',
  // Precomposed capitals and small letters with two marks: composites whose components are included as they are met.
  'ẮẰẲẴẶ ắằẳẵặ ỗữự Đđ Ưư',
  'A',
  'fi fl ffi 0123456789 %&@ “ngoặc” … ©',
];

describe('TrueType subsets from the face index', () => {
  for (const face of Object.keys(FONT_FACES) as FontFace[]) {
    it(`${face}: the same bytes as pdfkit's fontkit and pdf-lib's fontkit write`, async () => {
      const index = new TrueTypeFace(fontBytes(face));
      for (const text of TEXTS) {
        const modern = fontkit2.create(fontBytes(face));
        const theirs = modern.createSubset();
        const ours = new TrueTypeSubset(index, 'source');
        for (const g of modern.layout(text).glyphs) expect(ours.includeGlyph(g.id)).to.equal(theirs.includeGlyph(g.id));
        expect(Buffer.from(ours.encode()).equals(Buffer.from(theirs.encode())), `${face} "${text}" (fontkit 2)`).to.equal(true);

        const legacy = libFontkit.create(fontBytes(face));
        const libTheirs = legacy.createSubset();
        const libOurs = new TrueTypeSubset(index, 'compact');
        for (const g of legacy.layout(text).glyphs) {
          libTheirs.includeGlyph(g);
          libOurs.includeGlyph(g);
        }
        const expected = await libSubsetBytes(libTheirs.encodeStream() as unknown as NodeJS.EventEmitter);
        expect((await libSubsetBytes(libOurs.encodeStream())).equals(expected), `${face} "${text}" (pdf-lib's fontkit)`).to.equal(true);
      }
    });
  }

  it('refuses a glyph the font does not have', () => {
    const index = new TrueTypeFace(fontBytes('serif'));
    const subset = new TrueTypeSubset(index, 'source');
    subset.includeGlyph(index.numGlyphs + 5);
    expect(() => subset.encode()).to.throw(RangeError);
  });
});
