/** What the desk's citizen-account endpoints accept, every problem explained in Vietnamese, field by field. */
import { z } from 'zod';
import { validateCitizenId } from '../../domain/citizenId';
import { mobileField, optionalQuery, pageField, pageSizeField, required, uuidOf } from '../admin/inputs';
import { localDate } from '../calendar/inputs';
import { citizenInput } from '../cases/inputs';

const body = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: 'nội dung gửi lên phải là một đối tượng JSON' });

/** Step 1: the citizen's data from the ID card, the officer's one-stop unit and the uploaded ID scan. */
export const requestBody = (today: string) =>
  body({
    citizen: citizenInput(today, { phoneRequired: true, allowLegacyCmnd: true }),
    unitId: uuidOf('Bộ phận Một cửa nơi công chức công tác'),
    idScanFileId: uuidOf('tệp quét 2 mặt CCCD/CMND'),
  });
export const RequestBody = requestBody('9999-12-31');
export type RequestInput = z.infer<typeof RequestBody>;

const idNumberField = z.string({ error: required('thiếu số CCCD/CMND', 'số CCCD/CMND phải là chuỗi chữ số') }).transform((value, ctx) => {
  const r = validateCitizenId(value);
  if (!r.ok) {
    ctx.addIssue({ code: 'custom', message: r.messages.vi, params: { en: r.messages.en } });
    return z.NEVER;
  }
  return r.number;
});

export const LookupQuery = z.object({ idNumber: idNumberField });

export const RequestParams = z.object({
  id: z.string({ error: 'thiếu mã yêu cầu' }).regex(/^[A-Za-z0-9-]{1,64}$/, { error: 'mã yêu cầu không hợp lệ' }),
});

export const ConfirmBody = body({
  otp: z
    .string({ error: required('thiếu mã OTP', 'mã OTP phải là chuỗi 6 chữ số') })
    .trim()
    .regex(/^\d{6}$/, { error: 'mã OTP gồm đúng 6 chữ số' }),
});

export const CancelBody = body({
  reason: z
    .string({ error: required('thiếu lý do hủy', 'lý do hủy phải là chuỗi ký tự') })
    .trim()
    .min(3, { error: 'lý do hủy phải ghi rõ' })
    .max(500, { error: 'lý do hủy dài tối đa 500 ký tự' }),
});

/** The list of accounts opened at the desk (seed 000 part B step 1 filters). */
export const AccountListQuery = z
  .object({
    name: optionalQuery(z.string().trim().max(100, { error: 'tên dài tối đa 100 ký tự' })),
    phone: optionalQuery(mobileField),
    idNumber: optionalQuery(z.string().trim().regex(/^\d{1,12}$/, { error: 'số CCCD/CMND chỉ gồm chữ số (có thể nhập một phần)' })),
    officerId: optionalQuery(uuidOf('cán bộ tạo')),
    unitId: optionalQuery(uuidOf('đơn vị')),
    from: optionalQuery(localDate('từ ngày')),
    to: optionalQuery(localDate('đến ngày')),
    page: pageField,
    pageSize: pageSizeField(100, 20),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { error: 'từ ngày phải trước hoặc bằng đến ngày', path: ['to'] });
