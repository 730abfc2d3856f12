import { EntitySchema } from 'typeorm';

export type CaseDocumentKind = 'certified_copy' | 'reception_receipt' | 'apology_slip' | 'refusal_notice';
/** An officer (by id), a citizen (by ID number, for the portal) or the case file itself. */
export type CaseDocumentHolderKind = 'officer' | 'citizen' | 'case';

/** A paper of a case in someone's document list. */
export interface CaseDocument {
  id: string;
  caseCode: string;
  unitId: string;
  kind: CaseDocumentKind;
  holderKind: CaseDocumentHolderKind;
  holderId: string;
  /** Why the holder has it: receiver, signer, sealer, citizen, case. */
  role: string;
  title: string;
  /** Relative to the files directory. */
  path: string;
  sha256: string;
  bytes: number;
  createdAt: Date;
}

export const CaseDocumentEntity = new EntitySchema<CaseDocument>({
  name: 'CaseDocument',
  tableName: 'case_documents',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    caseCode: { type: 'text', name: 'case_code' },
    unitId: { type: 'uuid', name: 'unit_id' },
    kind: { type: 'text' },
    holderKind: { type: 'text', name: 'holder_kind' },
    holderId: { type: 'text', name: 'holder_id' },
    role: { type: 'text' },
    title: { type: 'text' },
    path: { type: 'text' },
    sha256: { type: 'text' },
    bytes: { type: 'int' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});
