/**
 * What the citizen portal's endpoints accept, with the problems explained in Vietnamese. Rules
 * that need today's date (a birth date not in the future) are checked by the handlers. A problem
 * names its field as the portal's form labels it, never by its name in the API: citizens read
 * these messages beside the field (details.fields[].field says which one).
 */
import { z } from 'zod';
import { checkBirthDateAgainstCitizenId, validateCitizenId } from '../../domain/citizenId';
import { isValidLocalDate } from '../../domain/calendar';
import { validateTaxCode } from '../../domain/taxCode';
import { emailField, mobileField, pageField, pageSizeField, personName, required, uuidOf } from '../admin/inputs';
import { ApiError } from '../errors';
import { SOCIAL_INSURANCE_NUMBER } from '../../infra/socialInsurance/socialInsuranceRegistry';

const bodyObject = 'nội dung gửi lên phải là một đối tượng JSON';

/** A 12-digit CCCD (the 9-digit CMND expired on 01/01/2025), without spaces or dots. */
const idNumberField = (label: string) =>
  z.string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi chữ số`) }).transform((value, ctx) => {
    const r = validateCitizenId(value, { allowLegacyCmnd: false });
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.messages.vi });
      return z.NEVER;
    }
    return r.number;
  });

const dateField = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi dạng YYYY-MM-DD`) })
    .trim()
    .refine((d) => isValidLocalDate(d), { error: `${label} phải là ngày có thật, dạng YYYY-MM-DD (ví dụ 1990-05-12)` })
    .refine((d) => d >= '1900-01-01', { error: `${label} phải từ năm 1900 trở đi` });

const optionalEmail = z.preprocess((v) => (v === '' || v === null ? undefined : v), emailField.optional());

const captchaFields = {
  captchaId: z.string({ error: required('thiếu mã captcha', 'mã captcha phải là chuỗi ký tự') }).max(100, { error: 'mã captcha không hợp lệ' }),
  captcha: z
    .string({ error: required('thiếu mã xác thực (captcha)', 'mã xác thực (captcha) phải là chuỗi ký tự') })
    .min(1, { error: 'chưa nhập mã xác thực (captcha)' })
    .max(64, { error: 'mã xác thực (captcha) không đúng' }),
};

/** A password as typed: kept exactly (spaces count), bounded so hashing stays cheap; the rule is checked apart. */
const passwordField = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) })
    .min(1, { error: `${label} không được để trống` })
    .max(256, { error: `${label} dài tối đa 256 ký tự` });

const newPasswordFields = {
  password: passwordField('mật khẩu'),
  passwordConfirm: passwordField('mật khẩu nhập lại'),
};

const flowToken = z
  .string({ error: required('thiếu mã phiên', 'mã phiên phải là chuỗi ký tự') })
  .min(1, { error: 'mã phiên không được để trống' })
  .max(200, { error: 'mã phiên không hợp lệ' });

/** Birth dates must agree with the CCCD's century and year digits. */
function birthDateAgrees(data: { idNumber: string; birthDate: string }, ctx: z.RefinementCtx, path: string): void {
  const r = checkBirthDateAgainstCitizenId(data.idNumber, data.birthDate);
  if (!r.ok) ctx.addIssue({ code: 'custom', path: [path], message: r.messages.vi });
}

export const MobileRegistrationBody = z
  .object(
    {
      idNumber: idNumberField('số CCCD'),
      fullName: personName('họ và tên'),
      birthDate: dateField('ngày sinh'),
      phone: mobileField,
      email: optionalEmail,
      ...captchaFields,
    },
    { error: bodyObject },
  )
  .superRefine((d, ctx) => birthDateAgrees(d, ctx, 'birthDate'));

export const taxCodeField = z.string({ error: required('thiếu mã số thuế', 'mã số thuế phải là chuỗi chữ số') }).transform((value, ctx) => {
  const r = validateTaxCode(value);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.messages.vi });
    return z.NEVER;
  }
  return r.normalized;
});

export const BusinessRegistrationBody = z
  .object(
    {
      taxCode: taxCodeField,
      businessName: personName('tên doanh nghiệp'),
      representativeIdNumber: idNumberField('số CCCD của người đại diện'),
      representativeName: personName('họ và tên người đại diện'),
      representativeBirthDate: dateField('ngày sinh người đại diện'),
      phone: mobileField,
      email: emailField,
      ...captchaFields,
    },
    { error: bodyObject },
  )
  .superRefine((d, ctx) => birthDateAgrees({ idNumber: d.representativeIdNumber, birthDate: d.representativeBirthDate }, ctx, 'representativeBirthDate'));

export const SocialInsuranceRegistrationBody = z.object(
  {
    socialInsuranceNumber: z
      .string({ error: required('thiếu mã số BHXH', 'mã số BHXH phải là chuỗi chữ số') })
      .transform((v) => v.replace(/[\s.]/g, ''))
      .refine((v) => SOCIAL_INSURANCE_NUMBER.test(v), { error: 'mã số BHXH gồm đúng 10 chữ số' }),
    birthDate: dateField('ngày sinh'),
    email: optionalEmail,
    ...captchaFields,
  },
  { error: bodyObject },
);

export const FlowTokenBody = z.object({ flowToken }, { error: bodyObject });

export const OtpAnswerBody = z.object(
  {
    flowToken,
    code: z
      .string({ error: required('thiếu mã OTP', 'mã OTP phải là chuỗi 6 chữ số') })
      .trim()
      .regex(/^\d{6}$/, { error: 'mã OTP phải gồm đúng 6 chữ số' }),
  },
  { error: bodyObject },
);

export const NewPasswordBody = z.object({ flowToken, ...newPasswordFields }, { error: bodyObject });

const usernameField = z
  .string({ error: required('thiếu tên đăng nhập: số CCCD hoặc mã số thuế', 'tên đăng nhập phải là chuỗi ký tự') })
  .trim()
  .min(1, { error: 'tên đăng nhập không được để trống' })
  .max(30, { error: 'tên đăng nhập là số CCCD hoặc mã số thuế' })
  // The ID number and the tax code are written with spaces and dots at times; the stored form has none.
  .transform((u) => {
    const tax = validateTaxCode(u);
    return tax.ok ? tax.normalized : u.replace(/[\s.]/g, '');
  });

export const LoginBody = z.object({ username: usernameField, password: passwordField('mật khẩu'), ...captchaFields }, { error: bodyObject });

export const ForgotPasswordBody = z.object({ username: usernameField, ...captchaFields }, { error: bodyObject });

export const ChangePasswordBody = z.object({ currentPassword: passwordField('mật khẩu hiện tại'), ...newPasswordFields }, { error: bodyObject });

export const ChallengeBody = z.object(
  { purpose: z.enum(['register', 'login'], { error: 'mục đích phải là "register" (đăng ký) hoặc "login" (đăng nhập)' }) },
  { error: bodyObject },
);

const signatureFields = {
  challengeId: uuidOf('mã chuỗi xác thực'),
  signature: z
    .string({ error: required('thiếu chữ ký số', 'chữ ký số phải là chuỗi base64') })
    .min(1, { error: 'chữ ký số không được để trống' })
    .max(200_000, { error: 'chữ ký số quá dài' }),
  certificate: z
    .string({ error: 'chứng thư số phải là chuỗi PEM' })
    .max(100_000, { error: 'chứng thư số quá dài' })
    .optional(),
};

export const CertificateLoginBody = z.object(signatureFields, { error: bodyObject });

export const CertificateRegistrationBody = z.object(
  {
    ...signatureFields,
    birthDate: dateField('ngày sinh'),
    phone: mobileField,
    email: optionalEmail,
    ...newPasswordFields,
  },
  { error: bodyObject },
);

export const ListQuery = z.object({ page: pageField, pageSize: pageSizeField(100, 20) });

export const NotificationQuery = z.object({
  page: pageField,
  pageSize: pageSizeField(100, 20),
  unread: z.enum(['true', 'false'], { error: 'unread phải là true hoặc false' }).optional(),
});

export const IdParams = z.object({ id: uuidOf('mã') });

/** A 400 for one field, in the shape zod failures get (api/errors.ts validationError). */
export function fieldProblem(field: string, problem: string, problemEn = problem): ApiError {
  return new ApiError(400, 'INVALID_INPUT', `Dữ liệu không hợp lệ — ${field}: ${problem}`, `Invalid input — ${field}: ${problemEn}`, { fields: [{ field, problem }] });
}

/** Nobody registers with a date of birth after today (Hà Nội date). */
export function birthDateNotInFuture(field: string, birthDate: string, today: string): void {
  if (birthDate > today) throw fieldProblem(field, 'ngày sinh không được sau ngày hôm nay', 'the date of birth is after today');
}
