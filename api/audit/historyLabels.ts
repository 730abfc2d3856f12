/**
 * The words of the case timeline: what each officer action (workflow update) and each activity of
 * the certification and citizen-account workflows is called, in Vietnamese and English, and how
 * instants are written (hh:mm dd/mm/yyyy, Hà Nội time). Names not listed here are still shown,
 * under their technical name, so a workflow that grows a new action never loses lines.
 */
import { formatLocalDate, formatLocalTime, formatViDate } from '../../domain/calendar';
import { REFUSAL_GROUNDS, type RefusalGround } from '../../domain/certification/refusalGrounds';

export interface Bilingual {
  vi: string;
  en: string;
}

/** 'hh:mm dd/mm/yyyy' in Hà Nội time. */
export function viInstant(ms: number): string {
  return `${formatLocalTime(ms)} ${formatViDate(formatLocalDate(ms))}`;
}

type Input = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const obj = (v: unknown): Input | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Input) : undefined);

const STEP_NAMES: Record<string, Bilingual> = {
  receive: { vi: 'tiếp nhận, trình ký (bước 2)', en: 'reception (step 2)' },
  sign: { vi: 'lãnh đạo ký (bước 3)', en: "leader's signature (step 3)" },
  seal: { vi: 'cấp số, đóng dấu (bước 4)', en: 'number and seal (step 4)' },
  deliver: { vi: 'trả kết quả', en: 'delivery' },
};

export function stepName(step: unknown): Bilingual {
  const s = str(step);
  return (s && STEP_NAMES[s]) || { vi: s ?? 'không rõ', en: s ?? 'unknown' };
}

const STATUS_NAMES: Record<string, Bilingual> = {
  receiving: { vi: 'chờ tiếp nhận, trình ký', en: 'being received' },
  signing: { vi: 'chờ lãnh đạo ký', en: 'waiting for signature' },
  sealing: { vi: 'chờ cấp số, đóng dấu', en: 'waiting for number and seal' },
  delivering: { vi: 'đang trả kết quả', en: 'being delivered' },
  completed: { vi: 'đã hoàn thành', en: 'completed' },
  refused: { vi: 'đã từ chối chứng thực', en: 'refused' },
  withdrawn: { vi: 'công dân đã rút hồ sơ', en: 'withdrawn by the citizen' },
};

export function statusName(status: unknown): Bilingual {
  const s = str(status);
  return (s && STATUS_NAMES[s]) || { vi: s ?? 'không rõ', en: s ?? 'unknown' };
}

/** An officer action: its name, and the particulars of this call worth reading (reason, ground…). */
export function updateText(name: string, input: Input | undefined): Bilingual {
  const i = input ?? {};
  const reason = str(i.reason);
  switch (name) {
    case 'attachScan': {
      const files = 1 + (Array.isArray(i.moreScans) ? i.moreScans.length : 0);
      const brought = i.broughtByCitizen === true ? { vi: ', bản quét do công dân mang đến', en: ', brought by the citizen' } : { vi: '', en: '' };
      return { vi: `Đính kèm bản quét bản chính (${files} tệp${brought.vi})`, en: `Attach the scan of the original (${files} file(s)${brought.en})` };
    }
    case 'setComplex': {
      const why = reason ? `: ${reason}` : '';
      return i.complex === true
        ? { vi: `Đánh dấu hồ sơ phức tạp (16 giờ làm việc cho bước 2, gia hạn hạn trả kết quả tương ứng)${why}`, en: `Mark the case complex (16 working hours for step 2, the overall deadline extended to fit)${why}` }
        : { vi: `Bỏ đánh dấu hồ sơ phức tạp${why}`, en: `Mark the case not complex${why}` };
    }
    case 'correctOriginals': {
      const count = Array.isArray(i.documents) ? i.documents.length : '?';
      return { vi: `Sửa bản chính đã khai (${count} bản chính)${reason ? `: ${reason}` : ''}`, en: `Correct the originals declared (${count})${reason ? `: ${reason}` : ''}` };
    }
    case 'submit':
      return { vi: 'Trình lãnh đạo ký', en: 'Submit for signature' };
    case 'sign':
      return { vi: 'Ký bản sao điện tử', en: 'Sign the copy' };
    case 'returnToOfficer':
      return { vi: `Trả lại hồ sơ cho cán bộ tiếp nhận: ${reason ?? ''}`.trim(), en: `Return the case to the receiving officer: ${reason ?? ''}`.trim() };
    case 'seal':
      return { vi: 'Cấp số chứng thực và đóng dấu', en: 'Number and seal' };
    case 'refuse': {
      const ground = str(i.ground);
      const groundText = ground && ground in REFUSAL_GROUNDS ? REFUSAL_GROUNDS[ground as RefusalGround] : ground ?? '';
      const note = str(i.note);
      return { vi: `Từ chối chứng thực: ${groundText}${note ? ` — ${note}` : ''}`, en: `Refuse: ${ground ?? ''}${note ? ` — ${note}` : ''}` };
    }
    case 'extend': {
      const days = num(i.workingDays);
      const agreement = str(i.writtenAgreementRef);
      const tail = agreement ? ` (văn bản đồng ý: ${agreement})` : '';
      return {
        vi: `Gia hạn ${days ?? '?'} ngày làm việc: ${reason ?? ''}${tail}`,
        en: `Extend by ${days ?? '?'} working day(s): ${reason ?? ''}${agreement ? ` (written agreement: ${agreement})` : ''}`,
      };
    }
    case 'withdraw':
      return { vi: `Rút hồ sơ theo yêu cầu của công dân: ${reason ?? ''}`.trim(), en: `Withdraw at the citizen's request: ${reason ?? ''}`.trim() };
    case 'sendOtp':
      return { vi: 'Gửi mã xác nhận (OTP) qua SMS cho công dân', en: 'Send the confirmation code by SMS' };
    case 'confirmOtp':
      return { vi: 'Nhập mã xác nhận của công dân', en: "Enter the citizen's code" };
    case 'cancelRequest':
      return { vi: `Hủy yêu cầu mở tài khoản: ${reason ?? ''}`.trim(), en: `Cancel the account request: ${reason ?? ''}`.trim() };
    default:
      return { vi: `Thao tác "${name}"`, en: `Action "${name}"` };
  }
}

/** What an activity is, by its type name. */
export function activityName(type: string): Bilingual {
  return (
    ACTIVITY_NAMES[type] ?? {
      vi: `Tác vụ "${type}"`,
      en: `Activity "${type}"`,
    }
  );
}

const ACTIVITY_NAMES: Record<string, Bilingual> = {
  verifyScan: { vi: 'Kiểm tra và lưu bản quét', en: 'Check and store the scan' },
  signCopy: { vi: 'Tạo bản sao và ký số của lãnh đạo', en: "Render the copy and apply the leader's signature" },
  sealAndNumber: { vi: 'Cấp số chứng thực và đóng dấu số của UBND xã', en: "Number the copy and apply the commune's seal" },
  deliverResult: { vi: 'Chuyển bản sao vào tài khoản cán bộ và cổng công dân', en: 'Deliver the copy to officers and the portal' },
  emailResult: { vi: 'Gửi bản sao qua email cho công dân', en: 'E-mail the copy to the citizen' },
  notifyDeadline: { vi: 'Báo thời hạn', en: 'Deadline notice' },
  issueApologySlip: { vi: 'Lập phiếu xin lỗi và hẹn lại ngày trả kết quả', en: 'Issue the apology slip with a new appointment' },
  issueRefusalNotice: { vi: 'Lập thông báo từ chối gửi công dân', en: 'Issue the refusal notice to the citizen' },
  noticeCitizen: { vi: 'Báo công dân hẹn trả kết quả mới (SMS, cổng dịch vụ công)', en: 'Tell the citizen of the new appointment (SMS, portal)' },
  emailCitizenNotice: { vi: 'Gửi thư điện tử báo hẹn trả kết quả mới', en: 'E-mail the citizen the new appointment' },
  projectCase: { vi: 'Cập nhật sổ theo dõi hồ sơ', en: 'Update the case list' },
  recordCaseEvent: { vi: 'Ghi sự kiện hồ sơ', en: 'Record a case event' },
  lookupCitizenAccount: { vi: 'Tra cứu tài khoản công dân', en: "Look up the citizen's account" },
  prepareAccountRequest: { vi: 'Lưu bản quét CCCD và lập phiếu đề nghị', en: 'File the ID scan and prepare the request form' },
  sendAccountOtp: { vi: 'Gửi mã OTP qua SMS', en: 'Send the code by SMS' },
  createCitizenAccount: { vi: 'Mở tài khoản công dân', en: 'Open the citizen account' },
  sendTemporaryPassword: { vi: 'Gửi mật khẩu tạm qua SMS', en: 'Send the temporary password by SMS' },
  projectAccountRequest: { vi: 'Cập nhật danh sách yêu cầu', en: 'Update the request list' },
};

const CHANNELS: Record<string, Bilingual> = {
  officer_account: { vi: 'tài khoản cán bộ tiếp nhận', en: "receiving officer's account" },
  leader_account: { vi: 'tài khoản lãnh đạo', en: "leader's account" },
  portal: { vi: 'cổng dịch vụ công', en: 'citizen portal' },
  email: { vi: 'email', en: 'e-mail' },
};

const CHANNEL_STATUSES: Record<string, Bilingual> = {
  delivered: { vi: 'đã chuyển', en: 'delivered' },
  queued: { vi: 'đang gửi', en: 'being sent' },
  skipped: { vi: 'không áp dụng', en: 'not applicable' },
  failed: { vi: 'thất bại', en: 'failed' },
};

/** Bookkeeping activities: in the timeline, but among the technical lines. */
export const BOOKKEEPING_ACTIVITIES: ReadonlySet<string> = new Set(['projectCase', 'recordCaseEvent', 'projectAccountRequest']);

/** What a completed activity achieved, from its input and result, when that says more than its name. */
export function activityOutcome(type: string, input: Input | undefined, result: unknown): { text?: Bilingual; deadline?: number } {
  const r = obj(result) ?? {};
  const i = input ?? {};
  switch (type) {
    case 'signCopy': {
      const serial = str(r.certificateSerial);
      return serial ? { text: { vi: `chứng thư số ${serial}`, en: `certificate ${serial}` } } : {};
    }
    case 'sealAndNumber': {
      const number = str(r.certificationNumber);
      return number ? { text: { vi: `số chứng thực ${number}`, en: `number ${number}` } } : {};
    }
    case 'deliverResult': {
      const channels = Array.isArray(r.channels) ? r.channels.map(obj).filter((c): c is Input => !!c) : [];
      if (channels.length === 0) return {};
      const word = (table: Record<string, Bilingual>, key: unknown, lang: keyof Bilingual) => (str(key) && table[str(key)!]?.[lang]) ?? str(key) ?? '?';
      const list = (lang: keyof Bilingual) => channels.map((c) => `${word(CHANNELS, c.channel, lang)}: ${word(CHANNEL_STATUSES, c.status, lang)}`).join(', ');
      // Delivery makes the e-mail's first attempt: what became of it.
      const email = obj(r.email);
      const sentId = str(obj(email?.sent)?.messageId);
      const tried = sentId
        ? { vi: `; email đã gửi, thư ${sentId}`, en: `; e-mail sent, message ${sentId}` }
        : email && str(email.error)
          ? { vi: `; email lần đầu chưa gửi được: ${str(email.error)}`, en: `; e-mail's first attempt failed: ${str(email.error)}` }
          : { vi: '', en: '' };
      return { text: { vi: list('vi') + tried.vi, en: list('en') + tried.en } };
    }
    case 'emailResult': {
      const id = str(r.messageId);
      return id ? { text: { vi: `thư ${id}`, en: `message ${id}` } } : {};
    }
    case 'notifyDeadline': {
      const due = Date.parse(str(i.dueAt) ?? '');
      const kind = i.kind === 'breach' ? { vi: 'Quá hạn', en: 'Breach of' } : { vi: 'Cảnh báo sắp hết', en: 'Warning on' };
      const scope = i.scope === 'overall' ? { vi: 'thời hạn chung của hồ sơ', en: 'the overall deadline' } : { vi: `thời hạn bước ${stepName(i.step).vi}`, en: `the deadline of ${stepName(i.step).en}` };
      const names = Array.isArray(r.notified) ? r.notified.map((o) => str(obj(o)?.fullName)).filter((n): n is string => !!n) : [];
      const to = names.length > 0 ? { vi: `; đã báo: ${names.join(', ')}`, en: `; notified: ${names.join(', ')}` } : { vi: '; không có người nhận', en: '; nobody to notify' };
      const dueText = Number.isFinite(due) ? { vi: ` (hạn ${viInstant(due)})`, en: ` (due ${viInstant(due)})` } : { vi: '', en: '' };
      return { text: { vi: `${kind.vi} ${scope.vi}${dueText.vi}${to.vi}`, en: `${kind.en} ${scope.en}${dueText.en}${to.en}` }, deadline: Number.isFinite(due) ? due : undefined };
    }
    case 'issueApologySlip': {
      const at = Date.parse(str(i.newAppointmentAt) ?? '');
      return Number.isFinite(at) ? { text: { vi: `hẹn lại ${viInstant(at)}`, en: `new appointment ${viInstant(at)}` }, deadline: at } : {};
    }
    case 'issueRefusalNotice':
      return r.smsSent === true ? { text: { vi: 'đã nhắn SMS cho công dân', en: 'SMS sent to the citizen' } } : {};
    default:
      return {};
  }
}
