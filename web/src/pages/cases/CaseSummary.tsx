/** What a case is about: the requester, the originals with their fee, and its deadlines. */
import { date, dateTime, vnd } from '../../format';
import { useI18n } from '../../i18n';
import { label, RIGHT, STEP } from './labels';
import type { CaseScreenView } from './types';

export function CitizenCard({ view }: { view: CaseScreenView }) {
  const { t } = useI18n();
  const c = view.citizen;
  return (
    <section className="card">
      <h2>{t('Người yêu cầu', 'Requester')}</h2>
      <dl className="cs-facts">
        <dt>{t('Họ và tên', 'Full name')}</dt>
        <dd>{c.fullName}</dd>
        <dt>{t('Số CCCD', 'ID number')}</dt>
        <dd className="mono">{c.citizenId}</dd>
        <dt>{t('Ngày sinh', 'Date of birth')}</dt>
        <dd>{date(c.birthDate)}</dd>
        <dt>{t('Số điện thoại', 'Phone')}</dt>
        <dd>{c.phone ?? '—'}</dd>
        <dt>{t('Thư điện tử', 'E-mail')}</dt>
        <dd>{c.email ?? '—'}</dd>
        <dt>{t('Tài khoản cổng DVC', 'Portal account')}</dt>
        <dd>{c.portalAccountId ? t('Có — bản sao được gửi vào tài khoản', 'Yes — the copy goes there') : t('Không', 'None')}</dd>
      </dl>
    </section>
  );
}

export function OriginalsCard({ view }: { view: CaseScreenView }) {
  const { t } = useI18n();
  return (
    <section className="card">
      <h2>{t('Bản chính và lệ phí', 'Originals and fee')}</h2>
      <table className="grid compact static">
        <thead>
          <tr>
            <th>{t('Loại giấy tờ', 'Type')}</th>
            <th>{t('Cơ quan cấp', 'Issued by')}</th>
            <th className="cs-num">{t('Trang', 'Pages')}</th>
            <th className="cs-num">{t('Bản sao', 'Copies')}</th>
            <th className="cs-num">{t('Lệ phí', 'Fee')}</th>
          </tr>
        </thead>
        <tbody>
          {view.documents.map((d, i) => (
            <tr key={i}>
              <td>{d.type}</td>
              <td>{d.issuer}</td>
              <td className="cs-num">{d.pages}</td>
              <td className="cs-num">{d.copies}</td>
              <td className="cs-num">{vnd(view.fee.lines.find((l) => l.document === i)?.totalVnd ?? 0)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colSpan={4}>{view.complex ? t('Hồ sơ phức tạp, nhiều giấy tờ', 'Complex or numerous documents') : ''}</td>
            <td className="cs-num">
              <strong data-testid="case-fee">{vnd(view.fee.totalVnd)}</strong>
            </td>
          </tr>
        </tfoot>
      </table>
    </section>
  );
}

export function DeadlinesCard({ view, now }: { view: CaseScreenView; now: number }) {
  const { t } = useI18n();
  const s = view.currentStep;
  const stepLate = s ? Date.parse(s.dueAt) < now : false;
  const stepWarn = s ? !stepLate && Date.parse(s.warnAt) <= now : false;
  const overallLate = !view.closedAt && Date.parse(view.overallDueAt) < now;
  return (
    <section className="card">
      <h2>{t('Thời hạn', 'Deadlines')}</h2>
      <dl className="cs-facts">
        <dt>{t('Tiếp nhận lúc', 'Received')}</dt>
        <dd>
          {dateTime(view.receivedAt)} — {view.receivedBy.fullName}
        </dd>
        <dt>{t('Hạn trả kết quả', 'Result due')}</dt>
        <dd className={overallLate ? 'cs-late' : ''} data-testid="overall-due">
          {dateTime(view.overallDueAt)}
          {view.extensions.length > 0 ? t(` (đã gia hạn ${view.extensions.reduce((n, e) => n + e.workingDays, 0)} ngày)`, ` (extended ${view.extensions.reduce((n, e) => n + e.workingDays, 0)} days)`) : ''}
        </dd>
        {s ? (
          <>
            <dt>{t('Bước hiện tại', 'Current step')}</dt>
            <dd>
              {label(STEP, s.step, t)} ({label(RIGHT, s.right, t)}, {s.budgetHours} {t('giờ làm việc', 'working hours')})
            </dd>
            <dt>{t('Hạn của bước', 'Step due')}</dt>
            <dd className={stepLate ? 'cs-late' : stepWarn ? 'cs-warn' : ''}>
              {dateTime(s.dueAt)}
              {stepLate ? t(' — quá hạn', ' — overdue') : stepWarn ? t(' — sắp hết hạn', ' — at risk') : ''}
            </dd>
          </>
        ) : null}
        {view.closedAt ? (
          <>
            <dt>{t('Kết thúc lúc', 'Closed')}</dt>
            <dd>{dateTime(view.closedAt)}</dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}
