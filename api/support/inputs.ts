/** What the support-request endpoints accept, each problem told in Vietnamese. */
import { z } from 'zod';
import { SUPPORT_GROUP_CODES, SUPPORT_SERVICE_GROUPS } from '../../domain/support/support';
import { SUPPORT_MAX_ATTACHMENTS } from '../../infra/supportAttachmentContent';
import { emailField, mobileField, optionalQuery, pageField, pageSizeField, personName, required, uuidOf } from '../admin/inputs';
import { localDate } from '../calendar/inputs';

const text = (label: string, max: number, min = 1) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(min, { error: min > 1 ? `${label} cần ít nhất ${min} ký tự` : `thiếu ${label}` }).max(max, { error: `${label} dài tối đa ${max} ký tự` }));

const emptyIsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

const groupList = SUPPORT_GROUP_CODES.map((c) => `${c} (${SUPPORT_SERVICE_GROUPS[c]!.vi})`).join(', ');
const serviceGroup = z.enum(SUPPORT_GROUP_CODES as [string, ...string[]], { error: required('thiếu nhóm dịch vụ', `nhóm dịch vụ không có trong danh sách: ${groupList}`) });

export const SUPPORT_STATUSES = ['received', 'in_progress', 'waiting', 'done', 'rejected', 'cancelled'] as const;

export const SupportCodeParams = z.object({ code: z.string({ error: 'thiếu mã yêu cầu' }).regex(/^YC-\d{6}-[0-9A-Z]{5}$/, { error: 'mã yêu cầu có dạng YC-261124-7K3Q9' }) });
export const AttachmentParams = SupportCodeParams.extend({ fileId: uuidOf('tệp đính kèm') });

export const FileBody = z.object(
  {
    unitId: uuidOf('đơn vị yêu cầu hỗ trợ'),
    serviceGroup,
    service: emptyIsAbsent(text('dịch vụ', 200)),
    requesterName: personName('người yêu cầu'),
    requesterPhone: mobileField,
    contactName: emptyIsAbsent(personName('người liên hệ')),
    contactPhone: emptyIsAbsent(mobileField),
    feedbackEmail: emailField,
    notifyEachChange: z.boolean({ error: 'nhận thư ở mỗi lần đổi trạng thái phải là có hoặc không (true/false)' }).default(false),
    title: text('tên yêu cầu', 300),
    description: text('mô tả yêu cầu', 10_000),
    attachmentFileIds: z
      .array(uuidOf('tệp đính kèm'), { error: 'danh sách tệp đính kèm phải là một mảng' })
      .max(SUPPORT_MAX_ATTACHMENTS, { error: `đính kèm tối đa ${SUPPORT_MAX_ATTACHMENTS} tệp` })
      .default([]),
  },
  { error: 'nội dung gửi lên phải là một đối tượng JSON' },
);

export const ListQuery = z.object({
  title: optionalQuery(z.string().trim().max(200, { error: 'tên yêu cầu dài tối đa 200 ký tự' })),
  unitId: optionalQuery(uuidOf('đơn vị yêu cầu')),
  serviceGroup: optionalQuery(serviceGroup),
  requester: optionalQuery(z.string().trim().max(120, { error: 'người yêu cầu dài tối đa 120 ký tự' })),
  from: optionalQuery(localDate('từ ngày')),
  to: optionalQuery(localDate('đến ngày')),
  status: optionalQuery(z.enum(SUPPORT_STATUSES, { error: `trạng thái phải là một trong: ${SUPPORT_STATUSES.join(', ')}` })),
  page: pageField,
  pageSize: pageSizeField(100, 20),
});

export const TextBody = (label: string, min = 5) => z.object({ text: text(label, 5000, min) }, { error: 'nội dung gửi lên phải là một đối tượng JSON' });
