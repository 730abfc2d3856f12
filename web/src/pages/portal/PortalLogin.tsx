/**
 * Citizen login (seed 001 part I.4): way 1, the ID number (or a business's tax code), the password
 * and the captcha, then the code sent by SMS to the account's phone, with "Gửi lại OTP"; way 2,
 * "USB ký số": a signature with the citizen's certificate (certificate/CertificateSigning.tsx),
 * no password and no code.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { useCitizen } from '../../citizen';
import { Button, Field, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { go } from '../../router';
import { CaptchaField, useCaptcha } from './Captcha';
import { CertificateSigning, type SignedChallenge } from './certificate/CertificateSigning';
import { OtpField, type CodeSent } from './OtpField';
import { place, PORTAL_CODE_FIELDS } from './problemAt';

export function PortalLogin() {
  const { t } = useI18n();
  const { signedIn } = useCitizen();
  const captcha = useCaptcha();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [sent, setSent] = useState<CodeSent | null>(null);
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const [byCertificate, setByCertificate] = useState(false);
  const { busy, problem, setProblem, run } = useAction();
  const where = place(problem, sent ? ['code'] : ['username', 'password', 'captcha'], t, PORTAL_CODE_FIELDS);


  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      if (!sent) {
        try {
          setSent(await api<CodeSent>('POST', '/api/citizen/login', { body: { username: username.trim(), password, ...captcha.fields() }, as: 'public' }));
          setCode('');
        } finally {
          captcha.refresh();
        }
      } else {
        const r = await api<{ token: string; mustChangePassword: boolean }>('POST', '/api/citizen/login/otp', { body: { flowToken: sent.flowToken, code }, as: 'public' });
        await signedIn(r.token);
        go('portal', r.mustChangePassword ? 'password' : 'documents');
      }
    });
  }

  async function loginBySignature(signed: SignedChallenge) {
    const r = await api<{ token: string; mustChangePassword: boolean }>('POST', '/api/citizen/login/certificate', { body: signed, as: 'public' });
    await signedIn(r.token);
    go('portal', r.mustChangePassword ? 'password' : 'documents');
  }

  function choose(certificate: boolean) {
    setByCertificate(certificate);
    setProblem(null);
  }

  function resend() {
    void run(async () => {
      setSent(await api<CodeSent>('POST', '/api/citizen/login/otp/resend', { body: { flowToken: sent!.flowToken }, as: 'public' }));
      setCode('');
      setResent(true);
    });
  }

  const tabs = sent ? null : (
    <div className="tabs" role="tablist" aria-label={t('Cách đăng nhập', 'How to log in')}>
      <button type="button" role="tab" aria-selected={!byCertificate} className={byCertificate ? '' : 'active'} onClick={() => choose(false)}>
        {t('Số CCCD và mật khẩu', 'ID number and password')}
      </button>
      <button type="button" role="tab" aria-selected={byCertificate} className={byCertificate ? 'active' : ''} onClick={() => choose(true)}>
        {t('USB ký số', 'USB signing token')}
      </button>
    </div>
  );

  const links = (
    <p className="portal-links">
      <a href="#/portal/forgot">{t('Quên mật khẩu?', 'Forgot the password?')}</a>
      {' · '}
      <a href="#/portal/register">{t('Đăng ký tài khoản', 'Register')}</a>
    </p>
  );

  if (byCertificate) {
    return (
      <Page title={t('Đăng nhập Cổng dịch vụ công', 'Log in to the public-service portal')}>
        <div className="card narrow">
          {tabs}
          <CertificateSigning purpose="login" action={t('Đăng nhập', 'Log in')} onSigned={loginBySignature} />
          {links}
        </div>
      </Page>
    );
  }

  return (
    <Page title={t('Đăng nhập Cổng dịch vụ công', 'Log in to the public-service portal')}>
      <form className="card narrow" onSubmit={submit} noValidate>
        {tabs}
        {!sent ? (
          <>
            <Field label={t('Số CCCD hoặc mã số thuế', 'ID number or tax code')} required error={where.at('username')}>
              <TextInput name="username" autoComplete="username" value={username} onChange={(e) => setUsername(e.target.value)} />
            </Field>
            <Field label={t('Mật khẩu', 'Password')} required error={where.at('password')}>
              <TextInput name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </Field>
            <CaptchaField captcha={captcha} error={where.at('captcha')} />
          </>
        ) : (
          <OtpField sent={sent} code={code} onCode={setCode} error={where.at('code')} onResend={resend} resending={busy} resent={resent} />
        )}
        <Problem problem={where.banner} />
        <Button type="submit" busy={busy} name="login">
          {sent ? t('Xác nhận', 'Confirm') : t('Đăng nhập', 'Log in')}
        </Button>
        {!sent ? links : null}
      </form>
    </Page>
  );
}
