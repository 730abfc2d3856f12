/** The application shell: the header (who is logged in, the language), the menu by right, and the screen of the route. */
import type { ReactNode } from 'react';
import { useI18n } from './i18n';
import { useOfficer } from './officer';
import { Inbox } from './pages/Inbox';
import { Login } from './pages/Login';
import { useRoute } from './router';

interface MenuEntry {
  path: string;
  vi: string;
  en: string;
  /** Shown to officers holding any of these rights (none: every officer). */
  rights?: string[];
}

/** Screens an officer reaches from the menu; each page file registers nothing itself. */
export const MENU: MenuEntry[] = [{ path: 'inbox', vi: 'Hồ sơ cần xử lý', en: 'Inbox' }];

function screenFor(route: string[]): ReactNode {
  switch (route[0]) {
    default:
      return <Inbox />;
  }
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const { officer, loading, signOut, has } = useOfficer();
  const route = useRoute();
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/inbox">
          {t('Chứng thực điện tử — Một cửa', 'Electronic certification — One-stop desk')}
        </a>
        <nav className="menu">
          {officer
            ? MENU.filter((m) => !m.rights || m.rights.some(has)).map((m) => (
                <a key={m.path} href={`#/${m.path}`} className={route[0] === m.path ? 'active' : ''}>
                  {t(m.vi, m.en)}
                </a>
              ))
            : null}
        </nav>
        <div className="who">
          <button className="lang" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} aria-label="language">
            {lang === 'vi' ? 'English' : 'Tiếng Việt'}
          </button>
          {officer ? (
            <>
              <span className="officer-name">{officer.fullName}</span>
              <button className="link" onClick={() => void signOut()}>
                {t('Đăng xuất', 'Log out')}
              </button>
            </>
          ) : null}
        </div>
      </header>
      <main>{loading ? null : officer ? screenFor(route) : <Login />}</main>
    </div>
  );
}
