/**
 * Step 3, the leader's review: the scan beside the originals' list, then the digital signature —
 * or the case goes back to the receiving officer with a reason.
 */
import { Button, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { actOn } from './caseActions';
import { useCaseAction } from './caseLock';
import type { CaseView } from './types';

export function SignPanel(props: { view: CaseView; viaDelegation: boolean; onView(view: CaseView): void; onReturn(): void; onFailed(err: unknown): void }) {
  const { t } = useI18n();
  const { running, locked, problem, run } = useCaseAction();
  const sign = () => run('sign', async () => props.onView(await actOn(props.view.caseCode, 'sign')), props.onFailed);
  return (
    <section className="card cs-actions-card" aria-label={t('Xem xét và ký số', 'Review and sign')}>
      <h2>{t('Xem xét và ký số', 'Review and sign')}</h2>
      <p>
        {t(
          'Đối chiếu bản quét bên cạnh với danh sách bản chính. Khi ký, hệ thống lập bản sao có lời chứng và ký bằng chứng thư số của anh/chị.',
          'Compare the scan with the originals listed. Signing renders the copy with its certification page and signs it with your certificate.',
        )}
      </p>
      {props.viaDelegation ? <div className="notice">{t('Anh/chị ký theo ủy quyền ký của lãnh đạo.', 'You sign under a leader’s delegation.')}</div> : null}
      <div className="cs-action-row">
        <Button busy={running === 'sign'} disabled={locked} onClick={() => void sign()}>
          {t('Ký số bản sao', 'Sign the copy')}
        </Button>
        <Button kind="secondary" disabled={locked} onClick={props.onReturn}>
          {t('Trả lại cán bộ tiếp nhận…', 'Return to the officer…')}
        </Button>
      </div>
      <Problem problem={problem} />
    </section>
  );
}

/** What the signature left on the case, for the seal and for the record. */
export function SignatureFacts({ view }: { view: CaseView }) {
  const { t } = useI18n();
  const s = view.signature;
  if (!s) return null;
  return (
    <section className="card" aria-label={t('Chữ ký số của lãnh đạo', 'Leader’s signature')}>
      <h2>{t('Bản sao đã ký số', 'Signed copy')}</h2>
      <dl className="cs-facts">
        <dt>{t('Người ký', 'Signed by')}</dt>
        <dd data-testid="signed-by">{s.signedBy.fullName}</dd>
        <dt>{t('Thời điểm ký', 'Signed at')}</dt>
        <dd>{dateTime(s.signedAt)}</dd>
        <dt>{t('Số sê-ri chứng thư số', 'Certificate serial')}</dt>
        <dd className="mono">{s.certificateSerial}</dd>
        <dt>SHA-256</dt>
        <dd className="mono cs-small">{s.sha256}</dd>
      </dl>
    </section>
  );
}
