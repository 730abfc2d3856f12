/**
 * Handing over the certified copy (seed 000 step 4): it goes into the document lists of the
 * officers who handled the case and of the leader who signed, into the citizen's portal documents
 * (kept under the citizen's ID number, so a portal account opened later finds it too), and by
 * e-mail with the PDF attached. The e-mail goes through the mail outbox, keyed by the case: a
 * retried activity never sends it twice, and every failed attempt is recorded there for the case
 * view to show.
 */
import type { DataSource } from 'typeorm';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { RaiseAlert } from '../../infra/alerts/raiseAlert';
import { MailSendError, type MailOutbox } from '../../infra/mail/mailOutbox';
import type { CitizenData, DeliveryChannelView, OfficerRef, UnitRef } from '../../workflows/certification/types';
import { caseDocumentsInsert } from './caseDocuments';
import { formatLocalDate, formatViDate } from '../../domain/calendar';

export interface DeliverResultInput {
  caseCode: string;
  unit: UnitRef;
  certificationNumber: string;
  resultPath: string;
  resultSha256: string;
  citizen: CitizenData;
  receivedBy: OfficerRef;
  signer: OfficerRef;
  sealer: OfficerRef;
  deliveredAt: string;
  /**
   * Delivery also makes the e-mail's first attempt (bounded by FIRST_EMAIL_WAIT_MS): when it goes
   * through, the case completes without an activity of its own for the e-mail.
   */
  firstEmail?: boolean;
}

/**
 * The e-mail's first attempt, made by delivery: sent, or why not (a refusal for good is not asked
 * again), or none for a citizen without an address.
 */
export type FirstEmail = { sent: EmailedResult } | { error: string; permanent: boolean } | { skipped: 'no-address' };

export interface DeliveryRecord {
  channels: DeliveryChannelView[];
  /** Present when the input asked for the e-mail's first attempt. */
  email?: FirstEmail;
}

export interface EmailedResult {
  messageId: string;
  status: 'sent' | 'already_sent';
}

export interface DeliveryDeps {
  db: DataSource;
  mail: MailOutbox;
  /** A file the case recorded; fails when it is missing or changed since. */
  readRecorded(relative: string, expectedSha: string): Promise<Buffer>;
  /** Tells the "Gửi thư cho công dân" subscribers when the citizen's e-mail finally failed. */
  alerts?: RaiseAlert;
}

/** The workflow's attempts at the citizen's e-mail (workflows/certification.ts), when the engine does not say. */
export const RESULT_EMAIL_MAX_ATTEMPTS = 30;

/**
 * How long delivery waits for the e-mail's first attempt: a mail server that does not answer
 * sooner is left to the e-mail's own retries, so delivery never waits on it for its time limit.
 */
export const FIRST_EMAIL_WAIT_MS = 10_000;

/** This attempt is the last the retry policy allows (or the failure is one no retry can help). */
function lastAttempt(permanent: boolean): boolean {
  if (permanent) return true;
  const info = Context.current().info;
  return info.attempt >= (info.retryPolicy?.maximumAttempts || RESULT_EMAIL_MAX_ATTEMPTS);
}

export function resultEmailKey(caseCode: string): string {
  return `case:${caseCode}:result`;
}

export function createDeliveryActivities(deps: DeliveryDeps) {
  const { db } = deps;
  const theCopy = (input: DeliverResultInput) => deps.readRecorded(input.resultPath, input.resultSha256);

  /**
   * The copy to the citizen through the outbox; `final` says whether a failure ends the attempts
   * (then the alert goes out); `read` is the copy when the caller has read it already.
   */
  async function sendResultEmail(input: DeliverResultInput, final: (permanent: boolean) => boolean, read?: Buffer): Promise<EmailedResult> {
    const to = input.citizen.email;
    if (!to) throw new Error('the citizen gave no e-mail address');
    const copy = read ?? (await theCopy(input));
    const day = formatViDate(formatLocalDate(Date.parse(input.deliveredAt)));
    const sent = await deps.mail.send({
      key: resultEmailKey(input.caseCode),
      caseCode: input.caseCode,
      to,
      subject: `[${input.unit.name}] Bản sao chứng thực điện tử số ${input.certificationNumber}`,
      text: [
        `Kính gửi Ông/Bà ${input.citizen.fullName},`,
        '',
        `${input.unit.name} gửi Ông/Bà bản sao điện tử được chứng thực từ bản chính, hồ sơ ${input.caseCode},`,
        `số chứng thực ${input.certificationNumber}, hoàn thành ngày ${day}.`,
        '',
        'Tệp PDF đính kèm mang chữ ký số của người có thẩm quyền và con dấu số của cơ quan; có thể kiểm tra',
        'tính hợp lệ bằng cách quét mã QR trên trang cuối của bản sao.',
        '',
        'Thư này được gửi tự động, vui lòng không trả lời.',
      ].join('\n'),
      attachments: [{ filename: `ban-sao-chung-thuc-${input.caseCode}.pdf`, content: copy, contentType: 'application/pdf' }],
    }).catch(async (err: unknown) => {
      const permanent = err instanceof MailSendError && !err.retryable;
      if (deps.alerts && final(permanent)) {
        const since = new Date(Context.current().info.scheduledTimestampMs);
        await deps.alerts({
          kind: 'citizen-mail',
          failureKey: `citizen-mail:${input.caseCode}`,
          unitId: input.unit.id,
          title: `Không gửi được bản sao hồ sơ ${input.caseCode} qua email cho công dân`,
          detail: `Gửi tới ${to} thất bại sau ${Context.current().info.attempt} lần thử: ${err instanceof Error ? err.message : String(err)}`.slice(0, 1_000),
          since,
          link: `/#/cases/${encodeURIComponent(input.caseCode)}`,
        }).catch((e: unknown) => console.error(`alert for ${input.caseCode}'s e-mail could not be recorded: ${String(e)}`));
      }
      // A server that refuses this message for good (a bad address) is not asked again.
      if (permanent) throw ApplicationFailure.nonRetryable(err.message, err.code);
      throw err;
    });
    return { messageId: sent.messageId, status: sent.status };
  }

  /** The e-mail's first attempt within delivery: only a refusal for good is final here. */
  async function firstEmail(input: DeliverResultInput, copy: Buffer): Promise<FirstEmail> {
    const attempt = sendResultEmail(input, (permanent) => permanent, copy).then(
      (sent): FirstEmail => ({ sent }),
      (err: unknown): FirstEmail => ({ error: err instanceof Error ? err.message : String(err), permanent: err instanceof ApplicationFailure && err.nonRetryable === true }),
    );
    let timer: NodeJS.Timeout | undefined;
    const slow = new Promise<FirstEmail>((resolve) => {
      timer = setTimeout(() => resolve({ error: `máy chủ thư chưa trả lời sau ${FIRST_EMAIL_WAIT_MS / 1000} giây / no answer from the mail server within ${FIRST_EMAIL_WAIT_MS / 1000} s`, permanent: false }), FIRST_EMAIL_WAIT_MS);
    });
    try {
      return await Promise.race([attempt, slow]);
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async deliverResult(input: DeliverResultInput): Promise<DeliveryRecord> {
      const copy = await theCopy(input);
      const title = `Bản sao chứng thực số ${input.certificationNumber} (hồ sơ ${input.caseCode})`;
      const base = { caseCode: input.caseCode, unitId: input.unit.id, kind: 'certified_copy' as const, title, path: input.resultPath, sha256: input.resultSha256, bytes: copy.length, at: input.deliveredAt };
      const holders: Array<[OfficerRef, string]> = [
        [input.receivedBy, 'receiver'],
        [input.signer, 'signer'],
        [input.sealer, 'sealer'],
      ];
      const documents = [...holders.map(([officer, role]) => ({ ...base, holderKind: 'officer' as const, holderId: officer.officerId, role })), { ...base, holderKind: 'citizen' as const, holderId: input.citizen.citizenId, role: 'citizen' }];
      const insert = caseDocumentsInsert(documents, 6);
      // One statement, so all or nothing without a transaction; the portal tells the citizen once, however often delivery runs.
      await db.query(
        `with documents as (${insert.sql} returning 1)
         insert into citizen_notifications (id_number, kind, title, body, link, dedupe_key, created_at) values ($1, 'copy_delivered', $2, $3, '/api/citizen/documents', $4, $5)
         on conflict (dedupe_key) do nothing`,
        [input.citizen.citizenId, `Đã có bản sao chứng thực số ${input.certificationNumber}`, `${title} do ${input.unit.name} cấp đã có trong mục Giấy tờ của bạn.`, `case:${input.caseCode}:delivered`, new Date(input.deliveredAt), ...insert.params],
      );
      const officers = [...new Map([input.receivedBy, input.sealer].map((o) => [o.officerId, o.fullName])).values()].join(', ');
      const email: FirstEmail | undefined = !input.firstEmail ? undefined : input.citizen.email ? await firstEmail(input, copy) : { skipped: 'no-address' };
      return {
        ...(email ? { email } : {}),
        channels: [
          { channel: 'officer_account', status: 'delivered', detail: officers },
          { channel: 'leader_account', status: 'delivered', detail: input.signer.fullName },
          {
            channel: 'portal',
            status: 'delivered',
            detail: input.citizen.portalAccountId
              ? `tài khoản cổng ${input.citizen.portalAccountId}`
              : `kho giấy tờ theo số định danh ${input.citizen.citizenId}; hiện trong tài khoản cổng của công dân / kept under the citizen's ID number for the portal`,
          },
          input.citizen.email
            ? { channel: 'email', status: 'queued', detail: input.citizen.email }
            : { channel: 'email', status: 'skipped', detail: 'không có địa chỉ thư điện tử / no e-mail address' },
        ],
      };
    },

    emailResult(input: DeliverResultInput): Promise<EmailedResult> {
      return sendResultEmail(input, lastAttempt);
    },
  };
}
