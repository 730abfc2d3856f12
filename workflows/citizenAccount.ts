/**
 * One attempt at the one-stop desk to open a citizen's portal account (seed 000 part B, seed 002):
 *
 *   step 1  officer, ACCOUNT_CREATE   the ID number is looked up: an existing account ends the
 *                                     request, none is created; the ID scan is filed
 *   step 2  officer + citizen         the request form (PDF) is downloaded for the citizen to check
 *                                     and confirm; a 6-digit code is sent by SMS, re-sent on demand
 *                                     (only the latest code is valid, each for 2 minutes)
 *   step 3  officer                   the latest code entered → the account is opened, exactly once,
 *                                     and its temporary password sent by SMS (changed at first login)
 *
 * At most 5 wrong codes end the request, as does an officer's cancellation or, by itself, a
 * request nobody touched for 30 minutes. Codes reach the workflow only as keyed digests
 * (infra/otpCodes.ts), so the history holds no usable code. The API checks who may act.
 */
import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { CitizenAccountActivities } from '../activities/citizenAccount';
import { accountFailure, asAccountFailure } from './citizenAccount/failures';
import { accountRequestQuery, cancelRequestUpdate, citizenAccountWorkflowId, confirmOtpUpdate, sendOtpUpdate } from './citizenAccount/messages';
import {
  CLOSED_STATUSES,
  DEFAULT_ACCOUNT_REQUEST_RULES,
  type AccountRequestEvent,
  type AccountRequestInput,
  type AccountRequestStatus,
  type AccountRequestView,
  type ConfirmOtpInput,
  type OfficerActionInput,
} from './citizenAccount/types';

/** Bookkeeping and the password SMS: retried until they succeed. */
const background = proxyActivities<CitizenAccountActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/** What the officer waits for at the desk: a few quick attempts, then the update fails and may be retried. */
const interactive = proxyActivities<CitizenAccountActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 4 },
});

const iso = (ms: number) => new Date(ms).toISOString();

export async function citizenAccount(input: AccountRequestInput): Promise<AccountRequestView> {
  const rules = { ...DEFAULT_ACCOUNT_REQUEST_RULES, ...(input.rules ?? {}) };
  const startedAt = Date.now();
  let status: AccountRequestStatus = 'preparing';
  let version = 0;
  let busy = false;
  let lastActionAt = startedAt;
  let endedAt: number | null = null;
  let endReason: AccountRequestView['endReason'] = null;
  let existingAccount: AccountRequestView['existingAccount'] = null;
  let form: AccountRequestView['form'] = null;
  let idScanPath = '';
  let account: AccountRequestView['account'] = null;
  const otp = { sends: 0, sentAt: null as number | null, expiresAt: null as number | null, expired: false, digest: '', wrongTries: 0 };
  const events: AccountRequestEvent[] = [];

  const closed = () => CLOSED_STATUSES.includes(status);
  // Handlers change these between awaits; read through functions so no narrowing outlives an await.
  const currentStatus = (): AccountRequestStatus => status;
  const createdAccount = () => account;

  function record(type: string, by: OfficerActionInput | null, details?: Record<string, unknown>): void {
    events.push({ at: iso(Date.now()), type, by: by ? `${by.fullName} (${by.officerId})` : null, ...(details ? { details } : {}) });
    version += 1;
  }

  function close(to: AccountRequestStatus, reason: { vi: string; en: string } | null): void {
    status = to;
    endReason = reason;
    endedAt = Date.now();
  }

  function nextSendAt(): number | null {
    if (otp.sends >= rules.maxSends) return null;
    return otp.sentAt === null ? Date.now() : otp.sentAt + rules.resendAfterMs;
  }

  function view(): AccountRequestView {
    const next = status === 'awaiting_otp' ? nextSendAt() : null;
    return {
      requestId: input.requestId,
      status,
      citizen: input.citizen,
      unit: input.unit,
      officer: input.officer,
      idScan: input.idScan,
      startedAt: iso(startedAt),
      form,
      otp: {
        sends: otp.sends,
        sentAt: otp.sentAt === null ? null : iso(otp.sentAt),
        expiresAt: otp.expiresAt === null ? null : iso(otp.expiresAt),
        expired: otp.expired,
        wrongTries: otp.wrongTries,
        triesLeft: Math.max(0, rules.maxWrongTries - otp.wrongTries),
        nextSendAt: next === null ? null : iso(next),
      },
      account,
      endReason,
      existingAccount,
      endedAt: endedAt === null ? null : iso(endedAt),
      abandonsAt: closed() || status === 'creating' ? null : iso(lastActionAt + rules.abandonAfterMs),
      events: [...events],
    };
  }

  async function project(): Promise<void> {
    if (!form) return; // the row is written with the form
    await background.projectAccountRequest({
      requestId: input.requestId,
      status,
      otpSends: otp.sends,
      otpWrongTries: otp.wrongTries,
      accountId: account?.accountId ?? null,
      updatedAt: iso(Date.now()),
      endedAt: endedAt === null ? null : iso(endedAt),
      endReason: endReason?.vi ?? null,
    });
  }

  setHandler(accountRequestQuery, view);

  function requireAwaitingOtp(verb: string): void {
    if (status === 'awaiting_otp' && !busy) return;
    const why = busy ? 'đang xử lý một thao tác khác, thử lại sau giây lát' : `đang ở trạng thái “${status}”`;
    throw accountFailure('WRONG_STATE', `Không thể ${verb}: yêu cầu ${input.requestId} ${why}.`, `Cannot ${verb}: request ${input.requestId} is ${busy ? 'busy' : status}.`, { status });
  }

  // ——— Step 2: the code, sent and re-sent ———

  setHandler(
    sendOtpUpdate,
    async (by) => {
      busy = true;
      try {
        const sendNo = otp.sends + 1;
        const sent = await interactive.sendAccountOtp({
          requestId: input.requestId,
          sendNo,
          phone: input.citizen.phone,
          ttlMinutes: Math.round(rules.otpTtlMs / 60_000),
          unitName: input.unit.name,
        });
        const at = Date.now();
        Object.assign(otp, { sends: sendNo, sentAt: at, expiresAt: at + rules.otpTtlMs, expired: false, digest: sent.codeDigest });
        lastActionAt = at;
        record('otp.sent', by, { sendNo, expiresAt: iso(at + rules.otpTtlMs) });
      } catch (err) {
        throw asAccountFailure(err);
      } finally {
        busy = false;
      }
      await project();
      return view();
    },
    {
      validator: (_by: OfficerActionInput) => {
        requireAwaitingOtp('gửi mã OTP');
        const next = nextSendAt();
        if (next === null) {
          throw accountFailure(
            'OTP_SEND_LIMIT',
            `Đã gửi mã OTP ${rules.maxSends} lần cho yêu cầu này. Kiểm tra lại số điện thoại; nếu vẫn không nhận được, đề nghị công dân khởi động lại điện thoại và tạo yêu cầu mới.`,
            `The code was already sent ${rules.maxSends} times for this request.`,
            { maxSends: rules.maxSends },
          );
        }
        const waitMs = next - Date.now();
        if (waitMs > 0) {
          const seconds = Math.ceil(waitMs / 1000);
          throw accountFailure(
            'OTP_RESEND_TOO_SOON',
            `Vừa gửi mã OTP: vui lòng chờ ${seconds} giây rồi mới gửi lại.`,
            `A code was just sent: wait ${seconds} s before sending again.`,
            { retryAfterSeconds: seconds, nextSendAt: iso(next) },
          );
        }
      },
    },
  );

  // ——— Step 3: the latest code → the account ———

  function checkCodeUsable(): void {
    requireAwaitingOtp('tạo tài khoản');
    if (otp.sends === 0) {
      throw accountFailure('OTP_NOT_SENT', 'Chưa gửi mã OTP cho công dân: chọn “Gửi mã OTP” trước.', 'No code has been sent yet: send one first.');
    }
    if (otp.expired || Date.now() >= (otp.expiresAt ?? 0)) {
      throw accountFailure(
        'OTP_EXPIRED',
        `Mã OTP đã hết hiệu lực (chỉ có hiệu lực ${Math.round(rules.otpTtlMs / 60_000)} phút): chọn “Gửi mã OTP” để gửi mã mới.`,
        'The code has expired: send a new one.',
        { expiresAt: otp.expiresAt === null ? null : iso(otp.expiresAt) },
      );
    }
  }

  setHandler(
    confirmOtpUpdate,
    async (by) => {
      checkCodeUsable();
      lastActionAt = Date.now();
      if (by.codeDigest !== otp.digest) {
        otp.wrongTries += 1;
        const triesLeft = rules.maxWrongTries - otp.wrongTries;
        record('otp.wrong', by, { wrongTries: otp.wrongTries });
        if (triesLeft <= 0) {
          close('too_many_wrong_codes', {
            vi: `Nhập sai mã OTP ${rules.maxWrongTries} lần: yêu cầu đã kết thúc, chưa tạo tài khoản. Lập yêu cầu mới để tiếp tục.`,
            en: `${rules.maxWrongTries} wrong codes: the request has ended without an account. Start a new request.`,
          });
          await project();
          throw accountFailure('OTP_LOCKED', endReason!.vi, endReason!.en, { maxWrongTries: rules.maxWrongTries });
        }
        await project();
        throw accountFailure(
          'OTP_INVALID',
          `Mã OTP không đúng (chỉ mã được gửi gần nhất còn hiệu lực). Còn ${triesLeft} lần nhập.`,
          `Wrong code (only the latest code sent is valid). ${triesLeft} tries left.`,
          { triesLeft },
        );
      }
      status = 'creating';
      record('otp.confirmed', by);
      try {
        const created = await interactive.createCitizenAccount({
          requestId: input.requestId,
          citizen: input.citizen,
          unitId: input.unit.id,
          unitName: input.unit.name,
          officerId: input.officer.officerId,
          idScanPath,
          idScanSha256: input.idScan.sha256,
          createdAt: iso(Date.now()),
        });
        account = { ...created, passwordSms: 'pending' };
        status = 'created';
        endedAt = Date.now();
        record('account.created', by, { accountId: created.accountId });
      } catch (err) {
        const failure = asAccountFailure(err);
        if (failure.type === 'ACCOUNT_EXISTS') {
          close('account_exists', { vi: failure.message.split(' / ')[0]!, en: failure.message.split(' / ')[1] ?? failure.message });
          record('account.exists', null);
        } else {
          status = 'awaiting_otp';
        }
        await project();
        throw failure;
      }
      await project();
      return view();
    },
    { validator: (_by: ConfirmOtpInput) => checkCodeUsable() },
  );

  setHandler(
    cancelRequestUpdate,
    async (by) => {
      close('cancelled', { vi: `Công chức ${by.fullName} hủy yêu cầu: ${by.reason}`, en: `Cancelled by ${by.fullName}: ${by.reason}` });
      record('cancelled', by, { reason: by.reason });
      await project();
      return view();
    },
    {
      validator: (by) => {
        if (typeof by?.reason !== 'string' || by.reason.trim() === '') {
          throw accountFailure('INVALID_INPUT', 'Cần ghi lý do hủy yêu cầu.', 'A reason is required to cancel.');
        }
        requireAwaitingOtp('hủy yêu cầu');
      },
    },
  );

  // ——— Step 1: look up, file the scan, prepare the form ———

  const existing = await background.lookupCitizenAccount({ idNumber: input.citizen.idNumber });
  if (existing) {
    existingAccount = existing;
    close('account_exists', {
      vi: `Công dân có số CCCD/CMND ${input.citizen.idNumber} đã có tài khoản (tạo ngày ${existing.createdAt.slice(0, 10)}): thông báo cho công dân, không tạo mới.`,
      en: `An account already exists for ID number ${input.citizen.idNumber}; none is created.`,
    });
    record('account.exists', null, { createdAt: existing.createdAt });
    return view();
  }
  const prepared = await background.prepareAccountRequest({
    requestId: input.requestId,
    workflowId: citizenAccountWorkflowId(input.requestId),
    citizen: input.citizen,
    unit: input.unit,
    officer: input.officer,
    idScan: input.idScan,
    startedAt: iso(startedAt),
  });
  idScanPath = prepared.idScanPath;
  form = prepared.form;
  status = 'awaiting_otp';
  record('form.ready', null, { path: form.path });

  // ——— Timers: the code's 2 minutes, and the request left alone ———

  while (!closed()) {
    const seen = version;
    if (currentStatus() === 'creating') {
      await condition(() => status !== 'creating');
      continue;
    }
    const abandonAt = lastActionAt + rules.abandonAfterMs;
    const codeEndsAt = otp.expiresAt !== null && !otp.expired ? otp.expiresAt : Infinity;
    const wakeAt = Math.min(abandonAt, codeEndsAt);
    const changed = await condition(() => version !== seen || closed(), Math.max(1, wakeAt - Date.now()));
    if (changed || busy) continue;
    if (Date.now() >= codeEndsAt && otp.expiresAt !== null) {
      otp.expired = true;
      record('otp.expired', null, { sendNo: otp.sends });
      await project();
    } else if (Date.now() >= abandonAt) {
      close('abandoned', {
        vi: `Yêu cầu không được xử lý tiếp trong ${Math.round(rules.abandonAfterMs / 60_000)} phút nên đã tự kết thúc, chưa tạo tài khoản.`,
        en: `Nothing happened for ${Math.round(rules.abandonAfterMs / 60_000)} minutes: the request ended without an account.`,
      });
      record('abandoned', null);
      await project();
    }
  }

  const opened = createdAccount();
  if (opened !== null) {
    const sent = await background.sendTemporaryPassword({ accountId: opened.accountId, phone: input.citizen.phone, unitName: input.unit.name });
    account = { ...opened, passwordSms: sent.status };
    record('password.sent', null, { status: sent.status });
    await project();
  }
  // An update that closed the request is still answering its caller.
  await condition(allHandlersFinished);
  return view();
}
