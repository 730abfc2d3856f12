/**
 * The captcha picture: an SVG in which every character is a glyph outline (a <path>), never text,
 * so the answer cannot be read out of the markup; each glyph is turned and shifted a little at
 * random, and noise lines and dots cross them. Drawn with DejaVu Sans Bold, the face of every
 * generated document.
 */
import { randomInt } from 'node:crypto';
import { parsedFont } from '../pdf/fonts';

export const CAPTCHA_WIDTH = 160;
export const CAPTCHA_HEIGHT = 50;

const GLYPH_SIZE = 28;
const SIDE_MARGIN = 8;
/** Height in font units about which glyphs are turned: the middle of a capital or a tall lower-case letter. */
const GLYPH_MIDDLE = 720;

/** A uniform number in [min, max) from the system's secure random source (the picture must not be predictable). */
function uniform(min: number, max: number): number {
  return min + (randomInt(0, 1_000_000) / 1_000_000) * (max - min);
}

const round = (n: number) => Math.round(n * 10) / 10;

function darkColour(): string {
  return `rgb(${randomInt(10, 110)},${randomInt(10, 110)},${randomInt(40, 140)})`;
}

function lightColour(): string {
  return `rgb(${randomInt(120, 200)},${randomInt(120, 200)},${randomInt(120, 200)})`;
}

function glyphPaths(text: string): string[] {
  const font = parsedFont('sansBold');
  const scale = GLYPH_SIZE / font.unitsPerEm;
  const chars = [...text];
  const cell = (CAPTCHA_WIDTH - 2 * SIDE_MARGIN) / Math.max(chars.length, 1);
  return chars.map((ch, i) => {
    const glyph = font.layout(ch).glyphs[0];
    if (glyph === undefined) return '';
    const box = glyph.path.bbox;
    const centreX = SIDE_MARGIN + cell * (i + 0.5) + uniform(-2.5, 2.5);
    const centreY = CAPTCHA_HEIGHT / 2 + uniform(-4, 4);
    const angle = uniform(-22, 22);
    const s = scale * uniform(0.9, 1.1);
    const transform = `translate(${round(centreX)} ${round(centreY)}) rotate(${round(angle)}) scale(${s.toFixed(5)} ${(-s).toFixed(5)}) translate(${round(-(box.minX + box.maxX) / 2)} ${-GLYPH_MIDDLE})`;
    return `<path d="${glyph.path.toSVG()}" transform="${transform}" fill="${darkColour()}"/>`;
  });
}

/** Curves from one side to the other: drawn both under and over the glyphs. */
function noiseLines(count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const path = `M${round(uniform(0, 20))} ${round(uniform(5, CAPTCHA_HEIGHT - 5))}Q${round(uniform(40, 120))} ${round(uniform(-10, CAPTCHA_HEIGHT + 10))} ${round(uniform(140, CAPTCHA_WIDTH))} ${round(uniform(5, CAPTCHA_HEIGHT - 5))}`;
    return `<path d="${path}" fill="none" stroke="${i % 2 === 0 ? darkColour() : lightColour()}" stroke-width="${round(uniform(1, 2.2))}"/>`;
  });
}

function noiseDots(count: number): string[] {
  return Array.from(
    { length: count },
    () => `<circle cx="${round(uniform(0, CAPTCHA_WIDTH))}" cy="${round(uniform(0, CAPTCHA_HEIGHT))}" r="${round(uniform(0.5, 1.6))}" fill="${lightColour()}"/>`,
  );
}

/** The SVG document showing `text`. */
export function captchaSvg(text: string): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CAPTCHA_WIDTH}" height="${CAPTCHA_HEIGHT}" viewBox="0 0 ${CAPTCHA_WIDTH} ${CAPTCHA_HEIGHT}">`,
    `<rect width="100%" height="100%" fill="rgb(${randomInt(235, 256)},${randomInt(235, 256)},${randomInt(225, 250)})"/>`,
    ...noiseDots(40),
    ...noiseLines(3),
    ...glyphPaths(text),
    ...noiseLines(3),
    '</svg>',
  ].join('');
}

/** The picture as a data URL an <img> shows directly. */
export function captchaDataUrl(text: string): string {
  return `data:image/svg+xml;base64,${Buffer.from(captchaSvg(text), 'utf8').toString('base64')}`;
}
