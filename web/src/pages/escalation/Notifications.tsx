/** The officer's notifications: newest first, each with its case; read one by one or all at once. */
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Button, Page, Problem } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { NOTIFICATIONS_CHANGED } from './NotificationBell';
import type { NotificationList } from './types';

export function Notifications() {
  const { t } = useI18n();
  const [list, setList] = useState<NotificationList | null>(null);
  const [loadProblem, setLoadProblem] = useState<unknown>(null);
  const action = useAction();
  const load = useCallback(() => {
    api<NotificationList>('GET', '/api/notifications?limit=100')
      .then((r) => {
        setList(r);
        setLoadProblem(null);
      })
      .catch(setLoadProblem);
  }, []);
  useEffect(load, [load]);

  const changed = async (call: () => Promise<unknown>) => {
    await action.run(async () => {
      await call();
      window.dispatchEvent(new Event(NOTIFICATIONS_CHANGED));
      load();
    });
  };

  return (
    <Page
      title={t('Thông báo của tôi', 'My notifications')}
      actions={
        list && list.unread > 0 ? (
          <Button kind="secondary" busy={action.busy} onClick={() => void changed(() => api('POST', '/api/notifications/read-all'))}>
            {t('Đánh dấu tất cả đã đọc', 'Mark all read')}
          </Button>
        ) : null
      }
    >
      <Problem problem={loadProblem ?? action.problem} />
      {list ? (
        <>
          <p className="cs-muted" data-testid="unread-count">
            {t(`${list.unread} thông báo chưa đọc`, `${list.unread} unread`)}
          </p>
          {list.items.length === 0 ? <p>{t('Chưa có thông báo nào.', 'No notifications yet.')}</p> : null}
          <ul className="notif-list" data-testid="notifications">
            {list.items.map((n) => (
              <li key={n.id} className={n.readAt ? 'notif-read' : 'notif-unread'}>
                <div className="notif-head">
                  <strong>{n.title}</strong>
                  <time>{dateTime(n.createdAt)}</time>
                </div>
                <div className="notif-body">{n.body}</div>
                <div className="notif-actions">
                  {n.caseCode ? <a href={`#/cases/${encodeURIComponent(n.caseCode)}`}>{t(`Mở hồ sơ ${n.caseCode}`, `Open case ${n.caseCode}`)}</a> : null}
                  {n.readAt ? (
                    <span className="cs-muted">{t(`Đã đọc ${dateTime(n.readAt)}`, `Read ${dateTime(n.readAt)}`)}</span>
                  ) : (
                    <Button kind="secondary" busy={action.busy} onClick={() => void changed(() => api('POST', `/api/notifications/${n.id}/read`))}>
                      {t('Đã đọc', 'Mark read')}
                    </Button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Page>
  );
}
