/**
 * "Lịch hẹn của tôi" on the portal: the citizen's appointments, the latest first, with their status;
 * a moved one shows its old and new time and the reason the office gave; one not yet begun can be
 * cancelled (a confirmation, an optional reason).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, newKey } from '../../api';
import { Button, Field, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { Dialog } from '../cases/Dialog';
import { procedureShort, slotText, statusClass, statusText, type AppointmentView } from './types';

function CancelDialog({ appointment, onClose, onDone }: { appointment: AppointmentView; onClose(): void; onDone(): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const { busy, problem, run } = useAction({ exclusive: true });
  const key = useRef(newKey());
  const cancel = () =>
    void run(async () => {
      await api('POST', `/api/citizen/appointments/${appointment.code}/cancel`, { as: 'citizen', body: reason.trim() ? { reason } : {}, idempotencyKey: key.current });
      onDone();
    });
  return (
    <Dialog
      title={t(`Hủy lịch hẹn ${appointment.code}?`, `Cancel appointment ${appointment.code}?`)}
      onClose={onClose}
      actions={
        <>
          <Button kind="secondary" onClick={onClose}>
            {t('Không hủy', 'Keep it')}
          </Button>
          <Button kind="danger" busy={busy} onClick={cancel} name="confirm-cancel">
            {t('Hủy lịch hẹn', 'Cancel the appointment')}
          </Button>
        </>
      }
    >
      <p>
        {appointment.unit.name}, {slotText(appointment.slot, t)}. {t('Chỗ của anh/chị sẽ được nhường cho người khác.', 'Your place will be given to someone else.')}
      </p>
      <Field label={t('Lý do hủy (không bắt buộc)', 'Reason (optional)')}>
        <TextInput name="cancelReason" maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <Problem problem={problem} />
    </Dialog>
  );
}

export function MyAppointments() {
  const { t } = useI18n();
  const [list, setList] = useState<AppointmentView[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState<AppointmentView | null>(null);
  const load = useCallback(() => {
    api<{ items: AppointmentView[] }>('GET', '/api/citizen/appointments', { as: 'citizen' })
      .then((r) => setList(r.items))
      .catch(setProblem);
  }, []);
  useEffect(load, [load]);

  return (
    <Page
      title={t('Lịch hẹn của tôi', 'My appointments')}
      actions={
        <a className="btn btn-primary" href="#/portal/book">
          {t('Đặt lịch hẹn mới', 'Book an appointment')}
        </a>
      }
    >
      <Problem problem={problem} />
      {list && list.length === 0 ? <p className="empty">{t('Anh/chị chưa đặt lịch hẹn nào.', 'You have no appointments yet.')}</p> : null}
      {list && list.length > 0 ? (
        <table className="grid static" data-testid="my-appointments">
          <thead>
            <tr>
              <th>{t('Mã lịch hẹn', 'Code')}</th>
              <th>{t('Thời gian hẹn', 'When')}</th>
              <th>{t('Cơ quan', 'Agency')}</th>
              <th>{t('Giấy tờ', 'Paper')}</th>
              <th>{t('Trạng thái', 'Status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((a) => {
              const last = a.reschedules?.at(-1);
              return (
                <tr key={a.code} data-code={a.code}>
                  <td className="mono ap-code">{a.code}</td>
                  <td>
                    <strong>{slotText(a.slot, t)}</strong>
                    {last ? (
                      <p className="ap-moved" data-testid="rescheduled">
                        {t(`Đã dời từ ${slotText(last.from, t)} sang ${slotText(last.to, t)}. Lý do: ${last.reason}`, `Moved from ${slotText(last.from, t)} to ${slotText(last.to, t)}. Reason: ${last.reason}`)}
                      </p>
                    ) : null}
                    {a.needsReschedule && a.status === 'booked' ? (
                      <p className="ap-moved">
                        {t(`Cơ quan sẽ hẹn lại giờ khác: ${a.needsReschedule.reason}`, `The office will give you a new time: ${a.needsReschedule.reason}`)}
                      </p>
                    ) : null}
                  </td>
                  <td>
                    {a.unit.name}
                    <div className="field-hint">{procedureShort(a.procedure, t)}</div>
                  </td>
                  <td>{a.paperType}</td>
                  <td>
                    <span className={statusClass(a)}>{statusText(a, t)}</span>
                    {a.status === 'received' && a.caseCode ? <div className="field-hint">{t(`Hồ sơ ${a.caseCode}`, `Case ${a.caseCode}`)}</div> : null}
                    {a.status === 'cancelled' && a.cancelledAt ? (
                      <div className="field-hint">
                        {dateTime(a.cancelledAt)}
                        {a.cancelReason ? ` — ${a.cancelReason}` : ''}
                      </div>
                    ) : null}
                  </td>
                  <td className="actions">
                    {a.status === 'booked' && Date.parse(a.slot.start) > Date.now() ? (
                      <Button kind="secondary" onClick={() => setCancelling(a)}>
                        {t('Hủy lịch hẹn', 'Cancel')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      {cancelling ? (
        <CancelDialog
          appointment={cancelling}
          onClose={() => setCancelling(null)}
          onDone={() => {
            setCancelling(null);
            load();
          }}
        />
      ) : null}
    </Page>
  );
}
