/**
 * Self-registration (seed 001 part I.3): by mobile subscriber (recommended), by social-insurance
 * number, or as a business — the details and the captcha, then the code sent by SMS, then the
 * password typed twice; or with a digital-signature certificate ("USB ký số",
 * certificate/CertificateRegister.tsx).
 */
import { useState, type FormEvent } from 'react';
import { api } from '../../api';
import { DateInput } from '../../components/DateInput';
import { Button, Field, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n';
import { CaptchaField, useCaptcha } from './Captcha';
import { CertificateRegister } from './certificate/CertificateRegister';
import { NewPasswordFields } from './NewPasswordFields';
import { OtpField, type CodeSent } from './OtpField';
import { place, PORTAL_CODE_FIELDS } from './problemAt';

type Path = 'mobile' | 'social-insurance' | 'business';
type Step = 'details' | 'otp' | 'password' | 'done';

const DETAIL_FIELDS: Record<Path, string[]> = {
  mobile: ['idNumber', 'fullName', 'birthDate', 'phone', 'email', 'captcha'],
  'social-insurance': ['socialInsuranceNumber', 'birthDate', 'email', 'captcha'],
  business: ['taxCode', 'businessName', 'representativeIdNumber', 'representativeName', 'representativeBirthDate', 'phone', 'email', 'captcha'],
};

/** Who already has an account: the field that names him. */
const EXISTS_AT: Record<Path, string> = { mobile: 'idNumber', 'social-insurance': 'socialInsuranceNumber', business: 'taxCode' };

export function Register() {
  const { t } = useI18n();
  const captcha = useCaptcha();
  const [path, setPath] = useState<Path>('mobile');
  const [byCertificate, setByCertificate] = useState(false);
  const [step, setStep] = useState<Step>('details');
  const [form, setForm] = useState<Record<string, string>>({});
  const [sent, setSent] = useState<CodeSent | null>(null);
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const [password, setPassword] = useState('');
  const [confirmation, setConfirmation] = useState('');
  const { busy, problem, setProblem, run } = useAction();

  const fields = step === 'details' ? DETAIL_FIELDS[path] : step === 'otp' ? ['code'] : ['password', 'passwordConfirm'];
  const where = place(problem, fields, t, { ...PORTAL_CODE_FIELDS, ACCOUNT_EXISTS: EXISTS_AT[path] });
  const value = (name: string) => form[name] ?? '';
  // Dates are typed dd/mm/yyyy whatever the browser's language; the form keeps YYYY-MM-DD ('' until it is a date).
  const [badDates, setBadDates] = useState<Record<string, boolean>>({});
  const input = (name: string, label: string, options: { required?: boolean; type?: string; hint?: string; inputMode?: 'numeric' | 'tel' | 'email' } = {}) => (
    <Field label={label} required={options.required} error={badDates[name] ? t('Ngày không hợp lệ, nhập theo dạng dd/mm/yyyy', 'Not a date: type dd/mm/yyyy') : where.at(name)} hint={options.hint}>
      {options.type === 'date' ? (
        <DateInput name={name} value={value(name)} onChange={(v) => setForm((f) => ({ ...f, [name]: v }))} onInvalid={(bad) => setBadDates((b) => ({ ...b, [name]: bad }))} />
      ) : (
        <TextInput name={name} type={options.type ?? 'text'} inputMode={options.inputMode} value={value(name)} onChange={(e) => setForm({ ...form, [name]: e.target.value })} />
      )}
    </Field>
  );


  function submit(e: FormEvent) {
    e.preventDefault();
    void run(async () => {
      if (step === 'details') {
        const body: Record<string, string | undefined> = { ...Object.fromEntries(DETAIL_FIELDS[path].filter((f) => f !== 'captcha').map((f) => [f, value(f).trim()])), ...captcha.fields() };
        if (path !== 'business' && !body.email) delete body.email;
        try {
          setSent(await api<CodeSent>('POST', `/api/citizen/register/${path}`, { body, as: 'public' }));
        } finally {
          // Each captcha answers one check, right or wrong.
          captcha.refresh();
        }
        setCode('');
        setStep('otp');
      } else if (step === 'otp') {
        await api('POST', '/api/citizen/register/otp', { body: { flowToken: sent!.flowToken, code }, as: 'public' });
        setStep('password');
      } else if (step === 'password') {
        await api('POST', '/api/citizen/register/complete', { body: { flowToken: sent!.flowToken, password, passwordConfirm: confirmation }, as: 'public' });
        setStep('done');
      }
    });
  }

  function resend() {
    void run(async () => {
      setSent(await api<CodeSent>('POST', '/api/citizen/register/otp/resend', { body: { flowToken: sent!.flowToken }, as: 'public' }));
      setCode('');
      setResent(true);
    });
  }

  function choose(p: Path | 'certificate') {
    setByCertificate(p === 'certificate');
    if (p !== 'certificate') setPath(p);
    setProblem(null);
  }

  const tabs = (
    <div className="tabs" role="tablist" aria-label={t('Phương thức đăng ký', 'Way to register')}>
      {(
        [
          ['mobile', t('Thuê bao di động (khuyến nghị)', 'Mobile subscriber (recommended)')],
          ['social-insurance', t('Bảo hiểm xã hội', 'Social insurance')],
          ['business', t('Doanh nghiệp', 'Business')],
          ['certificate', t('USB ký số', 'USB signing token')],
        ] as const
      ).map(([p, label]) => {
        const active = p === 'certificate' ? byCertificate : !byCertificate && path === p;
        return (
          <button key={p} type="button" role="tab" aria-selected={active} className={active ? 'active' : ''} onClick={() => choose(p)}>
            {label}
          </button>
        );
      })}
    </div>
  );

  if (byCertificate && step === 'details') {
    return (
      <Page title={t('Đăng ký tài khoản', 'Register')}>
        <CertificateRegister tabs={tabs} />
      </Page>
    );
  }

  if (step === 'done') {
    return (
      <Page title={t('Đăng ký tài khoản', 'Register')}>
        <div className="card narrow success" role="status">
          <p>{t('Đăng ký tài khoản thành công. Anh/chị có thể đăng nhập bằng số CCCD (hoặc mã số thuế) và mật khẩu vừa đặt.', 'The account is registered. Log in with your ID number (or tax code) and the password you chose.')}</p>
          <a className="btn btn-primary" href="#/portal/login">
            {t('Đăng nhập', 'Log in')}
          </a>
        </div>
      </Page>
    );
  }

  return (
    <Page title={t('Đăng ký tài khoản', 'Register')}>
      <ol className="steps">
        <li className={step === 'details' ? 'current' : ''}>{t('1. Nhập thông tin', '1. Your details')}</li>
        <li className={step === 'otp' ? 'current' : ''}>{t('2. Xác nhận mã OTP', '2. Confirm the code')}</li>
        <li className={step === 'password' ? 'current' : ''}>{t('3. Đặt mật khẩu', '3. Choose a password')}</li>
      </ol>
      <form className="card narrow wide-form" onSubmit={submit} noValidate>
        {step === 'details' ? (
          <>
            {tabs}
            {path === 'mobile' ? (
              <>
                {input('idNumber', t('Số CCCD (tên đăng nhập)', 'ID number (username)'), { required: true, inputMode: 'numeric', hint: t('12 chữ số, phải khớp với CCCD đã đăng ký số điện thoại', '12 digits, the ID your phone number is registered with') })}
                {input('fullName', t('Họ và tên', 'Full name'), { required: true })}
                <div className="row">
                  {input('birthDate', t('Ngày sinh', 'Date of birth'), { required: true, type: 'date' })}
                  {input('phone', t('Số điện thoại', 'Mobile phone'), { required: true, type: 'tel', inputMode: 'tel' })}
                </div>
                {input('email', t('Thư điện tử', 'E-mail'), { type: 'email', inputMode: 'email' })}
              </>
            ) : null}
            {path === 'social-insurance' ? (
              <>
                {input('socialInsuranceNumber', t('Mã số BHXH', 'Social-insurance number'), { required: true, inputMode: 'numeric', hint: t('10 chữ số, in trên thẻ BHYT hoặc sổ BHXH; mã OTP gửi tới số điện thoại cơ quan BHXH đang lưu', '10 digits on the health-insurance card; the code goes to the phone the registry knows') })}
                {input('birthDate', t('Ngày sinh', 'Date of birth'), { required: true, type: 'date' })}
                {input('email', t('Thư điện tử', 'E-mail'), { type: 'email', inputMode: 'email' })}
              </>
            ) : null}
            {path === 'business' ? (
              <>
                <div className="row">
                  {input('taxCode', t('Mã số thuế (tên đăng nhập)', 'Tax code (username)'), { required: true, hint: t('10 chữ số, hoặc 13 dạng 0123456789-001', '10 digits, or 13 as 0123456789-001') })}
                  {input('businessName', t('Tên doanh nghiệp', 'Business name'), { required: true })}
                </div>
                <div className="row">
                  {input('representativeIdNumber', t('Số CCCD người đại diện', 'Representative’s ID number'), { required: true, inputMode: 'numeric' })}
                  {input('representativeName', t('Họ và tên người đại diện', 'Representative’s name'), { required: true })}
                </div>
                <div className="row">
                  {input('representativeBirthDate', t('Ngày sinh người đại diện', 'Representative’s date of birth'), { required: true, type: 'date' })}
                  {input('phone', t('Số điện thoại', 'Mobile phone'), { required: true, type: 'tel', inputMode: 'tel' })}
                </div>
                {input('email', t('Thư điện tử', 'E-mail'), { required: true, type: 'email', inputMode: 'email' })}
              </>
            ) : null}
            <CaptchaField captcha={captcha} error={where.at('captcha')} />
          </>
        ) : null}
        {step === 'otp' && sent ? <OtpField sent={sent} code={code} onCode={setCode} error={where.at('code')} onResend={resend} resending={busy} resent={resent} /> : null}
        {step === 'password' ? (
          <NewPasswordFields password={password} confirmation={confirmation} onPassword={setPassword} onConfirmation={setConfirmation} errorAt={where.at} />
        ) : null}
        <Problem problem={where.banner} />
        <Button type="submit" busy={busy} name="next">
          {step === 'details' ? t('Đăng ký', 'Register') : step === 'otp' ? t('Xác nhận', 'Confirm') : t('Hoàn tất đăng ký', 'Finish registration')}
        </Button>
        {step === 'details' ? (
          <a href="#/portal/login" className="secondary-link">
            {t('Đã có tài khoản? Đăng nhập', 'Have an account? Log in')}
          </a>
        ) : null}
      </form>
    </Page>
  );
}
