/**
 * What the certification workflow asks of the outside world: store and check the scan, render and
 * sign the copy (certification/copy.ts), number and seal it, deliver it (certification/delivery.ts),
 * warn officers and supervisors about deadlines, write the citizen's papers, and keep the list
 * projection and the event log of each case.
 *
 * Every activity is safe to run twice: files are written under fixed names (atomically), rows are
 * keyed by the case and an event number the workflow chose, the certification number comes from
 * activities/numbering (exactly once per case), the e-mail goes through the mail outbox (once per
 * key), and a notification is not sent again once its event is recorded (a run that dies between
 * sending and recording sends again: at least once, and no transaction is held open while an SMS
 * goes out).
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource, EntityManager } from 'typeorm';
import type { Right } from '../domain/rights';
import { FileStore } from '../infra/fileStore';
import type { SmsSender } from '../infra/sms/smsSender';
import type { CaseErrorCode } from '../workflows/certification/messages';
import { STEP_LABELS } from '../workflows/certification/state';
import { MAX_SCAN_BYTES } from '../workflows/certification/validate';
import type {
  AlarmKind,
  AlarmScope,
  CaseView,
  CertificationStep,
  CitizenData,
  CurrentStepView,
  OfficerRef,
  ScanMimeType,
  ScanRef,
  UnitRef,
} from '../workflows/certification/types';
import type { MailOutbox } from '../infra/mail/mailOutbox';
import type { RaiseAlert } from '../infra/alerts/raiseAlert';
import type { Pki } from '../infra/pki/pki';
import type { PublicLinks } from '../infra/publicLinks';
import { createCopyActivities, type SealAndNumberInput, type SealedResult, type SignCopyInput, type SignedCopy } from './certification/copy';
import { createCitizenNoticeActivities, type CitizenNoticeInput, type CitizenNoticeResult } from './certification/citizenNotices';
import { createDeliveryActivities, type DeliverResultInput, type DeliveryRecord, type EmailedResult } from './certification/delivery';
import { recordCaseDocument } from './certification/caseDocuments';
import type { ApologySlipInput, RefusalNoticeInput } from './certification/documents';
import { EXTENSION_OF, readIfExists, resolveInFiles, sha256, sniffScanType, writeCaseFile } from './certification/files';
import { renderApologySlip, renderRefusalNotice } from '../infra/pdf/slips';
import { scanPartPages } from '../infra/pdf/scanPages';
import { DomainError } from '../domain/messages';
import { createNumberingActivities } from './numbering';
import { createEscalationActivities, holdersOf, type EscalateInput, type EscalateResult } from './certification/escalation';
import { projectCase } from '../infra/readModel/projectCase';

export type { DeliverResultInput, DeliveryRecord, EmailedResult, SealAndNumberInput, SealedResult, SignCopyInput, SignedCopy };

export interface StoredFile {
  /** Relative to the files directory. */
  path: string;
  sha256: string;
  bytes: number;
  mimeType: ScanMimeType;
  /** The file's pages as the copy will show them: a PDF's pages, 1 for an image. */
  pages?: number;
}

export interface VerifyScanInput {
  caseCode: string;
  scan: ScanRef;
  /** Numbers the case's copies of successive scans. */
  copyNo: number;
  /** The file's place in a scan of several files (1, 2, …). */
  part?: number;
}

export interface NotifyDeadlineInput {
  caseCode: string;
  unit: UnitRef;
  /** Event number the workflow reserved for this notification. */
  eventSeq: number;
  kind: AlarmKind;
  scope: AlarmScope;
  step: CertificationStep;
  /** The right of the open step: its holders are warned; breaches go to CASE_SUPERVISE holders. */
  stepRight: Right;
  at: string;
  dueAt: string;
  firedAt: string;
  citizenName: string;
}

export interface NotifyDeadlineResult {
  notified: OfficerRef[];
}

export interface IssueApologySlipInput extends ApologySlipInput {
  slipNo: number;
}

export interface IssueRefusalNoticeInput extends RefusalNoticeInput {
  /** Event number the workflow reserved for telling the citizen. */
  eventSeq: number;
}

/** One row of certification_cases: what lists, inboxes and dashboards filter and sort on. */
export interface CaseProjection {
  caseCode: string;
  unitId: string;
  status: string;
  step: string | null;
  stepRight: string | null;
  receivedBy: string;
  receivedAt: string;
  overallDueAt: string;
  stepStartedAt: string | null;
  stepWarnAt: string | null;
  stepDueAt: string | null;
  citizenName: string;
  citizenId: string;
  complex: boolean;
  feeVnd: number;
  certificationNumber: string | null;
  breaches: number;
  closedAt: string | null;
  updatedAt: string;
  version: number;
  view: CaseView;
}

export interface CaseEventRecord {
  seq: number;
  at: string;
  kind: string;
  actorId: string | null;
  data: Record<string, unknown>;
}

/**
 * What a projection answers the workflow, and so what its history keeps: the case's deadlines as
 * written, which the auditor's timeline names timers by (the first ones are in no officer's
 * answer). Cases projected before kept the whole view here, a third of a case's history.
 */
export interface ProjectedDeadlines {
  currentStep: Pick<CurrentStepView, 'step' | 'warnAt' | 'dueAt'> | null;
  overallWarnAt: string;
  overallDueAt: string;
}

export function deadlinesOf(view: CaseView): ProjectedDeadlines {
  const step = view.currentStep;
  return {
    currentStep: step ? { step: step.step, warnAt: step.warnAt, dueAt: step.dueAt } : null,
    overallWarnAt: view.overallWarnAt,
    overallDueAt: view.overallDueAt,
  };
}

export interface ProjectCaseInput {
  projection: CaseProjection;
  events: CaseEventRecord[];
}

export interface CertificationActivities {
  verifyScan(input: VerifyScanInput): Promise<StoredFile>;
  signCopy(input: SignCopyInput): Promise<SignedCopy>;
  sealAndNumber(input: SealAndNumberInput): Promise<SealedResult>;
  deliverResult(input: DeliverResultInput): Promise<DeliveryRecord>;
  emailResult(input: DeliverResultInput): Promise<EmailedResult>;
  notifyDeadline(input: NotifyDeadlineInput): Promise<NotifyDeadlineResult>;
  escalate(input: EscalateInput): Promise<EscalateResult>;
  issueApologySlip(input: IssueApologySlipInput): Promise<{ path: string; sha256?: string }>;
  noticeCitizen(input: CitizenNoticeInput): Promise<CitizenNoticeResult>;
  emailCitizenNotice(input: CitizenNoticeInput): Promise<{ messageId: string }>;
  issueRefusalNotice(input: IssueRefusalNoticeInput): Promise<{ path: string; smsSent: boolean }>;
  recordCaseEvent(input: { caseCode: string; event: CaseEventRecord }): Promise<{ recorded: boolean }>;
  /**
   * Answers the deadlines it wrote besides whether it applied: a local activity's marker keeps its
   * result, not its input, and the auditors' timeline reads the case's deadlines from it.
   */
  projectCase(input: ProjectCaseInput): Promise<{ applied: boolean; view: ProjectedDeadlines }>;
}

/** Where the scans officers upload are read from, by file id. */
export interface ScanSource {
  read(fileId: string): Promise<Buffer | undefined>;
}

/** The uploads the API stored (infra/fileStore.ts), checked against their hash on the way out. */
export function fileStoreScans(store: Pick<FileStore, 'get'>): ScanSource {
  return { read: async (fileId) => (await store.get(fileId))?.data };
}

export interface CertificationActivityDeps {
  db: DataSource;
  /** FILES_DIR: the uploads' store and the case folders (`cases/<caseCode>/…`). */
  filesDir: string;
  now: () => Date;
  /** Default: the upload store in `filesDir`. */
  scans?: ScanSource;
  /** When given, breach notices reach supervisors' phones and refusal notices the citizen's. */
  sms?: SmsSender;
  /** The certificate authority and the keys of leaders and communes. */
  pki: Pki;
  /** The links printed on copies and slips. */
  links: PublicLinks;
  /** E-mail to citizens. */
  mail: MailOutbox;
  /** Error alerts (a citizen's e-mail that finally failed). */
  alerts?: RaiseAlert;
}

function failure(type: CaseErrorCode, vi: string, en: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${vi} / ${en}`, type, { code: type, vi, en });
}

/** A file the case recorded (path and hash), read back only if it is still the same. */
async function readRecordedFile(filesDir: string, relative: string, expectedSha: string): Promise<Buffer> {
  const content = await readIfExists(resolveInFiles(filesDir, relative));
  if (!content) throw failure('SCAN_NOT_FOUND', `Không tìm thấy tệp ${relative} của hồ sơ`, `File ${relative} of the case is missing`);
  if (sha256(content) !== expectedSha) {
    throw failure('SCAN_MISMATCH', `Tệp ${relative} đã bị thay đổi sau khi ghi nhận (mã băm không khớp)`, `File ${relative} changed after it was recorded (hash mismatch)`);
  }
  return content;
}

/** A connection or a transaction: both run SQL the same way. */
type Sql = Pick<EntityManager, 'query'>;

/** Writes a case event once: a retried activity finds its seq taken and answers false. */
async function insertEvent(m: Sql, caseCode: string, e: CaseEventRecord): Promise<boolean> {
  const rows: unknown[] = await m.query(
    `insert into certification_case_events (case_code, seq, at, kind, actor_id, data) values ($1, $2, $3, $4, $5, $6)
     on conflict (case_code, seq) do nothing returning seq`,
    [caseCode, e.seq, e.at, e.kind, e.actorId, JSON.stringify(e.data)],
  );
  return rows.length > 0;
}

async function eventData(m: Sql, caseCode: string, seq: number): Promise<Record<string, unknown> | undefined> {
  const rows: Array<{ data: Record<string, unknown> }> = await m.query('select data from certification_case_events where case_code = $1 and seq = $2', [caseCode, seq]);
  return rows[0]?.data;
}

export function createCertificationActivities(deps: CertificationActivityDeps): CertificationActivities {
  const { db, filesDir } = deps;
  const numbering = createNumberingActivities(db, deps.now);
  const readRecorded = (relative: string, expectedSha: string) => readRecordedFile(filesDir, relative, expectedSha);
  const copies = createCopyActivities({ db, filesDir, pki: deps.pki, links: deps.links, assignNumber: numbering.assignCertificationNumber, readRecorded });
  const delivery = createDeliveryActivities({ db, mail: deps.mail, readRecorded, ...(deps.alerts ? { alerts: deps.alerts } : {}) });
  const scans = deps.scans ?? fileStoreScans(new FileStore(db, { now: deps.now }, { dir: filesDir, maxBytes: MAX_SCAN_BYTES }));

  /** A slip for the citizen: a PDF in the case folder and in the citizen's portal documents. */
  async function citizenPaper(
    c: { caseCode: string; unit: UnitRef; citizen: CitizenData },
    kind: 'apology_slip' | 'refusal_notice',
    name: string,
    title: string,
    pdf: Uint8Array,
    at: string,
  ): Promise<string> {
    const content = Buffer.from(pdf);
    const path = await writeCaseFile(filesDir, c.caseCode, name, content);
    const paper = { caseCode: c.caseCode, unitId: c.unit.id, kind, title, path, sha256: sha256(content), bytes: content.length, at };
    await recordCaseDocument(db, { ...paper, holderKind: 'citizen', holderId: c.citizen.citizenId, role: 'citizen' });
    return path;
  }

  return {
    async verifyScan({ caseCode, scan, copyNo, part }) {
      const content = await scans.read(scan.fileId);
      if (!content) {
        throw failure('SCAN_NOT_FOUND', `Không tìm thấy tệp bản quét ${scan.fileId}; hãy tải lên lại`, `Scan file ${scan.fileId} not found; upload it again`);
      }
      if (content.length > MAX_SCAN_BYTES) {
        throw failure('SCAN_TOO_LARGE', `Tệp bản quét lớn hơn ${MAX_SCAN_BYTES / 1024 / 1024} MB`, `The scan is larger than ${MAX_SCAN_BYTES / 1024 / 1024} MB`);
      }
      const type = sniffScanType(content);
      if (!type) {
        throw failure('SCAN_UNSUPPORTED_TYPE', 'Nội dung tệp không phải PDF, JPEG hay PNG', 'The file content is not PDF, JPEG or PNG');
      }
      const digest = sha256(content);
      if (type !== scan.mimeType || digest !== scan.sha256 || content.length !== scan.bytes) {
        throw failure(
          'SCAN_MISMATCH',
          'Tệp bản quét không khớp với thông tin đã khai (loại, kích thước hoặc mã băm); hãy tải lên lại',
          'The scan does not match its declared type, size or hash; upload it again',
        );
      }
      let pages: number;
      try {
        pages = await scanPartPages({ bytes: content, mimeType: type });
      } catch (err) {
        if (err instanceof DomainError && (err.code === 'SCAN_UNREADABLE' || err.code === 'SCAN_ENCRYPTED')) throw failure(err.code, err.messages.vi, err.messages.en);
        throw err;
      }
      const path = await writeCaseFile(filesDir, caseCode, `ban-quet-${copyNo}${part ? `-${part}` : ''}.${EXTENSION_OF[type]}`, content);
      return { path, sha256: digest, bytes: content.length, mimeType: type, pages };
    },

    ...copies,
    ...delivery,
    ...createEscalationActivities({ db, mail: deps.mail, links: deps.links, sms: deps.sms }),
    ...createCitizenNoticeActivities({ db, mail: deps.mail, sms: deps.sms, readRecorded }),

    async notifyDeadline(input) {
      const right: Right = input.kind === 'breach' ? 'CASE_SUPERVISE' : input.stepRight;
      const recorded = await eventData(db, input.caseCode, input.eventSeq);
      if (recorded) return { notified: (recorded['notified'] as OfficerRef[] | undefined) ?? [] };
      const recipients = await holdersOf(db, input.unit.id, right);
      const notified = recipients.map((r) => ({ officerId: r.officerId, fullName: r.fullName }));
      // Sent before the event is recorded, each under its own key: a run that dies or fails in
      // between sends again only what did not go out.
      if (deps.sms && input.kind === 'breach') {
        const what = input.scope === 'overall' ? 'quá hạn trả kết quả' : `quá hạn bước ${STEP_LABELS[input.step].vi}`;
        for (const r of recipients) {
          const key = `case:${input.caseCode}:deadline:${input.eventSeq}:${r.officerId}:sms`;
          if (r.phone) await deps.sms.send(r.phone, `[${input.unit.name}] Hồ sơ chứng thực ${input.caseCode} (${input.citizenName}) ${what}.`, 'case_deadline', { key });
        }
      }
      await insertEvent(db, input.caseCode, {
        seq: input.eventSeq,
        at: input.firedAt,
        kind: `deadline.${input.kind}`,
        actorId: null,
        data: { scope: input.scope, step: input.step, at: input.at, dueAt: input.dueAt, right, notified },
      });
      return { notified };
    },

    async issueApologySlip(input) {
      const pdf = await renderApologySlip(input);
      const path = await citizenPaper(input, 'apology_slip', `phieu-xin-loi-${input.slipNo}.pdf`, `Phiếu xin lỗi và hẹn lại ngày trả kết quả số ${input.slipNo}`, pdf, input.issuedAt);
      return { path, sha256: sha256(Buffer.from(pdf)) };
    },

    async issueRefusalNotice(input) {
      const path = await citizenPaper(input, 'refusal_notice', 'phieu-tu-choi.pdf', 'Phiếu từ chối giải quyết hồ sơ chứng thực', await renderRefusalNotice(input), input.refusedAt);
      const recorded = await eventData(db, input.caseCode, input.eventSeq);
      if (recorded) return { path, smsSent: recorded['sms'] !== null };
      const phone = deps.sms ? input.citizen.phone : undefined;
      if (phone && deps.sms) {
        await deps.sms.send(phone, `[${input.unit.name}] Hồ sơ chứng thực ${input.caseCode} không được chứng thực. Lý do: ${input.note}`, 'case_refused', {
          key: `case:${input.caseCode}:refusal:${input.eventSeq}:sms`,
        });
      }
      await insertEvent(db, input.caseCode, { seq: input.eventSeq, at: input.refusedAt, kind: 'citizen.notified', actorId: null, data: { notice: path, sms: phone ?? null } });
      return { path, smsSent: phone !== undefined };
    },

    async recordCaseEvent({ caseCode, event }) {
      return { recorded: await insertEvent(db, caseCode, event) };
    },

    async projectCase(input) {
      try {
        return { ...(await projectCase(db, input, callingRun())), view: deadlinesOf(input.projection.view) };
      } catch (err) {
        // Data PostgreSQL refuses (class 22: data exception; 23: a broken constraint) is refused
        // again on every retry: the workflow is told at once instead of retrying for ever.
        const code = (err as { driverError?: { code?: string } }).driverError?.code ?? (err as { code?: string }).code;
        if (typeof code === 'string' && /^2[23]/.test(code) && code !== '23505') {
          throw ApplicationFailure.nonRetryable(`PostgreSQL refused the case's projection (${code}): ${(err as Error).message}`, 'PROJECTION_REJECTED');
        }
        throw err;
      }
    },
  };
}

/** The workflow run an activity works for; null when called outside an activity (a test's direct call). */
function callingRun(): string | null {
  try {
    return Context.current().info.workflowExecution?.runId ?? null;
  } catch {
    return null;
  }
}
