import { EntitySchema } from 'typeorm';

/**
 * A certificate the system holds a private key for: the embedded root CA, a leader's personal
 * signing certificate or a commune's seal certificate, issued here or imported from a PKCS#12.
 * The private key is AES-256-GCM encrypted under PKI_MASTER_KEY (infra/pki/keyVault.ts).
 */
export interface PkiCertificate {
  /** Upper-case hex, no leading zeros. */
  serial: string;
  kind: 'authority' | 'person' | 'organisation';
  subject: string;
  issuer: string;
  officerId: string | null;
  unitId: string | null;
  certificatePem: string;
  /** Issuer certificates up to the root, PEM. */
  chainPem: string[];
  privateKeyEnc: Buffer;
  /** For issued certificates: the identity they were issued for, to re-issue when it changes. */
  profile: string | null;
  notBefore: Date;
  notAfter: Date;
  imported: boolean;
  /** The owner's current certificate; at most one per owner. */
  active: boolean;
  revokedAt: Date | null;
  revocationReason: string | null;
  createdAt: Date;
}

export const PkiCertificateEntity = new EntitySchema<PkiCertificate>({
  name: 'PkiCertificate',
  tableName: 'pki_certificates',
  columns: {
    serial: { type: 'text', primary: true },
    kind: { type: 'text' },
    subject: { type: 'text' },
    issuer: { type: 'text' },
    officerId: { type: 'uuid', name: 'officer_id', nullable: true },
    unitId: { type: 'uuid', name: 'unit_id', nullable: true },
    certificatePem: { type: 'text', name: 'certificate_pem' },
    chainPem: { type: 'text', name: 'chain_pem', array: true },
    privateKeyEnc: { type: 'bytea', name: 'private_key_enc' },
    profile: { type: 'text', nullable: true },
    notBefore: { type: 'timestamptz', name: 'not_before' },
    notAfter: { type: 'timestamptz', name: 'not_after' },
    imported: { type: 'boolean' },
    active: { type: 'boolean' },
    revokedAt: { type: 'timestamptz', name: 'revoked_at', nullable: true },
    revocationReason: { type: 'text', name: 'revocation_reason', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});
