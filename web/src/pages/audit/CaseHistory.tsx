/**
 * One case's workflow history for an auditor: the timeline (time, who, what, which deadline), the
 * raw history JSON to download, and the replay of the history against the current workflow code.
 */
import { useEffect, useState } from 'react';
import { api, ApiProblem, session } from '../../api';
import { Button, Problem } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import type { CaseTimeline, ReplayAnswer } from './types';

/** dd/mm/yyyy hh:mm, Hà Nội time. */
function stamp(iso: string | undefined): string {
  if (!iso) return '';
  return `${date(iso)} ${dateTime(iso).slice(0, 5)}`;
}

const STATUS: Record<string, [string, string]> = {
  RUNNING: ['đang chạy', 'running'],
  COMPLETED: ['đã kết thúc', 'completed'],
  FAILED: ['thất bại', 'failed'],
  TERMINATED: ['bị dừng cưỡng bức', 'terminated'],
  CANCELLED: ['đã hủy', 'cancelled'],
  TIMED_OUT: ['hết thời gian', 'timed out'],
  CONTINUED_AS_NEW: ['tiếp tục ở lượt chạy mới', 'continued as new'],
};

/** Downloads a file the API sends with the officer's session. */
async function download(path: string, filename: string): Promise<void> {
  const token = session.officer;
  const res = await fetch(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string; messageEn: string } };
    throw new ApiProblem(res.status, body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `Lỗi ${res.status}`, body.error?.messageEn ?? `Error ${res.status}`, undefined);
  }
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function CaseHistory({ code, onProblem }: { code: string; onProblem(problem: unknown): void }) {
  const { t } = useI18n();
  const [timeline, setTimeline] = useState<CaseTimeline | null>(null);
  const [technical, setTechnical] = useState(false);
  const [verdict, setVerdict] = useState<ReplayAnswer | null>(null);
  const replay = useAction();
  const exporting = useAction();

  useEffect(() => {
    setTimeline(null);
    setVerdict(null);
    onProblem(null);
    api<CaseTimeline>('GET', `/api/audit/cases/${encodeURIComponent(code)}/history`).then(setTimeline, onProblem);
  }, [code, onProblem]);

  if (!timeline) return null;
  const rows = technical ? timeline.entries : timeline.entries.filter((e) => !e.technical);
  const divergentAt = verdict?.divergence?.eventId;
  const status = STATUS[timeline.status] ?? [timeline.status, timeline.status];
  return (
    <section className="card au-case" aria-label={t(`Lịch sử hồ sơ ${code}`, `History of case ${code}`)}>
      <div className="au-row">
        <div>
          <h2 className="au-title">{t(`Lịch sử xử lý hồ sơ ${timeline.caseCode}`, `History of case ${timeline.caseCode}`)}</h2>
          <p className="au-meta">
            {t('Quy trình', 'Workflow')} <span className="mono">{timeline.workflowId}</span> · {t('lượt chạy', 'run')} <span className="mono">{timeline.runId}</span> · {t(status[0], status[1])} ·{' '}
            {t(`${timeline.historyLength} sự kiện`, `${timeline.historyLength} events`)} · {t('bắt đầu', 'started')} {stamp(timeline.startTime)}
            {timeline.closeTime ? ` · ${t('kết thúc', 'closed')} ${stamp(timeline.closeTime)}` : ''}
          </p>
        </div>
        <div className="au-actions">
          <Button kind="secondary" busy={exporting.busy} onClick={() => void exporting.run(() => download(`/api/audit/cases/${encodeURIComponent(code)}/history.json`, `${code}-lich-su-quy-trinh.json`))}>
            {t('Tải lịch sử (JSON)', 'Download history (JSON)')}
          </Button>
          <Button
            busy={replay.busy}
            onClick={() =>
              void replay.run(async () => {
                setVerdict(null);
                setVerdict(await api<ReplayAnswer>('POST', `/api/audit/cases/${encodeURIComponent(code)}/replay`));
              })
            }
          >
            {t('Kiểm tra tái lập', 'Replay check')}
          </Button>
        </div>
      </div>
      <Problem problem={exporting.problem} />
      <Problem problem={replay.problem} />
      {replay.busy ? <p className="notice small">{t('Đang tái lập lịch sử với mã quy trình hiện hành…', 'Replaying the history against the current workflow code…')}</p> : null}
      {verdict ? (
        verdict.deterministic ? (
          <p className="notice au-ok" data-testid="replay-verdict">
            {t(
              'Tái lập thành công: lịch sử khớp hoàn toàn với mã quy trình hiện hành (tất định).',
              'Replay succeeded: the history matches the current workflow code (deterministic).',
            )}
          </p>
        ) : (
          <p className="problem" data-testid="replay-verdict">
            {t('Không tất định: mã quy trình hiện hành lệch khỏi lịch sử', 'Not deterministic: the current workflow code departs from the history')}
            {divergentAt !== undefined ? t(` tại sự kiện #${divergentAt}`, ` at event #${divergentAt}`) : ''} — <span className="mono">{verdict.divergence?.message}</span>
          </p>
        )
      ) : null}
      <label className="au-toggle">
        <input type="checkbox" checked={technical} onChange={(e) => setTechnical(e.target.checked)} /> {t('Hiện cả sự kiện kỹ thuật của máy chủ quy trình', 'Show the engine’s technical events too')}
      </label>
      <table className="grid static au-timeline" aria-label={t('Dòng thời gian', 'Timeline')}>
        <thead>
          <tr>
            <th className="au-time">{t('Thời điểm', 'Time')}</th>
            <th>{t('Người thực hiện', 'Who')}</th>
            <th>{t('Nội dung', 'What')}</th>
            <th className="au-time">{t('Thời hạn', 'Deadline')}</th>
            <th className="cs-num">#</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.eventId} className={`au-${e.kind}${e.technical ? ' au-technical' : ''}${e.eventId === divergentAt ? ' au-divergent' : ''}`}>
              <td className="au-time">{stamp(e.at)}</td>
              <td>{e.actor?.fullName ?? t('Hệ thống', 'System')}</td>
              <td>{t(e.text.vi, e.text.en)}</td>
              <td className="au-time">{stamp(e.deadline)}</td>
              <td className="cs-num mono">{e.eventId}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
