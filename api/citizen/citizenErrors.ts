/** The refusals of the citizen portal, in words a citizen can act on (Vietnamese first). */
import { localMomentVi, retryAfter } from '../auth/authErrors';
import { ApiError } from '../errors';
import type { RuleFailure } from '../../domain/messages';

/** A domain rule the input broke (ID number, phone, tax code, password…), with its code, as 400. */
export const ruleRefused = (f: RuleFailure, field?: string, details?: Record<string, unknown>) =>
  new ApiError(400, f.code, f.messages.vi, f.messages.en, { ...(field ? { field } : {}), ...(details ?? {}) });

export const captchaInvalid = () =>
  new ApiError(
    400,
    'CAPTCHA_INVALID',
    'Mã xác thực (captcha) không đúng hoặc đã hết hạn. Vui lòng nhập mã xác thực mới.',
    'The captcha answer is wrong or has expired; answer a new one.',
  );

export const accountExists = (who: 'citizen' | 'business') =>
  new ApiError(
    409,
    'ACCOUNT_EXISTS',
    who === 'citizen'
      ? 'Số định danh cá nhân (CCCD) này đã có tài khoản trên Cổng dịch vụ công, không thể đăng ký thêm. Nếu quên mật khẩu, hãy dùng chức năng "Quên mật khẩu" hoặc đến Bộ phận một cửa để được hỗ trợ.'
      : 'Mã số thuế này đã có tài khoản doanh nghiệp trên Cổng dịch vụ công, không thể đăng ký thêm. Nếu quên mật khẩu, hãy dùng chức năng "Quên mật khẩu" hoặc đến Bộ phận một cửa để được hỗ trợ.',
    who === 'citizen'
      ? 'An account already exists for this ID number; use "Forgot password" or ask at the one-stop desk.'
      : 'An account already exists for this tax code; use "Forgot password" or ask at the one-stop desk.',
  );

export const certificateAlreadyUsed = () =>
  new ApiError(
    409,
    'CERTIFICATE_IN_USE',
    'Chứng thư số này đã gắn với một tài khoản khác trên Cổng dịch vụ công.',
    'This certificate is already tied to another account.',
  );

export const flowExpired = (purpose: 'register' | 'login' | 'recover') =>
  new ApiError(
    401,
    'FLOW_EXPIRED',
    purpose === 'register'
      ? 'Phiên đăng ký đã hết hạn hoặc không còn hiệu lực. Vui lòng đăng ký lại từ đầu.'
      : purpose === 'login'
        ? 'Phiên đăng nhập đã hết hạn hoặc không còn hiệu lực. Vui lòng đăng nhập lại.'
        : 'Phiên lấy lại mật khẩu đã hết hạn hoặc không còn hiệu lực. Vui lòng thực hiện lại từ đầu.',
    'This registration, login or recovery has expired or ended; start again.',
  );

export const otpExpired = () =>
  new ApiError(401, 'OTP_EXPIRED', 'Mã OTP đã hết hiệu lực. Nhấn "Gửi lại OTP" để nhận mã mới.', 'The code has expired; ask for a new one.');

export const otpWrong = (triesLeft: number) =>
  new ApiError(
    401,
    'OTP_INVALID',
    triesLeft > 0
      ? `Mã OTP không đúng. Bạn còn ${triesLeft} lần thử.`
      : 'Mã OTP không đúng. Bạn đã nhập sai quá số lần cho phép; vui lòng thực hiện lại từ đầu.',
    triesLeft > 0 ? `Wrong code; ${triesLeft} tries left.` : 'Wrong code; no tries left, start again.',
    { triesLeft },
  );

export const otpNotVerified = () =>
  new ApiError(409, 'OTP_NOT_VERIFIED', 'Bạn cần nhập mã OTP đúng trước khi đặt mật khẩu.', 'Confirm the code before setting the password.');

export const resendTooSoon = (retryAfterSeconds: number) =>
  Object.assign(
    new ApiError(
      429,
      'OTP_RESEND_TOO_SOON',
      `Vui lòng chờ ${retryAfterSeconds} giây nữa rồi nhấn "Gửi lại OTP".`,
      `Wait ${retryAfterSeconds} seconds before asking for another code.`,
      { retryAfterSeconds },
    ),
    { headers: { 'Retry-After': String(retryAfterSeconds) } },
  );

export const sendLimitReached = (max: number) =>
  new ApiError(
    429,
    'OTP_SEND_LIMIT',
    `Đã gửi mã OTP ${max} lần, đạt số lần tối đa. Vui lòng thực hiện lại từ đầu sau ít phút.`,
    `The code was sent ${max} times, the most allowed; start again later.`,
    { max },
  );

export const phoneLimitReached = () =>
  new ApiError(
    429,
    'OTP_PHONE_LIMIT',
    'Số điện thoại này đã nhận quá nhiều mã OTP trong một giờ. Vui lòng thử lại sau.',
    'This phone received too many codes within an hour; try again later.',
  );

export const smsNotSent = () =>
  new ApiError(
    503,
    'SMS_NOT_SENT',
    'Không gửi được tin nhắn chứa mã OTP. Vui lòng thử lại sau ít phút.',
    'The SMS with the code could not be sent; try again in a few minutes.',
  );

/** Same answer for an unknown username, a disabled account and a wrong password. */
export const invalidCredentials = () =>
  new ApiError(401, 'INVALID_CREDENTIALS', 'Tên đăng nhập hoặc mật khẩu không đúng.', 'Wrong username or password.');

export const accountLocked = (until: Date, now: Date) =>
  Object.assign(
    new ApiError(
      423,
      'ACCOUNT_LOCKED',
      `Tài khoản đang tạm khóa do nhập sai mật khẩu hoặc mã OTP nhiều lần, đến ${localMomentVi(until)}. Vui lòng thử lại sau thời điểm đó, hoặc dùng chức năng "Quên mật khẩu".`,
      `The account is locked after too many wrong passwords or codes, until ${until.toISOString()}; try later or use "Forgot password".`,
      { lockedUntil: until.toISOString() },
    ),
    { headers: retryAfter(until, now) },
  );

/** Wrong codes of a recovery (per username) or a registration (per phone) reached the limit. */
export const codesLocked = (purpose: 'register' | 'recover', until: Date, now: Date) =>
  Object.assign(
    new ApiError(
      423,
      'OTP_LOCKED',
      purpose === 'register'
        ? `Đã nhập sai mã OTP quá nhiều lần cho số điện thoại này. Vui lòng đăng ký lại sau ${localMomentVi(until)}.`
        : `Đã nhập sai mã OTP quá nhiều lần khi lấy lại mật khẩu của tài khoản này. Vui lòng thực hiện lại sau ${localMomentVi(until)}, hoặc đến Bộ phận một cửa để được hỗ trợ.`,
      `Too many wrong codes; start again after ${until.toISOString()}.`,
      { lockedUntil: until.toISOString() },
    ),
    { headers: retryAfter(until, now) },
  );

export const wrongCurrentPassword = () =>
  new ApiError(400, 'WRONG_PASSWORD', 'Mật khẩu hiện tại không đúng.', 'The current password is wrong.');

export const passwordUnchanged = () =>
  new ApiError(400, 'PASSWORD_UNCHANGED', 'Mật khẩu mới phải khác mật khẩu hiện tại.', 'The new password must differ from the current one.');

export const socialInsuranceNotMatched = () =>
  new ApiError(
    422,
    'SOCIAL_INSURANCE_NOT_MATCHED',
    'Không tìm thấy người tham gia BHXH có mã số và ngày sinh này. Hãy kiểm tra lại mã số BHXH (10 chữ số, in trên thẻ BHYT/sổ BHXH) và ngày sinh.',
    'No insured person has this social-insurance number and date of birth.',
  );

export const socialInsuranceUnavailable = () =>
  new ApiError(
    503,
    'SOCIAL_INSURANCE_UNAVAILABLE',
    'Không kết nối được cơ sở dữ liệu Bảo hiểm xã hội. Vui lòng thử lại sau, hoặc đăng ký bằng số thuê bao di động.',
    'The social-insurance registry cannot be reached; try later or register with your mobile number.',
  );

export const socialInsuranceRecordUnusable = (reason: string) =>
  new ApiError(
    422,
    'SOCIAL_INSURANCE_RECORD_INCOMPLETE',
    `Thông tin tại cơ quan BHXH chưa đủ để đăng ký (${reason}). Vui lòng liên hệ cơ quan BHXH để cập nhật, hoặc đăng ký bằng số thuê bao di động.`,
    `The social-insurance record cannot be used to register (${reason}); update it or register with your mobile number.`,
  );

export const challengeInvalid = () =>
  new ApiError(
    401,
    'CHALLENGE_INVALID',
    'Lần ký số này đã hết hạn (sau 5 phút) hoặc đã được dùng. Vui lòng ký lại.',
    'This signature has expired (after 5 minutes) or was already used; sign again.',
  );

export const certificateNotRegistered = () =>
  new ApiError(
    401,
    'CERTIFICATE_NOT_REGISTERED',
    'Chứng thư số này chưa gắn với tài khoản nào trên Cổng dịch vụ công. Hãy đăng ký tài khoản bằng chứng thư số trước.',
    'No account is tied to this certificate; register with it first.',
  );
