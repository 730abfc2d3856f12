/**
 * The escalation ladder on the case: the ladder the case keeps and the rungs it has fired. Pure,
 * like state.ts: instants are epoch ms of the case clock.
 */
import { DEFAULT_LADDER, validateLadder } from '../../domain/escalation/ladder';
import type { CertificationStep } from '../../domain/certification/deadlines';
import type { CaseLadder, EscalationRecipient, EscalationRung, EscalationView } from './escalationTypes';

export interface EscalationRecord {
  rung: EscalationRung;
  step: CertificationStep;
  at: number;
  dueAt: number;
  firedAt: number;
  recipients: EscalationRecipient[];
}

/**
 * The case's ladder from its input. The API sends a checked one; a malformed one (an input made
 * by hand) gets the default rather than failing the case, since the deadlines must still be kept.
 */
export function ladderOf(input: { escalationLadder?: CaseLadder }): CaseLadder | undefined {
  const given = input.escalationLadder;
  if (given === undefined || given === null) return undefined;
  const checked = validateLadder(given.rungs);
  if (checked.ok) return { rungs: checked.rungs, fromUnitId: typeof given.fromUnitId === 'string' ? given.fromUnitId : null };
  return { rungs: DEFAULT_LADDER.map((r) => ({ ...r, channels: [...r.channels] })), fromUnitId: null };
}

export function escalationViewOf(r: EscalationRecord): EscalationView {
  return {
    rungId: r.rung.id,
    trigger: r.rung.trigger,
    scope: r.rung.scope,
    notify: r.rung.notify,
    channels: r.rung.channels,
    step: r.step,
    at: new Date(r.at).toISOString(),
    dueAt: new Date(r.dueAt).toISOString(),
    firedAt: new Date(r.firedAt).toISOString(),
    recipients: r.recipients,
  };
}
