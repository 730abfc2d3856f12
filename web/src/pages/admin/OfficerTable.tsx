/** Officers as a list: name, username, ID number, phone, units, rights, status; a row opens the officer. */
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { type OfficerView } from './adminData';

export function OfficerTable({ officers, testId }: { officers: OfficerView[]; testId: string }) {
  const { t } = useI18n();
  return (
    <table className="grid" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('Họ và tên', 'Full name')}</th>
          <th>{t('Tên đăng nhập', 'Username')}</th>
          <th>{t('Số CCCD', 'ID number')}</th>
          <th>{t('Điện thoại', 'Phone')}</th>
          <th>{t('Đơn vị', 'Units')}</th>
          <th>{t('Số quyền', 'Rights')}</th>
          <th>{t('Trạng thái', 'Status')}</th>
        </tr>
      </thead>
      <tbody>
        {officers.map((o) => (
          <tr key={o.id} onClick={() => go('admin', 'users', o.id)} className={o.status === 'inactive' ? 'inactive' : ''}>
            <td>
              <a href={`#/admin/users/${o.id}`}>{o.fullName}</a>
            </td>
            <td className="mono">{o.username}</td>
            <td className="mono">{o.citizenId}</td>
            <td>{o.phone ?? '—'}</td>
            <td>{o.units.map((u) => u.name).join('; ')}</td>
            <td>{o.rights.length}</td>
            <td>{o.status === 'active' ? t('Hoạt động', 'Active') : t('Ngừng hoạt động', 'Inactive')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
