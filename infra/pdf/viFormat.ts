/**
 * How dates, times and money are written on Vietnamese administrative papers, in Viet Nam local
 * time whatever the server's zone.
 */
import { formatLocalDate, formatLocalTime, formatViDate } from '../../domain/calendar';

function localParts(isoInstant: string): { year: string; month: number; day: number; hour: string; minute: string } {
  const t = Date.parse(isoInstant);
  const [year, month, day] = formatLocalDate(t).split('-');
  const [hour, minute] = formatLocalTime(t).split(':');
  return { year: year as string, month: Number(month), day: Number(day), hour: hour as string, minute: minute as string };
}

/**
 * "ngày 05 tháng 3 năm 2026": Nghị định 30/2020/NĐ-CP (Phụ lục I) pads days below 10 and the
 * months 1 and 2 with a zero, and only those.
 */
export function viLongDate(isoInstant: string): string {
  const p = localParts(isoInstant);
  const day = String(p.day).padStart(2, '0');
  const month = p.month <= 2 ? String(p.month).padStart(2, '0') : String(p.month);
  return `ngày ${day} tháng ${month} năm ${p.year}`;
}

/** "Nùng Năng, ngày 05 tháng 11 năm 2026", the line above a signature. */
export function viPlaceDate(placeName: string, isoInstant: string): string {
  return `${placeName}, ${viLongDate(isoInstant)}`;
}

/** "16 giờ 30 phút, ngày 05 tháng 11 năm 2026", as on the reception receipt. */
export function viClockLongDate(isoInstant: string): string {
  const p = localParts(isoInstant);
  return `${p.hour} giờ ${p.minute} phút, ${viLongDate(isoInstant)}`;
}

/** "14:30 ngày 05/11/2026", where space is short. */
export function viClockShortDate(isoInstant: string): string {
  const t = Date.parse(isoInstant);
  return `${formatLocalTime(t)} ngày ${formatViDate(formatLocalDate(t))}`;
}

/** "6.000 đồng": dots group thousands in Vietnamese. */
export function formatVnd(amount: number): string {
  return `${formatViInteger(amount)} đồng`;
}

export function formatViInteger(n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`not an integer amount: ${String(n)}`);
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return n < 0 ? `-${digits}` : digits;
}

const ADMIN_LEVEL_RE = /(?:^|\s)(?:xã|phường|thị trấn|đặc khu|thị xã|thành phố|quận|huyện|tỉnh)\s+(\S.*)$/iu;

/**
 * The place written before the date: the locality's own name without its level, e.g.
 * "UBND xã Nùng Năng" and "Bộ phận Một cửa xã Nùng Năng" both give "Nùng Năng".
 */
export function placeNameOf(unitName: string): string {
  const name = unitName.normalize('NFC').trim();
  const m = ADMIN_LEVEL_RE.exec(name);
  return m ? (m[1] as string).trim() : name;
}
