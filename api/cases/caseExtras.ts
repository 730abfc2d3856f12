/**
 * What an officer's case view adds to the workflow's own view: the public verification link of a
 * certified copy (to print or send again), and how the e-mail to the citizen is going — the mail
 * outbox records each attempt, so a mail server that is down shows here while it is retried.
 */
import { resultEmailKey } from '../../activities/certification/delivery';
import type { CaseView } from '../../workflows/certification/types';
import type { AppContext } from '../context';

export interface EmailProgress {
  status: 'sending' | 'sent' | 'failed';
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
    const rows: Array<{ status: EmailProgress['status']; attempts: number; last_error: string | null; last_attempt_at: Date | null; sent_at: Date | null }> = await ctx.db.query(
      'select status, attempts, last_error, last_attempt_at, sent_at from mail_outbox where key = $1',
      [resultEmailKey(view.caseCode)],
    );
    const r = rows[0];
    if (r) {
      extras.email = { status: r.status, attempts: r.attempts, lastError: r.last_error, lastAttemptAt: r.last_attempt_at?.toISOString() ?? null, sentAt: r.sent_at?.toISOString() ?? null };
    }
  }
  return extras;
}
