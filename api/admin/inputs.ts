/** Field validators shared by the administration endpoints, with the problems explained in Vietnamese. */
import { z } from 'zod';
import { validateCitizenId } from '../../domain/citizenId';
import { normalizeVietnameseMobile } from '../../domain/phone';
import { RIGHT_CODES, RIGHTS } from '../../domain/rights';

/** Error text for a missing field and for a value of the wrong type; an empty choice ("") is missing too. */
export const required = (missing: string, wrong: string) => (issue: { input?: unknown }) => (issue.input === undefined || issue.input === '' ? missing : wrong);

export const uuidOf = (label: string) => z.uuid({ error: required(`thiếu ${label}`, `${label} không hợp lệ`) });

/** A query parameter left empty in a form ("?name=") means "no filter". */
export const optionalQuery = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

/** Names arrive in NFC or NFD depending on the keyboard; they are stored in NFC with single spaces. */
export function tidyName(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

export const personName = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) })
    .transform(tidyName)
    .pipe(
      z
        .string()
        .min(1, { error: `${label} không được để trống` })
        .max(200, { error: `${label} dài tối đa 200 ký tự` }),
    );

export const usernameField = z
  .string({ error: required('thiếu tên đăng nhập', 'tên đăng nhập phải là chuỗi ký tự') })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9._-]{2,49}$/, {
    error: 'tên đăng nhập gồm 3–50 ký tự: chữ cái không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang, bắt đầu bằng chữ hoặc số',
  });

/** A 12-digit CCCD, stored without spaces or dots. The 9-digit CMND expired on 01/01/2025, so new accounts need a CCCD. */
export const citizenIdField = (referenceYear: number) =>
  z.string({ error: required('thiếu số CCCD', 'số CCCD phải là chuỗi chữ số') }).transform((value, ctx) => {
    const r = validateCitizenId(value, { allowLegacyCmnd: false, referenceYear });
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.messages.vi, params: { en: r.messages.en } });
      return z.NEVER;
    }
    return r.number;
  });

/** A Vietnamese mobile number, stored as 0xxxxxxxxx; null clears it. */
export const mobileField = z
  .string({ error: required('thiếu số điện thoại', 'số điện thoại phải là chuỗi ký tự') })
  .transform((value, ctx) => {
    const r = normalizeVietnameseMobile(value);
    if (!r.ok) {
      ctx.addIssue({ code: 'custom', message: r.messages.vi, params: { en: r.messages.en } });
      return z.NEVER;
    }
    return r.normalized;
  });

export const emailField = z
  .string({ error: required('thiếu email', 'email phải là chuỗi ký tự') })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'email không đúng định dạng, ví dụ ten@xa.gov.vn' }).max(254, { error: 'email dài tối đa 254 ký tự' }));

export const jobTitleField = z
  .string({ error: required('thiếu chức danh', 'chức danh phải là chuỗi ký tự') })
  .trim()
  .min(1, { error: 'chức danh không được để trống; gửi null để xoá' })
  .max(120, { error: 'chức danh dài tối đa 120 ký tự' });

const rightList = RIGHT_CODES.map((r) => `${r} (${RIGHTS[r]})`).join(', ');

export const rightField = z.enum(RIGHT_CODES, {
  error: required('thiếu mã quyền', `mã quyền không tồn tại; các quyền: ${rightList}`),
});

export const IdParams = z.object({ id: uuidOf('mã người dùng') });

export const pageField = z.coerce.number({ error: 'trang phải là số' }).int({ error: 'trang phải là số nguyên' }).min(1, { error: 'trang bắt đầu từ 1' }).default(1);

export const pageSizeField = (max: number, fallback: number) =>
  z.coerce
    .number({ error: 'cỡ trang phải là số' })
    .int({ error: 'cỡ trang phải là số nguyên' })
    .min(1, { error: 'cỡ trang tối thiểu là 1' })
    .max(max, { error: `cỡ trang tối đa là ${max}` })
    .default(fallback);
