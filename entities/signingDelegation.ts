import { EntitySchema } from 'typeorm';

/** A leader lets another officer (e.g. công chức Tư pháp – Hộ tịch) sign for a unit, for a period. */
export interface SigningDelegation {
  id: string;
  unitId: string;
  fromOfficerId: string;
  toOfficerId: string;
  /** What is delegated; today only 'CERT_SIGN'. */
  scope: string;
  validFrom: Date;
  validTo: Date;
  reason: string;
  /** KT. or TUQ. (domain/signatureBlock.ts); null only on rows written by older code. */
  form: 'KT' | 'TUQ' | null;
  /** The head named after the form, e.g. "Chủ tịch". */
  headTitle: string | null;
  /** The delegate's position as the signature block prints it. */
  delegateTitle: string | null;
  createdAt: Date;
  createdBy: string;
  revokedAt: Date | null;
  revokedBy: string | null;
}

export const SigningDelegationEntity = new EntitySchema<SigningDelegation>({
  name: 'SigningDelegation',
  tableName: 'signing_delegations',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    unitId: { type: 'uuid', name: 'unit_id' },
    fromOfficerId: { type: 'uuid', name: 'from_officer_id' },
    toOfficerId: { type: 'uuid', name: 'to_officer_id' },
    scope: { type: 'text' },
    validFrom: { type: 'timestamptz', name: 'valid_from' },
    validTo: { type: 'timestamptz', name: 'valid_to' },
    reason: { type: 'text' },
    form: { type: 'text', nullable: true },
    headTitle: { type: 'text', name: 'head_title', nullable: true },
    delegateTitle: { type: 'text', name: 'delegate_title', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    createdBy: { type: 'uuid', name: 'created_by' },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    revokedBy: { type: 'uuid', name: 'revoked_by', nullable: true },
  },
});
