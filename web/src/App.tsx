/** The application shell: the header (who is logged in, the language), the menu by right, and the screen of the route. */
import type { ReactNode } from 'react';
import { TopMenu } from './components/TopMenu';
import { useI18n } from './i18n';
import { useOfficer } from './officer';
import { Inbox } from './pages/Inbox';
import { CaseScreen } from './pages/cases/CaseScreen';
import { ReceiveCase } from './pages/cases/ReceiveCase';
import { AppointmentSchedule } from './pages/appointments/Schedule';
import { Register } from './pages/cases/Register';
import { Login } from './pages/Login';
import { AccountsScreen } from './pages/accounts/AccountsScreen';
import { DevInboxLinks, DevScreen } from './pages/dev/DevScreen';
import { AdminPage } from './pages/admin/AdminPage';
import { Delegations } from './pages/admin/Delegations';
import { PortalApp } from './pages/portal/PortalApp';
import { CertificationReport } from './pages/reports/CertificationReport';
import { SupervisionDashboard } from './pages/supervision/Dashboard';
import { LadderEditor } from './pages/escalation/LadderEditor';
import { AlertsScreen } from './pages/alerts/AlertsScreen';
import { ApiCheckConsole } from './pages/apiCheck/ApiCheckConsole';
import { ApiEndpoints } from './pages/apiCheck/ApiEndpoints';
import { NotificationBell } from './pages/escalation/NotificationBell';
import { Notifications } from './pages/escalation/Notifications';
import { AuditScreen } from './pages/audit/AuditScreen';
import { OfficerDocuments } from './pages/documents/OfficerDocuments';
import { useHasDocuments } from './pages/documents/useHasDocuments';
import { SupportQueue } from './pages/support/SupportQueue';
import { SupportScreen } from './pages/support/SupportScreen';
import { LandPayments } from './pages/land/LandPayments';
import { useRoute } from './router';

interface MenuEntry {
  path: string;
  vi: string;
  en: string;
  /** Shown to officers holding any of these rights (none: every officer). */
  rights?: string[];
  /** Shown too to an officer without those rights who holds documents (a delegate who signed). */
  orHoldingDocuments?: boolean;
}

/** Screens an officer reaches from the menu; each page file registers nothing itself. */
export const MENU: MenuEntry[] = [
  { path: 'inbox', vi: 'Hồ sơ cần xử lý', en: 'Inbox' },
  { path: 'receive', vi: 'Tiếp nhận hồ sơ', en: 'Receive a case', rights: ['CERT_CREATE'] },
  // The desk's schedule; supervisors (CASE_SUPERVISE) may open #/appointments too, their menu stays one row.
  { path: 'appointments', vi: 'Lịch hẹn', en: 'Appointments', rights: ['CERT_CREATE'] },
  { path: 'register', vi: 'Sổ chứng thực', en: 'Register', rights: ['CERT_SEAL', 'CERT_REPORT', 'AUDIT'] },
  { path: 'documents', vi: 'Giấy tờ của tôi', en: 'My documents', rights: ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL'], orHoldingDocuments: true },
  { path: 'accounts', vi: 'Tạo tài khoản công dân', en: 'Citizen accounts', rights: ['ACCOUNT_CREATE'] },
  { path: 'delegations', vi: 'Ủy quyền ký', en: 'Signing delegations', rights: ['CERT_SIGN'] },
  { path: 'reports', vi: 'Báo cáo', en: 'Reports', rights: ['CERT_REPORT'] },
  { path: 'supervision', vi: 'Giám sát hạn', en: 'Deadlines', rights: ['CASE_SUPERVISE'] },
  { path: 'escalation', vi: 'Thang cảnh báo', en: 'Escalation', rights: ['CASE_SUPERVISE', 'USER_ADMIN'] },
  { path: 'support', vi: 'Yêu cầu hỗ trợ', en: 'Support requests', rights: ['SUPPORT_MANAGE', 'SUPPORT_HANDLE'] },
  { path: 'support-queue', vi: 'Hàng đợi xử lý', en: 'Support queue', rights: ['SUPPORT_HANDLE'] },
  // The one-stop desk's; supervisors (CASE_SUPERVISE) may open #/land-payments too, their menu stays one row.
  { path: 'land-payments', vi: 'Thanh toán đất đai', en: 'Land payments', rights: ['CERT_CREATE', 'ACCOUNT_CREATE'] },
  { path: 'audit', vi: 'Kiểm tra lịch sử', en: 'Audit', rights: ['AUDIT'] },
  { path: 'admin', vi: 'Quản trị', en: 'Administration', rights: ['USER_ADMIN'] },
  { path: 'alerts', vi: 'Cảnh báo lỗi', en: 'Error alerts', rights: ['USER_ADMIN'] },
  { path: 'api-check', vi: 'Kiểm tra API', en: 'API check', rights: ['INTEGRATION_CHECK'] },
  { path: 'api-endpoints', vi: 'Danh sách API', en: 'Configured APIs', rights: ['USER_ADMIN'] },
];

function screenFor(route: string[]): ReactNode {
  switch (route[0]) {
    case 'receive':
      // "#/receive/LH-…": the reception form filled from that appointment.
      return <ReceiveCase key={route[1] ?? ''} appointmentCode={route[1]} />;
    case 'appointments':
      return <AppointmentSchedule />;
    case 'cases':
      return route[1] ? <CaseScreen key={route[1]} code={route[1]} /> : <Inbox />;
    case 'register':
      return <Register />;
    case 'documents':
      return <OfficerDocuments />;
    case 'accounts':
      return <AccountsScreen route={route} />;
    case 'admin':
      return <AdminPage route={route} />;
    case 'delegations':
      return <Delegations />;
    case 'supervision':
      return <SupervisionDashboard />;
    case 'reports':
      return <CertificationReport />;
    case 'escalation':
      return <LadderEditor route={route} />;
    case 'alerts':
      return <AlertsScreen route={route} />;
    case 'api-check':
      return <ApiCheckConsole />;
    case 'api-endpoints':
      return <ApiEndpoints />;
    case 'notifications':
      return <Notifications />;
    case 'audit':
      return <AuditScreen route={route} />;
    case 'support':
      return <SupportScreen route={route} />;
    case 'support-queue':
      return <SupportQueue />;
    case 'land-payments':
      return <LandPayments route={route} />;
    case 'dev':
      return <DevScreen route={route} />;
    default:
      return <Inbox />;
  }
}

export function App() {
  const { t, lang, setLang } = useI18n();
  const { officer, loading, signOut, has } = useOfficer();
  const route = useRoute();
  const holdsDocuments = useHasDocuments(officer?.id);
  // The citizens' portal has its own shell and session: no officer login in front of it.
  if (route[0] === 'portal') return <PortalApp route={route} />;
  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="#/inbox">
          {t('Chứng thực điện tử — Một cửa', 'Electronic certification — One-stop desk')}
        </a>
        {officer ? (
          <TopMenu entries={MENU.filter((m) => !m.rights || m.rights.some(has) || (m.orHoldingDocuments === true && holdsDocuments)).map((m) => ({ path: m.path, text: t(m.vi, m.en) }))} current={route[0] ?? ''} />
        ) : (
          <span className="menu" />
        )}
        <div className="who">
          <DevInboxLinks />
          <button className="lang" onClick={() => setLang(lang === 'vi' ? 'en' : 'vi')} aria-label="language">
            {lang === 'vi' ? 'English' : 'Tiếng Việt'}
          </button>
          {officer ? <NotificationBell /> : null}
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
      <main>{loading ? null : officer ? screenFor(route) : route[0] === 'dev' ? <DevScreen route={route} /> : <Login />}</main>
    </div>
  );
}
