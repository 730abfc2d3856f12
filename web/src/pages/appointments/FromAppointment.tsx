/**
 * "Nhận từ lịch hẹn" on the reception form (step 2 from an appointment, SPEC A and D): the officer
 * types the code the citizen reads out, or picks one of the unit's appointments of today; the
 * appointment's citizen and paper type fill the form, and the case is received carrying its code.
 */
import { useEffect, useState } from 'react';
import { api, ApiProblem } from '../../api';
import { todayInHanoi } from '../../components/dates';
import { Button, Field, Select, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n';
import type { Schedule } from './RescheduleDialogs';
import { CODE_PATTERN, slotText, statusText, timeRange, type AppointmentView } from './types';

export function FromAppointment(props: { unitId: string; initialCode?: string; chosen: AppointmentView | null; onChosen(view: AppointmentView | null): void; error?: string }) {
  const { t } = useI18n();
  const { unitId, onChosen } = props;
  const [code, setCode] = useState(props.initialCode ?? '');
  const [today, setToday] = useState<AppointmentView[]>([]);
  const [problem, setProblem] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setToday([]);
    if (!unitId) return;
    api<Schedule>('GET', `/api/appointments/schedule?unitId=${unitId}&date=${todayInHanoi()}`)
      .then((s) => setToday([...s.slots.flatMap((x) => x.appointments), ...s.outside].filter((a) => a.status === 'booked' || a.status === 'checked_in')))
      .catch(() => setToday([]));
  }, [unitId]);

  async function load(c: string) {
    setProblem(undefined);
    setBusy(true);
    try {
      const view = await api<AppointmentView>('GET', `/api/appointments/${encodeURIComponent(c)}`);
      if (view.status !== 'booked' && view.status !== 'checked_in') {
        setProblem(t(`Lịch hẹn ${view.code} đã kết thúc (${statusText(view, t).toLowerCase()}).`, `Appointment ${view.code} has ended (${statusText(view, t).toLowerCase()}).`));
        onChosen(null);
      } else onChosen(view);
    } catch (err) {
      setProblem(err instanceof ApiProblem ? (err.fieldProblem('code') ?? t(err.vi, err.en)) : t('Không đọc được lịch hẹn.', 'The appointment could not be read.'));
      onChosen(null);
    } finally {
      setBusy(false);
    }
  }

  // Opened from the schedule ("Tiếp nhận hồ sơ"): the appointment is loaded at once.
  useEffect(() => {
    if (props.initialCode && CODE_PATTERN.test(props.initialCode)) void load(props.initialCode);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.initialCode]);

  const typed = code.trim().toUpperCase();
  const chosen = props.chosen;
  return (
    <section className="card" data-testid="from-appointment">
      <h2>{t('Nhận từ lịch hẹn', 'From an appointment')}</h2>
      <div className="row">
        <Field label={t('Mã lịch hẹn', 'Appointment code')} error={problem ?? props.error} hint={chosen ? undefined : t('Công dân đã đặt lịch trên cổng dịch vụ công: nhập mã lịch hẹn để điền sẵn thông tin.', 'The citizen booked on the portal: type the code to fill the form.')}>
          <TextInput name="appointmentCode" placeholder="LH-261124-7K3Q9X" maxLength={16} value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        {today.length > 0 ? (
          <Field label={t('Hoặc chọn lịch hẹn hôm nay', 'Or pick one of today')}>
            <Select
              name="todayAppointment"
              value=""
              onChange={(e) => {
                if (!e.target.value) return;
                setCode(e.target.value);
                void load(e.target.value);
              }}
            >
              <option value="">{t(`— ${today.length} lịch hẹn —`, `— ${today.length} appointments —`)}</option>
              {today.map((a) => (
                <option key={a.code} value={a.code}>
                  {timeRange(a.slot)} {a.citizen?.fullName ?? ''} ({a.code}) — {statusText(a, t)}
                </option>
              ))}
            </Select>
          </Field>
        ) : null}
        <div className="field cs-field-button">
          <Button kind="secondary" busy={busy} disabled={!CODE_PATTERN.test(typed)} onClick={() => void load(typed)} name="from-appointment">
            {t('Nhận từ lịch hẹn', 'Fill from the appointment')}
          </Button>
        </div>
      </div>
      {chosen ? (
        <p className="notice success" data-testid="appointment-chosen">
          {t(
            `Đã điền theo lịch hẹn ${chosen.code} (${slotText(chosen.slot, t)}, ${chosen.paperType}). Hồ sơ được ghi nhận theo lịch hẹn này.`,
            `Filled from appointment ${chosen.code} (${slotText(chosen.slot, t)}, ${chosen.paperType}). The case will carry it.`,
          )}{' '}
          <button type="button" className="link-button" onClick={() => onChosen(null)}>
            {t('Bỏ lịch hẹn', 'Drop it')}
          </button>
        </p>
      ) : null}
    </section>
  );
}
