/** The papers of a case to print or keep: the reception receipt, the certified copy, slips and notices. */
import { useState } from 'react';
import { Button, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { downloadFile } from './authorizedFiles';
import type { CaseDocument, CaseView } from './types';

const KIND: Record<string, readonly [string, string]> = {
  certified_copy: ['Bản sao chứng thực', 'Certified copy'],
  reception_receipt: ['Giấy tiếp nhận', 'Reception receipt'],
  apology_slip: ['Phiếu xin lỗi và hẹn lại', 'Apology slip'],
  refusal_notice: ['Thông báo từ chối', 'Refusal notice'],
};

export function Papers(props: { view: CaseView; documents: CaseDocument[] }) {
  const { t } = useI18n();
  const [problem, setProblem] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const code = props.view.caseCode;
  async function save(key: string, path: string, filename: string) {
    setBusy(key);
    setProblem(null);
    try {
      await downloadFile(path, filename);
    } catch (err) {
      setProblem(err);
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="card" aria-label={t('Giấy tờ của hồ sơ', 'Papers')}>
      <h2>{t('Giấy tờ', 'Papers')}</h2>
      <ul className="cs-papers">
        <li>
          <Button kind="secondary" busy={busy === 'receipt'} onClick={() => void save('receipt', `/api/cases/${encodeURIComponent(code)}/reception-receipt`, `${code}-giay-tiep-nhan.pdf`)}>
            {t('Tải giấy tiếp nhận và hẹn trả kết quả (PDF)', 'Download the reception receipt (PDF)')}
          </Button>
        </li>
        {props.documents.map((d) => (
          <li key={d.id}>
            <Button kind={d.kind === 'certified_copy' ? 'primary' : 'secondary'} busy={busy === d.id} onClick={() => void save(d.id, `/api/documents/${d.id}`, d.fileName)}>
              {t('Tải', 'Download')} {KIND[d.kind] ? t(KIND[d.kind][0], KIND[d.kind][1]).toLowerCase() : d.title} (PDF)
            </Button>
            <span className="cs-muted">
              {' '}
              {d.title} — {dateTime(d.createdAt)}
            </span>
          </li>
        ))}
      </ul>
      <Problem problem={problem} />
    </section>
  );
}
