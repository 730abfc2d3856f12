/**
 * The captcha of the portal's public forms: a fresh picture from the API (large, letters and
 * digits that cannot be mistaken for one another), the answer typed below it, "Đổi hình khác" for
 * a picture that is hard to read, and a new picture after every attempt (each captcha answers one
 * check). There is no audio version: see the README (citizen portal).
 */
import './portal.css';
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { Field, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n';

export interface CaptchaState {
  captchaId: string;
  image: string;
  answer: string;
  setAnswer(answer: string): void;
  /** A new image, its answer cleared. */
  refresh(): void;
  /** What the form sends. */
  fields(): { captchaId: string; captcha: string };
}

export function useCaptcha(): CaptchaState {
  const [captcha, setCaptcha] = useState<{ captchaId: string; image: string }>({ captchaId: '', image: '' });
  const [answer, setAnswer] = useState('');
  const refresh = useCallback(() => {
    setAnswer('');
    api<{ captchaId: string; image: string }>('GET', '/api/citizen/captcha', { as: 'public' })
      .then((c) => setCaptcha({ captchaId: c.captchaId, image: c.image }))
      .catch(() => setCaptcha({ captchaId: '', image: '' }));
  }, []);
  useEffect(refresh, [refresh]);
  return { ...captcha, answer, setAnswer, refresh, fields: () => ({ captchaId: captcha.captchaId, captcha: answer }) };
}

export function CaptchaField({ captcha, error }: { captcha: CaptchaState; error?: string }) {
  const { t } = useI18n();
  return (
    <div className="captcha-field">
      <div className="captcha-picture">
        {captcha.image ? (
          <img src={captcha.image} width={270} height={90} alt={t('Hình mã xác thực', 'Captcha picture')} />
        ) : (
          <span className="captcha-loading">{t('Đang tải hình…', 'Loading the picture…')}</span>
        )}
        <button type="button" className="btn btn-secondary captcha-refresh" onClick={captcha.refresh}>
          <span aria-hidden="true">⟳ </span>
          {t('Đổi hình khác', 'Another picture')}
        </button>
      </div>
      <Field label={t('Mã xác thực', 'Captcha')} required error={error} hint={t('Nhập 6 ký tự trong hình, không phân biệt chữ hoa hay chữ thường', 'Type the 6 characters in the picture; upper or lower case alike')}>
        <TextInput name="captcha" autoComplete="off" autoCapitalize="characters" spellCheck={false} maxLength={12} value={captcha.answer} onChange={(e) => captcha.setAnswer(e.target.value)} />
      </Field>
    </div>
  );
}
