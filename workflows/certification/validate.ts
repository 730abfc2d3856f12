/**
 * Checks run by the workflow itself: on the reception input, and in every update's validator
 * (right, unit, state, input). The API checks the same things first; these keep the case
 * consistent whoever calls. Each check throws an ApplicationFailure with a stable code.
 */
import { isValidLocalDate, validateCalendar } from '../../domain/calendar';
import { checkBirthDateAgainstCitizenId, validateCitizenId } from '../../domain/citizenId';
import { compileCertificationNumberTemplate } from '../../domain/certificationNumber';
import { REFUSAL_GROUNDS } from '../../domain/certification/refusalGrounds';
import { DomainError } from '../../domain/messages';
import { normalizeVietnameseMobile } from '../../domain/phone';
import { RIGHTS, type Right } from '../../domain/rights';
import { caseFee, sameFee } from './fee';
import { caseFailure, invalidInput } from './refusals';
import { STATUS_LABELS, type CaseState } from './state';
import type { ActionInput, CaseFee, CaseStatus, CertificationInput, OriginalDocument, ScanRef } from './types';

export const MAX_SCAN_BYTES = 20 * 1024 * 1024;
export const SCAN_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
const CASE_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 2000;

type Fail = (field: string, vi: string, en: string) => never;
const fail: Fail = (field, vi, en) => {
  throw invalidInput(field, vi, en);
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown, field: string, options: { min?: number; max?: number; optional?: boolean } = {}): string | undefined {
  if (value === undefined && options.optional) return undefined;
  if (typeof value !== 'string') return fail(field, 'phải là chuỗi ký tự', 'must be a string');
  const min = options.min ?? 1;
  const max = options.max ?? 200;
  if (value.trim().length < min) {
    return fail(field, min <= 1 ? 'không được để trống' : `phải có ít nhất ${min} ký tự`, min <= 1 ? 'must not be empty' : `needs at least ${min} characters`);
  }
  if (value.length > max) return fail(field, `dài tối đa ${max} ký tự`, `at most ${max} characters`);
  return value;
}

function positiveInt(value: unknown, field: string, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1 || value > max) {
    return fail(field, `phải là số nguyên từ 1 đến ${max}`, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

function uuid(value: unknown, field: string): void {
  if (typeof value !== 'string' || !UUID_RE.test(value)) fail(field, 'phải là mã định danh (UUID)', 'must be a UUID');
}

function officer(value: unknown, field: string): void {
  if (!isRecord(value)) fail(field, 'thiếu thông tin cán bộ', 'officer missing');
  uuid(value['officerId'], `${field}.officerId`);
  text(value['fullName'], `${field}.fullName`);
}

/** The reception input; returns the fee (computed here, compared with the one shown). */
export function checkStartInput(input: CertificationInput, receivedAt: number): CaseFee {
  if (!isRecord(input)) fail('(input)', 'thiếu dữ liệu tiếp nhận', 'reception data missing');
  if (typeof input.caseCode !== 'string' || !CASE_CODE_RE.test(input.caseCode)) {
    fail('caseCode', 'chỉ gồm chữ, số, dấu chấm, gạch ngang, gạch dưới (tối đa 100 ký tự)', 'letters, digits, dot, dash and underscore only (at most 100)');
  }
  if (!isRecord(input.unit)) fail('unit', 'thiếu đơn vị', 'unit missing');
  uuid(input.unit.id, 'unit.id');
  text(input.unit.code, 'unit.code');
  text(input.unit.name, 'unit.name');
  const calendar = validateCalendar(input.calendar);
  if (!calendar.ok) fail('calendar', calendar.errors.map((e) => e.messages.vi).join('; '), calendar.errors.map((e) => e.messages.en).join('; '));
  officer(input.receivedBy, 'receivedBy');

  const citizen = input.citizen;
  if (!isRecord(citizen)) fail('citizen', 'thiếu thông tin người yêu cầu', 'citizen missing');
  text(citizen.fullName, 'citizen.fullName');
  const id = validateCitizenId(String(citizen.citizenId ?? ''));
  if (!id.ok) fail('citizen.citizenId', id.messages.vi, id.messages.en);
  if (typeof citizen.birthDate !== 'string' || !isValidLocalDate(citizen.birthDate) || Date.parse(`${citizen.birthDate}T00:00:00+07:00`) > receivedAt) {
    fail('citizen.birthDate', 'ngày sinh không hợp lệ (YYYY-MM-DD, không sau ngày tiếp nhận)', 'invalid date of birth (YYYY-MM-DD, not after reception)');
  }
  const birth = checkBirthDateAgainstCitizenId(String(citizen.citizenId), citizen.birthDate);
  if (!birth.ok) fail('citizen.birthDate', birth.messages.vi, birth.messages.en);
  if (citizen.phone !== undefined) {
    const phone = normalizeVietnameseMobile(String(citizen.phone));
    if (!phone.ok) fail('citizen.phone', phone.messages.vi, phone.messages.en);
  }
  if (citizen.email !== undefined && (typeof citizen.email !== 'string' || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(citizen.email))) {
    fail('citizen.email', 'địa chỉ thư điện tử không hợp lệ', 'invalid e-mail address');
  }
  text(citizen.portalAccountId, 'citizen.portalAccountId', { optional: true });

  const fee = checkDocuments(input.documents);
  if (typeof input.complex !== 'boolean') fail('complex', 'phải là true hoặc false', 'must be true or false');
  text(input.complexReason, 'complexReason', { optional: true, max: MAX_TEXT });

  if (input.fee !== undefined && !(isRecord(input.fee) && Array.isArray(input.fee.lines) && sameFee(input.fee, fee))) {
    fail('fee', `lệ phí không đúng, phải là ${fee.totalVnd} đồng`, `wrong fee, it is ${fee.totalVnd} VND`);
  }
  if (input.numbering !== undefined) {
    if (!isRecord(input.numbering)) fail('numbering', 'phải là đối tượng', 'must be an object');
    text(input.numbering.book, 'numbering.book', { optional: true, max: 50 });
    if (input.numbering.template !== undefined) {
      const t = compileCertificationNumberTemplate(String(input.numbering.template));
      if (!t.ok) fail('numbering.template', t.messages.vi, t.messages.en);
    }
  }
  if (input.clockOffsetMs !== undefined && !Number.isSafeInteger(input.clockOffsetMs)) {
    fail('clockOffsetMs', 'phải là số nguyên mili giây', 'must be whole milliseconds');
  }
  return fee;
}

/** The originals declared (1–50, each with type, issuer, pages and copies); returns their fee. */
export function checkDocuments(documents: unknown): CaseFee {
  if (!Array.isArray(documents) || documents.length === 0 || documents.length > 50) {
    fail('documents', 'phải có từ 1 đến 50 bản chính', 'must list 1 to 50 originals');
  }
  (documents as unknown[]).forEach((d, i) => {
    if (!isRecord(d)) fail(`documents[${i}]`, 'thiếu thông tin giấy tờ', 'document missing');
    text(d['type'], `documents[${i}].type`);
    text(d['issuer'], `documents[${i}].issuer`);
    positiveInt(d['pages'], `documents[${i}].pages`, 10_000);
    positiveInt(d['copies'], `documents[${i}].copies`, 100);
  });
  try {
    return caseFee(documents as OriginalDocument[]);
  } catch (err) {
    if (err instanceof DomainError) fail('documents', err.messages.vi, err.messages.en);
    throw err;
  }
}

/** The actor's shape, the idempotency key, the right (any of `rights`) and the unit. */
export function checkActor(state: CaseState, input: ActionInput, rights: readonly Right[]): void {
  if (!isRecord(input)) fail('(input)', 'thiếu dữ liệu', 'input missing');
  text(input.idempotencyKey, 'idempotencyKey', { max: 200 });
  const actor = input.actor;
  if (!isRecord(actor)) fail('actor', 'thiếu người thực hiện', 'actor missing');
  officer(actor, 'actor');
  if (!Array.isArray(actor.rights) || !Array.isArray(actor.unitIds)) fail('actor', 'thiếu quyền hoặc đơn vị của người thực hiện', 'actor rights or units missing');
  if (!rights.some((r) => actor.rights.includes(r))) {
    const names = rights.map((r) => `"${RIGHTS[r]}" (${r})`);
    throw caseFailure('RIGHT_REQUIRED', `Cần quyền ${names.join(' hoặc ')} để thực hiện thao tác này`, `This action needs the right ${rights.join(' or ')}`);
  }
  if (!actor.unitIds.includes(state.unit.id)) {
    throw caseFailure(
      'UNIT_OUT_OF_SCOPE',
      `Hồ sơ ${state.caseCode} thuộc ${state.unit.name}, ngoài phạm vi đơn vị được giao của cán bộ`,
      `Case ${state.caseCode} belongs to a unit outside the officer's scope`,
    );
  }
}

export function checkStatus(state: CaseState, allowed: readonly CaseStatus[], actionVi: string, actionEn: string): void {
  if (allowed.includes(state.status)) return;
  const label = STATUS_LABELS[state.status];
  throw caseFailure('WRONG_STATE', `Không thể ${actionVi}: hồ sơ ${state.caseCode} ${label.vi}`, `Cannot ${actionEn}: case ${state.caseCode} is ${label.en}`);
}

export function checkReason(value: unknown, field: string): void {
  text(value, field, { min: 5, max: MAX_TEXT });
}

export const MAX_SCAN_PARTS = 20;

function checkScanRef(value: unknown, field: string, documentCount: number): ScanRef {
  if (!isRecord(value)) return fail(field, 'thiếu tệp bản quét', 'scan missing');
  text(value['fileId'], `${field}.fileId`, { max: 200 });
  if (typeof value['sha256'] !== 'string' || !/^[0-9a-f]{64}$/.test(value['sha256'])) fail(`${field}.sha256`, 'phải là 64 chữ số hex viết thường', 'must be 64 lower-case hex digits');
  if (!SCAN_MIME_TYPES.includes(value['mimeType'] as (typeof SCAN_MIME_TYPES)[number])) {
    fail(`${field}.mimeType`, 'chỉ nhận tệp PDF, JPEG hoặc PNG', 'only PDF, JPEG or PNG files are accepted');
  }
  positiveInt(value['bytes'], `${field}.bytes`, MAX_SCAN_BYTES);
  if (value['pages'] !== undefined) positiveInt(value['pages'], `${field}.pages`, 10_000);
  if (value['document'] !== undefined && (typeof value['document'] !== 'number' || !Number.isSafeInteger(value['document']) || value['document'] < 0 || value['document'] >= documentCount)) {
    fail(`${field}.document`, `phải là số thứ tự của một bản chính đã khai (0 đến ${documentCount - 1})`, `must index a declared original (0 to ${documentCount - 1})`);
  }
  return value as unknown as ScanRef;
}

/**
 * The scan's files in page order: the first, then `moreScans`. Either every file names the original
 * it shows (a scan split per original) or none does.
 */
export function checkScan(value: unknown, broughtByCitizen: unknown, moreScans: unknown, documentCount: number): ScanRef[] {
  const parts = [checkScanRef(value, 'scan', documentCount)];
  if (moreScans !== undefined) {
    if (!Array.isArray(moreScans)) fail('moreScans', 'phải là danh sách tệp', 'must be a list of files');
    const more = moreScans as unknown[];
    if (more.length > MAX_SCAN_PARTS - 1) fail('moreScans', `một bản quét gồm tối đa ${MAX_SCAN_PARTS} tệp`, `a scan has at most ${MAX_SCAN_PARTS} files`);
    more.forEach((m, i) => parts.push(checkScanRef(m, `moreScans[${i}]`, documentCount)));
  }
  const named = parts.filter((p) => p.document !== undefined).length;
  if (named !== 0 && named !== parts.length) {
    fail('moreScans', 'khi chia bản quét theo bản chính, mỗi tệp phải ghi rõ bản chính của nó', 'when the scan is split per original, every file must name its original');
  }
  if (broughtByCitizen !== undefined && typeof broughtByCitizen !== 'boolean') fail('broughtByCitizen', 'phải là true hoặc false', 'must be true or false');
  return parts;
}

export function checkRefusal(ground: unknown, note: unknown): void {
  if (typeof ground !== 'string' || !Object.prototype.hasOwnProperty.call(REFUSAL_GROUNDS, ground)) {
    fail('ground', `căn cứ từ chối phải là một trong: ${Object.keys(REFUSAL_GROUNDS).join(', ')}`, `the ground must be one of ${Object.keys(REFUSAL_GROUNDS).join(', ')}`);
  }
  checkReason(note, 'note');
}

export function checkExtensionShape(workingDays: unknown, reason: unknown, writtenAgreementRef: unknown): void {
  positiveInt(workingDays, 'workingDays', 30);
  checkReason(reason, 'reason');
  text(writtenAgreementRef, 'writtenAgreementRef', { optional: true, max: 500 });
}
