/**
 * The simple machine reading a captcha must defeat: a lookup of each character's shape in a table.
 * The table holds every character of the alphabet drawn upright by the captcha's own renderer
 * (same font, same size); the attack reads the PNG, keeps the dark pixels, drops specks, splits
 * looks for the table shape that overlaps the ink best (Dice score) at each character's place —
 * by equal slices of the inked span, and by reading from left to right.
 * Against upright letters this reads every answer, which is what makes its failure on the real
 * pictures mean something.
 */
import { inflateSync } from 'node:zlib';
import { drawCaptcha, type CaptchaStyle } from '../../infra/captcha/captchaImage';
import type { FontFace } from '../../infra/pdf/fonts';
import { seededRandom } from '../../infra/captcha/seededRandom';

export interface Bitmap {
  width: number;
  height: number;
  /** 1 where the pixel is ink. */
  ink: Uint8Array;
}

/** Upright letters on a plain ground: the renderer with every distortion turned off. */
export const PLAIN_STYLE: CaptchaStyle = {
  faces: ['sansBold'],
  rotationDeg: 0,
  shear: 0,
  scaleJitter: 0,
  aspectJitter: 0,
  rippleAmplitudePx: 0,
  jitterPx: 0,
  spacing: [1, 1],
  warpPx: 0,
  crossingLines: 0,
  cuttingLines: 0,
  speckles: 0,
  blotches: 0,
};

/** Pixels of an 8-bit RGB, non-interlaced PNG whose rows are unfiltered (what infra/captcha/png.ts writes). */
export function decodeRgbPng(png: Buffer): { width: number; height: number; rgb: Uint8Array } {
  if (!png.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) throw new Error('not a PNG');
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[9] !== 2 || data[12] !== 0) throw new Error('not 8-bit RGB without interlace');
    } else if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 3;
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    if (raw[y * (stride + 1)] !== 0) throw new Error(`row ${y} uses PNG filter ${raw[y * (stride + 1)]}`);
    rgb.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return { width, height, rgb };
}

export function inkOf(picture: { width: number; height: number; rgb: Uint8Array }, threshold = 150): Bitmap {
  const ink = new Uint8Array(picture.width * picture.height);
  for (let p = 0; p < ink.length; p++) {
    const [r, g, b] = [picture.rgb[p * 3], picture.rgb[p * 3 + 1], picture.rgb[p * 3 + 2]];
    ink[p] = 0.299 * r + 0.587 * g + 0.114 * b < threshold ? 1 : 0;
  }
  return { width: picture.width, height: picture.height, ink };
}

/** Removes ink blobs smaller than `minSize` pixels (specks). */
export function withoutSpecks(bitmap: Bitmap, minSize = 20): Bitmap {
  const { width, height } = bitmap;
  const ink = Uint8Array.from(bitmap.ink);
  const seen = new Uint8Array(ink.length);
  for (let start = 0; start < ink.length; start++) {
    if (!ink[start] || seen[start]) continue;
    const blob: number[] = [start];
    seen[start] = 1;
    for (let k = 0; k < blob.length; k++) {
      const p = blob[k];
      const x = p % width;
      const y = (p - x) / width;
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        const nx = x + dx;
        const ny = y + dy;
        if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
        const q = ny * width + nx;
        if (ink[q] && !seen[q]) {
          seen[q] = 1;
          blob.push(q);
        }
      }
    }
    if (blob.length < minSize) for (const p of blob) ink[p] = 0;
  }
  return { width, height, ink };
}

function inkBox(bitmap: Bitmap): { minX: number; minY: number; maxX: number; maxY: number } | undefined {
  let box: { minX: number; minY: number; maxX: number; maxY: number } | undefined;
  for (let y = 0; y < bitmap.height; y++)
    for (let x = 0; x < bitmap.width; x++) {
      if (!bitmap.ink[y * bitmap.width + x]) continue;
      box ??= { minX: x, minY: y, maxX: x, maxY: y };
      box.minX = Math.min(box.minX, x);
      box.minY = Math.min(box.minY, y);
      box.maxX = Math.max(box.maxX, x);
      box.maxY = Math.max(box.maxY, y);
    }
  return box;
}

function crop(bitmap: Bitmap, box: { minX: number; minY: number; maxX: number; maxY: number }): Bitmap {
  const width = box.maxX - box.minX + 1;
  const height = box.maxY - box.minY + 1;
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) ink[y * width + x] = bitmap.ink[(y + box.minY) * bitmap.width + x + box.minX];
  return { width, height, ink };
}

/** The shape drawn `factor` times as large (nearest pixel). */
function resized(shape: Shape, factor: number): Shape {
  const { bitmap } = shape;
  const width = Math.max(1, Math.round(bitmap.width * factor));
  const height = Math.max(1, Math.round(bitmap.height * factor));
  const ink = new Uint8Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) ink[y * width + x] = bitmap.ink[Math.min(bitmap.height - 1, Math.floor(y / factor)) * bitmap.width + Math.min(bitmap.width - 1, Math.floor(x / factor))];
  return shapeOf({ width, height, ink });
}

/** The lookup table: each character drawn upright in each face, cropped to its ink. */
export function shapeTable(alphabet: string, faces: readonly FontFace[]): ReadonlyArray<readonly [string, Shape]> {
  const table: Array<readonly [string, Shape]> = [];
  for (const face of faces)
    for (const ch of alphabet) {
      const bitmap = inkOf(drawCaptcha(ch, { style: { ...PLAIN_STYLE, faces: [face] }, random: seededRandom([1, 2, 3, 4]) }));
      table.push([ch, shapeOf(crop(bitmap, inkBox(bitmap)!))]);
    }
  return table;
}

/** Ink pixels in each rectangle, in constant time (a summed-area table). */
function inkCounter(image: Bitmap): (x0: number, y0: number, x1: number, y1: number) => number {
  const w = image.width + 1;
  const sums = new Uint32Array(w * (image.height + 1));
  for (let y = 0; y < image.height; y++)
    for (let x = 0; x < image.width; x++) sums[(y + 1) * w + x + 1] = image.ink[y * image.width + x] + sums[y * w + x + 1] + sums[(y + 1) * w + x] - sums[y * w + x];
  const clampX = (x: number) => Math.max(0, Math.min(image.width, x));
  const clampY = (y: number) => Math.max(0, Math.min(image.height, y));
  return (x0, y0, x1, y1) => {
    const [a, b, c, d] = [clampX(x0), clampY(y0), clampX(x1), clampY(y1)];
    return sums[d * w + c] - sums[b * w + c] - sums[d * w + a] + sums[b * w + a];
  };
}

interface Shape {
  bitmap: Bitmap;
  /** Its ink pixels as (x, y) pairs. */
  points: Int16Array;
}

function shapeOf(bitmap: Bitmap): Shape {
  const points: number[] = [];
  for (let y = 0; y < bitmap.height; y++) for (let x = 0; x < bitmap.width; x++) if (bitmap.ink[y * bitmap.width + x]) points.push(x, y);
  return { bitmap, points: Int16Array.from(points) };
}

/** Dice overlap of a table shape placed with its top-left corner at (ox, oy). */
function overlap(image: Bitmap, count: ReturnType<typeof inkCounter>, shape: Shape, ox: number, oy: number): number {
  let both = 0;
  for (let k = 0; k < shape.points.length; k += 2) {
    const ix = ox + shape.points[k];
    const iy = oy + shape.points[k + 1];
    if (ix >= 0 && iy >= 0 && ix < image.width && iy < image.height && image.ink[iy * image.width + ix]) both++;
  }
  const total = shape.points.length / 2 + count(ox, oy, ox + shape.bitmap.width, oy + shape.bitmap.height);
  return total === 0 ? 0 : (2 * both) / total;
}

/** The shape and place with the best overlap: every shape on a 2-pixel grid of places, then the best place of each shape refined to the pixel. */
function bestAt(
  image: Bitmap,
  count: ReturnType<typeof inkCounter>,
  table: ReadonlyArray<readonly [string, Shape]>,
  xs: readonly number[],
  ys: readonly number[],
  anchor: 'centre' | 'left',
): { ch: string; score: number; right: number } {
  let best = { ch: '', score: -1, right: 0 };
  for (const [ch, shape] of table) {
    const left = (x: number) => Math.round(anchor === 'centre' ? x - shape.bitmap.width / 2 : x);
    const top = (y: number) => Math.round(y - shape.bitmap.height / 2);
    let own = { score: -1, ox: 0, oy: 0 };
    for (const y of ys)
      for (const x of xs) {
        const score = overlap(image, count, shape, left(x), top(y));
        if (score > own.score) own = { score, ox: left(x), oy: top(y) };
      }
    for (let dy = -1; dy <= 1; dy++)
      for (let dx = -1; dx <= 1; dx++) {
        const score = overlap(image, count, shape, own.ox + dx, own.oy + dy);
        if (score > own.score) own = { score, ox: own.ox + dx, oy: own.oy + dy };
      }
    if (own.score > best.score) best = { ch, score: own.score, right: own.ox + shape.bitmap.width };
  }
  return best;
}

const range = (from: number, to: number, step = 1) => Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

/**
 * The attack's readings of a captcha PNG whose answer has `length` characters: one cutting the
 * inked span into equal slices, one reading left to right, each character starting where the
 * shape before it ended. The attack wins when either reading is the answer.
 */
export function readByLookup(png: Buffer, length: number, table: ReadonlyArray<readonly [string, Shape]>): string[] {
  const image = withoutSpecks(inkOf(decodeRgbPng(png)));
  const count = inkCounter(image);
  const box = inkBox(image);
  if (!box) return [];
  // A long line is drawn smaller: the table is brought to the height of the ink when that is lower.
  const heights = table.map(([, shape]) => shape.bitmap.height).sort((a, b) => a - b);
  const factor = Math.min(1, (box.maxY - box.minY + 1) / heights[Math.floor(heights.length / 2)]);
  if (factor < 0.97) table = table.map(([ch, shape]) => [ch, resized(shape, factor)] as const);
  const middle = (box.minY + box.maxY) / 2;
  const ys = range(Math.round(middle) - 8, Math.round(middle) + 8, 2);

  const slice = (box.maxX - box.minX + 1) / length;
  let bySlices = '';
  for (let i = 0; i < length; i++) {
    const centre = Math.round(box.minX + slice * (i + 0.5));
    bySlices += bestAt(image, count, table, range(centre - 10, centre + 10, 2), ys, 'centre').ch;
  }

  let inReadingOrder = '';
  let cursor = box.minX;
  for (let i = 0; i < length; i++) {
    const best = bestAt(image, count, table, range(cursor - 6, cursor + 10, 2), ys, 'left');
    inReadingOrder += best.ch;
    cursor = best.right;
  }
  return [bySlices, inReadingOrder];
}
