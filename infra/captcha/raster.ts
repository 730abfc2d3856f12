/**
 * Filling outlines into pixels for the captcha picture: polygons under the non-zero winding rule,
 * anti-aliased (several sub-scanlines per pixel row, exact coverage along each span), and thick
 * polylines as runs of quadrilaterals.
 */
export type Point = readonly [number, number];
export type Polygon = readonly Point[];

/** Sub-scanlines per pixel row: enough for smooth edges at captcha sizes. */
const SUB_ROWS = 5;

interface Edge {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  /** +1 going down, -1 going up. */
  dir: number;
}

function edgesOf(polygons: readonly Polygon[]): Edge[] {
  const edges: Edge[] = [];
  for (const poly of polygons) {
    for (let i = 0; i < poly.length; i++) {
      const [x0, y0] = poly[i];
      const [x1, y1] = poly[(i + 1) % poly.length];
      if (y0 === y1) continue;
      edges.push({ x0, y0, x1, y1, dir: y1 > y0 ? 1 : -1 });
    }
  }
  return edges;
}

/** Adds the horizontal span [xa, xb) of one sub-scanline to a row of coverage. */
function addSpan(row: Float32Array, offset: number, width: number, xa: number, xb: number, weight: number): void {
  const from = Math.max(0, xa);
  const to = Math.min(width, xb);
  if (to <= from) return;
  const first = Math.floor(from);
  const last = Math.min(width - 1, Math.floor(to));
  for (let px = first; px <= last; px++) {
    const overlap = Math.min(to, px + 1) - Math.max(from, px);
    if (overlap > 0) row[offset + px] += overlap * weight;
  }
}

/** Coverage in [0, 1] of each pixel (row by row) by the union of the polygons. */
export function rasterise(polygons: readonly Polygon[], width: number, height: number): Float32Array {
  const coverage = new Float32Array(width * height);
  const edges = edgesOf(polygons);
  // Edges by the first pixel row they reach, so each row only looks at the edges crossing it.
  const byRow: Edge[][] = Array.from({ length: height }, () => []);
  for (const e of edges) {
    const top = Math.max(0, Math.floor(Math.min(e.y0, e.y1)));
    const bottom = Math.min(height - 1, Math.floor(Math.max(e.y0, e.y1)));
    for (let y = top; y <= bottom; y++) byRow[y].push(e);
  }
  const crossings: Array<{ x: number; dir: number }> = [];
  for (let y = 0; y < height; y++) {
    const rowEdges = byRow[y];
    if (rowEdges.length === 0) continue;
    for (let s = 0; s < SUB_ROWS; s++) {
      const sy = y + (s + 0.5) / SUB_ROWS;
      crossings.length = 0;
      for (const e of rowEdges) {
        const lo = Math.min(e.y0, e.y1);
        const hi = Math.max(e.y0, e.y1);
        if (sy < lo || sy >= hi) continue;
        crossings.push({ x: e.x0 + ((sy - e.y0) * (e.x1 - e.x0)) / (e.y1 - e.y0), dir: e.dir });
      }
      if (crossings.length < 2) continue;
      crossings.sort((a, b) => a.x - b.x);
      let winding = 0;
      let start = 0;
      for (const c of crossings) {
        const before = winding;
        winding += c.dir;
        if (before === 0 && winding !== 0) start = c.x;
        else if (before !== 0 && winding === 0) addSpan(coverage, y * width, width, start, c.x, 1 / SUB_ROWS);
      }
    }
  }
  for (let i = 0; i < coverage.length; i++) if (coverage[i] > 1) coverage[i] = 1;
  return coverage;
}

/** A polyline `width` wide, as one quadrilateral per segment (all turning the same way, so the non-zero rule fills their overlaps). */
export function thickPolyline(points: readonly Point[], width: number): Polygon[] {
  const half = width / 2;
  const quads: Polygon[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const [x0, y0] = points[i];
    const [x1, y1] = points[i + 1];
    const len = Math.hypot(x1 - x0, y1 - y0);
    if (len === 0) continue;
    // Each quad is stretched by half the width at both ends, so consecutive quads overlap at the joints.
    const ux = (x1 - x0) / len;
    const uy = (y1 - y0) / len;
    const nx = -uy * half;
    const ny = ux * half;
    const ax = x0 - ux * half * 0.5;
    const ay = y0 - uy * half * 0.5;
    const bx = x1 + ux * half * 0.5;
    const by = y1 + uy * half * 0.5;
    quads.push([
      [ax + nx, ay + ny],
      [bx + nx, by + ny],
      [bx - nx, by - ny],
      [ax - nx, ay - ny],
    ]);
  }
  return quads;
}
