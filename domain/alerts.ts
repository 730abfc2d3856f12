/**
 * Error alerts (seed 003, "Nhận thông tin, cảnh báo lỗi"): the kinds of failure a province's
 * administrator may subscribe to. A subscription names one service type; an alert of that kind
 * goes to the confirmed phones and e-mails of every active subscription of the failing unit's
 * province (and of the national root), or of every unit when the failure is not a unit's own.
 */

export const ALERT_SERVICE_TYPES = ['citizen-mail', 'sms-gateway', 'workflow-activity', 'land-obligation', 'platform'] as const;
export type AlertServiceType = (typeof ALERT_SERVICE_TYPES)[number];

export const ALERT_SERVICE_LABELS: Readonly<Record<AlertServiceType, { vi: string; en: string }>> = {
  'citizen-mail': { vi: 'Gửi thư cho công dân', en: 'E-mail to citizens' },
  'sms-gateway': { vi: 'Cổng SMS', en: 'SMS gateway' },
  'workflow-activity': { vi: 'Hoạt động xử lý hồ sơ (workflow)', en: 'Case processing (workflow activities)' },
  'land-obligation': { vi: 'Tích hợp nghĩa vụ tài chính đất đai', en: 'Land financial obligation integration' },
  platform: { vi: 'Cơ sở dữ liệu / Temporal', en: 'Database / Temporal' },
};

export function isAlertServiceType(value: string): value is AlertServiceType {
  return (ALERT_SERVICE_TYPES as readonly string[]).includes(value);
}

/** One alert per failure key in this window; repeats inside it only count. */
export const ALERT_DEDUP_WINDOW_MS = 60 * 60_000;
/** Alerts one address receives in an hour before the rest are folded into one summary. */
export const DEFAULT_ALERTS_PER_HOUR = 5;

/** The start of the clock hour `at` falls in (UTC hours equal Hà Nội hours, +07:00). */
export function hourBucket(at: Date): Date {
  return new Date(Math.floor(at.getTime() / 3_600_000) * 3_600_000);
}

/** Retry spacing of a delivery: 30 s doubling to 15 minutes. */
export function deliveryBackoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 15 * 60_000);
}

/** A delivery that has not left after this long is given up and shown as failed. */
export const DELIVERY_GIVE_UP_MS = 48 * 3_600_000;
