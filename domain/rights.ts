/** The rights an officer can hold (SPEC "Roles"); one officer may hold several. */
export const RIGHTS = {
  CERT_CREATE: 'Tạo bản sao chứng thực',
  CERT_SIGN: 'Ký bản sao chứng thực điện tử',
  CERT_SEAL: 'Đóng dấu bản sao chứng thực điện tử',
  CERT_REPORT: 'Xem báo cáo DVC chứng thực điện tử',
  ACCOUNT_CREATE: 'Quyền tạo tài khoản công dân',
  USER_ADMIN: 'Quyền cho thêm mới người dùng',
  CASE_SUPERVISE: 'Giám sát hồ sơ',
  AUDIT: 'Kiểm tra, đối soát lịch sử hồ sơ',
  SUPPORT_MANAGE: 'Quản lý yêu cầu hỗ trợ',
  SUPPORT_HANDLE: 'Xử lý yêu cầu hỗ trợ',
  INTEGRATION_CHECK: 'Kiểm tra tích hợp API',
} as const;

export type Right = keyof typeof RIGHTS;

export const RIGHT_CODES = Object.keys(RIGHTS) as Right[];

export function isRight(value: unknown): value is Right {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(RIGHTS, value);
}
