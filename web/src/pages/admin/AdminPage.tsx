/** Administration (USER_ADMIN): users, units, the working calendar and the appointment settings, one tab each, under the public-address warning when it applies. */
import { useI18n } from '../../i18n';
import { AddUser } from './AddUser';
import { AppointmentSettings } from './AppointmentSettings';
import { CalendarAdmin } from './CalendarAdmin';
import { PublicAddressBanner } from './PublicAddressBanner';
import { Units } from './Units';
import { UserDetail } from './UserDetail';
import { Users } from './Users';

const TABS = [
  { path: 'users', vi: 'Người dùng', en: 'Users' },
  { path: 'units', vi: 'Đơn vị', en: 'Units' },
  { path: 'calendar', vi: 'Lịch làm việc', en: 'Working calendar' },
  { path: 'appointments', vi: 'Lịch hẹn', en: 'Appointments' },
];

export function AdminPage({ route }: { route: string[] }) {
  const { t } = useI18n();
  const tab = TABS.some((x) => x.path === route[1]) ? route[1] : 'users';
  let screen;
  if (tab === 'units') screen = <Units />;
  else if (tab === 'calendar') screen = <CalendarAdmin />;
  else if (tab === 'appointments') screen = <AppointmentSettings />;
  else if (route[2] === 'new') screen = <AddUser />;
  else if (route[2]) screen = <UserDetail id={route[2]} />;
  else screen = <Users />;
  return (
    <>
      <PublicAddressBanner />
      <nav className="tabs admin-tabs" aria-label={t('Quản trị', 'Administration')}>
        {TABS.map((x) => (
          <a key={x.path} href={`#/admin/${x.path}`} className={tab === x.path ? 'active' : ''}>
            {t(x.vi, x.en)}
          </a>
        ))}
      </nav>
      {screen}
    </>
  );
}
