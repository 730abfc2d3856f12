/**
 * The captcha picture: a PNG drawn pixel by pixel on the server, so what reaches the browser is
 * an image and nothing else — no glyph outline, no text, nothing a table lookup could match.
 *
 * Each character is a DejaVu Sans Bold or Serif Bold outline (faces the generated documents use),
 * turned, sheared, scaled and rippled by its own random amounts, set close to its neighbours; the
 * whole line is then bent by a random wave, so neither a glyph nor its position repeats from one
 * picture to the next. Two curves in the letters' own colours run through them and a thin pale one cuts
 * them, which keeps a program from cutting the line into characters by colour or by gaps; soft
 * blotches and specks vary the background. The letters stay large and dark on a light ground,
 * which is what people read by. Every random choice comes from one seeded generator per picture
 * (seededRandom.ts).
 */
import type { Font } from '@pdf-lib/fontkit';
import { parsedFont, type FontFace } from '../pdf/fonts';
import { encodePng } from './png';
import { rasterise, thickPolyline, type Point, type Polygon } from './raster';
import { between, secureRandom, type Random } from './seededRandom';

export const CAPTCHA_WIDTH = 270;
export const CAPTCHA_HEIGHT = 90;
/** Height of a capital letter, in pixels. */
const CAP_HEIGHT = 38;
/** The capital height of every DejaVu face, in font units. */
const FONT_CAP_HEIGHT = 1493;
/** Room kept free on the left and right of the line, pixels. */
const SIDE_MARGIN = 14;

/** How much each picture departs from plain upright letters; the default is CAPTCHA_STYLE. */
export interface CaptchaStyle {
  /** Faces each character is drawn in, one picked at random per character. */
  faces: readonly FontFace[];
  /** Largest turn of a glyph, degrees either way. */
  rotationDeg: number;
  /** Largest horizontal shear of a glyph (x += shear · y). */
  shear: number;
  /** Largest change of a glyph's size, as a fraction either way. */
  scaleJitter: number;
  /** Largest change of a glyph's width against its height, as a fraction either way. */
  aspectJitter: number;
  /** Amplitude of each glyph's own ripple, pixels: a glyph never keeps its exact outline. */
  rippleAmplitudePx: number;
  /** Largest shift of a glyph off its place, pixels either way. */
  jitterPx: number;
  /** Glyph advance as a fraction of the font's: below 1 the letters touch. */
  spacing: readonly [number, number];
  /** Amplitude of the wave that bends the line, pixels. */
  warpPx: number;
  /** Curves in the letters' colours through the line. */
  crossingLines: number;
  /** Thin pale curves cutting the letters. */
  cuttingLines: number;
  speckles: number;
  blotches: number;
}

export const CAPTCHA_STYLE: CaptchaStyle = {
  faces: ['sansBold', 'serifBold'],
  rotationDeg: 30,
  shear: 0.28,
  scaleJitter: 0.12,
  aspectJitter: 0.15,
  rippleAmplitudePx: 2.2,
  jitterPx: 5,
  spacing: [0.88, 0.98],
  warpPx: 6,
  crossingLines: 2,
  cuttingLines: 1,
  speckles: 110,
  blotches: 9,
};

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface CaptchaPicture {
  width: number;
  height: number;
  /** 3 bytes a pixel, row by row from the top. */
  rgb: Uint8Array;
  /** Where each character ended up, for the check that none is cut off. */
  glyphBoxes: Box[];
}

type Rgb = readonly [number, number, number];

interface PathCommand {
  command: 'moveTo' | 'lineTo' | 'quadraticCurveTo' | 'bezierCurveTo' | 'closePath';
  args: number[];
}

/** The glyph's outline as closed polygons in font units (y up), curves cut into short lines. */
function glyphContours(font: Font, ch: string): { contours: Point[][]; advance: number; minX: number; maxX: number } {
  const glyph = font.layout(ch).glyphs[0];
  if (glyph === undefined) throw new RangeError(`no glyph for ${JSON.stringify(ch)}`);
  // fontkit's typings leave out the commands its paths carry.
  const commands = (glyph.path as unknown as { commands: PathCommand[] }).commands;
  const contours: Point[][] = [];
  let current: Point[] = [];
  let pen: Point = [0, 0];
  const close = () => {
    if (current.length > 2) contours.push(current);
    current = [];
  };
  for (const { command, args } of commands) {
    if (command === 'moveTo') {
      close();
      pen = [args[0], args[1]];
      current.push(pen);
    } else if (command === 'lineTo') {
      pen = [args[0], args[1]];
      current.push(pen);
    } else if (command === 'quadraticCurveTo') {
      const [cx, cy, x, y] = args;
      for (let i = 1; i <= 8; i++) {
        const t = i / 8;
        const u = 1 - t;
        current.push([u * u * pen[0] + 2 * u * t * cx + t * t * x, u * u * pen[1] + 2 * u * t * cy + t * t * y]);
      }
      pen = [x, y];
    } else if (command === 'bezierCurveTo') {
      const [c1x, c1y, c2x, c2y, x, y] = args;
      for (let i = 1; i <= 12; i++) {
        const t = i / 12;
        const u = 1 - t;
        current.push([
          u * u * u * pen[0] + 3 * u * u * t * c1x + 3 * u * t * t * c2x + t * t * t * x,
          u * u * u * pen[1] + 3 * u * u * t * c1y + 3 * u * t * t * c2y + t * t * t * y,
        ]);
      }
      pen = [x, y];
    } else close();
  }
  close();
  const box = glyph.path.bbox;
  return { contours, advance: glyph.advanceWidth, minX: box.minX, maxX: box.maxX };
}

/** Cuts every edge into pieces no longer than `step`, so the wave bends straight strokes too. */
function densify(points: readonly Point[], step: number, closed: boolean): Point[] {
  const out: Point[] = [];
  const n = closed ? points.length : points.length - 1;
  for (let i = 0; i < n; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[(i + 1) % points.length];
    const pieces = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
    for (let k = 0; k < pieces; k++) out.push([x0 + ((x1 - x0) * k) / pieces, y0 + ((y1 - y0) * k) / pieces]);
  }
  if (!closed && points.length > 0) out.push(points[points.length - 1]);
  return out;
}

/** A smooth displacement of the whole picture, different for each one. */
function waveOf(random: Random, amplitude: number, wavelengths: readonly [number, number] = [45, 120]): (p: Point) => Point {
  const ax = amplitude * between(random, 0.4, 0.7);
  const ay = amplitude * between(random, 0.7, 1);
  const lx = between(random, (wavelengths[0] + wavelengths[1]) / 2, wavelengths[1]);
  const ly = between(random, wavelengths[0], (wavelengths[0] + wavelengths[1]) / 2);
  const px = between(random, 0, 2 * Math.PI);
  const py = between(random, 0, 2 * Math.PI);
  return ([x, y]) => [x + ax * Math.sin((2 * Math.PI * y) / ly + px), y + ay * Math.sin((2 * Math.PI * x) / lx + py)];
}

function boxOf(polygons: readonly Polygon[]): Box {
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const poly of polygons)
    for (const [x, y] of poly) {
      box.minX = Math.min(box.minX, x);
      box.minY = Math.min(box.minY, y);
      box.maxX = Math.max(box.maxX, x);
      box.maxY = Math.max(box.maxY, y);
    }
  return box;
}

/** The characters placed, turned, sheared and bent, in pixels (y down). */
function placedGlyphs(text: string, random: Random, style: CaptchaStyle, wave: (p: Point) => Point): Polygon[][] {
  const chars = [...text];
  const glyphs = chars.map((ch) => glyphContours(parsedFont(style.faces[Math.floor(random() * style.faces.length)] ?? 'sansBold'), ch));
  const spacing = glyphs.map(() => between(random, style.spacing[0], style.spacing[1]));
  const natural = glyphs.reduce((sum, g, i) => sum + g.advance * spacing[i], 0) * (CAP_HEIGHT / FONT_CAP_HEIGHT);
  // Wide letters (M, W) in a row are set smaller rather than cut off at the edges.
  const baseScale = (CAP_HEIGHT / FONT_CAP_HEIGHT) * Math.min(1, (CAPTCHA_WIDTH - 2 * SIDE_MARGIN) / natural);
  const advances = glyphs.map((g, i) => g.advance * baseScale * spacing[i]);
  const total = advances.reduce((a, b) => a + b, 0);
  let x = (CAPTCHA_WIDTH - total) / 2 + between(random, -style.jitterPx, style.jitterPx);
  const rad = (style.rotationDeg * Math.PI) / 180;
  return glyphs.map((g, i) => {
    const scale = baseScale * (1 + between(random, -style.scaleJitter, style.scaleJitter));
    const aspect = 1 + between(random, -style.aspectJitter, style.aspectJitter);
    const ripple = waveOf(random, style.rippleAmplitudePx, [20, 34]);
    const angle = between(random, -rad, rad);
    const shear = between(random, -style.shear, style.shear);
    const cx = x + advances[i] / 2 + between(random, -style.jitterPx / 2, style.jitterPx / 2);
    const cy = CAPTCHA_HEIGHT / 2 + between(random, -style.jitterPx, style.jitterPx);
    x += advances[i];
    const midX = (g.minX + g.maxX) / 2;
    const midY = FONT_CAP_HEIGHT / 2;
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    return g.contours.map((contour) =>
      densify(
        contour.map(([fx, fy]): Point => {
          // Font units about the glyph's middle, y turned downwards, then shear, turn and place.
          const u = (fx - midX) * scale * aspect;
          const v = -(fy - midY) * scale;
          const su = u + shear * v;
          return [su * cos - v * sin, su * sin + v * cos];
        }),
        1.5,
        true,
      ).map((p) => {
        const [rx, ry] = ripple(p);
        return wave([cx + rx, cy + ry]);
      }),
    );
  });
}

/** Moves (and if need be narrows) the line so that every glyph lies `margin` pixels inside the picture. */
function fitInside(glyphs: Polygon[][], margin: number): Polygon[][] {
  const all = boxOf(glyphs.flat());
  const fit = (min: number, max: number, size: number) => {
    const room = size - 2 * margin;
    const k = Math.min(1, room / (max - min));
    const from = min < margin || max > size - margin ? (k < 1 ? margin : Math.min(Math.max(min, margin), size - margin - (max - min))) : min;
    return (v: number) => from + (v - min) * k;
  };
  const fx = fit(all.minX, all.maxX, CAPTCHA_WIDTH);
  const fy = fit(all.minY, all.maxY, CAPTCHA_HEIGHT);
  return glyphs.map((polygons) => polygons.map((poly) => poly.map(([x, y]): Point => [fx(x), fy(y)])));
}

/** A curve across the picture through the letters' band. */
function crossingCurve(random: Random, wave: (p: Point) => Point): Point[] {
  const x0 = between(random, 0, 30);
  const x1 = between(random, CAPTCHA_WIDTH - 30, CAPTCHA_WIDTH);
  const yMid = CAPTCHA_HEIGHT / 2 + between(random, -12, 12);
  const tilt = between(random, -14, 14);
  const amp = between(random, 4, 11);
  const period = between(random, 60, 140);
  const phase = between(random, 0, 2 * Math.PI);
  const points: Point[] = [];
  for (let x = x0; x <= x1; x += 3) {
    const t = (x - x0) / (x1 - x0) - 0.5;
    points.push(wave([x, yMid + tilt * t + amp * Math.sin((2 * Math.PI * x) / period + phase)]));
  }
  return points;
}

function disc(cx: number, cy: number, r: number): Polygon {
  return Array.from({ length: 8 }, (_, k): Point => [cx + r * Math.cos((k * Math.PI) / 4), cy + r * Math.sin((k * Math.PI) / 4)]);
}

function darkColour(random: Random): Rgb {
  return [Math.round(between(random, 10, 90)), Math.round(between(random, 10, 90)), Math.round(between(random, 40, 130))];
}

function paleColour(random: Random, low = 205, high = 250): Rgb {
  return [Math.round(between(random, low, high)), Math.round(between(random, low, high)), Math.round(between(random, low, high))];
}

class Canvas {
  readonly rgb = new Float32Array(CAPTCHA_WIDTH * CAPTCHA_HEIGHT * 3);

  /** A left-to-right gradient between two light colours. */
  ground(from: Rgb, to: Rgb): void {
    for (let y = 0; y < CAPTCHA_HEIGHT; y++)
      for (let x = 0; x < CAPTCHA_WIDTH; x++) {
        const t = x / (CAPTCHA_WIDTH - 1);
        const i = (y * CAPTCHA_WIDTH + x) * 3;
        for (let c = 0; c < 3; c++) this.rgb[i + c] = from[c] + (to[c] - from[c]) * t;
      }
  }

  /** A soft round patch of colour fading out from its centre. */
  blotch(cx: number, cy: number, radius: number, colour: Rgb, strength: number): void {
    for (let y = Math.max(0, Math.floor(cy - radius)); y < Math.min(CAPTCHA_HEIGHT, Math.ceil(cy + radius)); y++)
      for (let x = Math.max(0, Math.floor(cx - radius)); x < Math.min(CAPTCHA_WIDTH, Math.ceil(cx + radius)); x++) {
        const d = Math.hypot(x - cx, y - cy) / radius;
        if (d >= 1) continue;
        const a = strength * (1 - d * d);
        const i = (y * CAPTCHA_WIDTH + x) * 3;
        for (let c = 0; c < 3; c++) this.rgb[i + c] += (colour[c] - this.rgb[i + c]) * a;
      }
  }

  fill(polygons: readonly Polygon[], colour: Rgb): void {
    const coverage = rasterise(polygons, CAPTCHA_WIDTH, CAPTCHA_HEIGHT);
    for (let p = 0; p < coverage.length; p++) {
      const a = coverage[p];
      if (a === 0) continue;
      for (let c = 0; c < 3; c++) this.rgb[p * 3 + c] += (colour[c] - this.rgb[p * 3 + c]) * a;
    }
  }

  bytes(): Uint8Array {
    // Uint8ClampedArray rounds and clamps as it stores.
    return new Uint8Array(Uint8ClampedArray.from(this.rgb).buffer);
  }
}

/** Draws `text` with the given randomness and style (a fresh secure generator and CAPTCHA_STYLE by default). */
export function drawCaptcha(text: string, options: { random?: Random; style?: CaptchaStyle } = {}): CaptchaPicture {
  const random = options.random ?? secureRandom();
  const style = options.style ?? CAPTCHA_STYLE;
  const canvas = new Canvas();
  canvas.ground(paleColour(random, 228, 252), paleColour(random, 228, 252));
  for (let i = 0; i < style.blotches; i++) {
    canvas.blotch(between(random, 0, CAPTCHA_WIDTH), between(random, 0, CAPTCHA_HEIGHT), between(random, 12, 34), paleColour(random, 175, 235), between(random, 0.35, 0.7));
  }
  const pale = Array.from({ length: Math.ceil(style.speckles / 2) }, () => disc(between(random, 0, CAPTCHA_WIDTH), between(random, 0, CAPTCHA_HEIGHT), between(random, 0.6, 1.5)));
  canvas.fill(pale, paleColour(random, 150, 200));

  const wave = waveOf(random, style.warpPx);
  const glyphs = fitInside(placedGlyphs(text, random, style, wave), 3);
  const colours = glyphs.map(() => darkColour(random));
  glyphs.forEach((polygons, i) => canvas.fill(polygons, colours[i]));
  for (let i = 0; i < style.crossingLines; i++) {
    canvas.fill(thickPolyline(crossingCurve(random, wave), between(random, 1.4, 2.2)), colours[Math.floor(random() * colours.length)] ?? darkColour(random));
  }
  for (let i = 0; i < style.cuttingLines; i++) canvas.fill(thickPolyline(crossingCurve(random, wave), between(random, 1, 1.5)), paleColour(random, 225, 250));
  const dark = Array.from({ length: Math.floor(style.speckles / 2) }, () => disc(between(random, 0, CAPTCHA_WIDTH), between(random, 0, CAPTCHA_HEIGHT), between(random, 0.5, 1.1)));
  canvas.fill(dark, darkColour(random));

  return { width: CAPTCHA_WIDTH, height: CAPTCHA_HEIGHT, rgb: canvas.bytes(), glyphBoxes: glyphs.map(boxOf) };
}

export function captchaPng(text: string, options: { random?: Random; style?: CaptchaStyle } = {}): Buffer {
  const picture = drawCaptcha(text, options);
  return encodePng(picture.width, picture.height, picture.rgb);
}

/** The picture as a data URL an <img> shows directly. */
export function captchaDataUrl(text: string): string {
  return `data:image/png;base64,${captchaPng(text).toString('base64')}`;
}
