/** The citizen's account as the portal knows it: identity, contact, how it was verified. */
import { useCitizen } from '../../citizen';
import { Page } from '../../components/ui';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';

/** "Nguyễn Văn A (CCCD:012345678901)" out of the certificate's subject as the API gives it ("CN=…, UID=…, C=VN"). */
function certificateHolder(subject: string | null): string | null {
  if (!subject) return null;
  const cn = /(?:^|,\s*)CN=([^,]+)/.exec(subject)?.[1];
  const id = /(?:^|,\s*)(?:UID|serialNumber|SERIALNUMBER)=([^,]+)/.exec(subject)?.[1];
  return cn ? `${cn}${id ? ` (${id})` : ''}` : subject;
}

export function Profile() {
  const { t } = useI18n();
  const { account } = useCitizen();
  if (!account) return null;
  const rows: Array<[string, string | null]> = [
    [t('Tên đăng nhập', 'Username'), account.username],
    ...(account.kind === 'business'
      ? ([
          [t('Tên doanh nghiệp', 'Business name'), account.businessName],
          [t('Mã số thuế', 'Tax code'), account.taxCode],
          [t('Người đại diện', 'Representative'), account.fullName],
        ] as Array<[string, string | null]>)
      : ([[t('Họ và tên', 'Full name'), account.fullName]] as Array<[string, string | null]>)),
    [t('Số CCCD', 'ID number'), account.idNumber],
    [t('Ngày sinh', 'Date of birth'), account.birthDate ? date(account.birthDate) : null],
    [t('Số điện thoại', 'Phone'), account.phone],
    [t('Thư điện tử', 'E-mail'), account.email],
    [t('Mã số BHXH', 'Social-insurance number'), account.socialInsuranceNumber],
    [t('Mức độ xác thực', 'Assurance level'), `${account.assuranceLevel === 'IAL3' ? t('Mức độ 3', 'Level 3') : t('Mức độ 2', 'Level 2')} — ${account.verifiedByLabel}`],
    [t('Chứng thư số', 'Certificate'), certificateHolder(account.certificateSubject)],
    [t('Ngày tạo tài khoản', 'Created'), dateTime(account.createdAt)],
    [t('Đổi mật khẩu lần cuối', 'Password last changed'), account.passwordChangedAt ? dateTime(account.passwordChangedAt) : null],
  ];
  return (
    <Page
      title={t('Thông tin tài khoản', 'My account')}
      actions={
        <a className="btn btn-secondary" href="#/portal/password">
          {t('Đổi mật khẩu', 'Change the password')}
        </a>
      }
    >
      <dl className="card narrow details">
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
      </dl>
    </Page>
  );
}
