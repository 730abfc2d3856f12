/**
 * Deadline alarms: a warning when WARNING_SHARE of a budget is used and a breach at the deadline,
 * for the open step and for the overall deadline. Pure: the workflow's timer loop asks for the
 * next alarm after every change, so a changed step, complex flag or extension re-arms it.
 *
 * An alarm is identified by what it is about and its instant, so a recomputed deadline gets
 * fresh alarms while one already raised is never raised twice. A warning whose instant passed
 * before its deadline was set (a recomputation, an extension granted late) is not raised after
 * the fact; a breach always is.
 *
 * A case with an escalation ladder (domain/escalation/ladder.ts) has no fixed warnings: its breaches
 * are still raised at the deadlines, and each rung of the ladder is an alarm of its own at its
 * working instant, for the open step's deadline or the overall one, under the same rules — a rung
 * due before its deadline was set is not raised after the fact. A rung after the deadline counts
 * from the breach as it was raised: the deadline, or when the deadline was set if that was later
 * (a complex flag taken back after the shorter budget had run out).
 */
import type { CertificationStep } from '../../domain/certification/deadlines';
import { rungInstant, rungRank, type EscalationRung } from '../../domain/escalation/ladder';
import { isActive, openStep, type CaseState, type Deadline } from './state';
import type { AlarmKind, AlarmScope, OfficerRef } from './types';

export interface Alarm {
  id: string;
  kind: AlarmKind;
  scope: AlarmScope;
  /** The open step (for overall alarms too). */
  step: CertificationStep;
  at: number;
  /** The deadline the alarm is about. */
  dueAt: number;
}

export function pendingAlarms(state: CaseState): Alarm[] {
  if (!isActive(state)) return [];
  const open = openStep(state);
  if (!open || open.step === 'deliver' || !open.deadline) return [];
  const step = open.step;
  const index = state.steps.length - 1;
  const alarms: Alarm[] = [];
  const add = (scope: AlarmScope, key: string, d: Omit<Deadline, 'budgetHours'>) => {
    if (d.warnAt > d.setAt) alarms.push({ id: `${key}:warning@${d.warnAt}`, kind: 'warning', scope, step, at: d.warnAt, dueAt: d.dueAt });
    alarms.push({ id: `${key}:breach@${d.dueAt}`, kind: 'breach', scope, step, at: d.dueAt, dueAt: d.dueAt });
  };
  add('step', `step${index}`, open.deadline);
  add('overall', 'overall', state.overall);
  return alarms.filter((a) => !state.firedAlarms.includes(a.id)).sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'warning' ? -1 : 1));
}

/** A rung of the case's escalation ladder, armed for one deadline. */
export interface RungAlarm {
  id: string;
  kind: 'rung';
  scope: AlarmScope;
  step: CertificationStep;
  at: number;
  dueAt: number;
  rung: EscalationRung;
}

export type DeadlineAlarm = Alarm | RungAlarm;

/** Breaches and the ladder's rungs of a case that has a ladder, in the order they fire. */
export function pendingLadderAlarms(state: CaseState): DeadlineAlarm[] {
  const ladder = state.ladder;
  if (!ladder || !isActive(state)) return [];
  const open = openStep(state);
  if (!open || open.step === 'deliver' || !open.deadline) return [];
  const step = open.step;
  const index = state.steps.length - 1;
  const ranked: Array<{ alarm: DeadlineAlarm; rank: number }> = [];
  const add = (scope: AlarmScope, key: string, startAt: number, d: Omit<Deadline, 'budgetHours'>) => {
    ranked.push({ alarm: { id: `${key}:breach@${d.dueAt}`, kind: 'breach', scope, step, at: d.dueAt, dueAt: d.dueAt }, rank: 1 });
    for (const rung of ladder.rungs) {
      if (rung.scope !== scope) continue;
      const before = rung.trigger.kind === 'budgetShare';
      const at = rungInstant(state.calendar, rung.trigger, { startAt, dueAt: before ? d.dueAt : Math.max(d.dueAt, d.setAt) });
      if (before && at <= d.setAt) continue;
      ranked.push({ alarm: { id: `${key}:rung:${rung.id}@${at}`, kind: 'rung', scope, step, at, dueAt: d.dueAt, rung }, rank: rungRank(rung.trigger) });
    }
  };
  add('step', `step${index}`, open.startedAt, open.deadline);
  add('overall', 'overall', state.receivedAt, state.overall);
  return ranked
    .filter((r) => !state.firedAlarms.includes(r.alarm.id))
    .sort((a, b) => a.alarm.at - b.alarm.at || a.rank - b.rank)
    .map((r) => r.alarm);
}

/** The next alarm to raise: the fixed warnings and breaches, or those of the case's ladder. */
export function nextAlarm(state: CaseState): DeadlineAlarm | undefined {
  return state.ladder ? pendingLadderAlarms(state)[0] : pendingAlarms(state)[0];
}

/** Records the alarm on the case (its recipients are filled in once notified). */
export function markRaised(state: CaseState, alarm: Alarm, firedAt: number): { notified: OfficerRef[] } {
  state.firedAlarms.push(alarm.id);
  const record = { kind: alarm.kind, scope: alarm.scope, step: alarm.step, at: alarm.at, dueAt: alarm.dueAt, firedAt, notified: [] as OfficerRef[] };
  if (alarm.kind === 'warning') {
    state.warnings.push(record);
  } else {
    state.breaches.push(record);
    const open = openStep(state);
    if (alarm.scope === 'step' && open) open.breached = true;
  }
  state.version += 1;
  return record;
}
