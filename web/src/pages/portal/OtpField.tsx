/**
 * The 6-digit code sent by SMS, with "Gửi lại OTP" (seed 001: when the code does not arrive or has
 * expired). A re-send replaces the code; only the latest one is valid.
 */
import { Field, TextInput } from '../../components/ui';
import { dateTime } from '../../format';
import { useI18n } from '../../i18n';

/** What the API answers when it sends a code. */
export interface CodeSent {
  status: 'otp_sent' | 'otp_required';
  flowToken: string;
  /** Absent for a password recovery, which does not say whether (or to which phone) a code went. */
  phoneHint?: string;
  otpExpiresAt: string;
  resendAfter: string;
  sendsLeft: number;
}

export function OtpField(props: { sent: CodeSent; code: string; onCode(code: string): void; error?: string; onResend(): void; resending: boolean; resent: boolean }) {
  const { t } = useI18n();
  const { sent } = props;
  return (
    <>
      <p className="notice">
        {sent.phoneHint
          ? t(`Mã OTP gồm 6 chữ số đã được gửi tới số điện thoại ${sent.phoneHint}. Mã có hiệu lực đến ${dateTime(sent.otpExpiresAt)}.`, `A 6-digit code was sent to ${sent.phoneHint}; valid until ${dateTime(sent.otpExpiresAt)}.`)
          : t(
              `Nếu tên đăng nhập này có tài khoản, mã OTP gồm 6 chữ số đã được gửi tới số điện thoại đăng ký của tài khoản. Mã có hiệu lực đến ${dateTime(sent.otpExpiresAt)}.`,
              `If this username has an account, a 6-digit code was sent to the account's phone; valid until ${dateTime(sent.otpExpiresAt)}.`,
            )}
        {props.resent ? ' ' + t('Đã gửi mã mới; mã cũ không còn dùng được.', 'A new code was sent; the old one no longer works.') : ''}
      </p>
      <Field label={t('Mã OTP', 'One-time code')} required error={props.error}>
        <TextInput name="code" inputMode="numeric" autoComplete="one-time-code" maxLength={6} autoFocus value={props.code} onChange={(e) => props.onCode(e.target.value.replace(/\D/g, ''))} />
      </Field>
      <p className="otp-resend">
        {t('Chưa nhận được mã hoặc mã đã hết hạn?', 'No code, or it expired?')}{' '}
        <button type="button" className="link-button" onClick={props.onResend} disabled={props.resending || sent.sendsLeft <= 0}>
          {t('Gửi lại OTP', 'Resend code')}
        </button>
        {sent.sendsLeft <= 0 ? <span className="field-hint"> {t('Đã hết số lần gửi lại.', 'No re-sends left.')}</span> : null}
      </p>
    </>
  );
}
