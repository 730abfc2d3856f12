/** How the case went: its steps with their deadlines, and every event in time order. */
import { dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import { CHANNEL, CHANNEL_STATUS, label, OUTCOME, STEP } from './labels';
import type { CaseScreenView } from './types';

export function StepsCard({ view }: { view: CaseScreenView }) {
  const { t } = useI18n();
  return (
    <section className="card">
      <h2>{t('Các bước xử lý', 'Steps')}</h2>
      <table className="grid compact static">
        <thead>
          <tr>
            <th>{t('Bước', 'Step')}</th>
            <th>{t('Bắt đầu', 'Started')}</th>
            <th>{t('Hạn', 'Due')}</th>
            <th>{t('Kết thúc', 'Ended')}</th>
            <th>{t('Người thực hiện', 'By')}</th>
            <th>{t('Kết quả', 'Outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {view.steps.map((s, i) => (
            <tr key={i} className={s.late ? 'overdue' : ''}>
              <td>{label(STEP, s.step, t)}</td>
              <td>{dateTime(s.startedAt)}</td>
              <td>
                {dateTime(s.dueAt)}
                {s.budgetHours ? <span className="cs-muted"> ({s.budgetHours} {t('giờ', 'h')})</span> : null}
              </td>
              <td>{s.endedAt ? dateTime(s.endedAt) : t('đang xử lý', 'open')}</td>
              <td>{s.by?.fullName ?? '—'}</td>
              <td>
                {s.outcome ? label(OUTCOME, s.outcome, t) : '—'}
                {s.reason ? <div className="cs-muted">{s.reason}</div> : null}
                {s.late ? <div>{t('Trễ hạn', 'Late')}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

interface Event {
  at: string;
  text: string;
  kind?: 'warn' | 'bad' | 'good';
}

function eventsOf(view: CaseScreenView, t: (vi: string, en: string) => string): Event[] {
  const events: Event[] = [{ at: view.receivedAt, text: t(`Tiếp nhận hồ sơ — ${view.receivedBy.fullName}`, `Received — ${view.receivedBy.fullName}`) }];
  for (const s of view.steps) {
    // The signature, the seal and the delivery have entries of their own, with what they produced.
    if (s.endedAt && s.outcome && !['signed', 'sealed', 'delivered'].includes(s.outcome)) {
      events.push({ at: s.endedAt, text: `${label(OUTCOME, s.outcome, t)}${s.by ? ` — ${s.by.fullName}` : ''}${s.reason ? `: ${s.reason}` : ''}`, kind: s.outcome === 'returned' ? 'warn' : undefined });
    }
  }
  if (view.scan) {
    events.push({ at: view.scan.attachedAt, text: t(`Đính kèm bản quét (${view.scan.parts.length} tệp) — ${view.scan.attachedBy.fullName}`, `Scan attached (${view.scan.parts.length} files) — ${view.scan.attachedBy.fullName}`) });
  }
  for (const e of view.extensions) {
    events.push({
      at: e.at,
      text: t(`Gia hạn ${e.workingDays} ngày làm việc đến ${dateTime(e.newDueAt)} — ${e.by.fullName}: ${e.reason}`, `Extended by ${e.workingDays} working days to ${dateTime(e.newDueAt)} — ${e.by.fullName}: ${e.reason}`),
    });
    if (e.neededDays) {
      events.push({
        at: e.at,
        kind: 'warn',
        text: t(
          `Các bước cần ${e.neededDays} ngày làm việc; gia hạn thêm cần văn bản thỏa thuận với người yêu cầu.`,
          `The steps need ${e.neededDays} working days; more needs the requester’s written agreement.`,
        ),
      });
    }
  }
  // Views stored before these were kept have none of them.
  for (const c of view.complexChanges ?? []) {
    const reason = c.reason ? `: ${c.reason}` : '';
    events.push({
      at: c.at,
      kind: 'warn',
      text: c.complex
        ? t(`Đánh dấu hồ sơ phức tạp (tiếp nhận 16 giờ) — ${c.by.fullName}${reason}`, `Marked complex (16 hours for reception) — ${c.by.fullName}${reason}`)
        : t(`Bỏ đánh dấu hồ sơ phức tạp (tiếp nhận 4 giờ) — ${c.by.fullName}${reason}`, `No longer complex (4 hours for reception) — ${c.by.fullName}${reason}`),
    });
  }
  for (const c of view.originalsCorrections ?? []) {
    const pages = (d: typeof c.before) => d.documents.map((o) => `${o.type} ${o.pages} tr. × ${o.copies}`).join(', ');
    events.push({
      at: c.at,
      kind: 'warn',
      text: t(
        `Sửa bản chính đã khai — ${c.by.fullName}: ${c.reason}. Trước: ${pages(c.before)} (${vnd(c.before.feeVnd)}); sau: ${pages(c.after)} (${vnd(c.after.feeVnd)})`,
        `Originals corrected — ${c.by.fullName}: ${c.reason}. Before: ${pages(c.before)} (${vnd(c.before.feeVnd)}); after: ${pages(c.after)} (${vnd(c.after.feeVnd)})`,
      ),
    });
  }
  for (const n of view.citizenNotices ?? []) {
    const sent = n.channels.filter((c) => c.status === 'sent').map((c) => c.channel.toUpperCase().replace('PORTAL', t('cổng DVC', 'portal')).replace('EMAIL', 'e-mail'));
    events.push({
      at: n.at,
      text: t(`Đã báo công dân hẹn trả kết quả ${dateTime(n.newAppointmentAt)} (${sent.join(', ') || 'không gửi được'})`, `Citizen told of the appointment ${dateTime(n.newAppointmentAt)} (${sent.join(', ') || 'not sent'})`),
    });
  }
  for (const a of view.warnings) {
    events.push({ at: a.firedAt, kind: 'warn', text: t(`Cảnh báo sắp hết hạn (${label(STEP, a.step, t)}), hạn ${dateTime(a.dueAt)}`, `Deadline warning (${label(STEP, a.step, t)}), due ${dateTime(a.dueAt)}`) });
  }
  for (const a of view.breaches) {
    events.push({ at: a.firedAt, kind: 'bad', text: t(`Quá hạn ${a.scope === 'overall' ? 'trả kết quả' : `bước ${label(STEP, a.step, t)}`} (hạn ${dateTime(a.dueAt)})`, `Overdue ${a.scope === 'overall' ? 'result' : label(STEP, a.step, t)} (due ${dateTime(a.dueAt)})`) });
  }
  // Views stored before ladders existed have no escalations.
  for (const e of view.escalations ?? []) {
    const who = e.recipients.map((r) => r.fullName).join(', ') || t('không có người nhận', 'nobody');
    const what = e.trigger.kind === 'budgetShare' ? t(`${e.trigger.percent}% thời hạn`, `${e.trigger.percent}% of the time`) : t('quá hạn', 'overdue');
    events.push({ at: e.firedAt, kind: 'warn', text: t(`Cảnh báo (${what}, ${e.scope === 'overall' ? 'hạn trả kết quả' : `bước ${label(STEP, e.step, t)}`}) gửi ${who}`, `Escalation (${what}, ${e.scope === 'overall' ? 'overall deadline' : label(STEP, e.step, t)}) to ${who}`) });
  }
  if (view.signature) events.push({ at: view.signature.signedAt, kind: 'good', text: t(`Ký số bản sao — ${view.signature.signedBy.fullName}`, `Copy signed — ${view.signature.signedBy.fullName}`) });
  if (view.result) events.push({ at: view.result.sealedAt, kind: 'good', text: t(`Cấp số ${view.result.certificationNumber} và đóng dấu — ${view.result.sealedBy.fullName}`, `Number ${view.result.certificationNumber} and seal — ${view.result.sealedBy.fullName}`) });
  if (view.refusal) events.push({ at: view.refusal.at, kind: 'bad', text: t(`Từ chối: ${view.refusal.groundText}. ${view.refusal.note}`, `Refused: ${view.refusal.groundText}. ${view.refusal.note}`) });
  if (view.withdrawal) events.push({ at: view.withdrawal.at, kind: 'bad', text: t(`Công dân rút hồ sơ: ${view.withdrawal.reason}`, `Withdrawn: ${view.withdrawal.reason}`) });
  for (const slip of view.apologySlips) events.push({ at: slip.issuedAt, kind: 'warn', text: t(`Phiếu xin lỗi, hẹn lại ${dateTime(slip.newAppointmentAt)}`, `Apology slip, new appointment ${dateTime(slip.newAppointmentAt)}`) });
  if (view.delivery) {
    const channels = view.delivery.channels.map((c) => `${label(CHANNEL, c.channel, t)}: ${label(CHANNEL_STATUS, c.status, t)}`).join('; ');
    events.push({ at: view.delivery.at, kind: 'good', text: t(`Trả kết quả — ${channels}`, `Delivered — ${channels}`) });
  }
  return events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}

export function EventsCard({ view }: { view: CaseScreenView }) {
  const { t } = useI18n();
  return (
    <section className="card">
      <h2>{t('Nhật ký hồ sơ', 'Case events')}</h2>
      <ol className="cs-events">
        {eventsOf(view, t).map((e, i) => (
          <li key={i} className={e.kind ? `cs-event-${e.kind}` : ''}>
            <time>{dateTime(e.at)}</time> {e.text}
          </li>
        ))}
      </ol>
      {view.email ? (
        <p className={view.email.status === 'failed' ? 'cs-late' : 'cs-muted'}>
          {t('Thư điện tử cho công dân', 'E-mail to the citizen')}: {label(CHANNEL_STATUS, view.email.status === 'sent' ? 'delivered' : view.email.status === 'sending' ? 'queued' : 'failed', t)}
          {view.email.attempts > 1 ? t(` (${view.email.attempts} lần gửi)`, ` (${view.email.attempts} attempts)`) : ''}
          {view.email.lastError ? ` — ${view.email.lastError}` : ''}
        </p>
      ) : null}
    </section>
  );
}
