/**
 * The picture of the commune's seal: two red rings, the unit's name around the top between them
 * and a star in the middle. The lettering is drawn as glyph outlines, not text: a seal is an
 * image, and rotated letters as text would scatter through the page's extracted text (the unit
 * name is printed as text in the page heading anyway).
 */
import { deflateSync } from 'node:zlib';
import {
  appendBezierCurve,
  closePath,
  concatTransformationMatrix,
  drawEllipse,
  fill,
  lineTo,
  moveTo,
  PDFContentStream,
  PDFContext,
  PDFName,
  PDFNumber,
  PDFRawStream,
  popGraphicsState,
  pushGraphicsState,
  rgb,
  setFillingRgbColor,
  type PDFOperator,
  type PDFPage,
} from 'pdf-lib';
import { parsedFont } from './fonts';

export const SEAL_RED = { r: 0.82, g: 0.07, b: 0.1 } as const;

type PathCommand =
  | { command: 'moveTo' | 'lineTo'; args: [number, number] }
  | { command: 'quadraticCurveTo'; args: [number, number, number, number] }
  | { command: 'bezierCurveTo'; args: [number, number, number, number, number, number] }
  | { command: 'closePath'; args: [] };

/** fontkit keeps a glyph's outline as a command list; its typings only expose the SVG form. */
function commandsOf(path: unknown): PathCommand[] {
  const commands = (path as { commands?: unknown }).commands;
  if (!Array.isArray(commands)) throw new Error('glyph outline unavailable');
  return commands as PathCommand[];
}

/** PDF path operators of a glyph outline, in font units; quadratic segments become cubic. */
function outlineOperators(commands: readonly PathCommand[]): PDFOperator[] {
  const ops: PDFOperator[] = [];
  let cx = 0;
  let cy = 0;
  let sx = 0;
  let sy = 0;
  for (const c of commands) {
    switch (c.command) {
      case 'moveTo':
        [cx, cy] = c.args;
        [sx, sy] = c.args;
        ops.push(moveTo(cx, cy));
        break;
      case 'lineTo':
        [cx, cy] = c.args;
        ops.push(lineTo(cx, cy));
        break;
      case 'quadraticCurveTo': {
        const [qx, qy, x, y] = c.args;
        ops.push(appendBezierCurve(cx + (2 / 3) * (qx - cx), cy + (2 / 3) * (qy - cy), x + (2 / 3) * (qx - x), y + (2 / 3) * (qy - y), x, y));
        cx = x;
        cy = y;
        break;
      }
      case 'bezierCurveTo': {
        const [x1, y1, x2, y2, x, y] = c.args;
        ops.push(appendBezierCurve(x1, y1, x2, y2, x, y));
        cx = x;
        cy = y;
        break;
      }
      case 'closePath':
        ops.push(closePath());
        cx = sx;
        cy = sy;
        break;
    }
  }
  return ops;
}

/**
 * Letters along an arc of radius `baseline` centred on the top of the circle, reading clockwise,
 * each upright towards the rim. The size shrinks until the text spans at most `maxSweep` radians.
 */
function arcLettering(text: string, cx: number, cy: number, baseline: number, size: number, maxSweep: number): PDFOperator[] {
  const font = parsedFont('serifBold');
  const run = font.layout(text.normalize('NFC'));
  const unitsWidth = run.positions.reduce((sum, p) => sum + p.xAdvance, 0);
  const fontSize = Math.min(size, (maxSweep * baseline * font.unitsPerEm) / Math.max(unitsWidth, 1));
  const scale = fontSize / font.unitsPerEm;
  const sweep = (unitsWidth * scale) / baseline;
  const ops: PDFOperator[] = [];
  let along = 0;
  run.glyphs.forEach((glyph, i) => {
    const pos = run.positions[i] as (typeof run.positions)[number];
    const advance = pos.xAdvance * scale;
    const theta = Math.PI / 2 + sweep / 2 - (along + advance / 2) / baseline;
    along += advance;
    const commands = commandsOf(glyph.path);
    if (commands.length === 0) return;
    const phi = theta - Math.PI / 2;
    const cos = Math.cos(phi);
    const sin = Math.sin(phi);
    // Glyph origin: on the baseline circle, half an advance back along the tangent.
    const ox = cx + baseline * Math.cos(theta) - (advance / 2) * cos + pos.xOffset * scale * cos - pos.yOffset * scale * sin;
    const oy = cy + baseline * Math.sin(theta) - (advance / 2) * sin + pos.xOffset * scale * sin + pos.yOffset * scale * cos;
    ops.push(pushGraphicsState(), concatTransformationMatrix(scale * cos, scale * sin, -scale * sin, scale * cos, ox, oy), ...outlineOperators(commands), fill(), popGraphicsState());
  });
  return ops;
}

function star(cx: number, cy: number, outer: number): PDFOperator[] {
  const inner = outer * 0.382;
  const ops: PDFOperator[] = [];
  for (let i = 0; i < 10; i++) {
    const r = i % 2 === 0 ? outer : inner;
    const a = Math.PI / 2 + (i * Math.PI) / 5;
    const x = cx + r * Math.cos(a);
    const y = cy + r * Math.sin(a);
    ops.push(i === 0 ? moveTo(x, y) : lineTo(x, y));
  }
  ops.push(closePath(), fill());
  return ops;
}

function ring(cx: number, cy: number, size: number, borderWidth: number): PDFOperator[] {
  // What PDFPage.drawCircle writes for a border-only circle.
  return drawEllipse({
    x: cx,
    y: cy,
    xScale: size,
    yScale: size,
    rotate: undefined,
    color: undefined,
    borderColor: rgb(SEAL_RED.r, SEAL_RED.g, SEAL_RED.b),
    borderWidth,
    borderDashArray: undefined,
    borderDashPhase: undefined,
    borderLineCap: undefined,
    graphicsState: undefined,
  });
}

/** The seal centred at (cx, cy) with outer radius `radius`, in PDF user space. */
export function sealMarkOperators(unitName: string, cx: number, cy: number, radius: number): PDFOperator[] {
  const innerRadius = radius * 0.68;
  const band = radius - 1.8 - innerRadius;
  return [
    ...ring(cx, cy, radius - 0.9, 1.8),
    ...ring(cx, cy, innerRadius, 0.8),
    pushGraphicsState(),
    setFillingRgbColor(SEAL_RED.r, SEAL_RED.g, SEAL_RED.b),
    ...arcLettering(unitName.toUpperCase(), cx, cy, innerRadius + band * 0.2, band * 0.72, (300 * Math.PI) / 180),
    ...star(cx, cy - innerRadius - band * 0.5, band * 0.28),
    ...star(cx, cy, innerRadius * 0.55),
    popGraphicsState(),
  ];
}

/**
 * A commune's seal is the same drawing on every copy it seals: its glyph outlines, written out
 * and compressed, are kept per unit name and place, and each copy gets them as a content stream
 * of their own, appended after the page's others.
 */
const sealStreams = new Map<string, Uint8Array>();
const MAX_SEALS = 512;

export function appendSealMark(page: PDFPage, unitName: string, cx: number, cy: number, radius: number): void {
  const key = JSON.stringify([unitName, cx, cy, radius]);
  let compressed = sealStreams.get(key);
  if (compressed === undefined) {
    const scratch = PDFContext.create();
    const content = PDFContentStream.of(scratch.obj({}), sealMarkOperators(unitName, cx, cy, radius), false).getUnencodedContents();
    compressed = deflateSync(content);
    if (sealStreams.size >= MAX_SEALS) sealStreams.clear();
    sealStreams.set(key, compressed);
  }
  const { context } = page.doc;
  const dict = context.obj({});
  dict.set(PDFName.of('Filter'), PDFName.of('FlateDecode'));
  dict.set(PDFName.of('Length'), PDFNumber.of(compressed.length));
  page.node.addContentStream(context.register(PDFRawStream.of(dict, compressed)));
}
