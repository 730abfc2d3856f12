/**
 * Moving appointments at the desk (seed 001 part II: "nêu rõ thời gian hẹn lại và lý do dời hẹn"):
 * one appointment to a free slot of a chosen day, or every booked appointment of a slot or of a
 * whole day to another day (or slot); the reason is told to each citizen by SMS and on the portal.
 */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { Button, Field, Problem, Select, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date as dmy } from '../../format';
import { useI18n } from '../../i18n';
import { Dialog } from '../cases/Dialog';
import { place } from '../portal/problemAt';
import { SlotPicker } from './SlotPicker';
import { nextWeekday, slotText, timeRange, type AppointmentView, type DaySlot } from './types';

export interface Schedule {
  unit: { id: string; code: string; name: string };
  date: string;
  slotMinutes: number;
  capacity: number;
  slots: Array<DaySlot & { appointments: AppointmentView[] }>;
  outside: AppointmentView[];
}

/** The slots of a unit's day with their free places, as the schedule gives them. */
function useDaySlots(unitId: string, day: string): { capacity: number; slots: DaySlot[] } | null {
  const [slots, setSlots] = useState<{ capacity: number; slots: DaySlot[] } | null>(null);
  useEffect(() => {
    setSlots(null);
    if (!unitId || !day) return;
    let current = true;
    api<Schedule>('GET', `/api/appointments/schedule?unitId=${unitId}&date=${day}`)
      .then((s) => current && setSlots(s))
      .catch(() => current && setSlots({ capacity: 0, slots: [] }));
    return () => {
      current = false;
    };
  }, [unitId, day]);
  return slots;
}

function ReasonField({ value, onChange, error }: { value: string; onChange(v: string): void; error?: string }) {
  const { t } = useI18n();
  return (
    <Field label={t('Lý do dời lịch', 'Reason')} required error={error} hint={t('Lý do được gửi cho công dân qua tin nhắn và trên cổng dịch vụ công.', 'The citizen is told this reason by SMS and on the portal.')}>
      <TextInput name="reason" maxLength={1000} value={value} onChange={(e) => onChange(e.target.value)} />
    </Field>
  );
}

export function RescheduleDialog({ appointment, unitId, onClose, onDone }: { appointment: AppointmentView; unitId: string; onClose(): void; onDone(view: AppointmentView): void }) {
  const { t } = useI18n();
  const [day, setDay] = useState(() => nextWeekday(appointment.slot.start.slice(0, 10)));
  const [slotStart, setSlotStart] = useState('');
  const [reason, setReason] = useState('');
  const slots = useDaySlots(unitId, day);
  const { busy, problem, run } = useAction({ exclusive: true });
  const where = place(problem, ['slotStart', 'reason'], t, { SLOT_FULL: 'slotStart' });
  useEffect(() => setSlotStart(''), [day]);
  const save = () =>
    void run(async () => {
      onDone(await api<AppointmentView>('POST', `/api/appointments/${appointment.code}/reschedule`, { body: { slotStart, reason } }));
    });
  return (
    <Dialog
      title={t(`Dời lịch hẹn ${appointment.code}`, `Reschedule ${appointment.code}`)}
      onClose={onClose}
      actions={
        <>
          <Button kind="secondary" onClick={onClose}>
            {t('Đóng', 'Close')}
          </Button>
          <Button busy={busy} disabled={!slotStart} onClick={save} name="confirm-reschedule">
            {t('Dời lịch hẹn', 'Reschedule')}
          </Button>
        </>
      }
    >
      <p>
        {appointment.citizen?.fullName ?? ''} — {appointment.paperType}. {t('Giờ hẹn hiện tại: ', 'Now: ')}
        <strong>{slotText(appointment.slot, t)}</strong>
      </p>
      <Field label={t('Ngày hẹn mới', 'New day')} required>
        <DateInput name="newDay" aria-label={t('Ngày hẹn mới', 'New day')} value={day} onChange={setDay} />
      </Field>
      <div className={`field${where.at('slotStart') ? ' has-error' : ''}`}>
        <span className="field-label">
          {t('Giờ hẹn mới', 'New time')}
          <span className="required"> *</span>
        </span>
        {slots ? <SlotPicker slots={slots.slots} capacity={slots.capacity} value={slotStart} onChange={setSlotStart} /> : null}
        {where.at('slotStart') ? (
          <span className="field-error" role="alert">
            {where.at('slotStart')}
          </span>
        ) : null}
      </div>
      <ReasonField value={reason} onChange={setReason} error={where.at('reason')} />
      <Problem problem={where.banner} />
    </Dialog>
  );
}

interface BulkResult {
  moved: string[];
  failed: Array<{ code: string; error: string; message: string }>;
}

/** Every booked appointment of `slot` (or of the whole day when none) moved at once. */
export function BulkRescheduleDialog({ schedule, slot, onClose, onDone }: { schedule: Schedule; slot?: DaySlot & { appointments: AppointmentView[] }; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const [toDate, setToDate] = useState(() => nextWeekday(schedule.date));
  const [toSlotStart, setToSlotStart] = useState('');
  const [reason, setReason] = useState('');
  const [result, setResult] = useState<BulkResult | null>(null);
  const target = useDaySlots(schedule.unit.id, toDate);
  const { busy, problem, run } = useAction({ exclusive: true });
  const where = place(problem, ['toDate', 'toSlotStart', 'reason'], t);
  useEffect(() => setToSlotStart(''), [toDate]);
  const count = slot ? slot.appointments.filter((a) => a.status === 'booked').length : schedule.slots.reduce((n, s) => n + s.appointments.filter((a) => a.status === 'booked').length, 0) + schedule.outside.filter((a) => a.status === 'booked').length;
  const save = () =>
    void run(async () => {
      const body = { unitId: schedule.unit.id, date: schedule.date, toDate, reason, ...(slot ? { slotStart: slot.start, ...(toSlotStart ? { toSlotStart } : {}) } : {}) };
      setResult(await api<BulkResult>('POST', '/api/appointments/reschedule', { body }));
      onDone();
    });
  return (
    <Dialog
      title={slot ? t(`Dời cả khung giờ ${timeRange(slot)} ngày ${dmy(schedule.date)}`, `Move the slot ${timeRange(slot)} of ${dmy(schedule.date)}`) : t(`Dời cả ngày ${dmy(schedule.date)}`, `Move the whole day ${dmy(schedule.date)}`)}
      onClose={onClose}
      actions={
        <>
          <Button kind="secondary" onClick={onClose}>
            {t('Đóng', 'Close')}
          </Button>
          {result ? null : (
            <Button busy={busy} onClick={save} name="confirm-bulk" disabled={count === 0}>
              {t(`Dời ${count} lịch hẹn`, `Move ${count} appointments`)}
            </Button>
          )}
        </>
      }
    >
      {result ? (
        <div data-testid="bulk-result">
          <p className="notice success">{t(`Đã dời ${result.moved.length} lịch hẹn: ${result.moved.join(', ') || '—'}`, `Moved ${result.moved.length}: ${result.moved.join(', ') || '—'}`)}</p>
          {result.failed.length > 0 ? (
            <div className="problem" role="alert">
              {t(`Không dời được ${result.failed.length} lịch hẹn:`, `${result.failed.length} could not be moved:`)}
              <ul className="plain-list">
                {result.failed.map((f) => (
                  <li key={f.code}>
                    <span className="mono">{f.code}</span>: {f.message}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : (
        <>
          <p>
            {t(
              `${count} lịch hẹn chưa đến quầy sẽ được dời; mỗi công dân nhận một tin nhắn và một thông báo. ${slot ? 'Không chọn giờ mới thì giữ nguyên giờ, sang ngày mới.' : 'Mỗi lịch hẹn giữ nguyên giờ, sang ngày mới.'}`,
              `${count} booked appointments will be moved; each citizen is told once. ${slot ? 'Without a new time they keep their time on the new day.' : 'Each keeps its time on the new day.'}`,
            )}
          </p>
          <Field label={t('Ngày hẹn mới', 'New day')} required error={where.at('toDate')}>
            <DateInput name="toDate" aria-label={t('Ngày hẹn mới', 'New day')} value={toDate} onChange={setToDate} />
          </Field>
          {slot ? (
            <Field label={t('Giờ hẹn mới (không bắt buộc)', 'New time (optional)')} error={where.at('toSlotStart')}>
              <Select name="toSlotStart" value={toSlotStart} onChange={(e) => setToSlotStart(e.target.value)}>
                <option value="">{t('Giữ nguyên giờ', 'Same time')}</option>
                {target?.slots.map((s) => (
                  <option key={s.start} value={s.start}>
                    {timeRange(s)} — {t(`còn ${s.free} chỗ`, `${s.free} free`)}
                  </option>
                ))}
              </Select>
            </Field>
          ) : null}
          <ReasonField value={reason} onChange={setReason} error={where.at('reason')} />
          <Problem problem={where.banner} />
        </>
      )}
    </Dialog>
  );
}
