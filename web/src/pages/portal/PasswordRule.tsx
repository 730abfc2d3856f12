/**
 * The password rule shown while the citizen types (≥ 8 characters, lower case, upper case, digit,
 * special character), checked by the same domain rule the API applies, so the list and the
 * server never disagree.
 */
import { missingPasswordRequirements, type PasswordRequirement } from '../../../../domain/citizenPassword';
import { useI18n } from '../../i18n';

const ORDER: Array<{ key: PasswordRequirement; vi: string; en: string }> = [
  { key: 'length', vi: 'Ít nhất 8 ký tự', en: 'At least 8 characters' },
  { key: 'lower', vi: 'Có chữ thường', en: 'A lower-case letter' },
  { key: 'upper', vi: 'Có chữ hoa', en: 'An upper-case letter' },
  { key: 'digit', vi: 'Có chữ số', en: 'A digit' },
  { key: 'special', vi: 'Có ký tự đặc biệt (! @ # $ % & * …)', en: 'A special character (! @ # $ % & * …)' },
];

export function PasswordRule({ password, confirmation }: { password: string; confirmation: string }) {
  const { t } = useI18n();
  const missing = new Set(missingPasswordRequirements(password));
  const same = password !== '' && password === confirmation;
  return (
    <ul className="password-rule" aria-label={t('Quy tắc mật khẩu', 'Password rule')}>
      {ORDER.map((r) => (
        <li key={r.key} className={missing.has(r.key) ? 'missing' : 'met'}>
          {missing.has(r.key) ? '○ ' : '✓ '}
          {t(r.vi, r.en)}
        </li>
      ))}
      <li className={same ? 'met' : 'missing'}>
        {same ? '✓ ' : '○ '}
        {t('Nhập lại mật khẩu trùng khớp', 'Both passwords match')}
      </li>
    </ul>
  );
}
