/**
 * One document's view of a font parsed once per process (fontkit 2 for pdfkit, @pdf-lib/fontkit
 * for pdf-lib; both keep the same internals used here).
 *
 * The view shares the parsed tables, decoded once and only read afterwards, but has a glyph cache
 * of its own: fontkit stores the characters a glyph stands for on the cached glyph object, set by
 * whichever call created it first. Subsetting a composite glyph (ắ = a + ̆ + ́) creates its
 * components with no characters; with one glyph cache for every document, a later document that
 * wrote a plain "a" got that glyph, its ToUnicode map had no entry for it and pdftotext lost the
 * letter. That is what broke text extraction when a parsed font was first shared.
 *
 * Shaping (GSUB/GPOS) a word gives the same glyphs and positions in every document, so the result
 * is kept per face and text for the whole process. Its glyphs are records of what pdfkit and pdf-lib
 * read of a glyph — id, advance, and the characters it stands for as fontkit gives them for this
 * word laid out alone in an empty glyph cache — the same whatever other documents did before, so
 * a document's ToUnicode map cannot depend on them.
 */

/** What a layout returns that pdfkit and pdf-lib read: glyphs, positions and the run's width. */
export interface ShapedRun<G> {
  glyphs: G[];
  positions: Position[];
  readonly advanceWidth: number;
}

interface Position {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}

interface FontkitGlyph {
  id: number;
  codePoints: number[];
  advanceWidth: number;
  /** fontkit computes a glyph's metrics once and keeps them here. */
  _metrics?: object;
  _getMetrics(): object;
}

interface FontkitFont {
  getGlyph(id: number, codePoints?: number[]): FontkitGlyph;
  layout(text: string, features?: unknown, ...rest: unknown[]): { glyphs: FontkitGlyph[]; positions: Position[] };
}

/** What pdfkit and pdf-lib read of a laid-out glyph; the same object for every document. */
export interface GlyphRecord {
  readonly id: number;
  readonly codePoints: readonly number[];
  readonly advanceWidth: number;
}

interface Shape {
  glyphs: readonly GlyphRecord[];
  positions: Position[];
}

/** Words laid out per face (a copy has a few hundred, mostly the same on every copy); cleared when full, as a process meets ever new names. */
const MAX_SHAPES = 5_000;

export interface SharedFont<F extends object> {
  /** A new view for one document. */
  view(): F;
}

/**
 * `createSubset` replaces fontkit's subsetter (see trueTypeSubset.ts); the rest of the font's API
 * is the parsed font's, through the view.
 */
export function sharedFont<F extends object>(parsed: F, createSubset: () => unknown): SharedFont<F> {
  const layoutEngine = inheritedGetter(parsed, '_layoutEngine');
  const ownGetGlyph = (parsed as F & FontkitFont).getGlyph;
  const shapes = new Map<string, Shape>();
  // Without a vmtx table fontkit derives a glyph's metrics from its outline, decoded for that;
  // they are the same for every document.
  const metrics = new Map<number, object>();
  const metricsOf = (id: number): object => {
    let found = metrics.get(id);
    if (found === undefined) {
      found = ownGetGlyph.call(parsed, id)._getMetrics();
      metrics.set(id, found);
    }
    return found;
  };

  function bareView(): F {
    const view = Object.create(parsed) as F;
    Object.defineProperty(view, '_glyphs', { value: {}, writable: true, configurable: true });
    // The class getter replaces this accessor with the engine it builds for (and through) the view.
    Object.defineProperty(view, '_layoutEngine', {
      configurable: true,
      get(this: F) {
        return layoutEngine.call(this);
      },
    });
    Object.defineProperty(view, 'createSubset', { value: createSubset, configurable: true });
    Object.defineProperty(view, 'getGlyph', {
      configurable: true,
      value(this: F & FontkitFont, id: number, codePoints?: number[]): FontkitGlyph {
        const glyph = ownGetGlyph.call(this, id, codePoints);
        if (glyph && glyph._metrics === undefined) glyph._metrics = metricsOf(id);
        return glyph;
      },
    });
    return view;
  }

  // Shapes are taken in a view whose glyph cache is emptied first, so each glyph carries the
  // characters fontkit created it with for this text alone.
  const shaper = bareView() as F & FontkitFont;
  const ownLayout = shaper.layout;

  function shape(text: string, features: unknown): Shape {
    const key = `${features === undefined ? '' : JSON.stringify(features)}\u0000${text}`;
    let found = shapes.get(key);
    if (found === undefined) {
      Object.defineProperty(shaper, '_glyphs', { value: {}, writable: true, configurable: true });
      const run = ownLayout.call(shaper, text, features);
      found = {
        glyphs: run.glyphs.map((g) => Object.freeze({ id: g.id, codePoints: Object.freeze([...g.codePoints]), advanceWidth: g.advanceWidth })),
        positions: run.positions.map((p) => ({ xAdvance: p.xAdvance, yAdvance: p.yAdvance, xOffset: p.xOffset, yOffset: p.yOffset })),
      };
      if (shapes.size >= MAX_SHAPES) shapes.clear();
      shapes.set(key, found);
    }
    return found;
  }

  return {
    view(): F {
      const view = bareView() as F & FontkitFont;
      Object.defineProperty(view, 'layout', {
        configurable: true,
        value(text: string, features?: unknown, ...rest: unknown[]): ShapedRun<GlyphRecord> | ReturnType<FontkitFont['layout']> {
          // Script, language or direction given explicitly: laid out as asked, without the cache.
          if (rest.some((r) => r !== undefined)) return ownLayout.call(view, text, features, ...rest);
          const s = shape(text, features);
          return {
            glyphs: s.glyphs.slice(),
            // Callers scale positions in place (pdfkit does), so each run gets its own.
            positions: s.positions.map((p) => ({ ...p })),
            get advanceWidth() {
              let width = 0;
              for (const p of this.positions) width += p.xAdvance;
              return width;
            },
          };
        },
      });
      return view;
    },
  };
}

function inheritedGetter(object: object, key: string): () => unknown {
  for (let proto = Object.getPrototypeOf(object) as object | null; proto !== null; proto = Object.getPrototypeOf(proto) as object | null) {
    const getter = Object.getOwnPropertyDescriptor(proto, key)?.get;
    if (getter !== undefined) return getter;
  }
  throw new Error(`fontkit font without a ${key} getter: the glyph cache cannot be kept per document`);
}
