/**
 * What an officer's case view adds to the workflow's own view: the public verification link of a
 * certified copy (to print or send again), and how the e-mail to the citizen is going — the mail
 * outbox records each attempt, so a mail server that is down shows here while it is retried.
 */
import { resultEmailKey } from '../../activities/certification/delivery';
import { mailOutboxStatus, type MailStatus } from '../../infra/mail/mailOutbox';
import type { CaseView } from '../../workflows/certification/types';
import type { AppContext } from '../context';

export interface EmailProgress {
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  sentAt: string | null;
}

export interface CaseExtras {
  verifyUrl?: string;
  email?: EmailProgress;
}

export async function caseExtras(ctx: AppContext, view: CaseView): Promise<CaseExtras> {
  const extras: CaseExtras = {};
  if (view.result && ctx.links) extras.verifyUrl = ctx.links.verifyUrl(view.caseCode);
  if (view.delivery && view.citizen.email) {
    const r = await mailOutboxStatus(ctx.db, resultEmailKey(view.caseCode));
    if (r) {
      extras.email = { status: r.status, attempts: r.attempts, lastError: r.lastError, lastAttemptAt: r.lastAttemptAt?.toISOString() ?? null, sentAt: r.sentAt?.toISOString() ?? null };
    }
  }
  return extras;
}
