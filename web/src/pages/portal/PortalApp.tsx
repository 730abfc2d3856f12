/**
 * The citizens' portal (#/portal/…): its own header and menu and the citizen's session, apart from
 * the officers' application — a citizen never sees the officer login. An account opened at the
 * desk reaches only the password change until it has chosen its own password.
 */
import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api } from '../../api';
import { CitizenProvider, useCitizen } from '../../citizen';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { BookAppointment } from '../appointments/BookAppointment';
import { MyAppointments } from '../appointments/MyAppointments';
import { ChangePassword } from './ChangePassword';
import { ForgotPassword } from './ForgotPassword';
import { MyDocuments } from './MyDocuments';
import { LandObligations } from './LandObligations';
import { LandPaymentResult } from './LandPaymentResult';
import { Notifications } from './Notifications';
import { PortalLogin } from './PortalLogin';
import { Profile } from './Profile';
import { Register } from './Register';

export function PortalApp({ route }: { route: string[] }) {
  return (
    <CitizenProvider>
      <PortalShell route={route} />
    </CitizenProvider>
  );
}

const PUBLIC_SCREENS = new Set(['login', 'register', 'forgot']);

function useUnreadCount(active: boolean): [number, () => void] {
  const [unread, setUnread] = useState(0);
  const refresh = useCallback(() => {
    if (!active) return;
    api<{ unread: number }>('GET', '/api/citizen/notifications?unread=true&pageSize=1', { as: 'citizen' })
      .then((r) => setUnread(r.unread))
      .catch(() => setUnread(0));
  }, [active]);
  useEffect(refresh, [refresh]);
  return [unread, refresh];
}

function PortalShell({ route }: { route: string[] }) {
  const { t, lang, setLang } = useI18n();
  const { account, loading, signOut } = useCitizen();
  const screen = route[1] ?? '';
  const forced = account?.mustChangePassword ?? false;
  const [unread, refreshUnread] = useUnreadCount(account !== null && !forced);

  let content: ReactNode;
  if (loading) content = null;
  else if (!account) {
    content = screen === 'register' ? <Register /> : screen === 'forgot' ? <ForgotPassword /> : <PortalLogin />;
  } else if (forced) content = <ChangePassword forced />;
  else if (screen === 'notifications') content = <Notifications onChange={refreshUnread} />;
  else if (screen === 'profile') content = <Profile />;
  else if (screen === 'book') content = <BookAppointment />;
  else if (screen === 'appointments') content = <MyAppointments />;
  else if (screen === 'password') content = <ChangePassword forced={false} />;
  else if (screen === 'dat-dai') content = route[2] === 'ket-qua' && route[3] ? <LandPaymentResult key={route[3]} orderId={route[3]} /> : <LandObligations />;
  else content = <MyDocuments />;

  const menu = account && !forced
    ? [
        { path: 'documents', label: t('Giấy tờ của tôi', 'My documents') },
        { path: 'book', label: t('Đặt lịch hẹn', 'Book an appointment') },
        { path: 'appointments', label: t('Lịch hẹn của tôi', 'My appointments') },
        { path: 'dat-dai', label: t('Nghĩa vụ đất đai', 'Land obligations') },
        { path: 'notifications', label: unread > 0 ? t(`Thông báo (${unread})`, `Notifications (${unread})`) : t('Thông báo', 'Notifications') },
        { path: 'profile', label: t('Tài khoản', 'My account') },
      ]
    : account
      ? []
      : [
          { path: 'login', label: t('Đăng nhập', 'Log in') },
          { path: 'register', label: t('Đăng ký', 'Register') },
        ];
  const current = account && PUBLIC_SCREENS.has(screen) ? 'documents' : screen || (account ? 'documents' : 'login');

  return (
    <div className="app portal">
      <header className="topbar portal-bar">
        <a className="brand" href="#/portal">
          {t('Cổng dịch vụ công — Chứng thực bản sao điện tử', 'Public-service portal — Certified electronic copies')}
        </a>
        <nav className="menu" aria-label={t('Cổng dịch vụ công', 'Portal')}>
          {menu.map((m) => (
            <a key={m.path} href={`#/portal/${m.path}`} className={current === m.path ? 'active' : ''}>
              {m.label}
            </a>
          ))}
        </nav>
        <div className="who">
          <button className="lang" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} aria-label="language">
            {lang === 'vi' ? 'English' : 'Tiếng Việt'}
          </button>
          {account ? (
            <>
              <span className="citizen-name">{account.kind === 'business' ? (account.businessName ?? account.fullName) : account.fullName}</span>
              <button
                className="link"
                onClick={() =>
                  void signOut().then(() => {
                    go('portal', 'login');
                  })
                }
              >
                {t('Đăng xuất', 'Log out')}
              </button>
            </>
          ) : (
            <a className="officer-link" href="#/inbox">
              {t('Dành cho cán bộ', 'Officers')}
            </a>
          )}
        </div>
      </header>
      <main>{content}</main>
    </div>
  );
}
