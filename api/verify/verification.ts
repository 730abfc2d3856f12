/**
 * Public verification of a certified copy (seed 000, result): anyone holding the paper — its QR
 * code, or its number and date — learns whether the copy is valid and who signed and sealed it;
 * anyone holding the file can have its signatures checked against the register.
 *
 * What is shown is what the paper itself shows (unit, number, date, signer, the originals' kinds
 * and pages), never the citizen's identity. A copy is valid when the file in the register still
 * carries the leader's signature and the commune's seal, both intact, both from certificates of
 * our authority that were not revoked before they signed.
 */
import type { DataSource } from 'typeorm';
import { readIfExists, resolveInFiles } from '../../activities/certification/files';
import { dayIndexOfDate, formatLocalDate, formatLocalTime, formatViDate, startOfLocalDay, type LocalDate } from '../../domain/calendar';
import type { DelegationForm } from '../../domain/signatureBlock';
import { verifyPdfSignatures, type PdfSignatureReport } from '../../infra/pdf/verifyPdf';
import type { Pki } from '../../infra/pki/pki';
import type { CaseView } from '../../workflows/certification/types';

export type CopyStatus = 'valid' | 'invalid' | 'not_certified';

export interface SignatureSummary {
  role: 'leader' | 'seal' | 'other';
  signer: string;
  organization?: string;
  title?: string;
  signingTime?: string;
  intact: boolean;
  trusted: boolean;
  revokedAt?: string;
  coversWholeDocument: boolean;
  problems: string[];
}

export interface CopyVerification {
  status: CopyStatus;
  message: { vi: string; en: string };
  caseCode: string;
  unit: { code: string; name: string };
  certificationNumber?: string;
  certifiedAt?: string;
  signer?: {
    fullName: string;
    signedAt: string;
    /** The copy was signed under a leader's delegation (absent for the leader's own signature). */
    delegation?: { form: DelegationForm; headTitle: string; signerTitle: string; delegatedBy: string };
  };
  documents: Array<{ type: string; issuer: string; pages: number; copies: number }>;
  /** SHA-256 of the copy in the register: a file with this hash is the very copy issued. */
  sha256?: string;
  signatures: SignatureSummary[];
}

export interface UploadVerification {
  /** The file is byte for byte the copy in the register. */
  matchesRegister: boolean;
  /** The copy it claims to be (by its hash, or by the number its seal names). */
  copy?: CopyVerification;
  status: 'valid' | 'invalid' | 'unknown';
  message: { vi: string; en: string };
  signatures: SignatureSummary[];
}

export interface VerificationDeps {
  db: DataSource;
  pki: Pki;
  filesDir: string;
}

/** "23/11/2026 14:05", Hà Nội time: how the page writes instants. */
export function viDateTime(isoInstant: string): string {
  const t = Date.parse(isoInstant);
  return `${formatViDate(formatLocalDate(t))} ${formatLocalTime(t)}`;
}

function summarize(reports: PdfSignatureReport[], revocations: Map<string, string>): SignatureSummary[] {
  return reports.map((r, i) => {
    const revokedAt = revocations.get(r.signer.serialNumber);
    // A certificate revoked after it signed leaves that signature standing (the signing time is inside the CMS).
    const revokedBeforeSigning = revokedAt !== undefined && (r.signingTime === undefined || Date.parse(revokedAt) <= Date.parse(r.signingTime));
    const problems = [...r.problems];
    if (revokedBeforeSigning) problems.push(`chứng thư số đã bị thu hồi từ ${viDateTime(revokedAt)}`);
    return {
      role: reports.length >= 2 ? (i === 0 ? 'leader' : i === reports.length - 1 ? 'seal' : 'other') : 'other',
      signer: r.signer.commonName,
      ...(r.signer.organization ? { organization: r.signer.organization } : {}),
      ...(r.signer.title ? { title: r.signer.title } : {}),
      ...(r.signingTime ? { signingTime: r.signingTime } : {}),
      intact: r.integrity,
      trusted: r.chainTrusted && !revokedBeforeSigning,
      ...(revokedAt ? { revokedAt } : {}),
      coversWholeDocument: r.coversWholeDocument,
      problems,
    };
  });
}

/** Leader and seal both present, intact and trusted, the seal covering the whole file. */
function signaturesHold(s: SignatureSummary[]): boolean {
  return s.length >= 2 && s.every((x) => x.intact && x.trusted) && s[s.length - 1]!.coversWholeDocument;
}

export async function checkSignatures(pki: Pki, pdf: Uint8Array): Promise<SignatureSummary[]> {
  const trust = await pki.trust();
  let reports: PdfSignatureReport[];
  try {
    reports = verifyPdfSignatures(pdf, trust);
  } catch {
    return [];
  }
  return summarize(reports, trust.revokedSerials);
}

function notCertified(view: CaseView): { vi: string; en: string } {
  if (view.status === 'refused') return { vi: 'Hồ sơ này đã bị từ chối chứng thực; không có bản sao nào được cấp.', en: 'This case was refused; no copy was issued.' };
  if (view.status === 'withdrawn') return { vi: 'Hồ sơ này đã được công dân rút; không có bản sao nào được cấp.', en: 'This case was withdrawn; no copy was issued.' };
  const due = viDateTime(view.overallDueAt);
  return { vi: `Hồ sơ đang được giải quyết, chưa có bản sao chứng thực; hẹn trả kết quả lúc ${due}.`, en: `The case is in progress, no certified copy yet; results due ${due}.` };
}

function signerOf(s: NonNullable<CaseView['signature']>): NonNullable<CopyVerification['signer']> {
  const d = s.delegation;
  return {
    fullName: s.signedBy.fullName,
    signedAt: s.signedAt,
    ...(d ? { delegation: { form: d.form, headTitle: d.headTitle, signerTitle: d.signerTitle, delegatedBy: d.delegatedBy.fullName } } : {}),
  };
}

export async function verifyCase(deps: VerificationDeps, view: CaseView): Promise<CopyVerification> {
  const base = {
    caseCode: view.caseCode,
    unit: { code: view.unit.code, name: view.unit.name },
    documents: view.documents.map((d) => ({ type: d.type, issuer: d.issuer, pages: d.pages, copies: d.copies })),
  };
  const result = view.result;
  if (!result) {
    return { ...base, status: 'not_certified', message: notCertified(view), signatures: [] };
  }
  const certified = {
    ...base,
    certificationNumber: result.certificationNumber,
    certifiedAt: result.sealedAt,
    ...(view.signature ? { signer: signerOf(view.signature) } : {}),
    sha256: result.sha256,
  };
  const file = await readIfExists(resolveInFiles(deps.filesDir, result.path));
  if (!file) {
    return { ...certified, status: 'invalid', message: { vi: 'Không đọc được bản lưu của bản sao trong sổ chứng thực; hãy liên hệ cơ quan chứng thực.', en: 'The register copy could not be read; contact the certifying office.' }, signatures: [] };
  }
  const signatures = await checkSignatures(deps.pki, file);
  return signaturesHold(signatures)
    ? { ...certified, status: 'valid', message: { vi: `Bản sao hợp lệ: đã được ${view.unit.name} chứng thực, số ${result.certificationNumber}.`, en: `Valid copy, certified by ${view.unit.name} under number ${result.certificationNumber}.` }, signatures }
    : { ...certified, status: 'invalid', message: { vi: 'Bản sao KHÔNG còn hợp lệ: chữ ký số hoặc con dấu số không còn giá trị.', en: 'The copy is NOT valid: its signature or seal no longer holds.' }, signatures };
}

/** Copies certified under `number` on the local date `date` (YYYY-MM-DD), in any commune. */
export async function casesByNumber(db: DataSource, number: string, date: LocalDate): Promise<CaseView[]> {
  const day = dayIndexOfDate(date);
  const rows: Array<{ view: CaseView }> = await db.query(
    `select c.view from certification_numbers n join certification_cases c on c.case_code = n.case_code
      where n.number = $1 and n.sealed_at >= $2 and n.sealed_at < $3
      order by n.sealed_at`,
    [number.normalize('NFC').trim(), new Date(startOfLocalDay(day)), new Date(startOfLocalDay(day + 1))],
  );
  return rows.map((r) => r.view);
}

export async function verifyUpload(deps: VerificationDeps, pdf: Buffer, digest: string): Promise<UploadVerification> {
  const signatures = await checkSignatures(deps.pki, pdf);
  const rows: Array<{ view: CaseView }> = await deps.db.query(
    `select c.view from case_documents d join certification_cases c on c.case_code = d.case_code
      where d.sha256 = $1 and d.kind = 'certified_copy' and d.holder_kind = 'case' limit 1`,
    [digest],
  );
  const registered = rows[0]?.view;
  if (registered) {
    const copy = await verifyCase(deps, registered);
    return {
      matchesRegister: true,
      copy,
      status: copy.status === 'valid' && signaturesHold(signatures) ? 'valid' : 'invalid',
      message: copy.status === 'valid'
        ? { vi: `Tệp trùng khớp từng byte với bản sao số ${copy.certificationNumber} trong sổ chứng thực của ${copy.unit.name}.`, en: `The file is exactly copy ${copy.certificationNumber} in the register of ${copy.unit.name}.` }
        : copy.message,
      signatures,
    };
  }
  if (signatures.length === 0) {
    return { matchesRegister: false, status: 'unknown', message: { vi: 'Tệp không mang chữ ký số nào của hệ thống chứng thực.', en: 'The file carries no signature of the certification system.' }, signatures };
  }
  return {
    matchesRegister: false,
    status: 'invalid',
    message: signaturesHold(signatures)
      ? { vi: 'Chữ ký trong tệp còn nguyên vẹn nhưng tệp không có trong sổ chứng thực; hãy đối chiếu theo số chứng thực.', en: 'The signatures are intact but the file is not in the register; check it by its number.' }
      : { vi: 'Tệp đã bị thay đổi sau khi ký hoặc chữ ký không hợp lệ: đây không phải bản sao chứng thực hợp lệ.', en: 'The file was altered after signing or its signatures are invalid: not a valid certified copy.' },
    signatures,
  };
}
