/**
 * The contract of the certification workflow (SPEC A, seed 000 §3.4–3.10): what the API sends
 * when it receives a request, what officers' actions carry, and the case view every action and
 * the `caseView` query answer. Types only, so the API, the worker and tests share them freely.
 * Instants are ISO 8601 strings in UTC.
 */
import type { WorkingCalendar } from '../../domain/calendar/model';
import type { CertificationStep } from '../../domain/certification/deadlines';
import type { RefusalGround } from '../../domain/certification/refusalGrounds';
import type { CertificationFee } from '../../domain/fees';
import type { DelegationForm } from '../../domain/signatureBlock';
import type { CaseLadder, EscalationView } from './escalationTypes';

export type { CertificationStep, RefusalGround };

/**
 * receiving (step 2, CERT_CREATE) → signing (step 3, CERT_SIGN) → sealing (step 4, CERT_SEAL) →
 * delivering → completed; or refused at reception; or withdrawn by the citizen before the seal.
 */
export type CaseStatus = 'receiving' | 'signing' | 'sealing' | 'delivering' | 'completed' | 'refused' | 'withdrawn';
export type CaseStepName = CertificationStep | 'deliver';

export interface OfficerRef {
  officerId: string;
  fullName: string;
}

export interface UnitRef {
  id: string;
  code: string;
  name: string;
}

export interface CitizenData {
  fullName: string;
  /** CCCD/CMND number. */
  citizenId: string;
  /** 'YYYY-MM-DD'. */
  birthDate: string;
  phone?: string;
  email?: string;
  /** The citizen's portal account, when the portal filled the data. */
  portalAccountId?: string;
}

/** One original brought by the citizen: pages are counted on the original. */
export interface OriginalDocument {
  type: string;
  /** Issuing authority. */
  issuer: string;
  pages: number;
  /** Certified copies requested of this original. */
  copies: number;
}

export interface CaseFeeLine extends CertificationFee {
  /** Index of the original in `documents`. */
  document: number;
}

export interface CaseFee {
  lines: CaseFeeLine[];
  totalVnd: number;
}

export interface NumberingOptions {
  /** Electronic book code; default 'SCTĐT/BS'. */
  book?: string;
  /** Number template for a book opened by this case (see domain/certificationNumber). */
  template?: string;
}

export interface CertificationInput {
  /** Unique case code (mã hồ sơ); the workflow id is `certification-<caseCode>`. */
  caseCode: string;
  /** The commune whose book numbers the copy and whose calendar counts the deadlines. */
  unit: UnitRef;
  /** The unit's working calendar as loaded at reception. */
  calendar: WorkingCalendar;
  receivedBy: OfficerRef;
  citizen: CitizenData;
  documents: OriginalDocument[];
  /** Complex or numerous documents: step 2 gets 16 working hours instead of 4, and the overall deadline is extended to fit. */
  complex: boolean;
  /** Why the documents are complex or numerous (required with `complex` since the overall deadline follows it). */
  complexReason?: string;
  /** The citizen's appointment the case was received from (seed 000 step 2 (1)). */
  appointmentCode?: string;
  /**
   * The scan uploaded before reception: the workflow attaches it as its first act, so a case never
   * exists without the scan it was received with (or the reason it could not be attached).
   */
  scan?: { scan: ScanRef; moreScans?: ScanRef[]; broughtByCitizen?: boolean };
  /** The fee as shown to the citizen; when given it must equal `caseFee(documents)`. */
  fee?: CaseFee;
  numbering?: NumberingOptions;
  /**
   * Who is told, how and when as the deadlines near and pass (domain/escalation/ladder.ts). Absent
   * in cases received before ladders existed: those keep the fixed warnings and breach notices.
   */
  escalationLadder?: CaseLadder;
  /**
   * Tests only: added to the workflow clock, so a case can be received at a chosen local instant
   * on an engine whose clock only moves forward. Timers are unaffected (they sleep differences).
   * The API never sets it.
   */
  clockOffsetMs?: number;
}

/** Who acts, as the API authenticated them; `unitIds` is the actor's whole scope. */
export interface Actor {
  officerId: string;
  fullName: string;
  rights: string[];
  unitIds: string[];
}

export interface ActionInput {
  actor: Actor;
  /** Repeating a key returns the first result without acting twice. */
  idempotencyKey: string;
}

export type ScanMimeType = 'application/pdf' | 'image/jpeg' | 'image/png';

/** An uploaded file, as the API stored it (type and size found from its content). */
export interface ScanRef {
  fileId: string;
  sha256: string;
  mimeType: ScanMimeType;
  bytes: number;
  /** Pages of the file: a PDF's pages, 1 for an image (counted by the worker when it is attached). */
  pages?: number;
  /** Index in `documents` of the original this file shows, when the scan is split per original. */
  document?: number;
}

export interface AttachScanInput extends ActionInput {
  scan: ScanRef;
  /** Further files of the same scan, in page order (e.g. one JPEG per page); at most 19. */
  moreScans?: ScanRef[];
  /** The citizen brought this scan and the officer compared it with the original. */
  broughtByCitizen?: boolean;
}
export interface SetComplexInput extends ActionInput {
  complex: boolean;
  /** Why the documents are (or are no longer) complex or numerous; shown in the case's history. */
  reason?: string;
  /** The requester's written agreement, when the extension a complex case needs goes beyond 2 working days in all. */
  writtenAgreementRef?: string;
}
/** The officer corrects the originals declared at reception (pages, copies…): the fee is computed again. */
export interface CorrectOriginalsInput extends ActionInput {
  documents: OriginalDocument[];
  reason: string;
}
export type SubmitInput = ActionInput;
/**
 * A signature made under a leader's signing delegation (seed 000 §3.9), as the API found it in
 * force: who delegated, which delegation, and the legal form the copy's signature block shows.
 */
export interface SignatureDelegation {
  delegationId: string;
  /** The leader who delegated. */
  delegatedBy: OfficerRef;
  /** KT. (a deputy signs in the head's place) or TUQ. (another officer, by authorisation). */
  form: DelegationForm;
  /** The head's position after "KT." / "TUQ.", e.g. "Chủ tịch". */
  headTitle: string;
  /** The signer's own position under it. */
  signerTitle: string;
}
export interface SignInput extends ActionInput {
  /** Present when the signer holds no CERT_SIGN of his own and signs under a delegation. */
  delegation?: SignatureDelegation;
}
export interface ReturnToOfficerInput extends ActionInput {
  reason: string;
}
export type SealInput = ActionInput;
export interface RefuseInput extends ActionInput {
  ground: RefusalGround;
  note: string;
}
export interface ExtendInput extends ActionInput {
  workingDays: number;
  reason: string;
  /** Reference of the requester's written agreement; required beyond 2 working days in all. */
  writtenAgreementRef?: string;
}
export interface WithdrawInput extends ActionInput {
  reason: string;
}

export interface CurrentStepView {
  step: CertificationStep;
  startedAt: string;
  warnAt: string;
  dueAt: string;
  budgetHours: number;
  /** The right an officer needs to act on this step. */
  right: string;
}

export type StepOutcome = 'submitted' | 'signed' | 'returned' | 'sealed' | 'delivered' | 'refused' | 'withdrawn';

export interface StepHistoryView {
  step: CaseStepName;
  startedAt: string;
  endedAt?: string;
  /** Who ended the step (absent while open, and for delivery, which the system does). */
  by?: OfficerRef;
  outcome?: StepOutcome;
  reason?: string;
  budgetHours?: number;
  dueAt?: string;
  /** Ended after its due instant (or still open past it). */
  late?: boolean;
  /** Working minutes the step took in the unit's calendar (ended steps only). */
  workingMinutes?: number;
}

export interface ExtensionView {
  workingDays: number;
  reason: string;
  /** 'complex': granted because the case was marked complex (see `complexExtension`). */
  cause?: 'complex';
  /** For a complex case granted less than its steps' full budgets need: the days that would be needed. */
  neededDays?: number;
  writtenAgreementRef?: string;
  by: OfficerRef;
  at: string;
  previousDueAt: string;
  newDueAt: string;
}

export type AlarmKind = 'warning' | 'breach';
export type AlarmScope = 'step' | 'overall';

export interface AlarmView {
  kind: AlarmKind;
  scope: AlarmScope;
  /** The step that was open (for overall alarms too). */
  step: CertificationStep;
  /** The instant the alarm was due (the warning instant, or the deadline itself). */
  at: string;
  /** The deadline it is about. */
  dueAt: string;
  /** When the workflow recorded it. */
  firedAt: string;
  notified: OfficerRef[];
}

export interface ScanPartView extends ScanRef {
  /** The case's own copy, under the files directory. */
  path: string;
}

export interface ScanView extends ScanPartView {
  /** Every file of the scan in page order, the first one included. */
  parts: ScanPartView[];
  attachedBy: OfficerRef;
  attachedAt: string;
  broughtByCitizen: boolean;
}

export interface SignatureView {
  /** The copy as the leader signed it: the scan's pages and the certification block. */
  path: string;
  sha256: string;
  signedBy: OfficerRef;
  signedAt: string;
  /** Serial number of the leader's signing certificate. */
  certificateSerial: string;
  /** The delegation the copy was signed under; absent for a leader's own signature (and every case signed before delegations were recorded). */
  delegation?: SignatureDelegation;
}

export interface ResultView {
  certificationNumber: string;
  /** The certified copy. */
  path: string;
  mimeType: string;
  sha256: string;
  bytes: number;
  book: string;
  /** Serial number of the commune's seal certificate. */
  sealCertificateSerial: string;
  sealedBy: OfficerRef;
  sealedAt: string;
}

export interface RefusalView {
  ground: RefusalGround;
  groundText: string;
  note: string;
  by: OfficerRef;
  at: string;
  /** The refusal notice for the citizen. */
  noticePath?: string;
}

export interface WithdrawalView {
  reason: string;
  by: OfficerRef;
  at: string;
}

export interface ApologySlipView {
  path: string;
  issuedAt: string;
  missedDueAt: string;
  newAppointmentAt: string;
}

/** What marking the case complex now would do to its overall deadline (the `complexExtension` query). */
export interface ComplexExtensionPreview {
  /** Working days the steps' full budgets need. */
  neededDays: number;
  withoutAgreement: { days: number; dueAt: string };
  withAgreement: { days: number; dueAt: string };
}

/** The complex flag set or cleared, by whom and why. */
export interface ComplexChangeView {
  complex: boolean;
  reason?: string;
  by: OfficerRef;
  at: string;
}

/** The originals' declaration corrected at reception. */
export interface OriginalsCorrectionView {
  reason: string;
  by: OfficerRef;
  at: string;
  before: { documents: OriginalDocument[]; feeVnd: number };
  after: { documents: OriginalDocument[]; feeVnd: number };
}

/** The citizen told of a new appointment (an extension, or the apology for a missed deadline). */
export interface CitizenNoticeView {
  about: 'extension' | 'apology';
  newAppointmentAt: string;
  at: string;
  channels: Array<{ channel: 'sms' | 'email' | 'portal'; status: 'sent' | 'skipped' | 'failed'; detail?: string }>;
}

export interface DeliveryChannelView {
  channel: 'officer_account' | 'leader_account' | 'portal' | 'email';
  /** `queued`: the e-mail is being sent (retried with backoff); `failed`: every attempt failed. */
  status: 'delivered' | 'queued' | 'skipped' | 'failed';
  detail?: string;
}

export interface DeliveryView {
  at: string;
  channels: DeliveryChannelView[];
}

export interface CaseView {
  caseCode: string;
  status: CaseStatus;
  /** The open step; null once the case is closed. */
  step: CaseStepName | null;
  unit: UnitRef;
  citizen: CitizenData;
  documents: OriginalDocument[];
  fee: CaseFee;
  complex: boolean;
  receivedAt: string;
  receivedBy: OfficerRef;
  overallDueAt: string;
  overallWarnAt: string;
  extensions: ExtensionView[];
  currentStep: CurrentStepView | null;
  steps: StepHistoryView[];
  warnings: AlarmView[];
  breaches: AlarmView[];
  /** The ladder's rungs fired so far, in order (empty for a case without a ladder). */
  escalations: EscalationView[];
  scan?: ScanView;
  signature?: SignatureView;
  certificationNumber?: string;
  result?: ResultView;
  refusal?: RefusalView;
  withdrawal?: WithdrawalView;
  apologySlips: ApologySlipView[];
  /** The list projection refused this case's latest write for good (shown on the case, reported by the consistency check). */
  projectionError?: { code: string; message: string; at: string };
  /** The appointment the case was received from. */
  appointmentCode?: string;
  /** Why the scan received with the case could not be attached (the officer attaches it again). */
  initialScanError?: { code: string; vi: string; en: string };
  /** Absent in views stored before these were kept. */
  complexChanges?: ComplexChangeView[];
  originalsCorrections?: OriginalsCorrectionView[];
  citizenNotices?: CitizenNoticeView[];
  delivery?: DeliveryView;
  closedAt?: string;
  /** Grows with every change; the projection keeps the newest. */
  version: number;
}
