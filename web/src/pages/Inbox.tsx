/**
 * The officer's task inbox: cases waiting for one of his rights in his units, the most urgent
 * first, each with the office time left in its commune's calendar; cases past 75% of their step's
 * time are marked at risk, cases past a deadline overdue.
 */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { Button, Page, Problem } from '../components/ui';
import { dateTime, duration } from '../format';
import { useI18n } from '../i18n';
import { useOfficer } from '../officer';
import { go } from '../router';
import { label, RIGHT, STEP } from './cases/labels';
import type { CaseStepName } from './cases/types';

interface InboxItem {
  caseCode: string;
  citizenName: string;
  unit: { name: string };
  step: CaseStepName | null;
  status: string;
  stepDueAt: string | null;
  overallDueAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  waitingFor: string;
  viaDelegation: boolean;
  remainingWorkingMinutes: number;
  atRisk: boolean;
}

export function Inbox() {
  const { t, lang } = useI18n();
  const { has } = useOfficer();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: InboxItem[] }>('GET', '/api/inbox?pageSize=100')
      .then((r) => setItems(r.items))
      .catch(setProblem);
  }, []);

  const remaining = (c: InboxItem) =>
    c.overdue || c.remainingWorkingMinutes < 0
      ? t(`quá hạn ${duration(-c.remainingWorkingMinutes, lang)} làm việc`, `${duration(-c.remainingWorkingMinutes, lang)} of working time overdue`)
      : t(`còn ${duration(c.remainingWorkingMinutes, lang)} làm việc`, `${duration(c.remainingWorkingMinutes, lang)} of working time left`);

  const atRisk = items?.filter((c) => c.atRisk).length ?? 0;
  const overdue = items?.filter((c) => c.overdue).length ?? 0;
  return (
    <Page
      title={t('Hồ sơ cần xử lý', 'Task inbox')}
      actions={
        has('CERT_CREATE') ? (
          <Button onClick={() => go('receive')} name="new-case">
            {t('+ Tiếp nhận hồ sơ mới', '+ Receive a new case')}
          </Button>
        ) : null
      }
    >
      <Problem problem={problem} />
      {items && items.length === 0 ? <p className="empty">{t('Không có hồ sơ nào đang chờ anh/chị xử lý.', 'Nothing is waiting for you.')}</p> : null}
      {items && items.length > 0 ? (
        <>
          <p className="cs-inbox-summary">
            {t(`${items.length} hồ sơ đang chờ`, items.length === 1 ? "1 case waiting" : `${items.length} cases waiting`)}
            {overdue ? <span className="tag tag-overdue">{t(`${overdue} quá hạn`, `${overdue} overdue`)}</span> : null}
            {atRisk ? <span className="tag tag-at-risk">{t(`${atRisk} sắp hết hạn`, `${atRisk} at risk`)}</span> : null}
          </p>
          <table className="grid" data-testid="inbox">
            <thead>
              <tr>
                <th>{t('Mã hồ sơ', 'Case')}</th>
                <th>{t('Người yêu cầu', 'Citizen')}</th>
                <th>{t('Việc cần làm', 'Task')}</th>
                <th>{t('Đơn vị', 'Unit')}</th>
                <th>{t('Hạn xử lý', 'Due')}</th>
                <th>{t('Thời gian còn lại', 'Time left')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.caseCode} className={c.overdue ? 'overdue' : c.atRisk ? 'at-risk' : ''} onClick={() => go('cases', c.caseCode)}>
                  <td className="mono">
                    <a href={`#/cases/${encodeURIComponent(c.caseCode)}`} onClick={(e) => e.stopPropagation()}>
                      {c.caseCode}
                    </a>
                  </td>
                  <td>{c.citizenName}</td>
                  <td>
                    {label(STEP, c.step, t)}
                    <div className="cs-muted">
                      {label(RIGHT, c.waitingFor, t)}
                      {c.viaDelegation ? t(' (theo ủy quyền)', ' (delegated)') : ''}
                    </div>
                  </td>
                  <td>{c.unit.name}</td>
                  <td>{dateTime(c.dueAt)}</td>
                  <td data-testid="remaining">
                    {remaining(c)}
                    {c.overdue ? <span className="tag tag-overdue">{t('Quá hạn', 'Overdue')}</span> : c.atRisk ? <span className="tag tag-at-risk">{t('Sắp hết hạn', 'At risk')}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Page>
  );
}
