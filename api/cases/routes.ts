/**
 * Certification cases over REST (SPEC A): receive, the officers' actions on each step, the case
 * itself, the filtered list, the officer's inbox and the register of numbers. Cases are driven
 * by their workflows (workflows/certification.ts); lists read the projection the workflows keep.
 */
import {
  attachScanUpdate,
  correctOriginalsUpdate,
  extendUpdate,
  refuseUpdate,
  returnToOfficerUpdate,
  sealUpdate,
  setComplexUpdate,
  signUpdate,
  submitUpdate,
  withdrawUpdate,
} from '../../workflows/certification/messages';
import type { RefusalGround } from '../../workflows/certification/types';
import { parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { caseExtras } from './caseExtras';
import { READERS } from './readers';
import { receptionReceiptRoute } from './receptionReceipt';
import { caseAction, signatureDelegationOf } from './actions';
import { fileReferenceOf, scanRefOf } from './caseFiles';
import { inboxOf, listCases } from './caseList';
import { communeInScope } from './caseUnits';
import { caseNotFound, loadCase } from './caseView';
import { feeReceiptRoutes } from './feeReceipt';
import { feeReceiptPaperRoutes } from './feeReceiptPapers';
import { CodeParams, ComplexBody, ExtendBody, InboxQuery, ListQuery, NoBody, OriginalsBody, ReceiveBody, RefuseBody, RegisterQuery, ReturnBody, ScanBody, WithdrawBody } from './inputs';
import { receiveCase } from './receive';
import { citizenFromPortal, PortalQuery } from './portalAccount';
import { registerOf } from './register';


export const caseRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/cases',
    access: { right: 'CERT_CREATE' },
    action: 'case.receive',
    idempotency: 'required',
    summary:
      'Receives a certification request (step 2) {unitId (a commune, or its one-stop desk: the case belongs to the commune), citizen {fullName, citizenId (CCCD), birthDate, phone?, email?}, documents [{type, issuer, pages, copies}] (1–20), complex?, scanFileId? (an upload from POST /api/files)}: gives the case its code <commune code>-<yyMMdd>-<sequence>, computes the fee, starts its workflow and attaches the scan',
    output: '201 the case view {caseCode, status "receiving", step, unit, citizen, documents, fee {lines, totalVnd}, receivedAt, overallDueAt, currentStep {step, dueAt, warnAt, budgetHours, right}, steps, scan?, …}; scanAttachError when the case was opened but the scan could not be attached',
    input: { body: ReceiveBody },
    handler: receiveCase,
  },
  caseAction({
    name: 'scan',
    access: { right: 'CERT_CREATE' },
    summary:
      'Attaches the scan of the original {fileId (from POST /api/files), moreFileIds? (further files of the same scan in page order, e.g. one JPEG per page), broughtByCitizen? (the citizen brought it and the officer compared it)}; a new scan replaces the earlier one',
    body: ScanBody,
    update: attachScanUpdate,
    fields: async (b, call) => {
      // A scan split per original: each file names the original it shows (checked against the declaration by the workflow).
      const original = (i: number) => (b.fileOriginals ? { document: b.fileOriginals[i]! } : {});
      const more = [];
      for (const [i, id] of (b.moreFileIds ?? []).entries()) more.push({ ...(await scanRefOf(call.ctx, call.principal!, id, `moreFileIds[${i}]`)), ...original(i + 1) });
      return {
        scan: { ...(await scanRefOf(call.ctx, call.principal!, b.fileId, 'fileId')), ...original(0) },
        ...(more.length ? { moreScans: more } : {}),
        ...(b.broughtByCitizen !== undefined ? { broughtByCitizen: b.broughtByCitizen } : {}),
      };
    },
    audit: (b) => ({ fileId: b.fileId, moreFileIds: b.moreFileIds ?? [], broughtByCitizen: b.broughtByCitizen === true, ...(b.fileOriginals ? { fileOriginals: b.fileOriginals } : {}) }),
  }),
  caseAction({
    name: 'complex',
    access: { right: 'CERT_CREATE' },
    summary:
      'Marks the case complex or numerous, or no longer {complex, reason, writtenAgreementFileId?}: reception gets 16 working hours instead of 4 (recomputed from the step’s start); marking it complex extends the overall deadline by the working days the steps’ full budgets need — at most what the 2-day allowance leaves, all of it with the requester’s written agreement — and the citizen is told of the new appointment',
    body: ComplexBody,
    update: setComplexUpdate,
    fields: async (b, call) => ({
      complex: b.complex,
      reason: b.reason,
      ...(b.writtenAgreementFileId ? { writtenAgreementRef: await fileReferenceOf(call.ctx, call.principal!, b.writtenAgreementFileId, 'writtenAgreementFileId') } : {}),
    }),
    audit: (b) => ({ complex: b.complex, reason: b.reason, writtenAgreementFileId: b.writtenAgreementFileId ?? null }),
  }),
  caseAction({
    name: 'originals',
    access: { right: 'CERT_CREATE' },
    summary:
      'Corrects the originals declared at reception {documents [{type, issuer, pages, copies}], reason} (step 2 only): the fee is computed again and the change, with the fee before and after, goes into the case’s history',
    body: OriginalsBody,
    update: correctOriginalsUpdate,
    fields: (b) => ({ documents: b.documents, reason: b.reason }),
    audit: (b) => ({ reason: b.reason, documents: b.documents.length, pages: b.documents.reduce((n, d) => n + d.pages, 0), copies: b.documents.reduce((n, d) => n + d.copies, 0) }),
  }),
  caseAction({
    name: 'submit',
    access: { right: 'CERT_CREATE' },
    summary:
      'Submits the case to the leader for signature (step 2 → 3); needs the scan attached, its pages matching the originals declared (per original when the scan is split per original, in total otherwise; 422 SCAN_PAGES_MISMATCH)',
    body: NoBody,
    update: submitUpdate,
    fields: () => ({}),
  }),
  caseAction({
    name: 'refuse',
    access: { right: 'CERT_CREATE' },
    summary: 'Refuses to certify at reception {ground (ALTERED, DAMAGED, SECRET, UNLAWFUL_CONTENT, FOREIGN_NOT_LEGALISED, SELF_MADE), note (for the citizen)}: the case closes and the citizen is notified',
    body: RefuseBody,
    update: refuseUpdate,
    fields: (b) => ({ ground: b.ground as RefusalGround, note: b.note }),
    audit: (b) => ({ ground: b.ground }),
  }),
  caseAction({
    name: 'sign',
    access: 'authenticated',
    signing: true,
    summary:
      'The leader signs the scan (step 3 → 4). Needs CERT_SIGN in the case’s commune, or a signing delegation in force for it (403 RIGHT_REQUIRED otherwise); under a delegation the copy’s block reads KT./TUQ. and signature.delegation names who delegated',
    body: NoBody,
    update: signUpdate,
    fields: (_body, _call, delegation) => (delegation ? { delegation: signatureDelegationOf(delegation) } : {}),
  }),
  caseAction({
    name: 'return',
    access: 'authenticated',
    signing: true,
    summary: 'The leader returns the case to the receiving officer {reason} (step 3 → 2, with a new reception budget). Needs CERT_SIGN in the case’s commune, or a signing delegation in force for it',
    body: ReturnBody,
    update: returnToOfficerUpdate,
    fields: (b) => ({ reason: b.reason }),
    audit: (b) => ({ reason: b.reason }),
  }),
  caseAction({
    name: 'seal',
    access: { right: 'CERT_SEAL' },
    summary: 'Assigns the certification number (gap-free per commune, year and book) and applies the commune’s seal (step 4); the result is then delivered and the case completes',
    body: NoBody,
    update: sealUpdate,
    fields: () => ({}),
  }),
  caseAction({
    name: 'extend',
    access: { anyOf: ['CERT_CREATE', 'CERT_SIGN'] },
    summary:
      'Extends the overall deadline {workingDays, reason, writtenAgreementFileId? (the requester’s written agreement, uploaded with POST /api/files)}: at most 2 working days in all without the agreement (422 EXTENSION_NEEDS_AGREEMENT)',
    body: ExtendBody,
    update: extendUpdate,
    fields: async (b, call) => ({
      workingDays: b.workingDays,
      reason: b.reason,
      ...(b.writtenAgreementFileId ? { writtenAgreementRef: await fileReferenceOf(call.ctx, call.principal!, b.writtenAgreementFileId, 'writtenAgreementFileId') } : {}),
    }),
    audit: (b) => ({ workingDays: b.workingDays, reason: b.reason, writtenAgreementFileId: b.writtenAgreementFileId ?? null }),
  }),
  caseAction({
    name: 'withdraw',
    access: { right: 'CERT_CREATE' },
    summary: 'Records that the citizen withdrew the request {reason}; possible until the seal',
    body: WithdrawBody,
    update: withdrawUpdate,
    fields: (b) => ({ reason: b.reason }),
    audit: (b) => ({ reason: b.reason }),
  }),
  {
    method: 'get',
    path: '/api/cases/:code',
    access: READERS,
    // The view shows a citizen's identity: who read which case is kept in the audit trail.
    action: 'case.read',
    summary: 'One case of the caller’s units: its live view from the workflow (the stored view once the workflow is gone); 404 for a case of another unit',
    output: 'The case view: status, step, unit, citizen, documents, fee, receivedAt, overallDueAt, currentStep {step, startedAt, warnAt, dueAt, budgetHours, right}, steps (history), extensions, warnings, breaches, scan, signature, certificationNumber, result {path, …}, refusal, withdrawal, apologySlips, delivery, version; verifyUrl (the QR link of the certified copy) and email {status sending|sent|failed, attempts, lastError, lastAttemptAt, sentAt} once there is one',
    input: { params: CodeParams },
    handler: async (call) => {
      const { req, ctx } = call;
      const { code } = parseInput(CodeParams, req.params);
      call.audit.target = `case:${code}`;
      const units = call.principal!.caseUnits;
      const loaded = await loadCase(ctx, code, true);
      if (!loaded || !units.has(loaded.view.unit.id)) throw caseNotFound(code);
      call.audit.unitId = loaded.view.unit.id;
      return { body: { ...loaded.view, ...(await caseExtras(ctx, loaded.view)) }, headers: { 'X-Case-Source': loaded.source } };
    },
  },
  {
    method: 'get',
    path: '/api/cases',
    access: READERS,
    summary:
      'The cases of the caller’s units, next deadline first, with filters ?status (comma-separated) &step &dueBefore (ISO instant) &overdue=true|false &officerId (receiving officer) &unitId (a unit of the caller’s; a desk stands for its commune) &from &to (reception dates, YYYY-MM-DD) &q (case code, citizen name or ID) &page &pageSize',
    output: '{total, page, pageSize, items: [{caseCode, unit, status, step, stepRight, citizenName, receivedBy, receivedAt, stepDueAt, overallDueAt, dueAt, overdue, breaches, complex, feeVnd, certificationNumber, closedAt}]}',
    input: { query: ListQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ListQuery, req.query);
      const units = principal!.caseUnits;
      return { body: await listCases(ctx, units, q) };
    },
  },
  {
    method: 'get',
    path: '/api/reception/citizen',
    access: { right: 'CERT_CREATE' },
    // Every lookup of a citizen's account is audited, found or not, with the number masked.
    action: 'reception.citizen-from-portal',
    summary:
      'What the reception form needs from the citizen’s portal account {idNumber}: name and birth date, and the account’s phone and e-mail masked (the desk confirms them with the citizen); 404 when he has none (then the officer types it). A case received for that ID number is delivered to the account',
    output: '{citizen {fullName, citizenId, birthDate}, portalAccount {phoneHint, emailHint}}',
    input: { query: PortalQuery },
    handler: citizenFromPortal,
  },
  {
    method: 'get',
    path: '/api/inbox',
    access: 'authenticated',
    summary:
      'The caller’s tasks: open cases of his units waiting for a right he holds — reception (CERT_CREATE), signature (CERT_SIGN, or a signing delegation for the commune), seal (CERT_SEAL) — next deadline first',
    output: '{total, page, pageSize, items: [… as GET /api/cases, waitingFor (the right), viaDelegation]}',
    input: { query: InboxQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(InboxQuery, req.query);
      const units = principal!.caseUnits;
      return { body: await inboxOf(ctx, principal!, units, q.page, q.pageSize) };
    },
  },
  {
    method: 'get',
    path: '/api/register',
    access: { anyOf: ['CERT_SEAL', 'CERT_REPORT', 'AUDIT'] },
    summary: 'The register of certification numbers (sổ chứng thực) of a commune ?unitId (the commune or its desk) &year (default this year) &book (default SCTĐT/BS) &page &pageSize, in number order, with each number’s case and citizen',
    output:
      '{unit, year, book, template, total (numbers issued), page, pageSize, items: [{seq, number, caseCode, citizenName, caseStatus, signer {fullName, delegation? {delegationId, delegatedBy {officerId, fullName}, form KT|TUQ, headTitle, signerTitle}}, sealedAt, assignedAt, assignedBy}]}',
    input: { query: RegisterQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(RegisterQuery, req.query);
      const units = principal!.caseUnits;
      const unit = await communeInScope(ctx.db, units, q.unitId);
      return { body: await registerOf(ctx, unit, q) };
    },
  },
  ...feeReceiptRoutes,
  ...feeReceiptPaperRoutes,
  receptionReceiptRoute,
];
