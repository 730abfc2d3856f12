/**
 * A case past its overall deadline owes the citizen an apology and a new appointment (seed 000:
 * "phiếu xin lỗi và hẹn lại ngày trả kết quả"): the slip the workflow issued, to print and hand
 * over, and how the citizen was told (SMS, portal, e-mail) — on top of the case, where the officer
 * who opens a late case sees it first.
 */
import { Button, Problem } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { downloadFile } from './authorizedFiles';
import type { CaseDocument, CaseView } from './types';

const CHANNEL: Record<string, readonly [string, string]> = { sms: ['SMS', 'SMS'], email: ['Thư điện tử', 'E-mail'], portal: ['Cổng dịch vụ công', 'Portal'] };
const STATUS: Record<string, readonly [string, string]> = { sent: ['đã gửi', 'sent'], skipped: ['không gửi', 'not sent'], failed: ['gửi không được', 'failed'] };

export function ApologyCard({ view, documents }: { view: CaseView; documents: CaseDocument[] }) {
  const { t } = useI18n();
  const printing = useAction();
  const slip = view.apologySlips[view.apologySlips.length - 1];
  if (!slip) return null;
  const slips = documents.filter((d) => d.kind === 'apology_slip');
  const paper = slips[slips.length - 1];
  const told = (view.citizenNotices ?? []).filter((n) => n.about === 'apology' && n.newAppointmentAt === slip.newAppointmentAt).pop();
  return (
    <section className="card cs-apology" aria-label={t('Phiếu xin lỗi và hẹn lại', 'Apology slip')}>
      <h2>{t('Quá hạn trả kết quả — phiếu xin lỗi và hẹn lại', 'Overdue — apology slip and new appointment')}</h2>
      <dl className="cs-facts">
        <dt>{t('Hạn đã lỡ', 'Missed deadline')}</dt>
        <dd>{dateTime(slip.missedDueAt)}</dd>
        <dt>{t('Hẹn trả kết quả mới', 'New appointment')}</dt>
        <dd data-testid="new-appointment">
          <strong>{dateTime(slip.newAppointmentAt)}</strong>
        </dd>
        <dt>{t('Đã báo công dân', 'Citizen told')}</dt>
        <dd data-testid="apology-told">
          {told
            ? told.channels.map((c) => `${t(...(CHANNEL[c.channel] ?? [c.channel, c.channel]))}: ${t(...(STATUS[c.status] ?? [c.status, c.status]))}`).join('; ')
            : t('đang gửi…', 'sending…')}
        </dd>
      </dl>
      {paper ? (
        <Button kind="secondary" busy={printing.busy} onClick={() => void printing.run(() => downloadFile(`/api/documents/${paper.id}`, `${view.caseCode}-phieu-xin-loi-hen-lai.pdf`))}>
          {t('In phiếu xin lỗi và hẹn lại (PDF)', 'Print the apology slip (PDF)')}
        </Button>
      ) : null}
      <Problem problem={printing.problem} />
    </section>
  );
}
