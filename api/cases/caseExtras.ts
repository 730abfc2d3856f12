/**
 * What an officer's case view adds to the workflow's own view: the public verification link of a
 * certified copy (to print or send again), how the e-mail to the citizen is going — the mail
 * outbox records each attempt, so a mail server that is down shows here while it is retried — and,
 * at reception, what marking the case complex would do to its deadline (asked of the workflow,
 * which counts it in the calendar the case was received with).
 */
import { resultEmailKey } from '../../activities/certification/delivery';
import { mailOutboxStatus, type MailStatus } from '../../infra/mail/mailOutbox';
import { certificationWorkflowId, complexExtensionQuery } from '../../workflows/certification/messages';
import type { CaseView, ComplexExtensionPreview } from '../../workflows/certification/types';
import type { AppContext } from '../context';
import { engineOf } from './engine';

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
  complexExtension?: ComplexExtensionPreview;
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
  if (view.status === 'receiving' && !view.complex) {
    const preview = await engineOf(ctx)
      .client.workflow.getHandle(certificationWorkflowId(view.caseCode))
      .query(complexExtensionQuery)
      // A case started before the rule has no answer; the screen then says the deadline follows the rule.
      .catch(() => null);
    if (preview) extras.complexExtension = preview;
  }
  return extras;
}
