/**
 * One account request at the desk (seed 000 part B steps 2–3): the request form to download for
 * the citizen to check, the code sent by SMS to the citizen's phone (re-sent on demand, valid
 * 2 minutes, counted down here), the latest code typed in to open the account, and the result —
 * the username, and the temporary password gone by SMS. The request may be cancelled with a reason.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, ApiProblem } from '../../api';
import { downloadFile } from '../cases/authorizedFiles';
import { Button, Field, fieldError, Page, Problem, TextInput } from '../../components/ui';
import { useAction } from '../../components/useAction';
import { date, dateTime } from '../../format';
import { useI18n } from '../../i18n';
import { PaperclipIcon } from './icons';
import { STATUS_TEXT, type AccountRequestView } from './types';
import { minutesSeconds, useNow } from './useNow';

const OTP_ERRORS = ['OTP_INVALID', 'OTP_EXPIRED', 'OTP_NOT_SENT', 'OTP_LOCKED'];

function CitizenSummary({ view }: { view: AccountRequestView }) {
  const { t } = useI18n();
  const c = view.citizen;
  return (
    <div className="acc-columns">
      <fieldset>
        <legend>{t('Thông tin công dân', 'Citizen')}</legend>
        <dl className="acc-facts">
          <dt>{t('Số CMND/CCCD', 'ID number')}</dt>
          <dd className="mono">{c.idNumber}</dd>
          <dt>{t('Họ và tên', 'Full name')}</dt>
          <dd>{c.fullName}</dd>
          <dt>{t('Ngày sinh', 'Date of birth')}</dt>
          <dd>{date(c.birthDate)}</dd>
          <dt>{t('Số điện thoại', 'Phone')}</dt>
          <dd className="mono">{c.phone}</dd>
          <dt>{t('Email', 'E-mail')}</dt>
          <dd>{c.email ?? '—'}</dd>
          <dt>{t('Đính kèm CCCD/CMND', 'ID card scan')}</dt>
          <dd>
            <PaperclipIcon /> {view.idScan.originalName ?? view.idScan.fileId}
          </dd>
        </dl>
      </fieldset>
      <fieldset>
        <legend>{t('Thông tin cán bộ', 'Officer')}</legend>
        <dl className="acc-facts">
          <dt>{t('Cán bộ', 'Officer')}</dt>
          <dd>{view.officer.fullName}</dd>
          <dt>{t('Số điện thoại', 'Phone')}</dt>
          <dd className="mono">{view.officer.phone ?? '—'}</dd>
          <dt>{t('Đơn vị', 'Unit')}</dt>
          <dd>{view.unit.name}</dd>
          <dt>{t('Thời gian tạo', 'Created at')}</dt>
          <dd>{dateTime(view.startedAt)}</dd>
        </dl>
      </fieldset>
    </div>
  );
}

function CancelBox(props: { requestId: string; onDone: (view: AccountRequestView) => void }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, problem, run } = useAction();
  function cancel() {
    void run(async () => {
      props.onDone(await api<AccountRequestView>('POST', `/api/citizen-accounts/requests/${encodeURIComponent(props.requestId)}/cancel`, { body: { reason } }));
      setOpen(false);
    });
  }
  if (!open) {
    return (
      <Button kind="secondary" onClick={() => setOpen(true)} name="cancel-request">
        {t('Hủy yêu cầu', 'Cancel the request')}
      </Button>
    );
  }
  return (
    <div className="card acc-cancel">
      <Field label={t('Lý do hủy', 'Reason')} required error={fieldError(problem, 'reason')}>
        <textarea className="input" name="reason" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </Field>
      <Problem problem={problem instanceof ApiProblem && problem.fieldProblem('reason') ? null : problem} />
      <Button kind="danger" busy={busy} onClick={cancel} name="confirm-cancel">
        {t('Xác nhận hủy', 'Confirm cancellation')}
      </Button>
      <Button kind="secondary" onClick={() => setOpen(false)}>
        {t('Không hủy', 'Keep the request')}
      </Button>
    </div>
  );
}

export function AccountRequest({ requestId }: { requestId: string }) {
  const { t } = useI18n();
  const [view, setView] = useState<AccountRequestView | null>(null);
  const [problem, setProblem] = useState<unknown>(null);
  const sending = useAction();
  const confirming = useAction();
  const downloading = useAction();
  const [otp, setOtp] = useState('');
  /** Browser clock minus the server's, learnt from the moment a code is sent: the countdown follows the server. */
  const [skew, setSkew] = useState(0);
  const path = `/api/citizen-accounts/requests/${encodeURIComponent(requestId)}`;

  const load = useCallback(async () => {
    try {
      setView(await api<AccountRequestView>('GET', path));
    } catch (err) {
      setProblem(err);
    }
  }, [path]);

  useEffect(() => {
    void load();
  }, [load]);

  // The workflow finishes some steps on its own (the form, the account, the password SMS): look again until it has.
  const settling = view !== null && (view.status === 'preparing' || view.status === 'creating' || view.account?.passwordSms === 'pending');
  useEffect(() => {
    if (!settling) return;
    const timer = setTimeout(() => void load(), 1000);
    return () => clearTimeout(timer);
  }, [settling, view, load]);

  const open = view?.status === 'awaiting_otp';
  const now = useNow(open) - skew;

  function sendOtp() {
    // A new code makes the last code's refusal moot.
    confirming.setProblem(null);
    void sending.run(async () => {
      const next = await api<AccountRequestView>('POST', `${path}/otp`);
      if (next.otp.sentAt) setSkew(Date.now() - Date.parse(next.otp.sentAt));
      setView(next);
      setOtp('');
    });
  }

  function confirm(e: FormEvent) {
    e.preventDefault();
    void confirming.run(
      async () => setView(await api<AccountRequestView>('POST', `${path}/confirm`, { body: { otp: otp.trim() } })),
      () => {
        // A wrong code changes the count of tries left; the fifth ends the request.
        void load();
      },
    );
  }

  function downloadForm() {
    const form = view?.form;
    if (!form) return;
    void downloading.run(() => downloadFile(form.url));
  }

  if (!view) {
    return (
      <Page title={t('Yêu cầu tạo tài khoản', 'Account request')}>
        <Problem problem={problem} />
      </Page>
    );
  }

  const o = view.otp;
  // The ticking clock may lag the answer by up to a second: never show more than the code's lifetime.
  const lifetime = o.expiresAt && o.sentAt ? Date.parse(o.expiresAt) - Date.parse(o.sentAt) : Infinity;
  const expiresIn = o.expiresAt ? Math.min(lifetime, Date.parse(o.expiresAt) - now) : null;
  const pause = o.nextSendAt && o.sentAt ? Date.parse(o.nextSendAt) - Date.parse(o.sentAt) : Infinity;
  const resendIn = o.nextSendAt ? Math.min(pause, Date.parse(o.nextSendAt) - now) : null;
  // The first code may always go; later ones wait out the pause, timed from the last send this screen saw.
  const canSend = open && o.nextSendAt !== null && (o.sends === 0 || (resendIn ?? 0) <= 0);
  const otpProblem = confirming.problem;
  const otpError =
    otpProblem instanceof ApiProblem && (OTP_ERRORS.includes(otpProblem.code) || otpProblem.fieldProblem('otp'))
      ? (otpProblem.fieldProblem('otp') ?? t(otpProblem.vi, otpProblem.en))
      : undefined;
  const [statusVi, statusEn] = STATUS_TEXT[view.status];

  return (
    <Page
      title={t('Tạo tài khoản công dân', 'New citizen account')}
      actions={
        <a className="btn btn-secondary" href="#/accounts">
          {t('Danh sách tài khoản', 'Account list')}
        </a>
      }
    >
      <p className="acc-request-head">
        {t('Yêu cầu', 'Request')} <span className="mono">{view.requestId}</span> —{' '}
        <span className={`acc-status acc-status-${view.status}`} data-testid="request-status">
          {t(statusVi, statusEn)}
        </span>
      </p>
      <Problem problem={problem} />
      <CitizenSummary view={view} />

      {view.status === 'created' && view.account ? (
        <div className="notice acc-ok" role="status" data-testid="account-created">
          <strong>{t('Đã tạo tài khoản cho công dân.', 'The citizen’s account is created.')}</strong>{' '}
          {t('Tên đăng nhập', 'Username')}: <span className="mono">{view.account.username}</span>.{' '}
          {view.account.passwordSms === 'pending'
            ? t('Đang gửi mật khẩu đăng nhập tới công dân qua SMS…', 'Sending the login password to the citizen by SMS…')
            : t(
                `Mật khẩu đăng nhập tạm thời đã được gửi qua SMS tới số ${view.citizen.phone}; công dân đổi mật khẩu ở lần đăng nhập đầu tiên.`,
                `The temporary password went by SMS to ${view.citizen.phone}; the citizen changes it at the first login.`,
              )}
        </div>
      ) : null}
      {view.endReason && view.status !== 'created' ? (
        <div className="problem" role="alert" data-testid="request-ended">
          {t(view.endReason.vi, view.endReason.en)}
        </div>
      ) : null}

      {open ? (
        <>
          <section className="card acc-step">
            <h2 className="acc-card-title">{t('Bước 2: Xác nhận của công dân về thông tin tài khoản', 'Step 2: the citizen confirms the account details')}</h2>
            <p className="acc-hint">
              {t(
                'Tải xuống giấy đề nghị tạo tài khoản để công dân kiểm tra và xác nhận thông tin, rồi gửi mã OTP tới số điện thoại công dân đã đăng ký. Nếu công dân không nhận được, chọn Gửi mã OTP để gửi lại.',
                'Download the request form for the citizen to check, then send the code to the citizen’s phone. If it does not arrive, send it again.',
              )}
            </p>
            <Button kind="secondary" busy={downloading.busy} disabled={!view.form} onClick={downloadForm} name="download-form">
              {t('Tải xuống', 'Download')}
            </Button>
            <Button busy={sending.busy} disabled={!canSend} onClick={sendOtp} name="send-otp">
              {t('Gửi mã OTP', 'Send the code')}
            </Button>
            <span className="acc-pacing" data-testid="otp-pacing">
              {o.sends > 0 ? t(`Đã gửi ${o.sends} lần, lần gần nhất lúc ${dateTime(o.sentAt)}.`, `Sent ${o.sends} time(s), last at ${dateTime(o.sentAt)}.`) : null}{' '}
              {o.sends > 0 && o.nextSendAt === null ? t('Đã hết số lần gửi lại.', 'No more codes may be sent.') : null}
              {resendIn !== null && resendIn > 0 ? t(`Có thể gửi lại sau ${Math.ceil(resendIn / 1000)} giây.`, `Can be re-sent in ${Math.ceil(resendIn / 1000)} s.`) : null}
            </span>
            <Problem problem={downloading.problem ?? sending.problem} />
          </section>
          <form className="card acc-step acc-otp" onSubmit={confirm}>
            <h2 className="acc-card-title">{t('Bước 3: Đăng ký tài khoản', 'Step 3: open the account')}</h2>
            <p className="acc-otp-text">
              <em>
                {t(
                  'Anh/chị nhập mã OTP gồm 6 số đã được gửi tới số điện thoại đăng ký của công dân (OTP chỉ có hiệu lực trong vòng 2 phút)',
                  'Enter the 6-digit code sent to the citizen’s registered phone (the code is valid for 2 minutes)',
                )}
              </em>
            </p>
            <Field label={t('Nhập OTP', 'Code')} required error={otpError}>
              <TextInput name="otp" inputMode="numeric" autoComplete="one-time-code" maxLength={6} value={otp} onChange={(e) => setOtp(e.target.value.replace(/\D/g, ''))} />
            </Field>
            <p className="acc-countdown" data-testid="otp-countdown" aria-live="polite">
              {o.sends === 0
                ? t('Chưa gửi mã OTP.', 'No code sent yet.')
                : expiresIn !== null && expiresIn > 0
                  ? t(`Mã OTP còn hiệu lực ${minutesSeconds(expiresIn)}`, `The code is valid for ${minutesSeconds(expiresIn)}`)
                  : t('Mã OTP đã hết hiệu lực, hãy gửi lại mã OTP.', 'The code has expired; send a new one.')}
              {o.wrongTries > 0 && !otpError ? t(` — còn ${o.triesLeft} lần nhập`, ` — ${o.triesLeft} tries left`) : null}
            </p>
            <Button type="submit" busy={confirming.busy} disabled={o.sends === 0 || otp.length !== 6} name="create-account">
              {t('Tạo tài khoản', 'Create the account')}
            </Button>
            {otpProblem && !otpError ? <Problem problem={otpProblem} /> : null}
          </form>
          <CancelBox requestId={view.requestId} onDone={setView} />
        </>
      ) : null}
      {view.status === 'preparing' || view.status === 'creating' ? <p className="notice">{t('Đang xử lý…', 'Working…')}</p> : null}
    </Page>
  );
}
