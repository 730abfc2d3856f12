/**
 * Registration with a digital-signature certificate (seed 001, way 3 "USB ký số"): sign with the
 * token (the tool asks for the PIN), see the identity the system read from the certificate, type
 * the e-mail — and what the account needs besides (date of birth, checked against the CCCD;
 * phone, for notices and password recovery; a password, to log in without the token) — and
 * register. A signature is good for 5 minutes: if it ran out while the form was being filled in,
 * the citizen signs again and keeps what was typed.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { api, ApiProblem } from '../../../api';
import { Button, Field, Problem, TextInput } from '../../../components/ui';
import { useAction } from '../../../components/useAction';
import { date } from '../../../format';
import { useI18n } from '../../../i18n';
import { DateInput } from '../../../components/DateInput';
import { NewPasswordFields } from '../NewPasswordFields';
import { place, PORTAL_CODE_FIELDS } from '../problemAt';
import { CertificateSigning, type SignedChallenge } from './CertificateSigning';

interface CertificateIdentity {
  idNumber: string;
  fullName: string;
  issuer: string;
  validTo: string;
}

type Step = 'sign' | 'details' | 'done';

const FIELDS = ['email', 'birthDate', 'phone', 'password', 'passwordConfirm'];

/** `tabs`: the ways to register, shown above the signing step. */
export function CertificateRegister({ tabs }: { tabs: ReactNode }) {
  const { t } = useI18n();
  const [step, setStep] = useState<Step>('sign');
  const [signed, setSigned] = useState<SignedChallenge | null>(null);
  const [identity, setIdentity] = useState<CertificateIdentity | null>(null);
  const [form, setForm] = useState<Record<string, string>>({});
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const [signAgain, setSignAgain] = useState(false);
  const [badDate, setBadDate] = useState(false);
  const { busy, problem, run } = useAction();
  const where = place(problem, FIELDS, t, PORTAL_CODE_FIELDS);

  async function afterSigning(s: SignedChallenge) {
    setIdentity(await api<CertificateIdentity>('POST', '/api/citizen/certificate/identity', { body: s, as: 'public' }));
    setSigned(s);
    setSignAgain(false);
    setStep('details');
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      const email = (form.email ?? '').trim();
      try {
        await api('POST', '/api/citizen/register/certificate', {
          body: { ...signed!, birthDate: (form.birthDate ?? '').trim(), phone: (form.phone ?? '').trim(), ...(email ? { email } : {}), password, passwordConfirm: confirmation },
          as: 'public',
        });
      } catch (err) {
        if (err instanceof ApiProblem && err.code === 'CHALLENGE_INVALID') {
          setSignAgain(true);
          setStep('sign');
          return;
        }
        throw err;
      }
      setStep('done');
    });
  }

  const input = (name: string, label: string, options: { required?: boolean; type?: string; hint?: string; inputMode?: 'numeric' | 'tel' | 'email' } = {}) => (
    <Field label={label} required={options.required} error={where.at(name)} hint={options.hint}>
      <TextInput name={name} type={options.type ?? 'text'} inputMode={options.inputMode} value={form[name] ?? ''} onChange={(e) => setForm((f) => ({ ...f, [name]: e.target.value }))} />
    </Field>
  );

  if (step === 'done') {
    return (
      <div className="card narrow success" role="status">
        <p>
          {t(
            'Đăng ký tài khoản thành công. Anh/chị đăng nhập bằng chữ ký số, hoặc bằng số CCCD và mật khẩu vừa đặt.',
            'The account is registered. Log in with your digital signature, or with your ID number and the password you chose.',
          )}
        </p>
        <a className="btn btn-primary" href="#/portal/login">
          {t('Đăng nhập', 'Log in')}
        </a>
      </div>
    );
  }

  return (
    <>
      <ol className="steps">
        <li className={step === 'sign' ? 'current' : ''}>{t('1. Ký số bằng chứng thư', '1. Sign with your certificate')}</li>
        <li className={step === 'details' ? 'current' : ''}>{t('2. Kiểm tra thông tin, nhập thư điện tử', '2. Check your details, give your e-mail')}</li>
      </ol>
      {step === 'sign' ? (
        <div className="card narrow wide-form">
          {tabs}
          <CertificateSigning
            purpose="register"
            action={t('Ký số để đăng ký', 'Sign to register')}
            onSigned={afterSigning}
            notice={signAgain ? t('Lần ký trước đã hết hạn (sau 5 phút). Vui lòng ký lại; thông tin đã nhập vẫn được giữ.', 'The previous signature expired (after 5 minutes). Sign again; what you typed is kept.') : undefined}
          />
        </div>
      ) : null}
      {step === 'details' && identity ? (
        <form className="card narrow wide-form" onSubmit={submit} noValidate>
          <h2 className="section-title">{t('Thông tin lấy từ chứng thư số', 'Read from your certificate')}</h2>
          <dl className="details certificate-identity" data-testid="certificate-identity">
            <div>
              <dt>{t('Họ và tên', 'Full name')}</dt>
              <dd>{identity.fullName}</dd>
            </div>
            <div>
              <dt>{t('Số CCCD (tên đăng nhập)', 'ID number (username)')}</dt>
              <dd>{identity.idNumber}</dd>
            </div>
            <div>
              <dt>{t('Tổ chức cấp chứng thư số', 'Issued by')}</dt>
              <dd>{identity.issuer}</dd>
            </div>
            <div>
              <dt>{t('Hiệu lực đến', 'Valid until')}</dt>
              <dd>{date(identity.validTo)}</dd>
            </div>
          </dl>
          {input('email', t('Thư điện tử', 'E-mail'), { type: 'email', inputMode: 'email', hint: t('Để nhận thông báo và bản sao chứng thực qua thư điện tử', 'For notices and certified copies by e-mail') })}
          <div className="row">
            <Field label={t('Ngày sinh', 'Date of birth')} required error={where.at('birthDate') ?? (badDate ? t('Ngày sinh viết theo dạng ngày/tháng/năm, ví dụ 12/04/1990', 'Write the date as dd/mm/yyyy, e.g. 12/04/1990') : undefined)}>
              <DateInput name="birthDate" value={form.birthDate ?? ''} onChange={(iso) => setForm((f) => ({ ...f, birthDate: iso }))} onInvalid={setBadDate} />
            </Field>
            {input('phone', t('Số điện thoại', 'Mobile phone'), { required: true, type: 'tel', inputMode: 'tel', hint: t('Để nhận tin nhắn và lấy lại mật khẩu', 'For text messages and password recovery') })}
          </div>
          <NewPasswordFields
            password={password}
            confirmation={confirmation}
            onPassword={setPassword}
            onConfirmation={setConfirmation}
            errorAt={where.at}
            label={t('Mật khẩu (để đăng nhập khi không có USB ký số)', 'Password (to log in without the token)')}
          />
          <Problem problem={where.banner} />
          <Button type="submit" busy={busy} name="register">
            {t('Đăng ký', 'Register')}
          </Button>
        </form>
      ) : null}
    </>
  );
}
