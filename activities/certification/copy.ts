/**
 * The certified copy itself (seed 000 steps 3–4). At the leader's signature the copy is rendered
 * — the scan's pages, then the certification block with the QR code of its verification page —
 * and signed with the leader's personal certificate. At the seal the certification number is
 * taken (exactly once, activities/numbering), written into the block's reserved box and the
 * commune's seal applied, both in one incremental update, so the leader's signature stays valid
 * and the seal covers the number.
 *
 * Both activities are safe to re-run: inputs fix the content and the signing times, files are
 * written atomically under fixed names, and the number of a case never changes.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { DataSource } from 'typeorm';
import { ApiError } from '../../api/errors';
import { DomainError } from '../../domain/messages';
import { inspectUpload } from '../../infra/uploads/inspect';
import { inspectionLimitsFromEnv } from '../../infra/uploads/limits';
import { drawSealStamp, renderCertifiedCopy, type ScanPart } from '../../infra/pdf/certifiedCopy';
import { signPdf } from '../../infra/pdf/signPdf';
import { placeNameOf } from '../../infra/pdf/viFormat';
import type { Pki } from '../../infra/pki/pki';
import type { PublicLinks } from '../../infra/publicLinks';
import { formLabel } from '../../domain/signatureBlock';
import type { NumberingOptions, OfficerRef, OriginalDocument, ScanMimeType, SignatureDelegation, UnitRef } from '../../workflows/certification/types';
import type { AssignedCertificationNumber, AssignCertificationNumberInput } from '../numbering';
import { sha256, writeCaseFile } from './files';
import { recordCaseDocument } from './caseDocuments';

export interface CopyPart {
  path: string;
  sha256: string;
  mimeType: ScanMimeType;
}

export interface SignCopyInput {
  caseCode: string;
  unit: UnitRef;
  parts: CopyPart[];
  documents: OriginalDocument[];
  signer: OfficerRef;
  signedAt: string;
  /** Numbers the successive signatures of a case (a returned case is signed again). */
  copyNo: number;
  /** Signed under a leader's delegation: the block shows its legal form (KT. / TUQ.). */
  delegation?: SignatureDelegation;
}

export interface SignedCopy {
  path: string;
  sha256: string;
  bytes: number;
  certificateSerial: string;
  signerTitle: string;
  /** Who signed, as the input said: the auditors' timeline reads it from the result (a local activity's marker keeps no input). */
  signer: OfficerRef;
}

export interface SealAndNumberInput {
  caseCode: string;
  unit: UnitRef;
  numbering: NumberingOptions;
  sealedAt: string;
  sealer: OfficerRef;
  signed: { path: string; sha256: string };
}

export interface SealedResult {
  certificationNumber: string;
  seq: number;
  year: number;
  book: string;
  path: string;
  sha256: string;
  bytes: number;
  certificateSerial: string;
  /** Who sealed, as the input said (see SignedCopy.signer). */
  sealer: OfficerRef;
}

export interface CopyDeps {
  db: DataSource;
  filesDir: string;
  pki: Pki;
  links: PublicLinks;
  assignNumber(input: AssignCertificationNumberInput): Promise<AssignedCertificationNumber>;
  /** A file the case recorded; fails when it is missing or changed since. */
  readRecorded(relative: string, expectedSha: string): Promise<Buffer>;
}

/** A leader without a recorded job title still signs as the person who certifies. */
const DEFAULT_SIGNER_TITLE = 'Người thực hiện chứng thực';

export const CERTIFIED_COPY_NAME = 'ban-sao-chung-thuc.pdf';

async function officerTitle(db: DataSource, officerId: string): Promise<string> {
  const rows: Array<{ job_title: string | null }> = await db.query('select job_title from officers where id = $1', [officerId]);
  return rows[0]?.job_title ?? DEFAULT_SIGNER_TITLE;
}

/**
 * A scan the copy cannot be made from fails the signature at once, without retries, saying so to
 * the leader, who returns the case to reception for another scan: the case never waits on a file
 * that will not read. Uploads are checked the same way (infra/uploads), so this guards scans
 * stored before those checks, or damaged since.
 */
function unusableScan(vi: string, en: string, index?: number): ApplicationFailure {
  const part = index === undefined ? { vi: 'bản quét', en: 'the scan' } : { vi: `phần ${index + 1} của bản quét`, en: `part ${index + 1} of the scan` };
  const details = {
    code: 'SCAN_UNREADABLE',
    vi: `Không tạo được bản sao từ ${part.vi}: ${vi.replace(/\.?$/, '.')} Hãy trả lại hồ sơ cho cán bộ tiếp nhận để tải lên bản quét khác.`,
    en: `The copy cannot be made from ${part.en}: ${en.replace(/\.?$/, '.')} Return the case to reception for another scan.`,
  };
  return ApplicationFailure.nonRetryable(`${details.vi} / ${details.en}`, 'SCAN_UNREADABLE', details);
}

/** Each part read in the bounded inspection thread before pdf-lib copies it in this one. */
async function checkParts(parts: ScanPart[]): Promise<void> {
  const limits = inspectionLimitsFromEnv();
  for (const [index, part] of parts.entries()) {
    try {
      await inspectUpload(Buffer.from(part.bytes), part.mimeType, limits);
    } catch (err) {
      if (err instanceof ApiError && err.status < 500) throw unusableScan(err.vi, err.en, index);
      throw err;
    }
  }
}

export function createCopyActivities(deps: CopyDeps) {
  const { db, filesDir, pki, readRecorded } = deps;

  return {
    async signCopy(input: SignCopyInput): Promise<SignedCopy> {
      const parts: ScanPart[] = [];
      for (const p of input.parts) parts.push({ bytes: await readRecorded(p.path, p.sha256), mimeType: p.mimeType });
      await checkParts(parts);
      const signerTitle = await officerTitle(db, input.signer.officerId);
      const d = input.delegation;
      const rendered = await renderCertifiedCopy(parts, {
        unitName: input.unit.name,
        placeName: placeNameOf(input.unit.name),
        certifiedAt: input.signedAt,
        signerTitle,
        signerName: input.signer.fullName,
        ...(d ? { delegated: { form: d.form, headTitle: d.headTitle, signerTitle: d.signerTitle } } : {}),
        caseCode: input.caseCode,
        verifyUrl: deps.links.verifyUrl(input.caseCode),
        documents: input.documents,
      }).catch((err: unknown) => {
        if (err instanceof DomainError && err.code.startsWith('SCAN_')) throw unusableScan(err.messages.vi, err.messages.en);
        throw err;
      });
      const signer = await pki.personalSigner({ officerId: input.signer.officerId, fullName: input.signer.fullName, title: signerTitle, unit: input.unit });
      const signed = Buffer.from(
        await signPdf(rendered, {
          signer,
          signingTime: new Date(input.signedAt),
          fieldName: `ChuKyLanhDao${input.copyNo}`,
          name: input.signer.fullName,
          reason: `Ký chứng thực bản sao từ bản chính, hồ sơ ${input.caseCode}${d ? ` (${formLabel(d)}, theo ủy quyền của ${d.delegatedBy.fullName})` : ''}`,
          location: placeNameOf(input.unit.name),
        }),
      );
      const path = await writeCaseFile(filesDir, input.caseCode, `ban-sao-da-ky-${input.copyNo}.pdf`, signed);
      return { path, sha256: sha256(signed), bytes: signed.length, certificateSerial: signer.serial, signerTitle, signer: input.signer };
    },

    async sealAndNumber(input: SealAndNumberInput): Promise<SealedResult> {
      // The signed copy is checked first: a number, once taken, belongs to the case for good.
      const signedCopy = await readRecorded(input.signed.path, input.signed.sha256);
      const assigned = await deps.assignNumber({
        caseCode: input.caseCode,
        unitId: input.unit.id,
        book: input.numbering.book,
        template: input.numbering.template,
        sealedAt: input.sealedAt,
        sealedBy: input.sealer.officerId,
      });
      const seal = await pki.sealSigner(input.unit);
      const sealed = Buffer.from(
        await signPdf(signedCopy, {
          signer: seal,
          signingTime: new Date(input.sealedAt),
          fieldName: 'DauCoQuan',
          name: input.unit.name,
          reason: `Chứng thực số ${assigned.number}`,
          location: placeNameOf(input.unit.name),
          beforeSign: (doc) =>
            drawSealStamp(doc, {
              certificationNumber: assigned.number,
              book: assigned.book,
              sealedAt: input.sealedAt,
              unitName: input.unit.name,
              sealerName: input.sealer.fullName,
            }),
        }),
      );
      const path = await writeCaseFile(filesDir, input.caseCode, CERTIFIED_COPY_NAME, sealed);
      const digest = sha256(sealed);
      // The register's copy: what public verification compares an uploaded file with.
      await recordCaseDocument(db, {
        caseCode: input.caseCode,
        unitId: input.unit.id,
        kind: 'certified_copy',
        holderKind: 'case',
        holderId: input.caseCode,
        role: 'register',
        title: `Bản sao chứng thực số ${assigned.number}`,
        path,
        sha256: digest,
        bytes: sealed.length,
        at: input.sealedAt,
      });
      return {
        certificationNumber: assigned.number,
        seq: assigned.seq,
        year: assigned.year,
        book: assigned.book,
        path,
        sha256: digest,
        bytes: sealed.length,
        certificateSerial: seal.serial,
        sealer: input.sealer,
      };
    },
  };
}
