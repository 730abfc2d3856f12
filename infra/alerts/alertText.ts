/** How an alert reads in an SMS and an e-mail: what failed, where, since when, and where to look. */
import { ALERT_SERVICE_LABELS, type AlertServiceType } from '../../domain/alerts';
import { formatLocalDate, formatLocalTime, formatViDate } from '../../domain/calendar/localTime';

export function viDateTime(at: Date): string {
  return `${formatViDate(formatLocalDate(at.getTime()))} ${formatLocalTime(at.getTime())}`;
}

export interface AlertFacts {
  kind: AlertServiceType;
  title: string;
  detail: string;
  where: string;
  since: Date;
  /** An absolute address of the screen to look at. */
  url: string | null;
}

/** Short enough for two SMS segments in most cases; the e-mail carries the detail. */
export function alertSms(a: AlertFacts): string {
  return [`[Cảnh báo lỗi] ${a.title}`, `Tại: ${a.where}`, `Từ: ${viDateTime(a.since)}`, ...(a.url ? [`Xem: ${a.url}`] : [])].join('. ');
}

export function alertEmail(a: AlertFacts): { subject: string; text: string } {
  return {
    subject: `[Cảnh báo lỗi] ${a.title}`,
    text: [
      'Hệ thống Một cửa điện tử báo một lỗi cần xử lý.',
      '',
      `Loại dịch vụ: ${ALERT_SERVICE_LABELS[a.kind].vi}`,
      `Lỗi: ${a.title}`,
      `Tại: ${a.where}`,
      `Từ lúc: ${viDateTime(a.since)}`,
      `Chi tiết: ${a.detail}`,
      ...(a.url ? [`Xem tại: ${a.url}`] : []),
      '',
      'Cùng một lỗi chỉ được báo một lần mỗi giờ. Thư này được gửi tự động, vui lòng không trả lời.',
    ].join('\n'),
  };
}

export function summaryText(count: number, bucket: Date, titles: readonly string[], url: string): { subject: string; text: string; sms: string } {
  const from = formatLocalTime(bucket.getTime());
  const to = formatLocalTime(bucket.getTime() + 3_600_000);
  const day = formatViDate(formatLocalDate(bucket.getTime()));
  const head = `[Cảnh báo lỗi] Tổng hợp: ${count} cảnh báo khác từ ${from} đến ${to} ngày ${day}`;
  const shown = titles.slice(0, 10);
  return {
    subject: head,
    text: [head, '', ...shown.map((t, i) => `${i + 1}. ${t}`), ...(titles.length > shown.length ? [`… và ${titles.length - shown.length} cảnh báo khác`] : []), '', `Danh sách đầy đủ: ${url}`].join('\n'),
    sms: `${head}: ${shown.slice(0, 3).join('; ')}${titles.length > 3 ? '; …' : ''}. Xem: ${url}`,
  };
}
