/**
 * Step 4: the number is given by the commune's book and the commune's seal applied in one go; then
 * the certified copy is shown with its number and the link anyone can check it at.
 */
import { Button, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { useAuthorizedFile } from './authorizedFiles';
import { actOn } from './caseActions';
import { useCaseAction } from './caseLock';
import { FilePreview } from './FilePreview';
import type { CaseDocument, CaseScreenView, CaseView } from './types';

export function SealPanel(props: { view: CaseView; onView(view: CaseView): void; onFailed(err: unknown): void }) {
  const { t } = useI18n();
  const { running, locked, problem, run } = useCaseAction();
  const seal = () => run('seal', async () => props.onView(await actOn(props.view.caseCode, 'seal')), props.onFailed);
  return (
    <section className="card cs-actions-card" aria-label={t('Cấp số và đóng dấu', 'Number and seal')}>
      <h2>{t('Cấp số chứng thực và đóng dấu số', 'Certification number and seal')}</h2>
      <p>
        {t(
          'Hệ thống tự cấp số tiếp theo trong sổ chứng thực của xã, ghi số vào bản sao đã ký và đóng dấu số của UBND xã; sau đó bản sao được gửi cho công dân.',
          'The next number of the commune’s book is assigned, written into the signed copy and sealed with the commune’s seal; the copy is then delivered.',
        )}
      </p>
      <Button busy={running === 'seal'} disabled={locked} onClick={() => void seal()}>
        {t('Cấp số và đóng dấu', 'Assign the number and seal')}
      </Button>
      <Problem problem={problem} />
    </section>
  );
}

export function ResultPanel(props: { view: CaseScreenView; copy: CaseDocument | undefined }) {
  const { t } = useI18n();
  const { view, copy } = props;
  const { file, problem } = useAuthorizedFile(copy ? `/api/documents/${copy.id}` : null);
  const r = view.result;
  if (!r) return null;
  return (
    <section className="card cs-result" aria-label={t('Kết quả chứng thực', 'Certification result')}>
      <h2>{t('Bản sao điện tử đã chứng thực', 'Certified electronic copy')}</h2>
      <dl className="cs-facts">
        <dt>{t('Số chứng thực', 'Certification number')}</dt>
        <dd className="cs-cert-number" data-testid="certification-number">
          {r.certificationNumber}
        </dd>
        <dt>{t('Sổ', 'Book')}</dt>
        <dd>{r.book}</dd>
        <dt>{t('Đóng dấu', 'Sealed')}</dt>
        <dd>
          {dateTime(r.sealedAt)} — {r.sealedBy.fullName}
        </dd>
        <dt>{t('Người ký', 'Signed by')}</dt>
        <dd>{view.signature?.signedBy.fullName ?? '—'}</dd>
        {view.verifyUrl ? (
          <>
            <dt>{t('Kiểm tra bản sao', 'Verification')}</dt>
            <dd>
              <a href={view.verifyUrl} target="_blank" rel="noreferrer" data-testid="verify-link">
                {view.verifyUrl}
              </a>
            </dd>
          </>
        ) : null}
      </dl>
      <Problem problem={problem} />
      {file ? (
        <FilePreview url={file.url} mimeType="application/pdf" title={t(`Bản sao chứng thực số ${r.certificationNumber}`, `Certified copy no. ${r.certificationNumber}`)} height={560} />
      ) : !copy ? (
        <p className="cs-muted" role="status">
          {t('Đang hoàn tất và gửi bản sao…', 'Finishing and delivering the copy…')}
        </p>
      ) : null}
    </section>
  );
}
