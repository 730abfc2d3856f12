/**
 * The SMS outbox as the recipient's phone: with the local provider nothing leaves the machine,
 * and whoever tries the system reads here the login codes, the citizens' codes and passwords.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, fieldError, Page, Problem, TextInput } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';

interface DevSms {
  id: string;
  toPhone: string;
  body: string;
  purpose: string;
  status: string;
  createdAt: string;
}

const PURPOSES: Record<string, [string, string]> = {
  'login-otp': ['Mã đăng nhập cán bộ', 'Officer login code'],
  'account-otp': ['OTP tạo tài khoản', 'Account request code'],
  'account-password': ['Mật khẩu tài khoản', 'Account password'],
};

export function DevSmsInbox() {
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [shown, setShown] = useState('');
  const [items, setItems] = useState<DevSms[] | null>(null);
  const [total, setTotal] = useState(0);
  const [problem, setProblem] = useState<unknown>(null);

  const load = useCallback(async (forPhone: string) => {
    setProblem(null);
    try {
      const q = new URLSearchParams({ pageSize: '50' });
      if (forPhone.trim()) q.set('phone', forPhone.trim());
      const r = await api<{ items: DevSms[]; total: number }>('GET', `/api/dev/sms?${q}`, { as: 'public' });
      setItems(r.items);
      setTotal(r.total);
    } catch (err) {
      setProblem(err);
    }
  }, []);

  useEffect(() => {
    void load(shown);
    // New messages arrive while the tester waits for a code.
    const timer = setInterval(() => void load(shown), 3000);
    return () => clearInterval(timer);
  }, [load, shown]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setShown(phone);
    void load(phone);
  };

  return (
    <Page title={t('Hộp thư SMS thử nghiệm', 'Test SMS inbox')}>
      <p className="notice">
        {t(
          'Hệ thống đang dùng nhà cung cấp SMS cục bộ: tin nhắn không rời khỏi máy chủ và được hiển thị đầy đủ tại đây (mã OTP, mật khẩu tạm thời). Chỉ dùng khi thử nghiệm.',
          'The local SMS provider is in use: messages never leave the server and are shown here in full (codes, temporary passwords). For trying the system only.',
        )}
      </p>
      <form className="card acc-inline" onSubmit={submit}>
        <Field label={t('Lọc theo số điện thoại', 'Filter by phone')} error={fieldError(problem, 'phone')}>
          <TextInput name="phone" inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} />
        </Field>
        <Button type="submit" name="filter-sms">
          {t('Lọc', 'Filter')}
        </Button>
      </form>
      <Problem problem={fieldError(problem, 'phone') ? null : problem} />
      {items ? <p className="acc-count">{t(`${total} tin nhắn`, `${total} message(s)`)}</p> : null}
      <table className="grid dev-grid" aria-label={t('Tin nhắn SMS', 'SMS messages')}>
        <thead>
          <tr>
            <th>{t('Thời gian', 'Time')}</th>
            <th>{t('Đến số', 'To')}</th>
            <th>{t('Loại', 'Kind')}</th>
            <th>{t('Nội dung', 'Text')}</th>
          </tr>
        </thead>
        <tbody>
          {items && items.length === 0 ? (
            <tr className="acc-empty">
              <td colSpan={4}>{t('Chưa có tin nhắn nào.', 'No message yet.')}</td>
            </tr>
          ) : null}
          {items?.map((m) => (
            <tr key={m.id} data-phone={m.toPhone} data-purpose={m.purpose}>
              <td>{dateTime(m.createdAt)}</td>
              <td className="mono">{m.toPhone}</td>
              <td>{PURPOSES[m.purpose] ? t(...PURPOSES[m.purpose]!) : m.purpose}</td>
              <td className="dev-sms-body">{m.body}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Page>
  );
}
