/**
 * The captcha of the portal's public forms: a fresh image from the API, the answer typed beside
 * it, and a new image after every attempt (each captcha answers one check).
 */
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
    <div className="captcha-row">
      <Field label={t('Mã xác thực', 'Captcha')} required error={error} hint={t('Nhập các ký tự trong hình', 'Type the characters in the picture')}>
        <TextInput name="captcha" autoComplete="off" value={captcha.answer} onChange={(e) => captcha.setAnswer(e.target.value)} />
      </Field>
      <div className="captcha-image">
        {captcha.image ? <img src={captcha.image} alt={t('Hình mã xác thực', 'Captcha picture')} /> : <span className="empty">…</span>}
        <button type="button" className="link-button" onClick={captcha.refresh}>
          {t('Đổi mã khác', 'Another picture')}
        </button>
      </div>
    </div>
  );
}
