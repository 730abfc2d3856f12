/** What the support screens call statuses, events and deadlines, in both languages. */
import { SUPPORT_STATUS_VI, type SupportStatus } from '../../../../domain/support/support';

type T = (vi: string, en: string) => string;

const STATUS_EN: Record<SupportStatus, string> = {
  received: 'Received',
  in_progress: 'In progress',
  waiting: 'Waiting for the unit',
  done: 'Done',
  rejected: 'Rejected',
  cancelled: 'Cancelled',
};

export function statusText(status: string, t: T): string {
  const s = status as SupportStatus;
  return SUPPORT_STATUS_VI[s] ? t(SUPPORT_STATUS_VI[s], STATUS_EN[s]) : status;
}

/** The status badge's colour class. */
export function statusClass(status: string): string {
  return `sp-status sp-status-${status}`;
}

export const OPEN_STATUSES = ['received', 'in_progress', 'waiting'];

const EVENTS: Record<string, [string, string]> = {
  received: ['Tiếp nhận yêu cầu', 'Request received'],
  taken: ['Nhận xử lý', 'Taken'],
  asked: ['Hỏi đầu mối phối hợp', 'Question to the contact'],
  answered: ['Đơn vị trả lời', 'The unit answered'],
  done: ['Hoàn thành', 'Done'],
  rejected: ['Từ chối', 'Rejected'],
  cancelled: ['Hủy yêu cầu', 'Cancelled'],
  'deadline.warning': ['Cảnh báo sắp hết hạn xử lý', 'Deadline warning'],
  'deadline.breach': ['Quá hạn xử lý', 'Deadline missed'],
  'requester.emailed': ['Gửi thư cho đơn vị', 'E-mail to the unit'],
};

export function eventText(kind: string, t: T): string {
  const e = EVENTS[kind];
  return e ? t(e[0], e[1]) : kind;
}

export function eventTone(kind: string): string {
  if (kind === 'deadline.warning') return 'cs-event-warn';
  if (kind === 'deadline.breach' || kind === 'rejected' || kind === 'cancelled') return 'cs-event-bad';
  if (kind === 'done') return 'cs-event-good';
  return '';
}

/** Where a deadline stands now: overdue, due within the last quarter of the 8 hours (about 2 working hours, shown from the clock), or on time. */
export function dueState(item: { dueAt?: string | null; late?: boolean; status: string }, now: number): 'overdue' | 'soon' | 'onTime' | 'none' {
  if (!OPEN_STATUSES.includes(item.status)) return item.late ? 'overdue' : 'none';
  if (item.late) return 'overdue';
  if (!item.dueAt) return 'none';
  const left = Date.parse(item.dueAt) - now;
  if (left <= 0) return 'overdue';
  if (left <= 2 * 3_600_000) return 'soon';
  return 'onTime';
}
