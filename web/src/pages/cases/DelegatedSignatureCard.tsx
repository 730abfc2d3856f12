/**
 * A copy signed under a leader's delegation says so on the case: who signed, on whose behalf, in
 * which legal form (KT. / TUQ.) and with which lines above the signature. Cases signed by a
 * leader himself — and every case signed before delegations were recorded — show nothing here.
 */
import { formLabel, signatureBlockLines } from '../../../../domain/signatureBlock';
import { useI18n } from '../../i18n';
import type { CaseView } from './types';

export function DelegatedSignatureCard({ view }: { view: CaseView }) {
  const { t } = useI18n();
  const s = view.signature;
  const d = s?.delegation;
  if (!s || !d) return null;
  return (
    <section className="card" aria-label={t('Ký theo ủy quyền', 'Signed under a delegation')}>
      <h2>{t('Ký theo ủy quyền', 'Signed under a delegation')}</h2>
      <p data-testid="delegated-by">
        {t(`${s.signedBy.fullName} ký theo ủy quyền của ${d.delegatedBy.fullName}`, `${s.signedBy.fullName} signed on behalf of ${d.delegatedBy.fullName}`)}
      </p>
      <dl className="cs-facts">
        <dt>{t('Hình thức', 'Form')}</dt>
        <dd>
          {formLabel(d)} ({d.form === 'KT' ? t('ký thay', 'signing in the head’s place') : t('thừa ủy quyền', 'by authorisation')})
        </dd>
        <dt>{t('Khối chữ ký', 'Signature block')}</dt>
        <dd>{signatureBlockLines(d).join(' / ')}</dd>
      </dl>
    </section>
  );
}
