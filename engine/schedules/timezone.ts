/**
 * Wall-clock arithmetic in IANA time zones, with Node's own tz data (Intl). Calendar specs
 * match the literal clock time: a wall time that does not exist (spring forward) matches no
 * instant, one that happens twice (fall back) matches both, as the Temporal server documents.
 */
import { invalidArgument } from '../errors';

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** The zone's canonical name for matching; '' and 'UTC' are UTC. Throws INVALID_ARGUMENT for an unknown zone. */
export function checkTimeZone(zone: string): string {
  const name = zone || 'UTC';
  try {
    formatter(name);
  } catch {
    throw invalidArgument(`Múi giờ không hợp lệ / unknown time zone: ${zone}`);
  }
  return name;
}

export function wallClock(ms: number, zone: string): WallTime {
  if (zone === 'UTC') {
    const d = new Date(ms);
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() };
  }
  const out: WallTime = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const p of formatter(zone).formatToParts(ms)) {
    if (p.type in out) out[p.type as keyof WallTime] = Number(p.value);
  }
  return out;
}

function wallAsUtc(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/** How far the zone's clock is ahead of UTC at instant `ms` (whole seconds). */
export function offsetMs(ms: number, zone: string): number {
  if (zone === 'UTC') return 0;
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallClock(whole, zone)) - whole;
}

function sameWall(a: WallTime, b: WallTime): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/** Every instant whose clock in `zone` reads `w`: none in a gap, two in an overlap, in order. */
export function instantsOf(w: WallTime, zone: string): number[] {
  const local = wallAsUtc(w);
  if (zone === 'UTC') return [local];
  const HALF_DAY = 12 * 3600_000;
  const candidates = new Set([local - offsetMs(local - HALF_DAY, zone), local - offsetMs(local + HALF_DAY, zone), local - offsetMs(local, zone)]);
  return [...candidates].filter((ms) => sameWall(wallClock(ms, zone), w)).sort((a, b) => a - b);
}
