/**
 * Support requests (seed 003, Phụ lục 1, "Quản lý yêu cầu hỗ trợ"): the service groups a unit asks
 * help for, the statuses a request passes through, and its deadline — 8 working hours on the
 * requesting unit's working calendar, the one the cases use, with a warning at 75 %. While the
 * handler waits for the coordination contact's answer the clock stands still: the wait is the
 * requester's, recorded on the request, and the working time left is kept for when the answer comes.
 */
import { addWorkingMs, workingMsBetween, type WorkingCalendar } from '../calendar';

export const SUPPORT_SLA_WORKING_HOURS = 8;
export const SUPPORT_WARNING_SHARE = 0.75;
const HOUR = 3_600_000;

export const SUPPORT_SERVICE_GROUPS: Readonly<Record<string, { vi: string; services: readonly string[] }>> = {
  dvcqg: {
    vi: 'Tích hợp Cổng Dịch vụ công quốc gia',
    services: ['Thanh toán nghĩa vụ tài chính về đất đai', 'Đồng bộ hồ sơ', 'Thanh toán trực tuyến', 'Xác thực tài khoản công dân'],
  },
  chungThuc: { vi: 'Chứng thực bản sao điện tử', services: ['Ký số', 'Cấp số chứng thực', 'Trả kết quả', 'Sổ chứng thực'] },
  taiKhoan: { vi: 'Tài khoản và phân quyền', services: ['Tạo tài khoản cán bộ', 'Phân quyền', 'Đăng nhập, mã xác thực'] },
  khac: { vi: 'Khác', services: [] },
};

export const SUPPORT_GROUP_CODES = Object.keys(SUPPORT_SERVICE_GROUPS);

/**
 * received → in_progress (a handler took it) ⇄ waiting (a question to the coordination contact) →
 * done | rejected (with a reason); cancelled by the requester before it ends.
 */
export type SupportStatus = 'received' | 'in_progress' | 'waiting' | 'done' | 'rejected' | 'cancelled';

export const SUPPORT_STATUS_VI: Readonly<Record<SupportStatus, string>> = {
  received: 'Mới tiếp nhận',
  in_progress: 'Đang xử lý',
  waiting: 'Chờ đơn vị phản hồi',
  done: 'Đã xử lý xong',
  rejected: 'Từ chối',
  cancelled: 'Hủy yêu cầu',
};

export const OPEN_SUPPORT_STATUSES: readonly SupportStatus[] = ['received', 'in_progress', 'waiting'];

export interface SupportClock {
  /** When the clock last started running (reception, or the answer to a question). */
  runningSince: number;
  /** Working time left at `runningSince`. */
  leftMs: number;
}

export const startSupportClock = (receivedAt: number): SupportClock => ({ runningSince: receivedAt, leftMs: SUPPORT_SLA_WORKING_HOURS * HOUR });

/** The instants of the warning (75 % of the whole time used) and of the deadline, for a running clock. */
export function supportDeadlines(cal: WorkingCalendar, clock: SupportClock): { warnAt: number; dueAt: number } {
  const total = SUPPORT_SLA_WORKING_HOURS * HOUR;
  const untilWarning = clock.leftMs - total * (1 - SUPPORT_WARNING_SHARE);
  return {
    warnAt: untilWarning > 0 ? addWorkingMs(cal, clock.runningSince, untilWarning) : clock.runningSince,
    dueAt: addWorkingMs(cal, clock.runningSince, clock.leftMs),
  };
}

/** The clock stopped at `at` (a question asked): the working time left then. */
export function pauseSupportClock(cal: WorkingCalendar, clock: SupportClock, at: number): number {
  return Math.max(0, clock.leftMs - workingMsBetween(cal, clock.runningSince, at));
}
