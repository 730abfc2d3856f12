/** What the calendar endpoints accept, with the problems explained in Vietnamese. */
import { z } from 'zod';
import { type CalendarIssue, isValidLocalDate, parseLocalDateTime } from '../../domain/calendar';
import { type ApiError, fieldProblem, invalidInput } from '../errors';

/** Error text for a missing field and for a value of the wrong type; an empty choice ("") is missing too. */
const required = (missing: string, wrong: string) => (issue: { input?: unknown }) => (issue.input === undefined || issue.input === '' ? missing : wrong);

export const uuidOf = (label: string) =>
  z.uuid({ error: required(`thiếu ${label}`, `${label} không hợp lệ`) });

const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

export const localDate = (label: string) =>
  z.string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi dạng YYYY-MM-DD`) }).superRefine((value, ctx) => {
    const year = Number(value.slice(0, 4));
    if (!isValidLocalDate(value)) {
      ctx.addIssue({ code: 'custom', message: `${label} "${value}" không hợp lệ: phải là ngày có thật, dạng YYYY-MM-DD (ví dụ 2026-09-02)`, params: { en: `"${value}" is not a real date (YYYY-MM-DD)` } });
    } else if (year < MIN_YEAR || year > MAX_YEAR) {
      ctx.addIssue({ code: 'custom', message: `${label} "${value}" nằm ngoài khoảng năm ${MIN_YEAR}–${MAX_YEAR}`, params: { en: `must be within the years ${MIN_YEAR}–${MAX_YEAR}` } });
    }
  });

const dayName = z
  .string({ error: required('thiếu tên ngày (lý do nghỉ hoặc làm bù)', 'tên ngày phải là chuỗi') })
  .trim()
  .min(1, { error: 'tên ngày không được để trống' })
  .max(200, { error: 'tên ngày dài tối đa 200 ký tự' });

const unitOrNational = z.union([z.null(), uuidOf('mã đơn vị')], {
  error: 'đơn vị không hợp lệ: chọn một đơn vị, hoặc áp dụng toàn quốc (null)',
});
// The field must be present: a forgotten unitId must not silently become a national day.
const unitIdField = z.custom<string | null>((v) => v !== undefined, { error: 'thiếu đơn vị: chọn một đơn vị, hoặc áp dụng toàn quốc (null)' }).pipe(unitOrNational);

const provisional = z.boolean({ error: '"Dự kiến" phải là có hoặc không (true/false)' }).optional();

export const UnitParams = z.object({ unitId: uuidOf('mã đơn vị') });
export const IdParams = z.object({ id: uuidOf('mã ngày') });

export const RangeQuery = z.object({
  from: localDate('ngày bắt đầu').optional(),
  to: localDate('ngày kết thúc').optional(),
});

export const OfficeHoursBody = z.object({
  hours: z.record(z.string(), z.unknown(), {
    error: 'thiếu giờ làm việc: gửi {"hours": {"1": [{"start": "08:00", "end": "12:00"}, …], …}} với 1 = thứ Hai … 7 = Chủ nhật',
  }),
});

export const HolidayBody = z.object({
  date: localDate('ngày'),
  name: dayName,
  kind: z.enum(['holiday', 'compensatory'], { error: 'loại ngày nghỉ phải là "holiday" (nghỉ lễ) hoặc "compensatory" (nghỉ bù/hoán đổi)' }),
  unitId: unitIdField,
  provisional,
});

export const WorkingDayBody = z.object({
  date: localDate('ngày'),
  name: dayName,
  hours: z.array(z.unknown(), { error: 'giờ làm việc phải là danh sách khoảng giờ [{"start": "HH:MM", "end": "HH:MM"}]' }).optional(),
  unitId: unitIdField,
  provisional,
});

/** Working hours of a preview: decimals allowed, with a point or a comma. */
const hoursValue = z
  .string({ error: 'số giờ phải là một số' })
  .trim()
  .regex(/^\d+([.,]\d+)?$/, { error: 'số giờ phải là số dương, ví dụ 4 hoặc 0,5' })
  .transform((v) => Number(v.replace(',', '.')))
  .pipe(
    z
      .number()
      .gt(0, { error: 'số giờ phải lớn hơn 0' })
      .max(400, { error: 'số giờ tối đa là 400' }),
  );

const MAX_PREVIEW_DAYS = 60;
const workingDaysValue = z
  .string({ error: 'số ngày làm việc phải là một số' })
  .trim()
  .regex(/^\d+$/, { error: 'số ngày làm việc phải là số nguyên không âm' })
  .transform(Number)
  .pipe(z.number().max(MAX_PREVIEW_DAYS, { error: `số ngày làm việc tối đa là ${MAX_PREVIEW_DAYS}` }));

const instantValue = z.string({ error: 'thời điểm nhận phải là một chuỗi' }).transform((raw, ctx) => {
  // An unencoded '+07:00' in a query string arrives as ' 07:00'.
  const value = raw.trim().replace(/^(\d{4}-\d{2}-\d{2}T[\d:.]+) (\d{2}:?\d{2})$/, '$1+$2');
  if (z.iso.datetime({ offset: true }).safeParse(value).success) return Date.parse(value);
  // Without an offset the time is read as Viet Nam time, as an officer types it.
  if (/^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}$/.test(value) && isValidLocalDate(value.slice(0, 10))) {
    try {
      return parseLocalDateTime(value);
    } catch {
      // falls through to the message below
    }
  }
  ctx.addIssue({
    code: 'custom',
    message: `thời điểm nhận "${raw}" không hợp lệ: dùng ISO 8601, ví dụ 2026-11-23T11:30:00+07:00, hoặc giờ Việt Nam 2026-11-23T11:30`,
  });
  return z.NEVER;
});

export const DueQuery = z
  .object({
    unitId: uuidOf('mã đơn vị'),
    start: instantValue.optional(),
    hours: hoursValue.optional(),
    workingDays: workingDaysValue.optional(),
    rule: z.enum(['same-day-cutoff'], { error: 'quy tắc chỉ nhận "same-day-cutoff" (trước 15:00 trả trong ngày)' }).optional(),
  })
  .superRefine((q, ctx) => {
    const given = [q.hours, q.workingDays, q.rule].filter((v) => v !== undefined).length;
    if (given !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['hours'],
        message: 'chọn đúng một cách tính thời hạn: số giờ làm việc, số ngày làm việc, hoặc trả trong ngày nếu nhận trước 15:00',
        params: { en: 'give exactly one of hours, workingDays or rule=same-day-cutoff' },
      });
    }
  });

/** A 400 pointing at each field the domain's calendar validation rejected. */
export function calendarIssuesError(issues: readonly CalendarIssue[], fieldOf: (path: string) => string): ApiError {
  return invalidInput(issues.map((i) => ({ ...fieldProblem(fieldOf(i.path), i.messages.vi, i.messages.en), code: i.code })));
}
