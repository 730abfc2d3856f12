/** The refusals of the login flow, in words an officer can act on. */
import { formatLocalDate, formatLocalTime, formatViDate, MS_PER_MINUTE } from '../../domain/calendar';
import { ApiError } from '../errors';

/** Same answer for an unknown user, an inactive user and a wrong password: nothing is revealed. */
export const invalidCredentials = () =>
  new ApiError(401, 'INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong username or password.');

/** "09:15 ngày 23/11/2026" in Hà Nội time, rounded up to the minute so the shown time is never before the real one. */
export function localMomentVi(at: Date): string {
  const instant = Math.ceil(at.getTime() / MS_PER_MINUTE) * MS_PER_MINUTE;
  return `${formatLocalTime(instant)} ngày ${formatViDate(formatLocalDate(instant))}`;
}

export const accountLocked = (until: Date) =>
  new ApiError(
    423,
    'ACCOUNT_LOCKED',
    `Tài khoản đang tạm khóa do nhập sai mật khẩu nhiều lần liên tiếp, đến ${localMomentVi(until)}. Vui lòng thử lại sau thời điểm đó hoặc liên hệ quản trị viên.`,
    `The account is locked after too many wrong passwords, until ${until.toISOString()}.`,
    { lockedUntil: until.toISOString() },
  );

export const otpInvalid = (attemptsLeft: number) =>
  new ApiError(
    401,
    'OTP_INVALID',
    attemptsLeft > 0
      ? `Mã OTP không đúng. Bạn còn ${attemptsLeft} lần thử.`
      : 'Mã OTP không đúng. Bạn đã nhập sai quá số lần cho phép, vui lòng đăng nhập lại để nhận mã mới.',
    attemptsLeft > 0 ? `Wrong code; ${attemptsLeft} attempts left.` : 'Wrong code; no attempts left, log in again.',
    { attemptsLeft },
  );

export const otpExpired = () =>
  new ApiError(
    401,
    'OTP_EXPIRED',
    'Mã OTP đã hết hạn hoặc không còn hiệu lực. Vui lòng đăng nhập lại để nhận mã mới.',
    'The code has expired or is no longer valid; log in again.',
  );

export const smsNotSent = () =>
  new ApiError(
    503,
    'SMS_NOT_SENT',
    'Không gửi được tin nhắn chứa mã OTP tới số điện thoại của bạn. Vui lòng thử lại sau ít phút hoặc liên hệ quản trị viên.',
    'The SMS with the code could not be sent; try again later.',
  );

export const wrongPassword = () =>
  new ApiError(400, 'WRONG_PASSWORD', 'Mật khẩu hiện tại không đúng.', 'The current password is wrong.');

export const passwordUnchanged = () =>
  new ApiError(400, 'PASSWORD_UNCHANGED', 'Mật khẩu mới phải khác mật khẩu hiện tại.', 'The new password must differ from the current one.');
