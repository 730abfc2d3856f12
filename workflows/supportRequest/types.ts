/**
 * The contract of the support-request workflow (seed 003, Phụ lục 1): what the API sends when a
 * unit files a request, what the handlers' and the requester's actions carry, and the view every
 * action and the `supportView` query answer. Types only. Instants are ISO 8601 strings in UTC.
 */
import type { WorkingCalendar } from '../../domain/calendar/model';
import type { SupportStatus } from '../../domain/support/support';
import type { OfficerRef, UnitRef } from '../certification/types';

export type { SupportStatus };

export interface SupportForm {
  serviceGroup: string;
  service?: string;
  requesterName: string;
  requesterPhone: string;
  contactName?: string;
  contactPhone?: string;
  feedbackEmail: string;
  /** The requester asked to be e-mailed at every change, not only at the end. */
  notifyEachChange: boolean;
  title: string;
  description: string;
  attachments: Array<{ fileId: string; name: string; mimeType: string; bytes: number }>;
}

export interface SupportInput {
  /** The request's code (YC-…); the workflow id is `support-<code>`. */
  code: string;
  unit: UnitRef;
  /** The requesting unit's working calendar at filing: the 8 working hours count in it. */
  calendar: WorkingCalendar;
  form: SupportForm;
  filedBy: OfficerRef;
  filedAt: string;
  /** Tests only: added to the workflow clock (see the certification workflow). */
  clockOffsetMs?: number;
}

export interface SupportActor {
  officerId: string;
  fullName: string;
  rights: string[];
  /** The officer's scope: assigned units and everything below them. */
  unitIds: string[];
}

export interface SupportAction {
  actor: SupportActor;
  idempotencyKey: string;
}

export interface SupportTextAction extends SupportAction {
  /** A question, an answer, an outcome or a reason, by the action. */
  text: string;
}

export interface SupportEventView {
  seq: number;
  at: string;
  kind: string;
  by?: OfficerRef;
  data: Record<string, unknown>;
}

export interface SupportWaitView {
  question: string;
  askedAt: string;
  askedBy: OfficerRef;
  answer?: string;
  answeredAt?: string;
  /** Working minutes the request waited for the answer (the deadline stood still meanwhile). */
  workingMinutes?: number;
}

export interface SupportView {
  code: string;
  status: SupportStatus;
  unit: UnitRef;
  form: SupportForm;
  filedBy: OfficerRef;
  filedAt: string;
  handler?: OfficerRef;
  takenAt?: string;
  waits: SupportWaitView[];
  /** When the 8 working hours end as things stand; absent while waiting for the requester. */
  dueAt?: string;
  warnAt?: string;
  /** Working time left when the clock stopped for a question. */
  pausedLeftMs?: number;
  warnedAt?: string;
  breachedAt?: string;
  outcome?: string;
  rejectReason?: string;
  cancelReason?: string;
  closedAt?: string;
  closedOnTime?: boolean;
  emails: Array<{ kind: string; at: string; status: string; detail?: string }>;
  version: number;
}
