/** The citizen's notifications (a copy ready, an appointment moved), newest first; read one or all. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Page, Problem } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';

interface Notification {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  createdAt: string;
  readAt: string | null;
}

export function Notifications({ onChange }: { onChange(): void }) {
  const { t } = useI18n();
  const [list, setList] = useState<{ total: number; unread: number; items: Notification[] } | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const load = useCallback(() => {
    api<{ total: number; unread: number; items: Notification[] }>('GET', '/api/citizen/notifications?pageSize=100', { as: 'citizen' })
      .then(setList)
      .catch(setProblem);
  }, []);
  useEffect(load, [load]);

  async function act(path: string) {
    setProblem(null);
    try {
      await api('POST', path, { as: 'citizen' });
      load();
      onChange();
    } catch (err) {
      setProblem(err);
    }
  }

  return (
    <Page
      title={t('Thông báo', 'Notifications')}
      actions={
        list && list.unread > 0 ? (
          <Button kind="secondary" onClick={() => void act('/api/citizen/notifications/read-all')}>
            {t('Đánh dấu tất cả đã đọc', 'Mark all read')}
          </Button>
        ) : null
      }
    >
      <Problem problem={problem} />
      {list && list.items.length === 0 ? <p className="empty">{t('Chưa có thông báo nào.', 'No notifications yet.')}</p> : null}
      <ul className="notifications" data-testid="notifications">
        {list?.items.map((n) => (
          <li key={n.id} className={n.readAt ? 'read' : 'unread'}>
            <div className="notification-head">
              <strong>{n.title}</strong>
              <span className="field-hint">{dateTime(n.createdAt)}</span>
            </div>
            <p>{n.body}</p>
            <div>
              {n.link ? (
                <a className="btn btn-secondary" href={n.link} target="_blank" rel="noreferrer">
                  {t('Kiểm tra', 'Verify')}
                </a>
              ) : null}
              {n.readAt ? (
                <span className="field-hint">{t(`Đã đọc lúc ${dateTime(n.readAt)}`, `Read at ${dateTime(n.readAt)}`)}</span>
              ) : (
                <Button kind="secondary" onClick={() => void act(`/api/citizen/notifications/${n.id}/read`)}>
                  {t('Đánh dấu đã đọc', 'Mark read')}
                </Button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </Page>
  );
}
