/**
 * "Lịch hẹn" at the desk: a unit's day — each slot with the places taken and the appointments in
 * it — and the appointments whose time the office's calendar closed after booking, to move first.
 * The receiving officer checks a citizen in, moves one appointment, a slot or the whole day, opens
 * the reception form from a checked-in appointment, and looks an appointment up by its code.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { todayInHanoi } from '../../components/dates';
import { Button, Field, Page, Problem, TextInput, UnitSelect } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date as dmy, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { go } from '../../router';
import { BulkRescheduleDialog, RescheduleDialog, type Schedule } from './RescheduleDialogs';
import { CODE_PATTERN, procedureShort, slotText, statusClass, statusText, timeRange, type AppointmentView } from './types';

/** One appointment's line: who, what, its status and what the desk can do with it. */
function AppointmentLine({ a, canAct, onCheckIn, onReschedule, busy }: { a: AppointmentView; canAct: boolean; onCheckIn(): void; onReschedule(): void; busy: boolean }) {
  const { t } = useI18n();
  const last = a.reschedules?.at(-1);
  return (
    <li data-code={a.code}>
      <span className="mono">{a.code}</span>
      <strong>{a.citizen?.fullName ?? '—'}</strong>
      <span>{a.paperType}</span>
      <span className={statusClass(a)}>{statusText(a, t)}</span>
      {a.needsReschedule && a.status === 'booked' ? <span className="field-error">{a.needsReschedule.reason}</span> : null}
      {last ? <span className="field-hint">{t(`dời từ ${slotText(last.from, t)}`, `moved from ${slotText(last.from, t)}`)}</span> : null}
      {a.status === 'received' && a.caseCode ? (
        <a href={`#/cases/${encodeURIComponent(a.caseCode)}`} className="mono">
          {a.caseCode}
        </a>
      ) : null}
      {canAct ? (
        <span className="page-actions">
          {a.status === 'booked' ? (
            <Button kind="secondary" busy={busy} onClick={onCheckIn} name="check-in">
              {t('Công dân đã đến', 'Check in')}
            </Button>
          ) : null}
          {a.status === 'checked_in' ? (
            <Button onClick={() => go('receive', a.code)} name="receive-from-appointment">
              {t('Tiếp nhận hồ sơ', 'Receive the case')}
            </Button>
          ) : null}
          {a.status === 'booked' ? (
            <Button kind="secondary" onClick={onReschedule} name="reschedule">
              {t('Dời lịch', 'Reschedule')}
            </Button>
          ) : null}
        </span>
      ) : null}
    </li>
  );
}

/** An appointment found by its code, as the citizen reads it out at the desk. */
function Lookup({ canAct, onCheckIn, onReschedule, busy, version }: { canAct: boolean; onCheckIn(a: AppointmentView): void; onReschedule(a: AppointmentView): void; busy: boolean; version: number }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [found, setFound] = useState<AppointmentView | null>(null);
  const { busy: looking, problem, run } = useAction();
  const find = useCallback(
    (c: string) =>
      void run(async () => {
        setFound(null);
        setFound(await api<AppointmentView>('GET', `/api/appointments/${encodeURIComponent(c)}`));
      }),
    [run],
  );
  // After an action on the appointment found, show it as it is now.
  useEffect(() => {
    if (found) find(found.code);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    find(code.trim().toUpperCase());
  };
  const typed = code.trim().toUpperCase();
  return (
    <form className="card" onSubmit={submit} noValidate>
      <div className="ap-lookup">
        <Field label={t('Tìm theo mã lịch hẹn', 'Find by appointment code')} error={problem ? undefined : typed && !CODE_PATTERN.test(typed) && typed.length >= 16 ? t('Mã lịch hẹn có dạng LH-261124-7K3Q9X', 'A code looks like LH-261124-7K3Q9X') : undefined}>
          <TextInput name="lookupCode" placeholder="LH-261124-7K3Q9X" maxLength={16} value={code} onChange={(e) => setCode(e.target.value)} />
        </Field>
        <Button type="submit" kind="secondary" busy={looking} disabled={!CODE_PATTERN.test(typed)} name="lookup">
          {t('Tìm', 'Find')}
        </Button>
      </div>
      <Problem problem={problem} />
      {found ? (
        <div data-testid="lookup-result">
          <p>
            {found.unit.name}, {slotText(found.slot, t)} — {procedureShort(found.procedure, t)}
            {found.citizen ? `, ${t('CCCD', 'ID')} ${found.citizen.idNumber}` : ''}
          </p>
          <ul className="ap-list">
            <AppointmentLine a={found} canAct={canAct} busy={busy} onCheckIn={() => onCheckIn(found)} onReschedule={() => onReschedule(found)} />
          </ul>
        </div>
      ) : null}
    </form>
  );
}

export function AppointmentSchedule() {
  const { t } = useI18n();
  const { officer, has } = useOfficer();
  // Appointments are booked with a commune, a district's Justice office or a province.
  const own = (officer?.units ?? []).filter((u) => u.level !== 'office');
  const units = own.length > 0 ? own : (officer?.units ?? []);
  const [unitId, setUnitId] = useState(units[0]?.id ?? '');
  const [day, setDay] = useState(todayInHanoi);
  const [schedule, setSchedule] = useState<Schedule | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [moving, setMoving] = useState<{ appointment: AppointmentView } | { slot?: Schedule['slots'][number] } | null>(null);
  const [notice, setNotice] = useState('');
  const action = useAction({ exclusive: true });
  const canAct = has('CERT_CREATE');

  useEffect(() => {
    if (!unitId || !day) return;
    // An answer for a day or unit no longer chosen is dropped.
    let current = true;
    api<Schedule>('GET', `/api/appointments/schedule?unitId=${unitId}&date=${day}`)
      .then((s) => {
        if (!current) return;
        setSchedule(s);
        setProblem(null);
      })
      .catch((err) => current && setProblem(err));
    return () => {
      current = false;
    };
  }, [unitId, day, version]);
  const reload = () => setVersion((v) => v + 1);

  const checkIn = (a: AppointmentView) =>
    void action.run(async () => {
      await api('POST', `/api/appointments/${a.code}/check-in`, { body: {} });
      setNotice(t(`${a.citizen?.fullName ?? a.code} đã đến quầy.`, `${a.citizen?.fullName ?? a.code} checked in.`));
      reload();
    });
  const line = (a: AppointmentView) => <AppointmentLine key={a.code} a={a} canAct={canAct} busy={action.busy} onCheckIn={() => checkIn(a)} onReschedule={() => setMoving({ appointment: a })} />;
  const booked = schedule ? schedule.slots.some((s) => s.appointments.some((a) => a.status === 'booked')) || schedule.outside.some((a) => a.status === 'booked') : false;

  return (
    <Page
      title={t('Lịch hẹn', 'Appointments')}
      actions={
        canAct && schedule && booked ? (
          <Button kind="secondary" onClick={() => setMoving({})} name="move-day">
            {t('Dời cả ngày', 'Move the whole day')}
          </Button>
        ) : null
      }
    >
      <div className="card row">
        <Field label={t('Đơn vị', 'Unit')}>
          <UnitSelect units={units} value={unitId} onChange={setUnitId} />
        </Field>
        <Field label={t('Ngày', 'Day')}>
          <DateInput name="scheduleDay" aria-label={t('Ngày', 'Day')} value={day} onChange={setDay} />
        </Field>
      </div>
      {schedule && schedule.unit.id !== unitId ? <p className="field-hint">{t(`Lịch hẹn của ${schedule.unit.name}, nơi công dân đặt lịch.`, `The appointments of ${schedule.unit.name}, where citizens book.`)}</p> : null}
      <Lookup canAct={canAct} busy={action.busy} version={version} onCheckIn={checkIn} onReschedule={(a) => setMoving({ appointment: a })} />
      {notice ? (
        <p className="notice success" role="status">
          {notice}
        </p>
      ) : null}
      <Problem problem={problem ?? action.problem} />
      {schedule && schedule.outside.length > 0 ? (
        <section className="card ap-outside" data-testid="outside">
          <h2 className="section-title">{t('Lịch hẹn cần dời (giờ hẹn không còn là giờ làm việc)', 'To reschedule (the time is no longer open)')}</h2>
          <p className="field-hint">{t('Lịch làm việc của đơn vị đã thay đổi sau khi công dân đặt lịch: hãy dời các lịch hẹn này và ghi rõ lý do.', 'The unit’s calendar changed after these were booked: move them and give the reason.')}</p>
          <ul className="ap-list">
            {schedule.outside.map((a) => (
              <AppointmentLine key={a.code} a={{ ...a, needsReschedule: a.needsReschedule ?? (a.status === 'booked' ? { reason: t(`hẹn lúc ${dateTime(a.slot.start)}`, `at ${dateTime(a.slot.start)}`), at: '' } : undefined) }} canAct={canAct} busy={action.busy} onCheckIn={() => checkIn(a)} onReschedule={() => setMoving({ appointment: a })} />
            ))}
          </ul>
        </section>
      ) : null}
      {schedule ? (
        schedule.slots.length === 0 ? (
          <p className="empty">{t(`Ngày ${dmy(schedule.date)} đơn vị không làm việc.`, `The unit is closed on ${dmy(schedule.date)}.`)}</p>
        ) : (
          <table className="grid static ap-schedule" data-testid="schedule">
            <thead>
              <tr>
                <th>{t('Khung giờ', 'Slot')}</th>
                <th>{t('Đã đặt', 'Taken')}</th>
                <th>{t('Lịch hẹn', 'Appointments')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {schedule.slots.map((s) => (
                <tr key={s.start} data-slot={timeRange(s)}>
                  <td className="ap-time">{timeRange(s)}</td>
                  <td className="ap-room">
                    {s.booked}/{schedule.capacity}
                  </td>
                  <td>{s.appointments.length > 0 ? <ul className="ap-list">{s.appointments.map(line)}</ul> : <span className="cs-muted">—</span>}</td>
                  <td className="actions">
                    {canAct && s.appointments.some((a) => a.status === 'booked') ? (
                      <button type="button" className="link-button" onClick={() => setMoving({ slot: s })}>
                        {t('Dời cả khung giờ', 'Move the slot')}
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      ) : null}
      {moving && 'appointment' in moving ? (
        <RescheduleDialog
          appointment={moving.appointment}
          unitId={moving.appointment.unit.id ?? unitId}
          onClose={() => setMoving(null)}
          onDone={(view) => {
            setMoving(null);
            setNotice(t(`Đã dời lịch hẹn ${view.code} sang ${slotText(view.slot, t)}; công dân đã được báo.`, `${view.code} moved to ${slotText(view.slot, t)}; the citizen was told.`));
            reload();
          }}
        />
      ) : null}
      {moving && !('appointment' in moving) && schedule ? <BulkRescheduleDialog schedule={schedule} slot={moving.slot} onClose={() => setMoving(null)} onDone={reload} /> : null}
    </Page>
  );
}
