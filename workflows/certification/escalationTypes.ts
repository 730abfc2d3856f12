/** The escalation ladder in the certification workflow's contract: types only. */
import type { EscalationRung, RungAudience, RungChannel, RungScope, RungTrigger } from '../../domain/escalation/ladder';
import type { CertificationStep } from '../../domain/certification/deadlines';
import type { OfficerRef } from './types';

export type { EscalationRung, RungAudience, RungChannel, RungScope, RungTrigger };

/** The ladder a case was received with: fixed for the case's life, so its instants replay. */
export interface CaseLadder {
  rungs: EscalationRung[];
  /** The unit whose configuration this is (the case's unit or an ancestor); null = the built-in default. */
  fromUnitId: string | null;
}

/** One officer an escalation reached, and how. */
export interface EscalationRecipient extends OfficerRef {
  inApp: boolean;
  /** 'sent' (also when an earlier attempt had sent it), 'no_address', 'failed: …', or absent when e-mail was not asked for. */
  email?: string;
  /** 'sent', 'no_phone', or absent when SMS was not asked for. */
  sms?: string;
}

export interface EscalationView {
  rungId: string;
  trigger: RungTrigger;
  scope: RungScope;
  notify: RungAudience;
  channels: RungChannel[];
  /** The step that was open (for overall rungs too). */
  step: CertificationStep;
  /** The working instant the rung was due. */
  at: string;
  /** The deadline it is about. */
  dueAt: string;
  /** When the workflow fired it. */
  firedAt: string;
  recipients: EscalationRecipient[];
}
