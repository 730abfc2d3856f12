/**
 * One certification request (chứng thực bản sao điện tử từ bản chính), seed 000 §3.4–3.10:
 *
 *   step 2  officer, CERT_CREATE   attach the scan, mark complex, submit   ≤ 4 working hours (16 complex)
 *                                  — the scan's pages must match the originals declared (the
 *                                  declaration may be corrected, the fee follows) — or refuse
 *                                  on a legal ground; a complex case's overall deadline is
 *                                  extended to fit (≤ 2 working days without a written agreement)
 *   step 3  leader, CERT_SIGN      the copy (scan + certification block)   ≤ 2 working hours
 *                                  is rendered and digitally signed — or returned with a reason to step 2
 *   step 4  officer, CERT_SEAL     number (gap-free, exactly once), stamp  ≤ 2 working hours
 *                                  and the commune's digital seal
 *           system                 deliver: document lists, portal, e-mail (its first attempt with
 *                                  the delivery, then retried for about a day) → completed
 *   any time before the seal: the citizen withdraws; an officer may extend the overall deadline.
 *   a new appointment (an extension, the apology for a missed deadline) is told to the citizen
 *   by SMS, portal notice and e-mail.
 *
 * Officers act through updates whose validators check right, unit, state and input, so a refusal
 * leaves no trace; every update answers the new case view. A timer loop on the workflow clock
 * warns at 75% of each budget and records a breach at each deadline (step and overall), re-armed
 * whenever the case changes. A case received with an escalation ladder has its rungs instead of
 * the fixed warnings: each fires once at its working instant and tells whom it names (in-app and
 * by e-mail); its breaches are recorded as always. Everything is persisted to the list projection
 * after each change.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
} from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type { CertificationActivities } from '../activities/certification';
import { addWorkingDays } from '../domain/calendar';
import { complexExtension, extendedDue } from '../domain/certification/deadlines';
import { pageMismatchMessage, scanPageMismatches } from '../domain/certification/scanPages';
import { REFUSAL_GROUNDS } from '../domain/certification/refusalGrounds';
import type { Right } from '../domain/rights';
import { markRaised, nextAlarm, type Alarm, type DeadlineAlarm, type RungAlarm } from './certification/alarms';
import type { EscalationRecord } from './certification/escalation';
import { IdempotencyLog } from './certification/idempotency';
import {
  attachScanUpdate,
  CASE_ERRORS,
  caseViewQuery,
  complexExtensionQuery,
  correctOriginalsUpdate,
  extendUpdate,
  refuseUpdate,
  returnToOfficerUpdate,
  sealUpdate,
  setComplexUpdate,
  signUpdate,
  submitUpdate,
  withdrawUpdate,
} from './certification/messages';
import { checkSignatureDelegation } from './certification/delegation';
import { LocalLane } from './certification/localLane';
import { projectionOf } from './certification/projection';
import { caseFailure, invalidInput } from './certification/refusals';
import {
  allocateEventSeq,
  endStep,
  iso,
  isClosed,
  openCase,
  overallWarnAt,
  recomputeReceiveDeadline,
  recordChange,
  startStep,
  STEP_LABELS,
  STEP_RIGHTS,
  viewOf,
  type CaseState,
} from './certification/state';
import { caseFee } from './certification/fee';
import { checkActor, checkDocuments, checkExtensionShape, checkReason, checkRefusal, checkScan, checkStartInput, checkStatus } from './certification/validate';
import type { ActionInput, Actor, CaseStatus, CaseView, CertificationInput, CitizenNoticeView, OfficerRef, ScanPartView, ScanRef } from './certification/types';

/** Bookkeeping and notices: retried until they succeed, however long the database is away. */
const background = proxyActivities<CertificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * The list projection, written by the worker inside the workflow task that changed the case (a
 * local activity): an officer's action is answered one engine round trip sooner, and the history
 * carries one marker instead of three activity events and a workflow task per write. The write is
 * idempotent (each event once, the row only forward by version), so a workflow task that runs it
 * again after a worker's death changes nothing.
 */
const projecting = proxyLocalActivities<CertificationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * The citizen's e-mail: a mail server that is down is waited for — about a day of attempts, the
 * pause doubling up to an hour — and each attempt's error is kept in the mail outbox, where the
 * case view shows it. Only then is the channel marked failed on the case.
 */
const EMAIL_RETRY = { initialInterval: '30 seconds', backoffCoefficient: 2, maximumInterval: '1 hour' } as const;
const emailing = proxyActivities<CertificationActivities>({ startToCloseTimeout: '2 minutes', retry: { ...EMAIL_RETRY, maximumAttempts: 30 } });
/** The same, after delivery made the first attempt: thirty in all. */
const emailingAfterFirst = proxyActivities<CertificationActivities>({ startToCloseTimeout: '2 minutes', retry: { ...EMAIL_RETRY, maximumAttempts: 29 } });

/**
 * A rung of the escalation ladder: retried like bookkeeping; the activity itself stops waiting for
 * a mail server that refuses after a few attempts and records the failure instead.
 */
const escalating = proxyActivities<CertificationActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

/** Work an officer waits for: a few quick attempts, then the update fails and may be retried. */
const INTERACTIVE = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds', maximumAttempts: 5 },
} as const;
const interactive = proxyActivities<CertificationActivities>(INTERACTIVE);

/**
 * Signing, sealing and the scan check, run by the worker within the workflow task of the officer's
 * action or of the reception (local activities): the officer's answer comes one engine round trip
 * sooner, with one workflow task and one activity task less each. All are idempotent (the same
 * copy file, the case's one number, the same scan copy), so a task run again after a worker's
 * death repeats nothing.
 */
const interactiveHere = proxyLocalActivities<CertificationActivities>(INTERACTIVE);

const IDEMPOTENCY_KEYS_KEPT = 200;

interface Action<I extends ActionInput> {
  update: UpdateDefinition<CaseView, [I]>;
  rights: readonly Right[];
  statuses: readonly CaseStatus[];
  verb: { vi: string; en: string };
  /** Input and rule checks beyond right, unit and state; synchronous, in the validator. */
  check?(input: I): void;
  /** The transition; `at` is the instant of the action on the case clock. */
  run(input: I, at: number, by: OfficerRef): Promise<void> | void;
}

export async function certification(input: CertificationInput): Promise<CaseView> {
  const offset = typeof input?.clockOffsetMs === 'number' && Number.isSafeInteger(input.clockOffsetMs) ? input.clockOffsetMs : 0;
  /** The case clock: the workflow clock (plus a test's offset). */
  const now = () => Date.now() + offset;
  const receivedAt = now();
  const state: CaseState = openCase(input, checkStartInput(input, receivedAt), receivedAt);
  // A new case records one version marker, the newest, standing for every change below (each marker
  // is two events in the history); older cases replay with the markers they recorded.
  // Cases started before an alarm reached the case list ahead of its notice replay without that write.
  const projectsAlarmFirst = patched('alarm-projected-before-notice');
  const checksScanHere = projectsAlarmFirst || patched('scan-check-as-local-activity');
  // Cases started before the scan check became a local activity replay with it as an activity.
  const verifyScan = (i: Parameters<CertificationActivities['verifyScan']>[0]) => (checksScanHere ? lane.run(() => interactiveHere.verifyScan(i)) : interactive.verifyScan(i));
  const current = checksScanHere || patched('case-2026-12');
  // Cases started before complex cases carried their extension, and citizens were told of new
  // appointments, replay without either.
  const extendsAndTells = current || patched('complex-extension-and-citizen-notices');
  // Cases started before the projection became a local activity replay with it as an activity.
  const projectsLocally = current || patched('projection-as-local-activity');
  // Cases started before signing and sealing became local activities replay with them as activities.
  const officerWork = current || patched('signing-and-sealing-as-local-activities') ? interactiveHere : interactive;
  // Cases started before local activities went one at a time replay with them side by side.
  const lane = new LocalLane(current || patched('local-activities-one-at-a-time'));
  // Cases started before the deadline timer was kept while the next alarm stays put re-armed it on every change.
  const keepsDeadlineTimer = current;
  const idempotency = new IdempotencyLog(IDEMPOTENCY_KEYS_KEPT);
  let busy: string | undefined;
  let scanCopies = 0;
  let noticesSent = 0;
  const notices: Array<Promise<void>> = [];
  if (extendsAndTells && state.complex) {
    // At the desk the reception receipt, printed with the extended date, tells the citizen.
    extendForComplexity(input.complexReason ?? 'hồ sơ phức tạp, số lượng lớn', undefined, receivedAt, input.receivedBy);
  }

  setHandler(caseViewQuery, () => viewOf(state));
  setHandler(complexExtensionQuery, () => {
    if (!extendsAndTells || state.status !== 'receiving' || state.complex) return null;
    const preview = (writtenAgreement: boolean) => {
      const e = complexExtensionNow(writtenAgreement);
      return { neededDays: e.neededDays, option: { days: e.grantedDays, dueAt: iso(e.newDueAt) } };
    };
    const without = preview(false);
    return { neededDays: without.neededDays, withoutAgreement: without.option, withAgreement: preview(true).option };
  });

  /** The case version the list projection last received (-1: none yet). */
  let projectedVersion = -1;

  async function persist(): Promise<void> {
    const events = state.unsavedEvents.splice(0);
    const projection = projectionOf(state, now());
    projectedVersion = state.version;
    try {
      const write = { projection, events: events.map((e) => ({ ...e, at: iso(e.at) })) };
      await (projectsLocally ? lane.run(() => projecting.projectCase(write)) : background.projectCase(write));
    } catch (err) {
      // Only a non-retryable failure gets here (PostgreSQL refused the data itself): the case says
      // so, the consistency check reports it, and the events wait for the next write.
      state.unsavedEvents.unshift(...events);
      const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
      state.projectionError = {
        code: cause instanceof ApplicationFailure && cause.type ? cause.type : 'PROJECTION_FAILED',
        message: cause instanceof Error ? cause.message : String(cause),
        at: now(),
      };
      log.error('case projection refused', { caseCode: state.caseCode, error: String(err) });
    }
  }

  function action<I extends ActionInput>(a: Action<I>): void {
    setHandler(
      a.update,
      async (inputOfAction: I) => {
        const earlier = idempotency.find(inputOfAction.idempotencyKey);
        if (earlier) {
          await condition(() => earlier.settled);
          if (earlier.failure) throw earlier.failure;
          return earlier.view as CaseView;
        }
        const by = officerOf(inputOfAction.actor);
        const entry = idempotency.begin(inputOfAction.idempotencyKey, a.update.name, by.officerId);
        busy = a.update.name;
        try {
          await a.run(inputOfAction, now(), by);
        } catch (err) {
          const failure = asActionFailure(err);
          idempotency.fail(inputOfAction.idempotencyKey, entry, failure);
          throw failure;
        } finally {
          busy = undefined;
        }
        const view = viewOf(state);
        idempotency.succeed(entry, view);
        await persist();
        return view;
      },
      {
        validator: (inputOfAction: I) => {
          const earlier = idempotency.find((inputOfAction as Partial<ActionInput> | undefined)?.idempotencyKey);
          if (earlier) {
            if (earlier.update !== a.update.name || earlier.officerId !== inputOfAction.actor?.officerId) {
              throw caseFailure(
                'IDEMPOTENCY_KEY_REUSED',
                'Mã chống trùng lặp (idempotencyKey) này đã được dùng cho một thao tác khác',
                'This idempotency key was already used for another action',
              );
            }
            return;
          }
          checkActor(state, inputOfAction, a.rights);
          checkStatus(state, a.statuses, a.verb.vi, a.verb.en);
          if (busy) {
            throw caseFailure(
              'BUSY',
              `Hồ sơ ${state.caseCode} đang được xử lý một thao tác khác, vui lòng thử lại sau giây lát`,
              `Case ${state.caseCode} is busy with another action, try again shortly`,
            );
          }
          a.check?.(inputOfAction);
        },
      },
    );
  }

  // ——— Step 2: reception (CERT_CREATE) ———

  action({
    update: attachScanUpdate,
    rights: ['CERT_CREATE'],
    statuses: ['receiving'],
    verb: { vi: 'đính kèm bản quét', en: 'attach the scan' },
    check: (i) => checkScan(i.scan, i.broughtByCitizen, i.moreScans, state.documents.length),
    run: (i, at, by) => attachScan([i.scan, ...(i.moreScans ?? [])], i.broughtByCitizen === true, at, by),
  });

  action({
    update: setComplexUpdate,
    rights: ['CERT_CREATE'],
    statuses: ['receiving'],
    verb: { vi: 'đánh dấu hồ sơ phức tạp', en: 'mark the case complex' },
    check: (i) => {
      if (typeof i.complex !== 'boolean') throw invalidInput('complex', 'phải là true hoặc false', 'must be true or false');
      if (i.complex === state.complex) {
        throw invalidInput('complex', i.complex ? 'hồ sơ đã được đánh dấu phức tạp' : 'hồ sơ không được đánh dấu phức tạp', i.complex ? 'the case is already complex' : 'the case is not complex');
      }
      checkReason(i.reason, 'reason');
      checkExtensionShape(1, i.reason, i.writtenAgreementRef);
    },
    run(i, at, by) {
      state.complex = i.complex;
      recomputeReceiveDeadline(state, at);
      state.complexChanges.push({ complex: i.complex, ...(i.reason !== undefined ? { reason: i.reason } : {}), by, at });
      recordChange(state, at, 'complex.set', by, { complex: i.complex, ...(i.reason !== undefined ? { reason: i.reason } : {}) });
      if (extendsAndTells && i.complex) {
        const granted = extendForComplexity(i.reason ?? '', i.writtenAgreementRef, at, by);
        if (granted) tellCitizen('extension', granted.newDueAt, granted.reason, at);
      }
    },
  });

  action({
    update: correctOriginalsUpdate,
    rights: ['CERT_CREATE'],
    statuses: ['receiving'],
    verb: { vi: 'sửa bản chính đã khai', en: 'correct the originals declared' },
    check: (i) => {
      checkDocuments(i.documents);
      checkReason(i.reason, 'reason');
    },
    run(i, at, by) {
      const before = { documents: state.documents, feeVnd: state.fee.totalVnd };
      state.documents = i.documents.map((d) => ({ type: d.type, issuer: d.issuer, pages: d.pages, copies: d.copies }));
      state.fee = caseFee(state.documents);
      const after = { documents: state.documents, feeVnd: state.fee.totalVnd };
      state.originalsCorrections.push({ reason: i.reason, by, at, before, after });
      recordChange(state, at, 'originals.corrected', by, { reason: i.reason, before, after });
    },
  });

  action({
    update: submitUpdate,
    rights: ['CERT_CREATE'],
    statuses: ['receiving'],
    verb: { vi: 'trình ký', en: 'submit for signature' },
    check: () => {
      if (!state.scan) {
        throw caseFailure('SCAN_REQUIRED', 'Chưa đính kèm bản quét của bản chính, chưa thể trình ký', 'Attach the scan of the original before submitting');
      }
      const mismatches = scanPageMismatches(state.documents, state.scan.parts);
      if (mismatches.length > 0) {
        const message = pageMismatchMessage(state.documents, mismatches);
        throw caseFailure('SCAN_PAGES_MISMATCH', message.vi, message.en);
      }
    },
    run(_i, at, by) {
      endStep(state, at, 'submitted', by);
      startStep(state, 'sign', at);
      state.status = 'signing';
      recordChange(state, at, 'submitted', by);
    },
  });

  action({
    update: refuseUpdate,
    rights: ['CERT_CREATE'],
    statuses: ['receiving'],
    verb: { vi: 'từ chối chứng thực', en: 'refuse' },
    check: (i) => checkRefusal(i.ground, i.note),
    run(i, at, by) {
      endStep(state, at, 'refused', by, i.note);
      state.refusal = { ground: i.ground, groundText: REFUSAL_GROUNDS[i.ground], note: i.note, by, at };
      close('refused', at);
      recordChange(state, at, 'refused', by, { ground: i.ground, note: i.note });
    },
  });

  // ——— Step 3: the leader signs, or returns the case to step 2 (CERT_SIGN) ———

  action({
    update: signUpdate,
    rights: ['CERT_SIGN'],
    statuses: ['signing'],
    verb: { vi: 'ký bản sao', en: 'sign' },
    check: (i) => checkSignatureDelegation(i.delegation),
    async run(i, at, by) {
      // Under a delegation the copy's block reads "KT. …" / "TUQ. …" and the facts name who delegated.
      const delegated = i.delegation ? { delegation: i.delegation } : {};
      const signed = await lane.run(() => officerWork.signCopy({
        caseCode: state.caseCode,
        unit: state.unit,
        parts: state.scan!.parts.map((p) => ({ path: p.path, sha256: p.sha256, mimeType: p.mimeType })),
        documents: state.documents,
        signer: by,
        signedAt: iso(at),
        copyNo: state.steps.filter((s) => s.step === 'sign').length,
        ...delegated,
      }));
      state.signature = { path: signed.path, sha256: signed.sha256, signedBy: by, signedAt: at, certificateSerial: signed.certificateSerial, ...delegated };
      endStep(state, at, 'signed', by);
      startStep(state, 'seal', at);
      state.status = 'sealing';
      recordChange(state, at, 'signed', by, { path: signed.path, sha256: signed.sha256, certificateSerial: signed.certificateSerial, ...delegated });
    },
  });

  action({
    update: returnToOfficerUpdate,
    rights: ['CERT_SIGN'],
    statuses: ['signing'],
    verb: { vi: 'trả lại hồ sơ', en: 'return the case' },
    check: (i) => checkReason(i.reason, 'reason'),
    run(i, at, by) {
      endStep(state, at, 'returned', by, i.reason);
      startStep(state, 'receive', at);
      state.status = 'receiving';
      recordChange(state, at, 'returned', by, { reason: i.reason });
    },
  });

  // ——— Step 4: number and seal (CERT_SEAL) ———

  action({
    update: sealUpdate,
    rights: ['CERT_SEAL'],
    statuses: ['sealing'],
    verb: { vi: 'cấp số và đóng dấu', en: 'number and seal' },
    async run(_i, at, by) {
      const signature = state.signature!;
      const sealed = await lane.run(() => officerWork.sealAndNumber({
        caseCode: state.caseCode,
        unit: state.unit,
        numbering: state.numbering,
        sealedAt: iso(at),
        sealer: by,
        signed: { path: signature.path, sha256: signature.sha256 },
      }));
      state.result = {
        certificationNumber: sealed.certificationNumber,
        book: sealed.book,
        path: sealed.path,
        mimeType: 'application/pdf',
        sha256: sealed.sha256,
        bytes: sealed.bytes,
        sealCertificateSerial: sealed.certificateSerial,
        sealedBy: by,
        sealedAt: at,
      };
      endStep(state, at, 'sealed', by);
      startStep(state, 'deliver', at);
      state.status = 'delivering';
      recordChange(state, at, 'sealed', by, {
        certificationNumber: sealed.certificationNumber,
        seq: sealed.seq,
        year: sealed.year,
        book: sealed.book,
        path: sealed.path,
        sha256: sealed.sha256,
        certificateSerial: sealed.certificateSerial,
      });
    },
  });

  // ——— Any time before the seal ———

  action({
    update: extendUpdate,
    rights: ['CERT_CREATE', 'CERT_SIGN'],
    statuses: ['receiving', 'signing', 'sealing'],
    verb: { vi: 'gia hạn', en: 'extend the deadline' },
    check: (i) => {
      checkExtensionShape(i.workingDays, i.reason, i.writtenAgreementRef);
      const due = extendedDue(state.calendar, state.overall.dueAt, extensionRequest(i));
      if (typeof due === 'number') return;
      if (due.code === 'EXTENSION_NEEDS_AGREEMENT') throw caseFailure('EXTENSION_NEEDS_AGREEMENT', due.messages.vi, due.messages.en, 'writtenAgreementRef');
      throw invalidInput('workingDays', due.messages.vi, due.messages.en);
    },
    run(i, at, by) {
      const newDueAt = extendedDue(state.calendar, state.overall.dueAt, extensionRequest(i)) as number;
      grantExtension({ workingDays: i.workingDays, reason: i.reason, ...(i.writtenAgreementRef ? { writtenAgreementRef: i.writtenAgreementRef } : {}) }, newDueAt, at, by);
      if (extendsAndTells) tellCitizen('extension', newDueAt, i.reason, at);
    },
  });

  action({
    update: withdrawUpdate,
    rights: ['CERT_CREATE'],
    statuses: ['receiving', 'signing', 'sealing'],
    verb: { vi: 'rút hồ sơ', en: 'withdraw the case' },
    check: (i) => checkReason(i.reason, 'reason'),
    run(i, at, by) {
      endStep(state, at, 'withdrawn', by, i.reason);
      state.withdrawal = { reason: i.reason, by, at };
      close('withdrawn', at);
      recordChange(state, at, 'withdrawn', by, { reason: i.reason });
    },
  });

  // ——— Delivery: document lists at once, then the e-mail, retried with backoff ———

  async function deliver(): Promise<void> {
    const at = now();
    const result = state.result!;
    const copy = {
      caseCode: state.caseCode,
      unit: state.unit,
      certificationNumber: result.certificationNumber,
      resultPath: result.path,
      resultSha256: result.sha256,
      citizen: state.citizen,
      receivedBy: state.receivedBy,
      signer: state.signature!.signedBy,
      sealer: result.sealedBy,
      deliveredAt: iso(at),
    };
    // Delivery makes the e-mail's first attempt; cases whose delivery did not (older histories) or
    // whose first attempt failed wait for the e-mail's retries, shown delivered meanwhile; the
    // others complete in this task.
    const delivery = await background.deliverResult({ ...copy, firstEmail: true });
    state.delivery = { at, channels: delivery.channels };
    recordChange(state, at, 'delivered', null, { channels: delivery.channels });
    const first = delivery.email;
    const retried = !first || ('error' in first && !first.permanent);
    if (retried) await persist();
    if (state.citizen.email) {
      const sent = (messageId: string) => ({ status: 'delivered' as const, detail: `${state.citizen.email} (${messageId})` });
      const failed = (reason: string) => ({ status: 'failed' as const, detail: `${state.citizen.email}: ${reason}` });
      const email = first && 'sent' in first
        ? sent(first.sent.messageId)
        : first && 'error' in first && first.permanent
          ? failed(first.error)
          : await retryEmail(copy, first !== undefined).then((r) => sent(r.messageId), (err: unknown) => failed(failureReason(err)));
      const doneAt = now();
      state.delivery.channels = state.delivery.channels.map((c) => (c.channel === 'email' ? { ...c, ...email } : c));
      recordChange(state, doneAt, email.status === 'delivered' ? 'delivery.email_sent' : 'delivery.email_failed', null, { detail: email.detail });
    }
    const closedAt = now();
    endStep(state, closedAt, 'delivered');
    close('completed', closedAt);
    recordChange(state, closedAt, 'completed', null);
    await persist();
  }

  /** The e-mail's attempts after the first, which delivery made (its pause first, as between retries), or all of them. */
  async function retryEmail(copy: Parameters<CertificationActivities['emailResult']>[0], afterFirst: boolean) {
    if (!afterFirst) return emailing.emailResult(copy);
    await sleep(EMAIL_RETRY.initialInterval);
    return emailingAfterFirst.emailResult(copy);
  }

  function extensionRequest(i: { workingDays: number; reason: string; writtenAgreementRef?: string }) {
    const alreadyGranted = state.extensions.reduce((sum, e) => sum + e.workingDays, 0);
    return { workingDays: i.workingDays, alreadyGranted, reason: i.reason, writtenAgreement: typeof i.writtenAgreementRef === 'string' && i.writtenAgreementRef.trim() !== '' };
  }

  /** The scan's files, in page order, checked by the worker and copied into the case's folder. */
  async function attachScan(refs: ScanRef[], broughtByCitizen: boolean, at: number, by: OfficerRef): Promise<void> {
    const copyNo = ++scanCopies;
    const parts: ScanPartView[] = [];
    for (const [part, ref] of refs.entries()) {
      const stored = await verifyScan({ caseCode: state.caseCode, scan: ref, copyNo, part: refs.length > 1 ? part + 1 : undefined });
      parts.push({ ...ref, mimeType: stored.mimeType, path: stored.path, ...(stored.pages !== undefined ? { pages: stored.pages } : {}) });
    }
    state.scan = { ...parts[0]!, parts, attachedBy: by, attachedAt: at, broughtByCitizen };
    const files = parts.map((p) => ({ fileId: p.fileId, path: p.path, sha256: p.sha256, mimeType: p.mimeType, ...(p.pages !== undefined ? { pages: p.pages } : {}), ...(p.document !== undefined ? { document: p.document } : {}) }));
    recordChange(state, at, 'scan.attached', by, { files, broughtByCitizen });
  }

  /** The scan received with the case, attached before anything else can happen to it. */
  async function attachInitialScan(initial: NonNullable<CertificationInput['scan']>): Promise<void> {
    busy = 'attachScan';
    try {
      const refs = checkScan(initial.scan, initial.broughtByCitizen, initial.moreScans, state.documents.length);
      await attachScan(refs, initial.broughtByCitizen === true, receivedAt, state.receivedBy);
    } catch (err) {
      const failure = asActionFailure(err);
      const details = (failure.details?.[0] ?? {}) as { vi?: string; en?: string };
      state.initialScanError = { code: failure.type ?? 'ACTION_FAILED', vi: details.vi ?? failure.message, en: details.en ?? failure.message };
      recordChange(state, now(), 'scan.failed', null, { ...state.initialScanError });
    } finally {
      busy = undefined;
    }
  }

  function grantExtension(
    e: { workingDays: number; reason: string; cause?: 'complex'; neededDays?: number; writtenAgreementRef?: string },
    newDueAt: number,
    at: number,
    by: OfficerRef,
  ): void {
    const previousDueAt = state.overall.dueAt;
    state.extensions.push({ ...e, by, at, previousDueAt, newDueAt });
    state.overall = { dueAt: newDueAt, warnAt: overallWarnAt(state.calendar, state.receivedAt, newDueAt), setAt: at };
    recordChange(state, at, 'extended', by, { ...e, previousDueAt: iso(previousDueAt), newDueAt: iso(newDueAt) });
  }

  /**
   * A complex case keeps every step's full budget: the overall deadline is extended by the working
   * days that needs, within what the 2-day allowance leaves unless the requester agreed in writing.
   * Answers what was granted, if anything.
   */
  function complexExtensionNow(writtenAgreement: boolean) {
    return complexExtension(state.calendar, {
      receiveStartedAt: state.steps[state.steps.length - 1]!.startedAt,
      currentDue: state.overall.dueAt,
      alreadyGranted: state.extensions.reduce((sum, e) => sum + e.workingDays, 0),
      writtenAgreement,
    });
  }

  function extendForComplexity(reason: string, writtenAgreementRef: string | undefined, at: number, by: OfficerRef): { newDueAt: number; reason: string } | undefined {
    const ext = complexExtensionNow(writtenAgreementRef !== undefined && writtenAgreementRef.trim() !== '');
    if (ext.grantedDays === 0) return undefined;
    const text = `Hồ sơ phức tạp, số lượng lớn: ${reason}`;
    grantExtension(
      { workingDays: ext.grantedDays, reason: text, cause: 'complex', ...(ext.short ? { neededDays: ext.neededDays } : {}), ...(writtenAgreementRef ? { writtenAgreementRef } : {}) },
      ext.newDueAt,
      at,
      by,
    );
    return { newDueAt: ext.newDueAt, reason: text };
  }

  /**
   * The citizen hears of a new appointment by SMS and in the portal, then by e-mail, in the
   * background: the officer's action does not wait for a mail server.
   */
  function tellCitizen(about: CitizenNoticeView['about'], newAppointmentAt: number, reason: string, at: number, slip?: { path: string; sha256: string }): void {
    const notice = {
      caseCode: state.caseCode,
      unit: state.unit,
      citizen: state.citizen,
      about,
      noticeId: `${about}-${++noticesSent}`,
      newAppointmentAt: iso(newAppointmentAt),
      reason,
      at: iso(at),
      ...(slip ? { slip } : {}),
    };
    notices.push(
      (async () => {
        const { channels } = await background.noticeCitizen(notice);
        const email = state.citizen.email;
        const emailed: CitizenNoticeView['channels'][number] = email
          ? await emailing.emailCitizenNotice(notice).then(
              () => ({ channel: 'email' as const, status: 'sent' as const, detail: email }),
              (err: unknown) => ({ channel: 'email' as const, status: 'failed' as const, detail: `${email}: ${failureReason(err)}` }),
            )
          : { channel: 'email', status: 'skipped', detail: 'không có địa chỉ thư điện tử / no e-mail address' };
        const toldAt = now();
        state.citizenNotices.push({ about, newAppointmentAt, at: toldAt, channels: [...channels, emailed] });
        recordChange(state, toldAt, 'citizen.told', null, { about, newAppointmentAt: iso(newAppointmentAt), channels: [...channels, emailed] });
        await persist();
      })(),
    );
  }

  function close(status: 'completed' | 'refused' | 'withdrawn', at: number): void {
    state.status = status;
    state.closedAt = at;
  }

  // ——— Deadlines: one timer at a time, re-armed when the next alarm moves ———

  async function watchDeadlines(): Promise<void> {
    if (!keepsDeadlineTimer) return watchDeadlinesOnEveryChange();
    while (!isClosed(state)) {
      const alarm = nextAlarm(state);
      if (!alarm) {
        await condition(nextAlarmMovedFrom(undefined));
        continue;
      }
      const wait = alarm.at - now();
      if (wait > 0 && (await condition(nextAlarmMovedFrom(alarm.at), wait))) continue;
      // The timer fired with the alarm where it was; the alarm raised is the one the case has now.
      const due = nextAlarm(state);
      if (due && due.at <= now()) await raise(due);
    }
  }

  /** True once the case closes or its next alarm is no longer at `at`; asked again only after a change. */
  function nextAlarmMovedFrom(at: number | undefined): () => boolean {
    let seen = state.version;
    return () => {
      if (state.version === seen) return false;
      seen = state.version;
      return isClosed(state) || nextAlarm(state)?.at !== at;
    };
  }

  async function watchDeadlinesOnEveryChange(): Promise<void> {
    while (!isClosed(state)) {
      const version = state.version;
      const alarm = nextAlarm(state);
      if (!alarm) {
        await condition(() => state.version !== version);
        continue;
      }
      const wait = alarm.at - now();
      if (wait > 0 && (await condition(() => state.version !== version, wait))) continue;
      await raise(alarm);
    }
  }

  async function raise(alarm: DeadlineAlarm): Promise<void> {
    if (alarm.kind === 'rung') return escalate(alarm);
    const firedAt = now();
    const record = markRaised(state, alarm, firedAt);
    if (state.ladder) {
      // The ladder's rungs tell people; the breach itself stays on the case as always.
      recordChange(state, firedAt, `deadline.${alarm.kind}`, null, { scope: alarm.scope, step: alarm.step, at: iso(alarm.at), dueAt: iso(alarm.dueAt), notified: [] });
    }
    await projectAlarm();
    if (!state.ladder) await notifyOnce(alarm, firedAt, record);
    await apologiseIfLate(alarm, firedAt);
    await persistAfterAlarm();
  }

  /**
   * The alarm reaches the case list (inboxes, the SLA dashboard) before anyone is told of it: a
   * notice waiting for an SMS gateway or a mail server that is down does not hide it for that long.
   */
  async function projectAlarm(): Promise<void> {
    if (projectsAlarmFirst) await persist();
  }

  /** What the notices changed (recipients, an apology slip), when they changed anything. */
  async function persistAfterAlarm(): Promise<void> {
    if (!projectsAlarmFirst || state.version !== projectedVersion || state.unsavedEvents.length > 0) await persist();
  }

  /** Cases without a ladder: the fixed notice of a warning or a breach. */
  async function notifyOnce(alarm: Alarm, firedAt: number, record: { notified: OfficerRef[] }): Promise<void> {
    const { notified } = await background.notifyDeadline({
      caseCode: state.caseCode,
      unit: state.unit,
      eventSeq: allocateEventSeq(state),
      kind: alarm.kind,
      scope: alarm.scope,
      step: alarm.step,
      stepRight: STEP_RIGHTS[alarm.step],
      at: iso(alarm.at),
      dueAt: iso(alarm.dueAt),
      firedAt: iso(firedAt),
      citizenName: state.citizen.fullName,
    });
    record.notified = notified;
    state.version += 1;
  }

  async function apologiseIfLate(alarm: DeadlineAlarm, firedAt: number): Promise<void> {
    if (alarm.kind === 'breach' && alarm.scope === 'overall') {
      // A late case owes the citizen an apology and a new appointment: one working day after the
      // missed deadline, or after the slip itself when it comes later than that.
      const oneDayOn = addWorkingDays(state.calendar, alarm.dueAt, 1);
      const newAppointmentAt = oneDayOn > firedAt ? oneDayOn : addWorkingDays(state.calendar, firedAt, 1);
      const slipNo = state.apologySlips.length + 1;
      const slip = await background.issueApologySlip({
        caseCode: state.caseCode,
        unit: state.unit,
        citizen: state.citizen,
        receivedAt: iso(state.receivedAt),
        missedDueAt: iso(alarm.dueAt),
        newAppointmentAt: iso(newAppointmentAt),
        issuedAt: iso(firedAt),
        stuckAt: STEP_LABELS[alarm.step].vi,
        slipNo,
      });
      state.apologySlips.push({ path: slip.path, issuedAt: firedAt, missedDueAt: alarm.dueAt, newAppointmentAt });
      recordChange(state, firedAt, 'apology.issued', null, { path: slip.path, missedDueAt: iso(alarm.dueAt), newAppointmentAt: iso(newAppointmentAt) });
      if (extendsAndTells && slip.sha256) {
        tellCitizen('apology', newAppointmentAt, 'chưa trả kết quả đúng hẹn', firedAt, { path: slip.path, sha256: slip.sha256 });
      }
    }
  }

  /** One rung of the ladder, once: recorded on the case before its activity runs, recipients after. */
  async function escalate(alarm: RungAlarm): Promise<void> {
    const firedAt = now();
    state.firedAlarms.push(alarm.id);
    const record: EscalationRecord = { rung: alarm.rung, step: alarm.step, at: alarm.at, dueAt: alarm.dueAt, firedAt, recipients: [] };
    state.escalations.push(record);
    state.version += 1;
    await projectAlarm();
    const { recipients } = await escalating.escalate({
      caseCode: state.caseCode,
      unit: state.unit,
      eventSeq: allocateEventSeq(state),
      alarmId: alarm.id,
      rung: alarm.rung,
      step: alarm.step,
      stepRight: STEP_RIGHTS[alarm.step],
      ladderUnitId: state.ladder?.fromUnitId ?? null,
      at: iso(alarm.at),
      dueAt: iso(alarm.dueAt),
      firedAt: iso(firedAt),
      citizenName: state.citizen.fullName,
    });
    record.recipients = recipients;
    state.version += 1;
    await persist();
  }

  // ——— The case's life ———

  const deadlines = watchDeadlines();
  if (input.scan) await attachInitialScan(input.scan);
  await persist();
  await condition(() => state.status === 'delivering' || isClosed(state));

  if (state.status === 'delivering') {
    await deliver();
  } else if (state.status === 'refused') {
    const refusal = state.refusal!;
    const notice = await background.issueRefusalNotice({
      caseCode: state.caseCode,
      unit: state.unit,
      citizen: state.citizen,
      ground: refusal.ground,
      note: refusal.note,
      refusedBy: refusal.by,
      refusedAt: iso(refusal.at),
      eventSeq: allocateEventSeq(state),
    });
    refusal.noticePath = notice.path;
    state.version += 1;
    await persist();
  }

  await deadlines;
  await condition(allHandlersFinished);
  while (notices.length > 0) await notices.shift();
  return viewOf(state);
}

function officerOf(actor: Actor): OfficerRef {
  return { officerId: actor.officerId, fullName: actor.fullName };
}

function failureReason(err: unknown): string {
  const cause = err instanceof ActivityFailure && err.cause ? err.cause : err;
  return cause instanceof Error ? cause.message : String(cause);
}

/** What an officer's failed action tells the caller: the activity's own code when it has one. */
function asActionFailure(err: unknown): ApplicationFailure {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type && Object.prototype.hasOwnProperty.call(CASE_ERRORS, cause.type)) {
    return ApplicationFailure.create({ type: cause.type, message: cause.message, details: cause.details ?? undefined, nonRetryable: true });
  }
  const reason = cause instanceof Error ? cause.message : String(cause);
  return caseFailure('ACTION_FAILED', `Chưa thực hiện được thao tác, vui lòng thử lại (${reason})`, `The action could not be completed, try again (${reason})`);
}
