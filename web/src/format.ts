/** Dates, times and money as a Vietnamese office reads them, in Hà Nội time whatever the browser's zone. */
const ZONE = 'Asia/Ho_Chi_Minh';

function parts(iso: string | number | Date): Record<string, string> {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return Object.fromEntries(f.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** dd/mm/yyyy */
export function date(iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  if (typeof iso === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso.split('-').reverse().join('/');
  const p = parts(iso);
  return `${p.day}/${p.month}/${p.year}`;
}

/** hh:mm dd/mm/yyyy */
export function dateTime(iso: string | number | Date | null | undefined): string {
  if (iso === null || iso === undefined || iso === '') return '—';
  const p = parts(iso);
  return `${p.hour}:${p.minute} ${p.day}/${p.month}/${p.year}`;
}

/** 12.000 đ */
export function vnd(amount: number): string {
  return `${amount.toLocaleString('vi-VN')} đ`;
}

/** "3 giờ 20 phút" / "3 h 20 min" from minutes. */
export function duration(minutes: number, lang: 'vi' | 'en'): string {
  const sign = minutes < 0 ? '-' : '';
  const m = Math.abs(Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  return lang === 'vi' ? `${sign}${h ? `${h} giờ ` : ''}${rest} phút` : `${sign}${h ? `${h} h ` : ''}${rest} min`;
}
