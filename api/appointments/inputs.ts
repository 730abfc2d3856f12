/** What the appointment endpoints accept, each problem told in Vietnamese. */
import { z } from 'zod';
import { PROCEDURE_CODES } from '../../domain/appointments/procedures';
import { MAX_CAPACITY, SLOT_MINUTES_CHOICES } from '../../domain/appointments/slots';
import { optionalQuery, required, uuidOf } from '../admin/inputs';
import { localDate } from '../calendar/inputs';

const procedure = z.enum(PROCEDURE_CODES as [string, ...string[]], { error: required('thiếu thủ tục', 'thủ tục phải là "vn" (giấy tờ do Việt Nam cấp) hoặc "foreign" (do nước ngoài cấp)') });

const instant = (label: string) =>
  z.iso.datetime({ offset: true, error: required(`thiếu ${label}`, `${label} phải là một thời điểm (ISO 8601), ví dụ 2026-11-24T09:00:00+07:00`) });

const reason = z
  .string({ error: required('thiếu lý do', 'lý do phải là chuỗi ký tự') })
  .transform((s) => s.normalize('NFC').trim())
  .pipe(z.string().min(5, { error: 'phải ghi rõ lý do, ít nhất 5 ký tự' }).max(1000, { error: 'lý do dài tối đa 1000 ký tự' }));

export const AppointmentCodeParams = z.object({
  code: z.string({ error: 'thiếu mã lịch hẹn' }).regex(/^LH-\d{6}-[0-9A-Z]{6}$/, { error: 'mã lịch hẹn có dạng LH-261124-7K3Q9X' }),
});

export const AgenciesQuery = z.object({ procedure: optionalQuery(procedure) });
export const UnitQuery = z.object({ unitId: uuidOf('cơ quan') });
export const UnitParamsOf = z.object({ unitId: uuidOf('đơn vị') });
export const SlotsQuery = z.object({ unitId: uuidOf('cơ quan'), date: localDate('ngày hẹn') });

export const BookBody = z.object(
  {
    procedure,
    unitId: uuidOf('cơ quan'),
    paperType: z.string({ error: required('thiếu loại giấy tờ', 'loại giấy tờ phải là chuỗi ký tự') }).trim().min(1, { error: 'thiếu loại giấy tờ' }).max(200, { error: 'loại giấy tờ dài tối đa 200 ký tự' }),
    slotStart: instant('khung giờ hẹn'),
  },
  { error: 'nội dung gửi lên phải là một đối tượng JSON' },
);

export const CancelBody = z.object({ reason: z.string({ error: 'lý do hủy phải là chuỗi ký tự' }).trim().max(500, { error: 'lý do hủy dài tối đa 500 ký tự' }).optional() });

export const ScheduleQuery = z.object({ unitId: uuidOf('đơn vị'), date: localDate('ngày') });

export const RescheduleBody = z.object({ slotStart: instant('khung giờ hẹn mới'), reason });

/** Every booked appointment of a day (or of one slot of it) moved to the same time of another day (or to one slot). */
export const BulkRescheduleBody = z
  .object({
    unitId: uuidOf('đơn vị'),
    date: localDate('ngày cần dời'),
    slotStart: instant('khung giờ cần dời').optional(),
    toDate: localDate('ngày hẹn mới'),
    toSlotStart: instant('khung giờ hẹn mới').optional(),
    reason,
  })
  .superRefine((b, ctx) => {
    if (b.toSlotStart && !b.slotStart) ctx.addIssue({ code: 'custom', path: ['toSlotStart'], message: 'chỉ chọn khung giờ mới khi dời một khung giờ', params: { en: 'pick a new slot only when moving one slot' } });
  });

export const SettingsBody = z.object({
  slotMinutes: z.union(SLOT_MINUTES_CHOICES.map((n) => z.literal(n)) as unknown as [z.ZodLiteral<number>, z.ZodLiteral<number>], {
    error: `độ dài khung giờ phải là một trong: ${SLOT_MINUTES_CHOICES.join(', ')} phút`,
  }),
  capacity: z.int({ error: required('thiếu số người mỗi khung giờ', 'số người mỗi khung giờ phải là số nguyên') }).min(1, { error: 'ít nhất 1 người' }).max(MAX_CAPACITY, { error: `tối đa ${MAX_CAPACITY} người` }),
  offersVn: z.boolean({ error: 'phải là có hoặc không (true/false)' }),
  offersForeign: z.boolean({ error: 'phải là có hoặc không (true/false)' }),
});

export const PaperTypesBody = z.object({
  names: z
    .array(z.string().trim().min(1, { error: 'tên loại giấy tờ không được để trống' }).max(200, { error: 'tên loại giấy tờ dài tối đa 200 ký tự' }), { error: 'danh sách loại giấy tờ phải là một mảng' })
    .min(1, { error: 'cần ít nhất một loại giấy tờ' })
    .max(100, { error: 'tối đa 100 loại giấy tờ' }),
});
