/** What the authentication endpoints accept, with the problems explained in Vietnamese. */
import { z } from 'zod';

/** Error text for a missing field and for a value of the wrong type. */
const required = (missing: string, wrong: string) => (issue: { input?: unknown }) => (issue.input === undefined ? missing : wrong);

const bodyObject = 'nội dung gửi lên phải là một đối tượng JSON';

/** A password as typed: kept exactly (spaces count), bounded so hashing stays cheap. */
const passwordField = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) })
    .min(1, { error: `${label} không được để trống` })
    .max(256, { error: `${label} dài tối đa 256 ký tự` });

export const LoginBody = z.object(
  {
    username: z
      .string({ error: required('thiếu tên đăng nhập', 'tên đăng nhập phải là chuỗi ký tự') })
      .trim()
      .min(1, { error: 'tên đăng nhập không được để trống' })
      .max(100, { error: 'tên đăng nhập dài tối đa 100 ký tự' })
      // Usernames are stored in lower case; "Nguyen.An" and "nguyen.an" are the same officer.
      .transform((u) => u.toLowerCase()),
    password: passwordField('mật khẩu'),
  },
  { error: bodyObject },
);

export const OtpBody = z.object(
  {
    challengeToken: z
      .string({ error: required('thiếu mã phiên xác thực', 'mã phiên xác thực phải là chuỗi ký tự') })
      .min(1, { error: 'mã phiên xác thực không được để trống' })
      .max(200, { error: 'mã phiên xác thực không hợp lệ' }),
    code: z
      .string({ error: required('thiếu mã OTP', 'mã OTP phải là chuỗi 6 chữ số') })
      .trim()
      .regex(/^\d{6}$/, { error: 'mã OTP phải gồm đúng 6 chữ số' }),
  },
  { error: bodyObject },
);

export const PasswordBody = z.object(
  {
    currentPassword: passwordField('mật khẩu hiện tại'),
    newPassword: passwordField('mật khẩu mới'),
  },
  { error: bodyObject },
);

export const OutboxQuery = z.object({
  page: z.coerce.number({ error: 'trang phải là số' }).int({ error: 'trang phải là số nguyên' }).min(1, { error: 'trang bắt đầu từ 1' }).default(1),
  pageSize: z.coerce
    .number({ error: 'cỡ trang phải là số' })
    .int({ error: 'cỡ trang phải là số nguyên' })
    .min(1, { error: 'cỡ trang tối thiểu là 1' })
    .max(100, { error: 'cỡ trang tối đa là 100' })
    .default(50),
  phone: z
    .string({ error: 'số điện thoại phải là chuỗi ký tự' })
    .trim()
    .min(1, { error: 'số điện thoại không được để trống' })
    .max(30, { error: 'số điện thoại dài tối đa 30 ký tự' })
    .optional(),
});
