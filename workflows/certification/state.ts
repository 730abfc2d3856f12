/**
 * The case as the workflow holds it, and the view it shows. Pure: instants are epoch ms of the
 * case clock, passed in by the caller, so this module runs the same inside and outside a workflow.
 */
import { addWorkingMs, workingMsBetween, type WorkingCalendar } from '../../domain/calendar';
import { overallDue, stepDeadline, WARNING_SHARE, type CertificationStep } from '../../domain/certification/deadlines';
import type { Right } from '../../domain/rights';
import type {
  AlarmKind,
  AlarmScope,
  CaseFee,
  CaseStatus,
  CaseStepName,
  CaseView,
  CertificationInput,
  CitizenData,
  CitizenNoticeView,
  DeliveryChannelView,
  ExtensionView,
  NumberingOptions,
  OfficerRef,
  OriginalDocument,
  RefusalGround,
  ScanPartView,
  SignatureDelegation,
  StepOutcome,
  UnitRef,
} from './types';
import { escalationViewOf, ladderOf, type EscalationRecord } from './escalation';
import type { CaseLadder } from './escalationTypes';

/** The right an officer needs to act on each step (seed 000 §3.9). */
export const STEP_RIGHTS: Readonly<Record<CertificationStep, Right>> = { receive: 'CERT_CREATE', sign: 'CERT_SIGN', seal: 'CERT_SEAL' };

export const STEP_LABELS: Readonly<Record<CertificationStep, { vi: string; en: string }>> = {
  receive: { vi: 'tiếp nhận, trình ký (bước 2)', en: 'reception and submission (step 2)' },
  sign: { vi: 'lãnh đạo ký (bước 3)', en: "leader's signature (step 3)" },
  seal: { vi: 'cấp số, đóng dấu (bước 4)', en: 'number and seal (step 4)' },
};

export const STATUS_LABELS: Readonly<Record<CaseStatus, { vi: string; en: string }>> = {
  receiving: { vi: 'đang tiếp nhận, chờ trình ký (bước 2)', en: 'being received, not yet submitted (step 2)' },
  signing: { vi: 'chờ lãnh đạo ký (bước 3)', en: 'waiting for the leader to sign (step 3)' },
  sealing: { vi: 'chờ cấp số và đóng dấu (bước 4)', en: 'waiting for number and seal (step 4)' },
  delivering: { vi: 'đã đóng dấu, đang trả kết quả', en: 'sealed, result being delivered' },
  completed: { vi: 'đã hoàn thành', en: 'completed' },
  refused: { vi: 'đã từ chối tiếp nhận', en: 'refused' },
  withdrawn: { vi: 'đã được công dân rút', en: 'withdrawn by the citizen' },
};

export interface Deadline {
  budgetHours: number;
  warnAt: number;
  dueAt: number;
  /** When this deadline was set: alarms before it are not raised after the fact. */
  setAt: number;
}

export interface StepRecord {
  step: CaseStepName;
  startedAt: number;
  endedAt?: number;
  by?: OfficerRef;
  outcome?: StepOutcome;
  reason?: string;
  deadline?: Deadline;
  /** Its breach alarm was raised while it was open. */
  breached?: boolean;
}

export interface AlarmRecord {
  kind: AlarmKind;
  scope: AlarmScope;
  step: CertificationStep;
  at: number;
  dueAt: number;
  firedAt: number;
  notified: OfficerRef[];
}

export interface CaseEvent {
  seq: number;
  at: number;
  kind: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

export interface CaseState {
  caseCode: string;
  unit: UnitRef;
  calendar: WorkingCalendar;
  receivedBy: OfficerRef;
  citizen: CitizenData;
  documents: OriginalDocument[];
  fee: CaseFee;
  complex: boolean;
  numbering: NumberingOptions;
  receivedAt: number;
  status: CaseStatus;
  steps: StepRecord[];
  overall: Omit<Deadline, 'budgetHours'>;
  /** As the view shows them, with instants as epoch ms. */
  extensions: Array<Omit<ExtensionView, 'at' | 'previousDueAt' | 'newDueAt'> & { at: number; previousDueAt: number; newDueAt: number }>;
  complexChanges: Array<{ complex: boolean; reason?: string; by: OfficerRef; at: number }>;
  originalsCorrections: Array<{ reason: string; by: OfficerRef; at: number; before: { documents: OriginalDocument[]; feeVnd: number }; after: { documents: OriginalDocument[]; feeVnd: number } }>;
  citizenNotices: Array<{ about: 'extension' | 'apology'; newAppointmentAt: number; at: number; channels: CitizenNoticeView['channels'] }>;
  /** Ids of the alarms already raised (see alarms.ts). */
  firedAlarms: string[];
  warnings: AlarmRecord[];
  breaches: AlarmRecord[];
  /** The case's escalation ladder; absent for cases received without one (fixed warnings then). */
  ladder?: CaseLadder;
  escalations: EscalationRecord[];
  scan?: ScanPartView & { parts: ScanPartView[]; attachedBy: OfficerRef; attachedAt: number; broughtByCitizen: boolean };
  signature?: { path: string; sha256: string; signedBy: OfficerRef; signedAt: number; certificateSerial: string; delegation?: SignatureDelegation };
  result?: { certificationNumber: string; book: string; path: string; mimeType: string; sha256: string; bytes: number; sealCertificateSerial: string; sealedBy: OfficerRef; sealedAt: number };
  refusal?: { ground: RefusalGround; groundText: string; note: string; by: OfficerRef; at: number; noticePath?: string };
  withdrawal?: { reason: string; by: OfficerRef; at: number };
  apologySlips: Array<{ path: string; issuedAt: number; missedDueAt: number; newAppointmentAt: number }>;
  initialScanError?: { code: string; vi: string; en: string };
  appointmentCode?: string;
  projectionError?: { code: string; message: string; at: number };
  delivery?: { at: number; channels: DeliveryChannelView[] };
  closedAt?: number;
  version: number;
  nextEventSeq: number;
  /** Events not yet written by the projection activity. */
  unsavedEvents: CaseEvent[];
}

export const ACTIVE_STATUSES: readonly CaseStatus[] = ['receiving', 'signing', 'sealing'];

export function isActive(state: CaseState): boolean {
  return ACTIVE_STATUSES.includes(state.status);
}

export function isClosed(state: CaseState): boolean {
  return state.status === 'completed' || state.status === 'refused' || state.status === 'withdrawn';
}

/** Overall warning: when WARNING_SHARE of the working time from reception to the deadline is used. */
export function overallWarnAt(cal: WorkingCalendar, receivedAt: number, dueAt: number): number {
  return addWorkingMs(cal, receivedAt, Math.round(WARNING_SHARE * Math.max(0, workingMsBetween(cal, receivedAt, dueAt))));
}

/** A new case, received now; `input` is already checked (validate.ts). */
export function openCase(input: CertificationInput, fee: CaseFee, at: number): CaseState {
  const dueAt = overallDue(input.calendar, at);
  const state: CaseState = {
    caseCode: input.caseCode,
    unit: input.unit,
    calendar: input.calendar,
    receivedBy: input.receivedBy,
    citizen: input.citizen,
    documents: input.documents,
    fee,
    complex: input.complex,
    numbering: input.numbering ?? {},
    ...(typeof input.appointmentCode === 'string' ? { appointmentCode: input.appointmentCode } : {}),
    receivedAt: at,
    status: 'receiving',
    steps: [],
    overall: { dueAt, warnAt: overallWarnAt(input.calendar, at, dueAt), setAt: at },
    extensions: [],
    complexChanges: [],
    originalsCorrections: [],
    citizenNotices: [],
    firedAlarms: [],
    warnings: [],
    breaches: [],
    ...(input.escalationLadder ? { ladder: ladderOf(input) } : {}),
    escalations: [],
    apologySlips: [],
    version: 0,
    nextEventSeq: 1,
    unsavedEvents: [],
  };
  startStep(state, 'receive', at);
  recordChange(state, at, 'received', input.receivedBy, {
    unit: input.unit,
    citizen: { fullName: input.citizen.fullName, citizenId: input.citizen.citizenId },
    documents: input.documents,
    complex: input.complex,
    feeVnd: fee.totalVnd,
    overallDueAt: iso(dueAt),
    ...(state.ladder ? { escalationLadder: state.ladder } : {}),
  });
  return state;
}

/** Every change bumps the version (re-arming the deadline timers) and becomes one case event. */
export function recordChange(state: CaseState, at: number, kind: string, actor: OfficerRef | null, data: Record<string, unknown> = {}): void {
  state.version += 1;
  state.unsavedEvents.push({ seq: allocateEventSeq(state), at, kind, actorId: actor?.officerId ?? null, data });
}

/** A sequence number for an event an activity writes itself (deadline notifications). */
export function allocateEventSeq(state: CaseState): number {
  return state.nextEventSeq++;
}

export function openStep(state: CaseState): StepRecord | undefined {
  const last = state.steps[state.steps.length - 1];
  return last && last.endedAt === undefined ? last : undefined;
}

function stepDeadlineFor(state: CaseState, step: CertificationStep, startedAt: number, setAt: number): Deadline {
  const d = stepDeadline(state.calendar, step, startedAt, state.complex);
  return { budgetHours: d.budgetHours, warnAt: d.warnAt, dueAt: d.dueAt, setAt };
}

export function startStep(state: CaseState, step: CaseStepName, at: number): void {
  state.steps.push(step === 'deliver' ? { step, startedAt: at } : { step, startedAt: at, deadline: stepDeadlineFor(state, step, at, at) });
}

export function endStep(state: CaseState, at: number, outcome: StepOutcome, by?: OfficerRef, reason?: string): void {
  const step = openStep(state);
  if (!step) return;
  step.endedAt = at;
  step.outcome = outcome;
  if (by) step.by = by;
  if (reason !== undefined) step.reason = reason;
}

/** Step 2's budget follows the complex flag; its deadline is recomputed from the step's start. */
export function recomputeReceiveDeadline(state: CaseState, at: number): void {
  const step = openStep(state);
  if (step?.step !== 'receive') return;
  step.deadline = stepDeadlineFor(state, 'receive', step.startedAt, at);
}

export function iso(instant: number): string {
  return new Date(instant).toISOString();
}

function isoOpt(instant: number | undefined): string | undefined {
  return instant === undefined ? undefined : iso(instant);
}

/** Drops keys whose value is undefined, so views compare and serialise cleanly. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as Array<keyof T>) if (value[key] === undefined) delete value[key];
  return value;
}

export function viewOf(state: CaseState): CaseView {
  const open = isClosed(state) ? undefined : openStep(state);
  const current =
    open && open.step !== 'deliver' && open.deadline
      ? {
          step: open.step,
          startedAt: iso(open.startedAt),
          warnAt: iso(open.deadline.warnAt),
          dueAt: iso(open.deadline.dueAt),
          budgetHours: open.deadline.budgetHours,
          right: STEP_RIGHTS[open.step],
        }
      : null;
  const alarm = (a: AlarmRecord) => ({ kind: a.kind, scope: a.scope, step: a.step, at: iso(a.at), dueAt: iso(a.dueAt), firedAt: iso(a.firedAt), notified: a.notified });
  return compact({
    caseCode: state.caseCode,
    status: state.status,
    step: open ? open.step : null,
    unit: state.unit,
    citizen: state.citizen,
    documents: state.documents,
    fee: state.fee,
    complex: state.complex,
    receivedAt: iso(state.receivedAt),
    receivedBy: state.receivedBy,
    overallDueAt: iso(state.overall.dueAt),
    overallWarnAt: iso(state.overall.warnAt),
    extensions: state.extensions.map((e) => compact({ ...e, at: iso(e.at), previousDueAt: iso(e.previousDueAt), newDueAt: iso(e.newDueAt) })),
    currentStep: current,
    steps: state.steps.map((s) =>
      compact({
        step: s.step,
        startedAt: iso(s.startedAt),
        endedAt: isoOpt(s.endedAt),
        by: s.by,
        outcome: s.outcome,
        reason: s.reason,
        budgetHours: s.deadline?.budgetHours,
        dueAt: isoOpt(s.deadline?.dueAt),
        late: s.deadline ? s.breached === true || (s.endedAt !== undefined && s.endedAt > s.deadline.dueAt) : undefined,
        workingMinutes: s.endedAt === undefined ? undefined : Math.round(workingMsBetween(state.calendar, s.startedAt, s.endedAt) / 60_000),
      }),
    ),
    warnings: state.warnings.map(alarm),
    breaches: state.breaches.map(alarm),
    escalations: state.escalations.map(escalationViewOf),
    scan: state.scan && { ...state.scan, attachedAt: iso(state.scan.attachedAt) },
    signature: state.signature && { ...state.signature, signedAt: iso(state.signature.signedAt) },
    certificationNumber: state.result?.certificationNumber,
    result: state.result && { ...state.result, sealedAt: iso(state.result.sealedAt) },
    refusal: state.refusal && compact({ ...state.refusal, at: iso(state.refusal.at) }),
    withdrawal: state.withdrawal && { ...state.withdrawal, at: iso(state.withdrawal.at) },
    apologySlips: state.apologySlips.map((s) => ({ path: s.path, issuedAt: iso(s.issuedAt), missedDueAt: iso(s.missedDueAt), newAppointmentAt: iso(s.newAppointmentAt) })),
    initialScanError: state.initialScanError,
    appointmentCode: state.appointmentCode,
    projectionError: state.projectionError && { ...state.projectionError, at: iso(state.projectionError.at) },
    complexChanges: state.complexChanges.map((c) => compact({ ...c, at: iso(c.at) })),
    originalsCorrections: state.originalsCorrections.map((c) => ({ ...c, at: iso(c.at) })),
    citizenNotices: state.citizenNotices.map((n) => ({ ...n, newAppointmentAt: iso(n.newAppointmentAt), at: iso(n.at) })),
    delivery: state.delivery && { at: iso(state.delivery.at), channels: state.delivery.channels },
    closedAt: isoOpt(state.closedAt),
    version: state.version,
  });
}
