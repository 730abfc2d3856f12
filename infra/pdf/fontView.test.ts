/**
 * Documents' views of one parsed face: each lays text out exactly as a freshly parsed font
 * would, whatever other documents did with the face before, and a glyph one document created
 * without characters (as fontkit does for a composite's components) keeps its characters in the
 * next document.
 */
import { createRequire } from 'node:module';
import { expect } from 'chai';
import { fontBytes } from './fonts';
import { sharedFont } from './fontView';
import { TrueTypeFace, TrueTypeSubset } from './trueTypeSubset';

interface Glyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
}
interface Run {
  glyphs: Glyph[];
  positions: Array<{ xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }>;
  advanceWidth: number;
}
interface Font {
  layout(text: string): Run;
  getGlyph(id: number, codePoints?: number[]): Glyph;
  glyphForCodePoint(codePoint: number): Glyph;
}
const fontkit2 = createRequire(require.resolve('pdfkit'))('fontkit') as { create(bytes: Uint8Array): Font };

function summary(run: Run) {
  return {
    glyphs: run.glyphs.map((g) => ({ id: g.id, codePoints: g.codePoints, advanceWidth: g.advanceWidth })),
    positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
    advanceWidth: run.advanceWidth,
  };
}

describe('font views of a face parsed once', () => {
  const index = new TrueTypeFace(fontBytes('serif'));
  const face = sharedFont(fontkit2.create(fontBytes('serif')) as unknown as object, () => new TrueTypeSubset(index, 'source'));
  const view = () => face.view() as Font;

  it('lay text out as a freshly parsed font does, before and after other documents', () => {
    const texts = ['Chứng thực bản sao đúng với bản chính.', 'ẮẰẲẴẶ ắằẳẵặ', 'office fi ffl', 'UBND XÃ NÙNG NĂNG', 'Chứng thực bản sao đúng với bản chính.'];
    for (const text of texts) {
      const fresh = fontkit2.create(fontBytes('serif'));
      const document = view();
      expect(summary(document.layout(text)), text).to.deep.equal(summary(fresh.layout(text)));
      // Laid out twice in one document: the second run comes from the shared shapes.
      expect(summary(document.layout(text)), `${text} again`).to.deep.equal(summary(fresh.layout(text)));
    }
  });

  it('a glyph created without characters in one document keeps them in the next', () => {
    const a = fontkit2.create(fontBytes('serif')).glyphForCodePoint(0x61).id;
    const first = view();
    // fontkit creates a composite's components this way (ắ is a + marks in DejaVu).
    expect(first.getGlyph(a).codePoints).to.deep.equal([]);
    const next = view();
    expect(next.layout('a').glyphs[0]?.codePoints).to.deep.equal([0x61]);
  });

  it('gives each run its own positions, which callers scale in place', () => {
    const document = view();
    const run = document.layout('Hòa');
    const width = run.advanceWidth;
    for (const p of run.positions) p.xAdvance *= 2;
    expect(run.advanceWidth).to.equal(2 * width);
    expect(document.layout('Hòa').advanceWidth).to.equal(width);
  });

  it('subsets through the face index', () => {
    const subset = (view() as unknown as { createSubset(): unknown }).createSubset();
    expect(subset).to.be.instanceOf(TrueTypeSubset);
  });
});
