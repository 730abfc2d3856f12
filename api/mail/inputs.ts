/** What the mail routes accept, with the problems explained in Vietnamese. */
import { z } from 'zod';

const page = z.coerce.number({ error: 'trang phải là số' }).int({ error: 'trang phải là số nguyên' }).min(1, { error: 'trang bắt đầu từ 1' }).default(1);

const pageSize = z.coerce
  .number({ error: 'cỡ trang phải là số' })
  .int({ error: 'cỡ trang phải là số nguyên' })
  .min(1, { error: 'cỡ trang tối thiểu là 1' })
  .max(100, { error: 'cỡ trang tối đa là 100' })
  .default(50);

export const MailboxQuery = z.object({
  page,
  pageSize,
  to: z
    .string({ error: 'người nhận phải là chuỗi ký tự' })
    .trim()
    .min(1, { error: 'người nhận không được để trống' })
    .max(320, { error: 'người nhận dài tối đa 320 ký tự' })
    .optional(),
  subject: z
    .string({ error: 'tiêu đề phải là chuỗi ký tự' })
    .trim()
    .min(1, { error: 'tiêu đề không được để trống' })
    .max(200, { error: 'tiêu đề dài tối đa 200 ký tự' })
    .optional(),
});

export const MessageParams = z.object({ id: z.uuid({ error: 'mã thư không hợp lệ (phải là mã UUID)' }) });

export const AttachmentParams = MessageParams.extend({
  index: z
    .string({ error: 'thiếu số thứ tự tệp đính kèm' })
    .regex(/^\d{1,3}$/, { error: 'số thứ tự tệp đính kèm phải là số nguyên từ 0' })
    .transform(Number),
});

export const OutboxQuery = z.object({
  page,
  pageSize,
  caseCode: z
    .string({ error: 'mã hồ sơ phải là chuỗi ký tự' })
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, { error: 'mã hồ sơ chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới, ví dụ 000.15.43.H35-261123-0001' })
    .optional(),
  status: z.enum(['sending', 'sent', 'failed'], { error: 'trạng thái phải là sending, sent hoặc failed' }).optional(),
});
