/** The officer's task inbox: cases waiting for one of his rights in his units, the most urgent first. */
import { useEffect, useState } from 'react';
import { api } from '../api';
import { Page, Problem } from '../components/ui';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { go } from '../router';

interface InboxItem {
  caseCode: string;
  citizenName: string;
  unit: { name: string };
  step: string;
  status: string;
  stepDueAt: string | null;
  overallDueAt: string | null;
  dueAt: string | null;
  overdue: boolean;
  waitingFor: string;
}

export function Inbox() {
  const { t } = useI18n();
  const [items, setItems] = useState<InboxItem[] | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  useEffect(() => {
    api<{ items: InboxItem[] }>('GET', '/api/inbox?pageSize=100')
      .then((r) => setItems(r.items))
      .catch(setProblem);
  }, []);
  return (
    <Page title={t('Hồ sơ cần xử lý', 'Task inbox')}>
      <Problem problem={problem} />
      {items && items.length === 0 ? <p className="empty">{t('Không có hồ sơ nào đang chờ anh/chị xử lý.', 'Nothing is waiting for you.')}</p> : null}
      {items && items.length > 0 ? (
        <table className="grid" data-testid="inbox">
          <thead>
            <tr>
              <th>{t('Mã hồ sơ', 'Case')}</th>
              <th>{t('Người yêu cầu', 'Citizen')}</th>
              <th>{t('Bước', 'Step')}</th>
              <th>{t('Hạn xử lý', 'Due')}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.caseCode} className={c.overdue ? 'overdue' : ''} onClick={() => go('cases', c.caseCode)}>
                <td className="mono">{c.caseCode}</td>
                <td>{c.citizenName}</td>
                <td>{c.step}</td>
                <td>{dateTime(c.dueAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </Page>
  );
}
