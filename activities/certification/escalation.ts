/**
 * One rung of a case's escalation ladder, fired: find who it tells, put a notice under their bell
 * (officer_notifications), e-mail those who have an address (the mail outbox), and record the
 * escalation on the case (a case event under the number the workflow reserved).
 *
 * Safe to run again: each notice and each e-mail is keyed by the case, the rung's alarm and the
 * officer, so a retried attempt writes and sends nothing twice; once the event is recorded, a
 * further run only answers what it recorded. A mail server that is down is retried with the
 * activity for a few attempts; after that the failure is recorded for that officer (the outbox
 * keeps the error) and the ladder goes on — the in-app notice has already reached him.
 */
import { Context } from '@temporalio/activity';
import type { DataSource, EntityManager } from 'typeorm';
import { formatLocalDate, formatLocalTime, formatViDate } from '../../domain/calendar';
import { describeRung, type EscalationRung } from '../../domain/escalation/ladder';
import type { Right } from '../../domain/rights';
import { MailSendError, type MailOutbox } from '../../infra/mail/mailOutbox';
import type { PublicLinks } from '../../infra/publicLinks';
import type { SmsSender } from '../../infra/sms/smsSender';
import type { EscalationRecipient } from '../../workflows/certification/escalationTypes';
import { STEP_LABELS } from '../../workflows/certification/state';
import type { CertificationStep, UnitRef } from '../../workflows/certification/types';

export interface EscalateInput {
  caseCode: string;
  unit: UnitRef;
  /** Event number the workflow reserved for this escalation. */
  eventSeq: number;
  /** The rung's alarm on the case: names the rung for one deadline. */
  alarmId: string;
  rung: EscalationRung;
  step: CertificationStep;
  /** The right of the open step: its holders are the rung's "step officers". */
  stepRight: Right;
  /** The unit whose ladder the case follows (null: the default), whose head it names. */
  ladderUnitId: string | null;
  at: string;
  dueAt: string;
  firedAt: string;
  citizenName: string;
}

export interface EscalateResult {
  recipients: EscalationRecipient[];
}

export interface EscalationDeps {
  db: DataSource;
  mail: MailOutbox;
  /** SMS to officers' phones (a rung with the "sms" channel); without it such rungs record 'no_gateway'. */
  sms?: SmsSender;
  /** Where officers open the case (the web UI's address). */
  links?: PublicLinks;
}

/** Attempts of the activity after which a mail server that refuses is recorded rather than waited for. */
export const EMAIL_ATTEMPTS_BEFORE_GIVING_UP = 4;

type Sql = Pick<EntityManager, 'query'>;

interface Officer {
  officerId: string;
  fullName: string;
  email: string | null;
  phone: string | null;
}

async function officers(m: Sql, sql: string, params: unknown[]): Promise<Officer[]> {
  const rows: Array<{ id: string; full_name: string; email: string | null; phone: string | null }> = await m.query(sql, params);
  return rows.map((r) => ({ officerId: r.id, fullName: r.full_name, email: blankToNull(r.email), phone: blankToNull(r.phone) }));
}

function blankToNull(text: string | null): string | null {
  return text && text.trim() !== '' ? text.trim() : null;
}

/**
 * Active holders of `right` whose scope covers the unit (assigned to it or above it), and, with
 * `desks`, those of the unit's one-stop desks (offices directly under it), who handle its cases.
 */
export function holdersOf(m: Sql, unitId: string, right: Right, desks = false): Promise<Officer[]> {
  return officers(
    m,
    `select distinct o.id, o.full_name, o.email, o.phone
       from units u
       join officer_units ou on u.path like '%/' || ou.unit_id::text || '/%'
                             or ($3 and ou.unit_id in (select d.id from units d where d.parent_id = u.id and d.level = 'office'))
       join officers o on o.id = ou.officer_id and o.status = 'active'
       join officer_rights r on r.officer_id = o.id and r.right_code = $2
      where u.id = $1
      order by o.full_name, o.id`,
    [unitId, right, desks],
  );
}

/** The head named in the ladder's unit, else the leaders (CERT_SIGN) assigned to the case's unit itself. */
async function headsOf(m: Sql, unitId: string, ladderUnitId: string | null): Promise<Officer[]> {
  if (ladderUnitId) {
    const named = await officers(
      m,
      `select o.id, o.full_name, o.email, o.phone from escalation_ladders l join officers o on o.id = l.head_officer_id and o.status = 'active' where l.unit_id = $1`,
      [ladderUnitId],
    );
    if (named.length > 0) return named;
  }
  return officers(
    m,
    `select distinct o.id, o.full_name, o.email, o.phone
       from officer_units ou
       join officers o on o.id = ou.officer_id and o.status = 'active'
       join officer_rights r on r.officer_id = o.id and r.right_code = 'CERT_SIGN'
      where ou.unit_id = $1
      order by o.full_name, o.id`,
    [unitId],
  );
}

export function recipientsOf(m: Sql, input: Pick<EscalateInput, 'unit' | 'rung' | 'stepRight' | 'ladderUnitId'>): Promise<Officer[]> {
  switch (input.rung.notify) {
    case 'stepOfficers':
      return holdersOf(m, input.unit.id, input.stepRight, true);
    case 'supervisors':
      return holdersOf(m, input.unit.id, 'CASE_SUPERVISE');
    case 'unitHead':
      return headsOf(m, input.unit.id, input.ladderUnitId);
  }
}

/** "16:45 ngày 07/12/2026" in Hà Nội time. */
function localVi(isoInstant: string): string {
  const t = Date.parse(isoInstant);
  return `${formatLocalTime(t)} ngày ${formatViDate(formatLocalDate(t))}`;
}

export function escalationKey(caseCode: string, alarmId: string, officerId: string): string {
  return `escalation:${caseCode}:${alarmId}:${officerId}`;
}

/** The notice's title and text, the same under the bell and in the e-mail. */
export function escalationMessage(input: EscalateInput, caseUrl?: string): { title: string; body: string } {
  const what = input.rung.scope === 'overall' ? 'hạn trả kết quả' : `hạn bước ${STEP_LABELS[input.step].vi}`;
  const late = input.rung.trigger.kind === 'afterDue';
  const title = late ? `Hồ sơ ${input.caseCode} đã quá ${what}` : `Hồ sơ ${input.caseCode} sắp đến ${what}`;
  const lines = [
    `[${input.unit.name}] Hồ sơ chứng thực ${input.caseCode} (${input.citizenName}) ${late ? 'đã quá' : 'sắp đến'} ${what}: ${localVi(input.dueAt)}.`,
    `Bậc cảnh báo: ${describeRung(input.rung).vi}.`,
    ...(caseUrl ? [`Mở hồ sơ: ${caseUrl}`] : []),
  ];
  return { title, body: lines.join('\n') };
}

function attemptOfActivity(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    // Called outside an activity (a test): one attempt only.
    return EMAIL_ATTEMPTS_BEFORE_GIVING_UP;
  }
}

async function recordedRecipients(db: DataSource, caseCode: string, seq: number): Promise<EscalationRecipient[] | undefined> {
  const rows: Array<{ data: { recipients?: EscalationRecipient[] } }> = await db.query('select data from certification_case_events where case_code = $1 and seq = $2', [caseCode, seq]);
  return rows[0] ? (rows[0].data.recipients ?? []) : undefined;
}

export function createEscalationActivities(deps: EscalationDeps) {
  const { db } = deps;

  return {
    async escalate(input: EscalateInput): Promise<EscalateResult> {
      const recorded = await recordedRecipients(db, input.caseCode, input.eventSeq);
      if (recorded) return { recipients: recorded };
      const caseUrl = deps.links ? `${deps.links.baseUrl}/#/cases/${encodeURIComponent(input.caseCode)}` : undefined;
      const { title, body } = escalationMessage(input, caseUrl);
      const people = await recipientsOf(db, input);
      const inApp = input.rung.channels.includes('inApp');
      const byEmail = input.rung.channels.includes('email');
      const bySms = input.rung.channels.includes('sms');
      const attempt = attemptOfActivity();
      const recipients: EscalationRecipient[] = [];
      for (const p of people) {
        const key = escalationKey(input.caseCode, input.alarmId, p.officerId);
        if (inApp) {
          await db.query(
            `insert into officer_notifications (officer_id, case_code, kind, title, body, created_at, dedupe_key)
             values ($1, $2, 'escalation', $3, $4, $5, $6) on conflict (dedupe_key) do nothing`,
            [p.officerId, input.caseCode, title, body, new Date(input.firedAt), key],
          );
        }
        let email: string | undefined;
        if (byEmail) {
          if (!p.email) email = 'no_address';
          else {
            try {
              await deps.mail.send({ key, to: p.email, subject: title, text: body, caseCode: input.caseCode });
              email = 'sent';
            } catch (err) {
              const retryable = err instanceof MailSendError ? err.retryable : true;
              if (retryable && attempt < EMAIL_ATTEMPTS_BEFORE_GIVING_UP) throw err;
              email = `failed: ${err instanceof Error ? err.message : String(err)}`.slice(0, 500);
            }
          }
        }
        // Keyed like the notice: a retried attempt finds the message already in the outbox.
        let sms: string | undefined;
        if (bySms) {
          if (!p.phone) sms = 'no_phone';
          else if (!deps.sms) sms = 'no_gateway';
          else {
            await deps.sms.send(p.phone, body.split('\n')[0]!, 'case_deadline', { key });
            sms = 'sent';
          }
        }
        recipients.push({ officerId: p.officerId, fullName: p.fullName, inApp, ...(email !== undefined ? { email } : {}), ...(sms !== undefined ? { sms } : {}) });
      }
      await db.query(
        `insert into certification_case_events (case_code, seq, at, kind, actor_id, data) values ($1, $2, $3, 'escalation', null, $4)
         on conflict (case_code, seq) do nothing`,
        [
          input.caseCode,
          input.eventSeq,
          input.firedAt,
          JSON.stringify({ rung: input.rung, scope: input.rung.scope, step: input.step, at: input.at, dueAt: input.dueAt, channels: input.rung.channels, recipients }),
        ],
      );
      return { recipients };
    },
  };
}
