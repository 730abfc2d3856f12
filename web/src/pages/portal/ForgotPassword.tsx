/**
 * "Quên mật khẩu": the username and the captcha, the code sent to the account's phone, then a new
 * password typed twice. It also clears a lockout and the must-change flag of a desk-made account.
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { Button, Field, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { CaptchaField, useCaptcha } from './Captcha';
import { NewPasswordFields } from './NewPasswordFields';
import { OtpField, type CodeSent } from './OtpField';
import { place, PORTAL_CODE_FIELDS } from './problemAt';

type Step = 'username' | 'otp' | 'password' | 'done';

export function ForgotPassword() {
  const { t } = useI18n();
  const captcha = useCaptcha();
  const [step, setStep] = useState<Step>('username');
  const [username, setUsername] = useState('');
  const [sent, setSent] = useState<CodeSent | null>(null);
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, problem, run } = useAction();
  const fields = step === 'username' ? ['username', 'captcha'] : step === 'otp' ? ['code'] : ['password', 'passwordConfirm'];
  const where = place(problem, fields, t, PORTAL_CODE_FIELDS);


  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      if (step === 'username') {
        try {
          setSent(await api<CodeSent>('POST', '/api/citizen/password/forgot', { body: { username: username.trim(), ...captcha.fields() }, as: 'public' }));
        } finally {
          captcha.refresh();
        }
        setStep('otp');
      } else if (step === 'otp') {
        await api('POST', '/api/citizen/password/forgot/otp', { body: { flowToken: sent!.flowToken, code }, as: 'public' });
        setStep('password');
      } else if (step === 'password') {
        await api('POST', '/api/citizen/password/reset', { body: { flowToken: sent!.flowToken, password, passwordConfirm: confirmation }, as: 'public' });
        setStep('done');
      }
    });
  }

  function resend() {
    void run(async () => {
      setSent(await api<CodeSent>('POST', '/api/citizen/password/forgot/resend', { body: { flowToken: sent!.flowToken }, as: 'public' }));
      setCode('');
      setResent(true);
    });
  }

  return (
    <Page title={t('Quên mật khẩu', 'Forgotten password')}>
      {step === 'done' ? (
        <div className="card narrow success" role="status">
          <p>{t('Đã đặt mật khẩu mới. Các phiên đăng nhập cũ đã kết thúc; vui lòng đăng nhập lại.', 'The new password is set; every earlier session ended. Log in again.')}</p>
          <a className="btn btn-primary" href="#/portal/login">
            {t('Đăng nhập', 'Log in')}
          </a>
        </div>
      ) : (
        <form className="card narrow" onSubmit={submit} noValidate>
          {step === 'username' ? (
            <>
              <Field label={t('Số CCCD hoặc mã số thuế', 'ID number or tax code')} required error={where.at('username')}>
                <TextInput name="username" value={username} onChange={(e) => setUsername(e.target.value)} />
              </Field>
              <CaptchaField captcha={captcha} error={where.at('captcha')} />
            </>
          ) : null}
          {step === 'otp' && sent ? <OtpField sent={sent} code={code} onCode={setCode} error={where.at('code')} onResend={resend} resending={busy} resent={resent} /> : null}
          {step === 'password' ? (
            <NewPasswordFields label={t('Mật khẩu mới', 'New password')} password={password} confirmation={confirmation} onPassword={setPassword} onConfirmation={setConfirmation} errorAt={where.at} />
          ) : null}
          <Problem problem={where.banner} />
          <Button type="submit" busy={busy} name="next">
            {step === 'password' ? t('Đặt mật khẩu mới', 'Set the new password') : step === 'otp' ? t('Xác nhận', 'Confirm') : t('Gửi mã OTP', 'Send the code')}
          </Button>
        </form>
      )}
    </Page>
  );
}
