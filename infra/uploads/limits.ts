/**
 * Bounds on what an upload may cost to read. A scan is small on the wire but may inflate far
 * beyond it (a compressed stream of zeros, a PNG claiming 100 000 × 100 000 pixels); these bounds
 * keep checking it — and later copying it into a certified copy — within known memory and time.
 */
export interface InspectionLimits {
  /** Pages a PDF may have (UPLOAD_MAX_PAGES). */
  maxPages: number;
  /** Bytes all compressed streams of a PDF, or a PNG's pixel data, may inflate to together (UPLOAD_MAX_INFLATED_MB). */
  maxInflatedBytes: number;
  /** Pixels of an image: width × height (UPLOAD_MAX_MEGAPIXELS). */
  maxPixels: number;
  /** Width or height of an image, in pixels. */
  maxSide: number;
  /** Heap of the thread that reads the file (UPLOAD_INSPECT_MEMORY_MB); beyond, the thread is stopped. */
  memoryMb: number;
  /** Time the reading may take (UPLOAD_INSPECT_TIMEOUT_MS); beyond, the thread is stopped. */
  timeoutMs: number;
}

export const DEFAULT_LIMITS: InspectionLimits = {
  maxPages: 500,
  maxInflatedBytes: 64 * 1024 * 1024,
  // An A4 page scanned at 600 dpi in colour is about 35 megapixels; 100 leaves room for A3.
  maxPixels: 100_000_000,
  maxSide: 30_000,
  memoryMb: 256,
  timeoutMs: 20_000,
};

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return n;
}

export function inspectionLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): InspectionLimits {
  const d = DEFAULT_LIMITS;
  return {
    maxPages: Math.floor(positive(env, 'UPLOAD_MAX_PAGES', d.maxPages)),
    maxInflatedBytes: Math.floor(positive(env, 'UPLOAD_MAX_INFLATED_MB', d.maxInflatedBytes / 1024 / 1024) * 1024 * 1024),
    maxPixels: Math.floor(positive(env, 'UPLOAD_MAX_MEGAPIXELS', d.maxPixels / 1_000_000) * 1_000_000),
    maxSide: d.maxSide,
    memoryMb: Math.floor(positive(env, 'UPLOAD_INSPECT_MEMORY_MB', d.memoryMb)),
    timeoutMs: Math.floor(positive(env, 'UPLOAD_INSPECT_TIMEOUT_MS', d.timeoutMs)),
  };
}
