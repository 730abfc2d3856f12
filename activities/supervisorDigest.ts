/**
 * The supervisors' morning digest: every active officer with the CASE_SUPERVISE right and an
 * e-mail address gets the open cases at risk or overdue in the units he watches (the same list
 * as the SLA dashboard), through the mail outbox keyed by officer and day, so a retried or
 * repeated run never mails anyone twice for one day. Nothing at risk, no mail.
 */
import type { DataSource } from 'typeorm';
import { loadPrincipal } from '../api/principal';
import { openCases } from '../api/supervision/dashboard';
import { digestMail, type DigestCase } from '../domain/supervision/digest';
import type { MailOutbox } from '../infra/mail/mailOutbox';

export interface SupervisorDigestActivities {
  sendSupervisorDigests(input: { day: string }): Promise<{ mailed: number; nothingAtRisk: number }>;
}

export interface SupervisorDigestDeps {
  db: DataSource;
  mail: Pick<MailOutbox, 'send'>;
  now: () => Date;
  baseUrl: string;
  /** The cases at risk or overdue in `units` at `now`; the dashboard's list by default. */
  atRisk?: (units: string[], now: Date) => Promise<DigestCase[]>;
}

export const digestMailKey = (officerId: string, day: string) => `supervisor-digest:${day}:${officerId}`;

export function createSupervisorDigestActivities(deps: SupervisorDigestDeps): SupervisorDigestActivities {
  const atRisk =
    deps.atRisk ??
    (async (units: string[], now: Date) =>
      (await openCases(deps.db, units, now)).atRisk.map((c) => ({
        caseCode: c.caseCode,
        unitName: c.unit.name,
        citizenName: c.citizenName,
        step: c.step,
        dueAt: c.dueAt,
        remainingWorkingMinutes: c.remainingWorkingMinutes,
        state: c.state,
      })));
  return {
    async sendSupervisorDigests({ day }) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`invalid digest day: ${day}`);
      const supervisors: Array<{ id: string; full_name: string; email: string }> = await deps.db.query(
        `select o.id, o.full_name, o.email from officers o join officer_rights r on r.officer_id = o.id and r.right_code = 'CASE_SUPERVISE'
         where o.status = 'active' and o.email is not null and o.email <> '' order by o.id`,
      );
      const now = deps.now();
      let mailed = 0;
      let nothingAtRisk = 0;
      for (const s of supervisors) {
        const principal = await loadPrincipal(deps.db, s.id, 'supervisor-digest');
        if (!principal) continue;
        const cases = await atRisk([...principal.caseUnits], now);
        if (cases.length === 0) {
          nothingAtRisk++;
          continue;
        }
        const { subject, text } = digestMail(day, s.full_name, cases, `${deps.baseUrl.replace(/\/$/, '')}/#/supervision`);
        await deps.mail.send({ key: digestMailKey(s.id, day), to: s.email, subject, text });
        mailed++;
      }
      return { mailed, nothingAtRisk };
    },
  };
}
