/** Officer login: username and password, then the 6-digit code sent by SMS. */
import { useState, type FormEvent } from 'react';
import { api } from '../api';
import { Button, Field, fieldError, Page, Problem, TextInput } from '../components/ui';
import { useAction } from '../components/useAction';
import { dateTime } from '../format';
import { useI18n } from '../i18n';
import { useOfficer } from '../officer';

export function Login() {
  const { t } = useI18n();
  const { signedIn } = useOfficer();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [challenge, setChallenge] = useState<{ token: string; phoneHint: string; codeReused: boolean; codeSentAt: string } | null>(null);
  const [code, setCode] = useState('');
  const { busy, problem, run } = useAction();

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      if (!challenge) {
        const r = await api('POST', '/api/auth/login', { body: { username, password }, as: 'public' });
        if (r.status === 'ok') await signedIn(r.token);
        else setChallenge({ token: r.challengeToken, phoneHint: r.phoneHint, codeReused: r.codeReused === true, codeSentAt: r.codeSentAt });
      } else {
        const r = await api('POST', '/api/auth/otp', { body: { challengeToken: challenge.token, code }, as: 'public' });
        await signedIn(r.token);
      }
    });
  }

  return (
    <Page title={t('Đăng nhập cán bộ', 'Officer login')}>
      <form className="card narrow" onSubmit={submit}>
        {!challenge ? (
          <>
            <Field label={t('Tên đăng nhập', 'Username')} required error={fieldError(problem, 'username')}>
              <TextInput name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <Field label={t('Mật khẩu', 'Password')} required error={fieldError(problem, 'password')}>
              <TextInput name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
          </>
        ) : (
          <Field
            label={t('Mã OTP', 'One-time code')}
            required
            hint={
              challenge.codeReused
                ? t(
                    `Mã gồm 6 số đã gửi tới số ${challenge.phoneHint} lúc ${dateTime(challenge.codeSentAt)} vẫn còn hiệu lực: hãy nhập mã đó (không gửi mã mới).`,
                    `The 6-digit code sent to ${challenge.phoneHint} at ${dateTime(challenge.codeSentAt)} is still valid: type that one (no new code was sent).`,
                  )
                : t(`Mã gồm 6 số đã gửi tới số ${challenge.phoneHint}`, `6 digits sent to ${challenge.phoneHint}`)
            }
            error={fieldError(problem, 'code')}
          >
            <TextInput name="otp" inputMode="numeric" maxLength={6} autoFocus value={code} onChange={(e) => setCode(e.target.value)} />
          </Field>
        )}
        <Problem problem={problem} />
        <Button type="submit" busy={busy} name="login">
          {challenge ? t('Xác nhận', 'Confirm') : t('Đăng nhập', 'Log in')}
        </Button>
      </form>
      <p className="empty">
        {t('Công dân, doanh nghiệp: ', 'Citizens and businesses: ')}
        <a href="#/portal">{t('đăng nhập / đăng ký tài khoản trên cổng dịch vụ công', 'log in or register on the public-service portal')}</a>
      </p>
    </Page>
  );
}
