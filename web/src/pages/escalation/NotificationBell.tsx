/** The bell in the header: the officer's unread notifications, looked at again every half minute and on every screen change. */
import { useEffect, useState } from 'react';
import { api } from '../../api';
import { useI18n } from '../../i18n';
import type { NotificationList } from './types';

const POLL_MS = 30_000;

/** Screens that change what is unread tell the bell at once. */
export const NOTIFICATIONS_CHANGED = 'chungthuc:notifications-changed';

export function NotificationBell() {
  const { t } = useI18n();
  const [unread, setUnread] = useState<number | null>(null);
  useEffect(() => {
    let alive = true;
    const look = () => {
      api<NotificationList>('GET', '/api/notifications?unread=true&limit=1')
        .then((r) => alive && setUnread(r.unread))
        // The bell stays quiet when the API is away; the screens say so themselves.
        .catch(() => undefined);
    };
    look();
    const timer = window.setInterval(look, POLL_MS);
    window.addEventListener('hashchange', look);
    window.addEventListener(NOTIFICATIONS_CHANGED, look);
    return () => {
      alive = false;
      window.clearInterval(timer);
      window.removeEventListener('hashchange', look);
      window.removeEventListener(NOTIFICATIONS_CHANGED, look);
    };
  }, []);
  const n = unread ?? 0;
  return (
    <a href="#/notifications" className={`bell${n > 0 ? ' bell-unread' : ''}`} aria-label={t(`Thông báo: ${n} chưa đọc`, `Notifications: ${n} unread`)} data-testid="bell">
      <svg viewBox="0 0 24 24" aria-hidden="true">
        <path d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z" />
      </svg>
      {n > 0 ? <span className="bell-count">{n > 99 ? '99+' : n}</span> : null}
    </a>
  );
}
