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

/** Retry-After for a refusal that lasts until `until`. */
export function retryAfter(until: Date, now: Date): Record<string, string> {
  return { 'Retry-After': String(Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000))) };
}

/** The lock is the same for wrong passwords and wrong codes: the answer names both. */
export const accountLocked = (until: Date, now: Date) =>
  Object.assign(
    new ApiError(
      423,
      'ACCOUNT_LOCKED',
      `Tài khoản đang tạm khóa do nhập sai mật khẩu hoặc mã OTP nhiều lần, đến ${localMomentVi(until)}. Vui lòng thử lại sau thời điểm đó hoặc liên hệ quản trị viên.`,
      `The account is locked after too many wrong passwords or codes, until ${until.toISOString()}.`,
      { lockedUntil: until.toISOString() },
    ),
    { headers: retryAfter(until, now) },
  );

/** The wrong code that locks the account: the officer is told, here and by SMS, that his password may be known. */
export const lockedByWrongCodes = (until: Date, now: Date, noticeSent: boolean) =>
  Object.assign(
    new ApiError(
      423,
      'ACCOUNT_LOCKED',
      `Mã OTP không đúng. Bạn đã nhập sai mã OTP quá nhiều lần nên tài khoản bị tạm khóa đến ${localMomentVi(until)}` +
        (noticeSent ? '; một tin nhắn báo việc này đã được gửi tới số điện thoại của bạn. ' : '. ') +
        'Nếu không phải bạn đăng nhập, mật khẩu của bạn có thể đã bị lộ: hãy đổi mật khẩu ngay khi đăng nhập lại và báo quản trị viên.',
      `Wrong code. Too many wrong codes: the account is locked until ${until.toISOString()}${noticeSent ? ' and you were told by SMS' : ''}. If it was not you, your password may be known: change it and tell an administrator.`,
      { lockedUntil: until.toISOString(), cause: 'otp' },
    ),
    { headers: retryAfter(until, now) },
  );

/** The SMS telling the officer that wrong codes locked his account. */
export function lockNoticeSms(username: string, until: Date): string {
  return `Tài khoản ${username} (hệ thống chứng thực) bị tạm khóa đến ${localMomentVi(until)} do nhập sai mã OTP nhiều lần. Nếu không phải bạn, hãy đổi mật khẩu và báo quản trị viên.`;
}

/** While codes are required, an officer without a phone cannot complete a login. */
export const secondFactorMissing = () =>
  new ApiError(
    403,
    'SECOND_FACTOR_MISSING',
    'Tài khoản của bạn chưa có số điện thoại di động để nhận mã OTP, nên chưa thể đăng nhập. Vui lòng liên hệ quản trị viên để cập nhật số điện thoại.',
    'Your account has no mobile phone to receive the login code, so the login cannot complete; ask an administrator to record your phone.',
  );

export const otpSmsLimit = (perHour: number, retryAt: Date, now: Date) =>
  Object.assign(
    new ApiError(
      429,
      'OTP_SMS_LIMIT',
      `Đã gửi ${perHour} mã OTP tới số điện thoại của bạn trong một giờ qua, đạt số lần tối đa. Vui lòng thử lại sau ${localMomentVi(retryAt)}.`,
      `${perHour} codes were sent to your phone within the last hour, the most allowed; try again after ${retryAt.toISOString()}.`,
      { retryAt: retryAt.toISOString(), perHour },
    ),
    { headers: retryAfter(retryAt, now) },
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
