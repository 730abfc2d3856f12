/** What the case screens read from the API: the workflow's own case view, and the lists around it. */
import type { CaseView, ComplexExtensionPreview } from '../../../../workflows/certification/types';

export type {
  AlarmView,
  CaseStatus,
  CaseStepName,
  CaseView,
  OfficerRef,
  OriginalDocument,
  ScanView,
  SignatureView,
  StepHistoryView,
} from '../../../../workflows/certification/types';

/** GET /api/cases/:code adds these to the workflow's view. */
export interface CaseScreenView extends CaseView {
  verifyUrl?: string;
  email?: { status: 'sending' | 'sent' | 'failed'; attempts: number; lastError: string | null; lastAttemptAt: string | null; sentAt: string | null };
  /** At reception: what marking the case complex would do to its deadline. */
  complexExtension?: ComplexExtensionPreview;
}

/** One paper of a case (GET /api/cases/:code/documents). */
export interface CaseDocument {
  id: string;
  caseCode: string;
  kind: string;
  role: string;
  title: string;
  /** What the file is saved as: "<case code>-ban-sao-chung-thuc.pdf". */
  fileName: string;
  sha256: string;
  bytes: number;
  createdAt: string;
}

/** An upload's answer (POST /api/files). */
export interface UploadedFile {
  fileId: string;
  sha256: string;
  mimeType: 'application/pdf' | 'image/jpeg' | 'image/png';
  bytes: number;
  pages: number | null;
  originalName: string | null;
}
