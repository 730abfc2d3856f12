/** How the case's states, steps and outcomes read on screen, in both languages. */
import type { CaseStatus, CaseStepName } from './types';

type Pair = readonly [vi: string, en: string];

export const STATUS: Record<CaseStatus, Pair> = {
  receiving: ['Đang tiếp nhận', 'Receiving'],
  signing: ['Chờ lãnh đạo ký', 'Awaiting signature'],
  sealing: ['Chờ cấp số, đóng dấu', 'Awaiting number and seal'],
  delivering: ['Đang trả kết quả', 'Delivering'],
  completed: ['Đã hoàn thành', 'Completed'],
  refused: ['Đã từ chối', 'Refused'],
  withdrawn: ['Công dân đã rút', 'Withdrawn'],
};

export const STEP: Record<CaseStepName, Pair> = {
  receive: ['Tiếp nhận, quét và trình ký', 'Receive, scan and submit'],
  sign: ['Lãnh đạo xem xét, ký số', 'Leader reviews and signs'],
  seal: ['Cấp số, đóng dấu số', 'Number and seal'],
  deliver: ['Trả kết quả', 'Delivery'],
};

export const OUTCOME: Record<string, Pair> = {
  submitted: ['Đã trình ký', 'Submitted'],
  signed: ['Đã ký', 'Signed'],
  returned: ['Trả lại', 'Returned'],
  sealed: ['Đã cấp số, đóng dấu', 'Sealed'],
  delivered: ['Đã trả kết quả', 'Delivered'],
  refused: ['Từ chối', 'Refused'],
  withdrawn: ['Công dân rút hồ sơ', 'Withdrawn'],
};

export const RIGHT: Record<string, Pair> = {
  CERT_CREATE: ['Tiếp nhận', 'Reception'],
  CERT_SIGN: ['Ký số', 'Signature'],
  CERT_SEAL: ['Đóng dấu', 'Seal'],
};

export const CHANNEL: Record<string, Pair> = {
  officer_account: ['Tài khoản cán bộ tiếp nhận', 'Receiving officer’s account'],
  leader_account: ['Tài khoản lãnh đạo ký', 'Signing leader’s account'],
  portal: ['Tài khoản cổng dịch vụ công của công dân', 'Citizen’s portal account'],
  email: ['Thư điện tử cho công dân', 'E-mail to the citizen'],
};

export const CHANNEL_STATUS: Record<string, Pair> = {
  delivered: ['đã gửi', 'delivered'],
  queued: ['đang gửi', 'sending'],
  skipped: ['không gửi', 'skipped'],
  failed: ['gửi không được', 'failed'],
};

/** A label from a table, or the raw code when the API names something new. */
export function label(table: Record<string, Pair>, code: string | null | undefined, t: (vi: string, en: string) => string): string {
  if (!code) return '—';
  const pair = table[code];
  return pair ? t(pair[0], pair[1]) : code;
}
