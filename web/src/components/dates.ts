/**
 * Dates as an officer types them — dd/mm/yyyy, and dd/mm/yyyy HH:mm — and as the API takes them:
 * YYYY-MM-DD, and YYYY-MM-DDTHH:mm in Hà Nội time (the form of a datetime-local value).
 */

const pad = (n: number) => String(n).padStart(2, '0');

function realDate(y: number, mo: number, d: number): boolean {
  const when = new Date(Date.UTC(y, mo - 1, d));
  return when.getUTCFullYear() === y && when.getUTCMonth() === mo - 1 && when.getUTCDate() === d;
}

/** "05/04/1990" (or 5-4-1990, 05.04.1990) → "1990-04-05"; undefined when it is not a real date. */
export function isoFromDmy(text: string): string | undefined {
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return realDate(y, mo, d) ? `${y}-${pad(mo)}-${pad(d)}` : undefined;
}

export function dmyFromIso(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso.split('-').reverse().join('/') : '';
}

/** "23/11/2026 10:00" (or 23/11/2026 9h30) → "2026-11-23T10:00"; undefined when either part is wrong. */
export function localFromDmyHm(text: string): string | undefined {
  const m = /^(\S+)\s+(\d{1,2})[:hH.](\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const day = isoFromDmy(m[1]!);
  const [h, min] = [Number(m[2]), Number(m[3])];
  if (!day || h > 23 || min > 59) return undefined;
  return `${day}T${pad(h)}:${pad(min)}`;
}

export function dmyHmFromLocal(local: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(local);
  return m ? `${dmyFromIso(m[1]!)} ${m[2]}` : '';
}

/** The days of a month (1–12) in weeks from Monday to Sunday, null before the first and after the last. */
export function monthGrid(year: number, month: number): Array<Array<string | null>> {
  const first = new Date(Date.UTC(year, month - 1, 1));
  const lead = (first.getUTCDay() + 6) % 7;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const cells: Array<string | null> = [...Array<null>(lead).fill(null), ...Array.from({ length: days }, (_, i) => `${year}-${pad(month)}-${pad(i + 1)}`)];
  while (cells.length % 7 !== 0) cells.push(null);
  return Array.from({ length: cells.length / 7 }, (_, w) => cells.slice(w * 7, w * 7 + 7));
}

/** Today in Hà Nội, YYYY-MM-DD: where the calendar opens when no date is chosen yet. */
export function todayInHanoi(): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date()).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}
