/** What the case endpoints accept, with every problem explained in Vietnamese, field by field. */
import { z } from 'zod';
import { isValidLocalDate } from '../../domain/calendar';
import { checkBirthDateAgainstCitizenId, validateCitizenId } from '../../domain/citizenId';
import { REFUSAL_GROUND_CODES, REFUSAL_GROUNDS } from '../../domain/certification/refusalGrounds';
import { emailField, mobileField, optionalQuery, pageField, pageSizeField, personName, required, uuidOf } from '../admin/inputs';
import { localDate } from '../calendar/inputs';
import { MAX_SCAN_PARTS } from '../../workflows/certification/validate';

/** The workflow accepts these characters in a case code (workflows/certification/validate.ts). */
const CASE_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export const CodeParams = z.object({
  code: z
    .string({ error: 'thiếu mã hồ sơ' })
    .regex(CASE_CODE_RE, { error: 'mã hồ sơ chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang, gạch dưới (tối đa 100 ký tự), ví dụ 000.15.43.H35-261123-0001' }),
});

const text = (label: string, max = 200) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) })
    .transform((s) => s.normalize('NFC').replace(/\s+/g, ' ').trim())
    .pipe(
      z
        .string()
        .min(1, { error: `${label} không được để trống` })
        .max(max, { error: `${label} dài tối đa ${max} ký tự` }),
    );

/** A reason officers write for the citizen and the file: at least 5 characters, as the workflow requires. */
const reasonText = (label: string) =>
  z
    .string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) })
    .transform((s) => s.normalize('NFC').trim())
    .pipe(
      z
        .string()
        .min(5, { error: `${label} phải ghi rõ, ít nhất 5 ký tự` })
        .max(2000, { error: `${label} dài tối đa 2000 ký tự` }),
    );

const count = (label: string, max: number) =>
  z
    .int({ error: required(`thiếu ${label}`, `${label} phải là số nguyên`) })
    .min(1, { error: `${label} phải từ 1 trở lên` })
    .max(max, { error: `${label} tối đa là ${max}` });

const emptyIsAbsent = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' || v === null ? undefined : v), schema.optional());

/**
 * The citizen as the officer enters him; `today` is the Hà Nội date of reception. The desk's
 * account requests need the phone (the codes go there) and still meet 9-digit CMND numbers.
 */
export const citizenInput = (today: string, options: { phoneRequired?: boolean; allowLegacyCmnd?: boolean } = {}) =>
  z
    .object(
      {
        fullName: personName('họ tên người yêu cầu'),
        citizenId: z
          .string({ error: required('thiếu số CCCD', 'số CCCD phải là chuỗi chữ số') })
          .transform((value, ctx) => {
            const r = validateCitizenId(value, { allowLegacyCmnd: options.allowLegacyCmnd ?? false, referenceYear: Number(today.slice(0, 4)) });
            if (!r.ok) {
              ctx.addIssue({ code: 'custom', message: r.messages.vi, params: { en: r.messages.en } });
              return z.NEVER;
            }
            return r.number;
          }),
        birthDate: z
          .string({ error: required('thiếu ngày sinh', 'ngày sinh phải là chuỗi dạng YYYY-MM-DD') })
          .trim()
          .superRefine((d, ctx) => {
            if (!isValidLocalDate(d)) ctx.addIssue({ code: 'custom', message: `ngày sinh "${d}" không hợp lệ: phải là ngày có thật, dạng YYYY-MM-DD (ví dụ 1990-05-12)`, params: { en: `"${d}" is not a real date (YYYY-MM-DD)` } });
            else if (d > today) ctx.addIssue({ code: 'custom', message: 'ngày sinh không được sau ngày tiếp nhận', params: { en: 'must not be after the day of reception' } });
            else if (d < '1900-01-01') ctx.addIssue({ code: 'custom', message: 'ngày sinh phải từ năm 1900 trở đi', params: { en: 'must be in 1900 or later' } });
          }),
        phone: options.phoneRequired ? mobileField : emptyIsAbsent(mobileField),
        email: emptyIsAbsent(emailField),
      },
      { error: `thiếu thông tin công dân: họ và tên, số CCCD, ngày sinh${options.phoneRequired ? ', số điện thoại' : ''}` },
    )
    .superRefine((c, ctx) => {
      const birth = checkBirthDateAgainstCitizenId(c.citizenId, c.birthDate);
      if (!birth.ok) ctx.addIssue({ code: 'custom', path: ['birthDate'], message: birth.messages.vi, params: { en: birth.messages.en } });
    });

const document = z.object(
  {
    type: text('loại giấy tờ'),
    issuer: text('cơ quan cấp'),
    pages: count('số trang của bản chính', 10_000),
    copies: count('số bản sao yêu cầu', 100),
  },
  { error: 'mỗi giấy tờ là {type, issuer, pages, copies}' },
);

export const MAX_DOCUMENTS = 20;

const documentList = z
  .array(document, { error: required('thiếu danh sách bản chính', 'danh sách bản chính phải là một mảng') })
  .min(1, { error: 'cần ít nhất một bản chính' })
  .max(MAX_DOCUMENTS, { error: `mỗi hồ sơ nhận tối đa ${MAX_DOCUMENTS} bản chính; nhiều hơn hãy lập hồ sơ khác` });

export const receiveBody = (today: string) =>
  z
    .object(
      {
        unitId: uuidOf('đơn vị tiếp nhận'),
        citizen: citizenInput(today),
        documents: documentList,
        complex: z.boolean({ error: 'hồ sơ phức tạp phải là có hoặc không (true/false)' }).default(false),
        complexReason: emptyIsAbsent(reasonText('lý do hồ sơ phức tạp')),
        appointmentCode: emptyIsAbsent(z.string({ error: 'mã lịch hẹn phải là chuỗi ký tự' }).regex(/^LH-\d{6}-[0-9A-Z]{6}$/, { error: 'mã lịch hẹn có dạng LH-261124-7K3Q9X' })),
        scanFileId: uuidOf('tệp bản quét').optional(),
      },
      { error: 'nội dung gửi lên phải là một đối tượng JSON' },
    )
    .superRefine((b, ctx) => {
      // The overall deadline is extended for a complex case: the reason goes on the record.
      if (b.complex && !b.complexReason) {
        ctx.addIssue({ code: 'custom', path: ['complexReason'], message: 'hồ sơ phức tạp phải ghi rõ lý do, ít nhất 5 ký tự', params: { en: 'a complex case needs its reason, at least 5 characters' } });
      }
    });

/** The same shape for the API document (the date bounds do not change it). */
export const ReceiveBody = receiveBody('9999-12-31');
export type ReceiveInput = z.infer<typeof ReceiveBody>;

const body = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: 'nội dung gửi lên phải là một đối tượng JSON' });

export const NoBody = body({});

export const ScanBody = body({
  fileId: uuidOf('tệp bản quét'),
  moreFileIds: z
    .array(uuidOf('tệp bản quét tiếp theo'), { error: 'tệp bản quét tiếp theo phải là danh sách tệp' })
    .max(MAX_SCAN_PARTS - 1, { error: `một bản quét gồm tối đa ${MAX_SCAN_PARTS} tệp (fileId và tối đa ${MAX_SCAN_PARTS - 1} tệp moreFileIds)` })
    .optional(),
  broughtByCitizen: z.boolean({ error: 'bản quét do công dân mang đến phải là có hoặc không (true/false)' }).optional(),
  fileOriginals: z
    .array(z.int({ error: 'số thứ tự bản chính phải là số nguyên' }).min(0, { error: 'số thứ tự bản chính bắt đầu từ 0' }), {
      error: 'bản chính của từng tệp phải là danh sách số thứ tự bản chính, mỗi tệp một số',
    })
    .max(MAX_SCAN_PARTS, { error: `một bản quét gồm tối đa ${MAX_SCAN_PARTS} tệp` })
    .optional(),
}).superRefine((b, ctx) => {
  if (b.fileOriginals && b.fileOriginals.length !== 1 + (b.moreFileIds?.length ?? 0)) {
    ctx.addIssue({ code: 'custom', path: ['fileOriginals'], message: 'mỗi tệp bản quét phải có đúng một số thứ tự bản chính', params: { en: 'every scan file needs exactly one original' } });
  }
});

export const ReturnBody = body({ reason: reasonText('lý do trả lại') });

const groundList = REFUSAL_GROUND_CODES.map((g) => `${g} (${REFUSAL_GROUNDS[g]})`).join('; ');

export const RefuseBody = body({
  ground: z.enum(REFUSAL_GROUND_CODES as [string, ...string[]], {
    error: required('thiếu căn cứ từ chối', `căn cứ từ chối phải là một trong: ${groundList}`),
  }),
  note: reasonText('ghi chú cho công dân'),
});

export const ExtendBody = body({
  workingDays: count('số ngày làm việc gia hạn', 30),
  reason: reasonText('lý do gia hạn'),
  writtenAgreementFileId: uuidOf('tệp văn bản thỏa thuận').optional(),
});

export const WithdrawBody = body({ reason: reasonText('lý do rút hồ sơ') });

export const ComplexBody = body({
  complex: z.boolean({ error: required('thiếu lựa chọn hồ sơ phức tạp', 'hồ sơ phức tạp phải là có hoặc không (true/false)') }),
  reason: reasonText('lý do'),
  writtenAgreementFileId: uuidOf('tệp văn bản thỏa thuận').optional(),
});

export const OriginalsBody = body({ documents: documentList, reason: reasonText('lý do sửa') });

export const CASE_STATUSES = ['receiving', 'signing', 'sealing', 'delivering', 'completed', 'refused', 'withdrawn'] as const;
export const CASE_STEPS = ['receive', 'sign', 'seal', 'deliver'] as const;

const statusList = z.string().transform((raw, ctx) => {
  const values = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const wrong = values.filter((v) => !(CASE_STATUSES as readonly string[]).includes(v));
  if (values.length === 0 || wrong.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `trạng thái "${wrong.join(', ') || raw}" không có; dùng một hoặc nhiều (cách nhau dấu phẩy): ${CASE_STATUSES.join(', ')}`,
    });
    return z.NEVER;
  }
  return values;
});

const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: `${label} phải là thời điểm ISO 8601 có múi giờ, ví dụ 2026-11-24T17:00:00+07:00` }).transform((v) => new Date(v));

export const ListQuery = z.object({
  status: optionalQuery(statusList),
  step: optionalQuery(z.enum(CASE_STEPS, { error: `bước phải là một trong: ${CASE_STEPS.join(', ')}` })),
  dueBefore: optionalQuery(instant('hạn trước')),
  overdue: optionalQuery(z.enum(['true', 'false'], { error: 'quá hạn phải là true hoặc false' })),
  officerId: optionalQuery(uuidOf('cán bộ tiếp nhận')),
  unitId: optionalQuery(uuidOf('đơn vị')),
  from: optionalQuery(localDate('từ ngày tiếp nhận')),
  to: optionalQuery(localDate('đến ngày tiếp nhận')),
  q: optionalQuery(z.string().trim().max(100, { error: 'từ khóa dài tối đa 100 ký tự' })),
  page: pageField,
  pageSize: pageSizeField(200, 50),
});

export const InboxQuery = z.object({
  page: pageField,
  pageSize: pageSizeField(200, 50),
});

/** A book's year, 2000–2100, as the register and the receipts list take it. */
export const bookYear = optionalQuery(
  z.coerce
    .number({ error: 'năm phải là số' })
    .int({ error: 'năm phải là số nguyên' })
    .min(2000, { error: 'năm từ 2000 đến 2100' })
    .max(2100, { error: 'năm từ 2000 đến 2100' }),
);

export const RegisterQuery = z.object({
  unitId: uuidOf('đơn vị'),
  year: bookYear,
  book: optionalQuery(text('mã sổ', 50)),
  page: pageField,
  pageSize: pageSizeField(500, 50),
});
