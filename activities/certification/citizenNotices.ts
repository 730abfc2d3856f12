/**
 * Telling the citizen of a new appointment: an extended deadline (a complex case, or an extension
 * granted by an officer) or the apology for a missed one (seed 000: "phiếu xin lỗi và hẹn lại ngày
 * trả kết quả"). By SMS when the citizen gave a phone, in the portal's notifications (kept under the
 * ID number, so a portal account opened later sees it too) and by e-mail with the slip attached.
 * Each channel is keyed by the case and the notice, so a retried activity sends nothing twice; the
 * e-mail has its own activity because a mail server may be away for hours.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { formatLocalDateTime } from '../../domain/calendar';
import { MailSendError, type MailOutbox } from '../../infra/mail/mailOutbox';
import type { SmsSender } from '../../infra/sms/smsSender';
import type { CitizenData, CitizenNoticeView, UnitRef } from '../../workflows/certification/types';

export interface CitizenNoticeInput {
  caseCode: string;
  unit: UnitRef;
  citizen: CitizenData;
  about: CitizenNoticeView['about'];
  /** Names this notice within the case (e.g. `extension-2`, `apology-1`): the channels' keys. */
  noticeId: string;
  newAppointmentAt: string;
  /** Why the appointment moved, in the citizen's words. */
  reason: string;
  at: string;
  /** The apology slip, attached to the e-mail. */
  slip?: { path: string; sha256: string };
}

export interface CitizenNoticeResult {
  channels: CitizenNoticeView['channels'];
}

export interface CitizenNoticeDeps {
  db: DataSource;
  mail: MailOutbox;
  sms?: SmsSender;
  readRecorded(relative: string, expectedSha: string): Promise<Buffer>;
}

/** "17:00 ngày 09/12/2026" */
function appointment(iso: string): string {
  const [date, time] = formatLocalDateTime(Date.parse(iso)).split(' ');
  const [y, m, d] = date!.split('-');
  return `${time} ngày ${d}/${m}/${y}`;
}

function wording(input: CitizenNoticeInput): { title: string; body: string } {
  const when = appointment(input.newAppointmentAt);
  if (input.about === 'apology') {
    return {
      title: `Xin lỗi vì trả kết quả chậm — hẹn lại ${when}`,
      body: `${input.unit.name} xin lỗi Ông/Bà vì hồ sơ chứng thực ${input.caseCode} chưa có kết quả đúng hẹn. Thời gian hẹn trả kết quả mới: ${when}.`,
    };
  }
  return {
    title: `Hồ sơ ${input.caseCode} được gia hạn đến ${when}`,
    body: `${input.unit.name} gia hạn thời hạn trả kết quả hồ sơ chứng thực ${input.caseCode} đến ${when}. Lý do: ${input.reason}.`,
  };
}

export function citizenNoticeEmailKey(caseCode: string, noticeId: string): string {
  return `case:${caseCode}:notice:${noticeId}`;
}

export function createCitizenNoticeActivities(deps: CitizenNoticeDeps) {
  const { db } = deps;
  return {
    /** SMS and portal notice; the e-mail channel is reported 'skipped' or left to `emailCitizenNotice`. */
    async noticeCitizen(input: CitizenNoticeInput): Promise<CitizenNoticeResult> {
      const { title, body } = wording(input);
      const channels: CitizenNoticeView['channels'] = [];
      const phone = input.citizen.phone;
      if (phone && deps.sms) {
        const sent = await deps.sms.send(phone, `[${input.unit.name}] ${body}`, `case_${input.about}`, { key: `case:${input.caseCode}:notice:${input.noticeId}:sms` });
        channels.push({ channel: 'sms', status: sent.status === 'failed' ? 'failed' : 'sent', detail: phone });
      } else {
        channels.push({ channel: 'sms', status: 'skipped', detail: phone ? 'không có dịch vụ SMS / no SMS service' : 'không có số điện thoại / no phone number' });
      }
      await db.query(
        `insert into citizen_notifications (id_number, kind, title, body, link, dedupe_key, created_at) values ($1, $2, $3, $4, null, $5, $6)
         on conflict (dedupe_key) do nothing`,
        [input.citizen.citizenId, `case_${input.about}`, title, body, `case:${input.caseCode}:notice:${input.noticeId}`, new Date(input.at)],
      );
      channels.push({ channel: 'portal', status: 'sent', detail: input.citizen.portalAccountId ? `tài khoản cổng ${input.citizen.portalAccountId}` : `theo số định danh ${input.citizen.citizenId}` });
      return { channels };
    },

    async emailCitizenNotice(input: CitizenNoticeInput): Promise<{ messageId: string }> {
      const to = input.citizen.email;
      if (!to) throw ApplicationFailure.nonRetryable('the citizen gave no e-mail address', 'NO_EMAIL');
      const { title, body } = wording(input);
      const attachments = input.slip
        ? [{ filename: `${input.caseCode}-phieu-xin-loi-hen-lai.pdf`, content: await deps.readRecorded(input.slip.path, input.slip.sha256), contentType: 'application/pdf' }]
        : [];
      const sent = await deps.mail
        .send({
          key: citizenNoticeEmailKey(input.caseCode, input.noticeId),
          caseCode: input.caseCode,
          to,
          subject: `[${input.unit.name}] ${title}`,
          text: [`Kính gửi Ông/Bà ${input.citizen.fullName},`, '', body, '', 'Thư này được gửi tự động, vui lòng không trả lời.'].join('\n'),
          attachments,
        })
        .catch((err: unknown) => {
          if (err instanceof MailSendError && !err.retryable) throw ApplicationFailure.nonRetryable(err.message, err.code);
          throw err;
        });
      return { messageId: sent.messageId };
    },
  };
}
