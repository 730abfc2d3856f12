/**
 * Datetime literals. Temporal parses strings with Go's RFC3339Nano layout and integers as epoch
 * nanoseconds (`time.Unix(0, v)`); we do the same so that a query means the same instant here as
 * on a real cluster. An integer in milliseconds is therefore read as a date in January 1970.
 */

export interface Instant {
  /** Whole milliseconds since the epoch, rounded down. */
  epochMs: number;
  /** Nanoseconds beyond `epochMs`, 0..999_999. */
  nanos: number;
}

// Fixed-width groups and no nested quantifiers: matching is linear in the input.
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_DAY = 86_400_000;
/** The range of a JavaScript Date, so every accepted instant can still be shown as one. */
const MAX_ABS_MS = 8.64e15;

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  return m === 2 ? (isLeap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m) ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date; Date.UTC would map years 0–99 to 1900–1999. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== undefined) {
    const oh = Number(m[9]);
    const om = Number(m[10]);
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[8] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const fractionNs = m[7] === undefined ? 0 : Number(m[7].padEnd(9, '0'));
  const epochMs =
    daysFromCivil(year, month, day) * MS_PER_DAY +
    ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 +
    Math.floor(fractionNs / 1_000_000);
  return { epochMs, nanos: fractionNs % 1_000_000 };
}

/** `text` is an optional sign followed by decimal digits. */
export function instantFromEpochNanos(text: string): Instant | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const ns = BigInt(text);
  let ms = ns / 1_000_000n;
  let rest = ns % 1_000_000n;
  // BigInt division truncates towards zero; instants before 1970 need the floor.
  if (rest < 0n) {
    ms -= 1n;
    rest += 1_000_000n;
  }
  if (ms > BigInt(MAX_ABS_MS) || ms < -BigInt(MAX_ABS_MS)) return undefined;
  return { epochMs: Number(ms), nanos: Number(rest) };
}
