/** What the desk's citizen-account endpoints answer (api/citizenAccounts), as the screens read it. */
export type RequestStatus = 'preparing' | 'awaiting_otp' | 'creating' | 'created' | 'account_exists' | 'too_many_wrong_codes' | 'cancelled' | 'abandoned';

export interface AccountRequestView {
  requestId: string;
  status: RequestStatus;
  citizen: { idNumber: string; fullName: string; birthDate: string; phone: string; email: string | null };
  unit: { id: string; code: string; name: string };
  officer: { officerId: string; fullName: string; phone: string | null };
  idScan: { fileId: string; mimeType: string; bytes: number; originalName: string | null };
  startedAt: string;
  form: { url: string; sha256: string } | null;
  otp: { sends: number; sentAt: string | null; expiresAt: string | null; expired: boolean; wrongTries: number; triesLeft: number; nextSendAt: string | null };
  account: { accountId: string; username: string; createdAt: string; passwordSms: 'pending' | 'sent' | 'already_sent' } | null;
  endReason: { vi: string; en: string } | null;
  endedAt: string | null;
  abandonsAt: string | null;
}

export interface AccountRow {
  accountId: string;
  fullName: string;
  idNumber: string;
  phone: string | null;
  email: string | null;
  birthDate: string;
  createdAt: string;
  officerId: string;
  officerName: string;
  unitId: string;
  unitCode: string;
  unitName: string;
  mustChangePassword: boolean;
}

export interface Lookup {
  idNumber: string;
  exists: boolean;
  account: { createdAt: string; verifiedBy: string; unitName: string | null } | null;
  message: string;
  pendingRequests: Array<{ requestId: string; unitName: string; officerName: string; startedAt: string }>;
}

export interface OneStopUnit {
  id: string;
  code: string;
  name: string;
}

export interface UploadedScan {
  fileId: string;
  mimeType: string;
  bytes: number;
  pages: number | null;
  originalName: string | null;
}

export const STATUS_TEXT: Record<RequestStatus, [string, string]> = {
  preparing: ['Đang chuẩn bị', 'Preparing'],
  awaiting_otp: ['Chờ xác nhận OTP', 'Waiting for the code'],
  creating: ['Đang tạo tài khoản', 'Creating the account'],
  created: ['Đã tạo tài khoản', 'Account created'],
  account_exists: ['Đã có tài khoản', 'Account already exists'],
  too_many_wrong_codes: ['Nhập sai OTP quá số lần', 'Too many wrong codes'],
  cancelled: ['Đã hủy', 'Cancelled'],
  abandoned: ['Quá hạn, tự kết thúc', 'Abandoned'],
};
