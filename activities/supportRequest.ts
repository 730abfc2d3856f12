/**
 * The support-request workflow's side effects: the list projection with its events and their audit
 * rows, the e-mails to the feedback address (through the mail outbox, keyed by request and notice:
 * a retried activity never sends one twice), and the deadline notices to the support team (75 %)
 * and to the supervisors over the requesting unit (breach), in the bell and by e-mail, keyed alike.
 */
import { Context } from '@temporalio/activity';
import type { DataSource } from 'typeorm';
import { appendAudit } from '../api/audit/auditLog';
import { SUPPORT_SERVICE_GROUPS, SUPPORT_STATUS_VI, OPEN_SUPPORT_STATUSES } from '../domain/support/support';
import { MailSendError, type MailOutbox } from '../infra/mail/mailOutbox';
import type { PublicLinks } from '../infra/publicLinks';
import { appointmentTime } from './appointment';
import type { SupportEventView, SupportView } from '../workflows/supportRequest/types';

export interface SupportActivities {
  projectSupport(input: { view: SupportView; events: SupportEventView[] }): Promise<{ applied: boolean }>;
  emailSupportRequester(input: { view: SupportView; kind: string; noticeId: string }): Promise<{ status: string; detail?: string }>;
  notifySupportDeadline(input: { view: SupportView; kind: 'warning' | 'breach' }): Promise<{ told: number }>;
}

/** E-mail attempts before a failure is recorded on the request instead of retried. */
const EMAIL_ATTEMPTS = 5;

const when = (isoInstant: string | undefined) => (isoInstant ? appointmentTime(isoInstant) : '—');

function requesterMail(v: SupportView, kind: string, link: string | undefined): { subject: string; text: string } {
  const group = SUPPORT_SERVICE_GROUPS[v.form.serviceGroup]?.vi ?? v.form.serviceGroup;
  const head = [`Yêu cầu hỗ trợ ${v.code}: ${v.form.title}`, `Đơn vị yêu cầu: ${v.unit.name}`, `Nhóm dịch vụ: ${group}${v.form.service ? ` — ${v.form.service}` : ''}`, `Thời gian yêu cầu: ${when(v.filedAt)}`];
  const status = `Trạng thái: ${SUPPORT_STATUS_VI[v.status]}`;
  const lines = [...head, status];
  if (v.handler) lines.push(`Cán bộ xử lý: ${v.handler.fullName}`);
  if (kind === 'received' && v.dueAt) lines.push(`Hạn xử lý: ${when(v.dueAt)} (8 giờ làm việc)`);
  if (kind === 'waiting') lines.push(`Câu hỏi của cán bộ xử lý: ${v.waits.at(-1)?.question ?? ''}`, 'Đầu mối phối hợp vui lòng trả lời trên màn hình yêu cầu hỗ trợ.');
  if (v.status === 'done') lines.push(`Kết quả xử lý: ${v.outcome ?? ''}`, `Hoàn thành ${v.closedOnTime ? 'đúng hạn' : 'quá hạn'} lúc ${when(v.closedAt)}.`);
  if (v.status === 'rejected') lines.push(`Lý do từ chối: ${v.rejectReason ?? ''}`);
  if (v.status === 'cancelled') lines.push(`Lý do hủy: ${v.cancelReason ?? ''}`);
  if (link) lines.push('', `Xem chi tiết: ${link}`);
  const subject = OPEN_SUPPORT_STATUSES.includes(v.status) ? `[${v.code}] ${SUPPORT_STATUS_VI[v.status]}: ${v.form.title}` : `[${v.code}] Kết quả xử lý yêu cầu hỗ trợ: ${SUPPORT_STATUS_VI[v.status]}`;
  return { subject, text: lines.join('\n') };
}

function attempt(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return EMAIL_ATTEMPTS;
  }
}

export function createSupportActivities(deps: { db: DataSource; mail: MailOutbox; links?: PublicLinks }): SupportActivities {
  const { db } = deps;
  const linkTo = (code: string) => (deps.links ? `${deps.links.baseUrl}/#/support/${encodeURIComponent(code)}` : undefined);

  async function sendKeyed(key: string, to: string, subject: string, text: string): Promise<{ status: string; detail?: string }> {
    try {
      const sent = await deps.mail.send({ key, to, subject, text });
      return { status: 'sent', detail: sent.messageId };
    } catch (err) {
      const retryable = err instanceof MailSendError ? err.retryable : true;
      if (retryable && attempt() < EMAIL_ATTEMPTS) throw err;
      return { status: 'failed', detail: (err instanceof Error ? err.message : String(err)).slice(0, 500) };
    }
  }

  return {
    async projectSupport({ view, events }) {
      return db.transaction(async (m) => {
        // The row first, then the audit chain's lock: concurrent projections of one request
        // otherwise deadlock — an event row's foreign key holds a share lock on it.
        const rows: Array<{ version: number }> = await m.query('select version from support_requests where code = $1 for update', [view.code]);
        for (const e of events) {
          const inserted: unknown[] = await m.query(
            `insert into support_events (code, seq, at, kind, data) values ($1, $2, $3, $4, $5) on conflict (code, seq) do nothing returning seq`,
            [view.code, e.seq, e.at, e.kind, JSON.stringify({ ...e.data, ...(e.by ? { by: e.by } : {}) })],
          );
          if (inserted.length > 0) {
            await appendAudit(m, {
              at: new Date(e.at),
              actorId: e.by?.officerId ?? null,
              actorName: e.by?.fullName ?? null,
              unitId: view.unit.id,
              action: `support.event.${e.kind}`,
              target: `support:${view.code}`,
              outcome: 'success',
              status: null,
              details: { seq: e.seq, ...e.data },
              ip: null,
            });
          }
        }
        if (!rows[0] || rows[0].version >= view.version) return { applied: false };
        await m.query(
          `update support_requests set status = $2, handler_id = $3, handler_name = $4, due_at = $5, warned = $6, breached = $7, closed_at = $8, closed_on_time = $9,
             view = $10, version = $11, updated_at = now() where code = $1`,
          [
            view.code,
            view.status,
            view.handler?.officerId ?? null,
            view.handler?.fullName ?? null,
            view.dueAt ?? null,
            view.warnedAt !== undefined,
            view.breachedAt !== undefined,
            view.closedAt ?? null,
            view.closedOnTime ?? null,
            JSON.stringify(view),
            view.version,
          ],
        );
        return { applied: true };
      });
    },

    async emailSupportRequester({ view, kind, noticeId }) {
      const { subject, text } = requesterMail(view, kind, linkTo(view.code));
      return sendKeyed(`support:${view.code}:${noticeId}`, view.form.feedbackEmail, subject, text);
    },

    async notifySupportDeadline({ view, kind }) {
      // The warning goes to the handler, or to the whole team while nobody has taken it; the breach
      // also to the supervisors whose scope covers the requesting unit.
      const people: Array<{ id: string; full_name: string; email: string | null }> = await db.query(
        `select distinct o.id, o.full_name, o.email from officers o
           join officer_units ou on ou.officer_id = o.id
           join units scope on scope.id = ou.unit_id
           join units target on target.id = $1 and target.path like scope.path || '%'
           join officer_rights r on r.officer_id = o.id
         where o.status = 'active' and (
           (r.right_code = 'SUPPORT_HANDLE' and ($2::uuid is null or o.id = $2::uuid))
           or ($3 and r.right_code = 'CASE_SUPERVISE'))`,
        [view.unit.id, view.handler?.officerId ?? null, kind === 'breach'],
      );
      const title =
        kind === 'warning'
          ? `Yêu cầu hỗ trợ ${view.code} sắp đến hạn (${when(view.dueAt)})`
          : `Yêu cầu hỗ trợ ${view.code} đã quá hạn 8 giờ làm việc`;
      const body = [
        `${view.form.title} — ${view.unit.name}`,
        `Trạng thái: ${SUPPORT_STATUS_VI[view.status]}${view.handler ? `, cán bộ xử lý: ${view.handler.fullName}` : ', chưa có cán bộ nhận xử lý'}`,
        `Hạn xử lý: ${when(view.dueAt)}`,
        ...(linkTo(view.code) ? [`Xem: ${linkTo(view.code)}`] : []),
      ].join('\n');
      for (const p of people) {
        const key = `support:${view.code}:${kind}:${p.id}`;
        await db.query(
          `insert into officer_notifications (officer_id, kind, title, body, created_at, dedupe_key) values ($1, $2, $3, $4, now(), $5) on conflict (dedupe_key) do nothing`,
          [p.id, `support_${kind}`, title, body, key],
        );
        if (p.email) await sendKeyed(key, p.email, title, body);
      }
      return { told: people.length };
    },
  };
}
