/** The support requests' screens by route: #/support (the list), #/support/new (the form), #/support/YC-… (one request). */
import { useI18n } from '../../i18n';
import { useOfficer } from '../../officer';
import { SupportDetail } from './SupportDetail';
import { SupportForm } from './SupportForm';
import { SupportList } from './SupportList';

export function SupportScreen({ route }: { route: string[] }) {
  const { t } = useI18n();
  const { has } = useOfficer();
  if (!has('SUPPORT_MANAGE') && !has('SUPPORT_HANDLE')) return <p className="problem">{t('Cần quyền quản lý hoặc xử lý yêu cầu hỗ trợ.', 'This needs a support right.')}</p>;
  if (route[1] === 'new') return has('SUPPORT_MANAGE') ? <SupportForm /> : <p className="problem">{t('Cần quyền "Quản lý yêu cầu hỗ trợ" để gửi yêu cầu.', 'Filing needs the SUPPORT_MANAGE right.')}</p>;
  if (route[1]) return <SupportDetail key={route[1]} code={route[1]} />;
  return <SupportList />;
}
