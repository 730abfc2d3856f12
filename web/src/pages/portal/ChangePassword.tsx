/**
 * Changing the password while logged in: the current one, then the new one twice. An account the
 * one-stop desk opened (its password came by SMS) must pass here before anything else opens.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useCitizen } from '../../citizen';
import { Button, Field, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { NewPasswordFields } from './NewPasswordFields';
import { place, PORTAL_CODE_FIELDS } from './problemAt';

export function ChangePassword({ forced }: { forced: boolean }) {
  const { t } = useI18n();
  const { reload } = useCitizen();
  const [current, setCurrent] = useState('');
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [done, setDone] = useState(false);
  const { busy, problem, run } = useAction();
  const where = place(problem, ['currentPassword', 'password', 'passwordConfirm'], t, PORTAL_CODE_FIELDS);

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(
      async () => {
        await api('POST', '/api/citizen/password', { body: { currentPassword: current, password, passwordConfirm: confirmation }, as: 'citizen' });
        setDone(true);
        await reload();
        if (forced) go('portal', 'documents');
      },
      // The wrong password that locks the account also ends the session.
      reload,
    );
  }

  return (
    <Page title={forced ? t('Đổi mật khẩu lần đầu', 'Change your first password') : t('Đổi mật khẩu', 'Change the password')}>
      <form className="card narrow" onSubmit={submit} noValidate>
        {forced ? (
          <p className="notice">
            {t(
              'Tài khoản của anh/chị được tạo tại Bộ phận một cửa với mật khẩu gửi qua SMS. Vui lòng đặt mật khẩu mới trước khi sử dụng Cổng dịch vụ công.',
              'Your account was opened at the one-stop desk with a password sent by SMS. Choose a new password before using the portal.',
            )}
          </p>
        ) : null}
        {done && !forced ? (
          <p className="notice" role="status">
            {t('Đã đổi mật khẩu. Các phiên đăng nhập khác của tài khoản đã kết thúc.', 'The password is changed; your other sessions ended.')}
          </p>
        ) : null}
        <Field label={forced ? t('Mật khẩu nhận qua SMS', 'Password received by SMS') : t('Mật khẩu hiện tại', 'Current password')} required error={where.at('currentPassword')}>
          <TextInput name="currentPassword" type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} />
        </Field>
        <NewPasswordFields label={t('Mật khẩu mới', 'New password')} password={password} confirmation={confirmation} onPassword={setPassword} onConfirmation={setConfirmation} errorAt={where.at} />
        <Problem problem={where.banner} />
        <Button type="submit" busy={busy} name="change">
          {t('Đổi mật khẩu', 'Change the password')}
        </Button>
      </form>
    </Page>
  );
}
