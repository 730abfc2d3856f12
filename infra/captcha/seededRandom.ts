/**
 * Numbers in [0, 1) for drawing captcha pictures: sfc32 seeded from the system's secure source in
 * production (each picture its own 128-bit seed, so no two are alike and none can be foreseen),
 * or from a fixed seed when a test needs the same pictures on every run.
 */
import { randomBytes } from 'node:crypto';

export type Random = () => number;

export function seededRandom(seed: readonly number[]): Random {
  let [a, b, c, d] = [seed[0] ?? 0, seed[1] ?? 0, seed[2] ?? 0, seed[3] ?? 0].map((n) => n >>> 0);
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  // The first outputs of sfc32 still show the seed's structure.
  for (let i = 0; i < 15; i++) next();
  return next;
}

export function secureRandom(): Random {
  const bytes = randomBytes(16);
  return seededRandom([bytes.readUInt32LE(0), bytes.readUInt32LE(4), bytes.readUInt32LE(8), bytes.readUInt32LE(12)]);
}

/** A uniform number in [min, max). */
export function between(random: Random, min: number, max: number): number {
  return min + random() * (max - min);
}
