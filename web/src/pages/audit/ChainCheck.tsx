/** The audit trail's hash chain, recomputed by the server on demand (GET /api/audit/verify). */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Problem } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import type { ChainAnswer } from './types';

const REASONS: Record<string, [string, string]> = {
  'hash-mismatch': ['nội dung bản ghi không khớp mã băm', 'the entry does not match its hash'],
  'prev-hash-mismatch': ['liên kết tới bản ghi trước bị sai', 'the link to the previous entry is wrong'],
  gap: ['thiếu bản ghi', 'an entry is missing'],
};

export function ChainCheck() {
  const { t } = useI18n();
  const [report, setReport] = useState<ChainAnswer | null>(null);
  const { busy, problem, run } = useAction();
  const check = useCallback(() => run(async () => setReport(await api<ChainAnswer>('GET', '/api/audit/verify'))), [run]);
  useEffect(() => {
    void check();
  }, [check]);
  const reason = (code: string) => REASONS[code] ?? [code, code];
  return (
    <section className="card au-chain" aria-labelledby="au-chain-title">
      <div className="au-row">
        <h2 id="au-chain-title" className="au-title">
          {t('Toàn vẹn nhật ký hệ thống', 'Audit trail integrity')}
        </h2>
        <Button kind="secondary" busy={busy} onClick={() => void check()}>
          {t('Kiểm tra lại', 'Check again')}
        </Button>
      </div>
      <Problem problem={problem} />
      {report ? (
        report.ok ? (
          <p className="notice au-ok" data-testid="chain-result">
            {t(`Chuỗi mã băm toàn vẹn: ${report.entries} bản ghi, không bản ghi nào bị sửa, chèn hay xóa.`, `Hash chain intact: ${report.entries} entries, none altered, inserted or deleted.`)}
          </p>
        ) : (
          <div className="problem" data-testid="chain-result">
            <p>
              {t(
                `Nhật ký đã bị sửa đổi: ${report.breakCount} chỗ hỏng trong ${report.entries} bản ghi.`,
                `The trail was altered: ${report.breakCount} broken link(s) in ${report.entries} entries.`,
              )}
            </p>
            <ul data-testid="chain-breaks">
              {report.breaks.map((b) => (
                <li key={`${b.seq}-${b.reason}`}>
                  {t(`Bản ghi số ${b.seq}${b.toSeq && b.toSeq !== b.seq ? ` đến ${b.toSeq}` : ''}: ${reason(b.reason)[0]}`, `Entry ${b.seq}${b.toSeq && b.toSeq !== b.seq ? ` to ${b.toSeq}` : ''}: ${reason(b.reason)[1]}`)}
                </li>
              ))}
            </ul>
          </div>
        )
      ) : null}
    </section>
  );
}
