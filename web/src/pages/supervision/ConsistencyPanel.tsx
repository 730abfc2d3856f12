/** "Kiểm tra đối soát": compares the dashboard's read model with the workflows and shows what differs, case by case. */
import { useState } from 'react';
import { api } from '../../api';
import { Button, Problem } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import type { ConsistencyReport } from './types';

export function ConsistencyPanel(props: { unitId: string }) {
  const { t } = useI18n();
  const { busy, problem, run } = useAction();
  const [report, setReport] = useState<ConsistencyReport | null>(null);
  const check = () =>
    run(async () => {
      const q = props.unitId ? `?unitId=${encodeURIComponent(props.unitId)}` : '';
      setReport(await api<ConsistencyReport>('GET', `/api/supervision/consistency${q}`));
    });
  const allGood = report && report.mismatches.length === 0 && report.unreachable.length === 0 && report.pending.length === 0;
  return (
    <section className="card sv-section sv-consistency" data-testid="consistency">
      <h2>{t('Đối soát số liệu với hệ thống xử lý hồ sơ', 'Figures checked against the case workflows')}</h2>
      <p className="cs-muted">
        {t(
          'So sánh từng hồ sơ đang xử lý và hồ sơ vừa kết thúc trong ngày qua giữa bảng số liệu và trạng thái của chính luồng xử lý hồ sơ.',
          'Compares every open case, and every case closed in the last day, between the figures and the state of the case’s own workflow.',
        )}
      </p>
      <Button kind="secondary" onClick={() => void check()} busy={busy} name="consistency">
        {t('Kiểm tra đối soát', 'Check consistency')}
      </Button>
      <Problem problem={problem} />
      {report ? (
        <div className="sv-consistency-result" role="status">
          <p className={allGood ? 'sv-ok-text' : 'sv-bad-text'}>
            {allGood
              ? t(`Khớp: ${report.consistent}/${report.checked} hồ sơ đúng với luồng xử lý (lúc ${dateTime(report.checkedAt)}).`, `Consistent: ${report.consistent}/${report.checked} cases agree with their workflows (${dateTime(report.checkedAt)}).`)
              : t(
                  `Đã kiểm tra ${report.checked} hồ sơ: ${report.consistent} khớp, ${report.mismatches.length} sai lệch, ${report.pending.length} đang cập nhật, ${report.unreachable.length} không kiểm tra được.`,
                  `Checked ${report.checked} cases: ${report.consistent} consistent, ${report.mismatches.length} mismatched, ${report.pending.length} being updated, ${report.unreachable.length} could not be checked.`,
                )}
          </p>
          {report.mismatches.length > 0 ? (
            <table className="grid sv-static" data-testid="mismatches">
              <thead>
                <tr>
                  <th>{t('Mã hồ sơ', 'Case')}</th>
                  <th>{t('Trường sai lệch (số liệu ≠ luồng xử lý)', 'Differing fields (figures ≠ workflow)')}</th>
                </tr>
              </thead>
              <tbody>
                {report.mismatches.map((m) => (
                  <tr key={m.caseCode}>
                    <td className="mono">
                      <a href={`#/cases/${encodeURIComponent(m.caseCode)}`}>{m.caseCode}</a>
                    </td>
                    <td>
                      {m.differences.map((d) => (
                        <div key={d} className="mono">
                          {d}
                        </div>
                      ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
          {report.unreachable.map((u) => (
            <p key={u.caseCode} className="cs-muted">
              {u.caseCode}: {u.reason}
            </p>
          ))}
          {report.pending.map((p) => (
            <p key={p.caseCode} className="cs-muted">
              {t(`${p.caseCode}: đang ghi thay đổi mới nhất, kiểm tra lại sau.`, `${p.caseCode}: its latest change is being written; check again later.`)}
            </p>
          ))}
        </div>
      ) : null}
    </section>
  );
}
