/**
 * Deadline alarms: a warning when WARNING_SHARE of a budget is used and a breach at the deadline,
 * for the open step and for the overall deadline. Pure: the workflow's timer loop asks for the
 * next alarm after every change, so a changed step, complex flag or extension re-arms it.
 *
 * An alarm is identified by what it is about and its instant, so a recomputed deadline gets
 * fresh alarms while one already raised is never raised twice. A warning whose instant passed
 * before its deadline was set (a recomputation, an extension granted late) is not raised after
 * the fact; a breach always is.
 */
import type { CertificationStep } from '../../domain/certification/deadlines';
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

export function nextAlarm(state: CaseState): Alarm | undefined {
  return pendingAlarms(state)[0];
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
