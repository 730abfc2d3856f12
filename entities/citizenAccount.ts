import { EntitySchema } from 'typeorm';

/** A portal account of a citizen or a business (db/migrations/1763856000015-CitizenAccounts.ts). */
export interface CitizenAccount {
  id: string;
  kind: 'citizen' | 'business';
  /** The ID number for a citizen, the tax code for a business. */
  username: string;
  idNumber: string;
  fullName: string;
  fullNameSearch: string;
  birthDate: string | null;
  phone: string;
  email: string | null;
  businessName: string | null;
  taxCode: string | null;
  socialInsuranceNumber: string | null;
  assuranceLevel: 'IAL2' | 'IAL3';
  verifiedBy: 'desk' | 'mobile' | 'social_insurance' | 'certificate';
  certificateFingerprint: string | null;
  certificateSubject: string | null;
  passwordHash: string | null;
  mustChangePassword: boolean;
  passwordChangedAt: Date | null;
  status: 'active' | 'disabled';
  failedLogins: number;
  lockedUntil: Date | null;
  createdAt: Date;
  createdByOfficerId: string | null;
  createdUnitId: string | null;
  createdByRequest: string | null;
  idScanPath: string | null;
  idScanSha256: string | null;
}

export const CitizenAccountEntity = new EntitySchema<CitizenAccount>({
  name: 'CitizenAccount',
  tableName: 'citizen_accounts',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    kind: { type: 'text' },
    username: { type: 'text', unique: true },
    idNumber: { type: 'text', name: 'id_number' },
    fullName: { type: 'text', name: 'full_name' },
    fullNameSearch: { type: 'text', name: 'full_name_search' },
    birthDate: { type: 'date', name: 'birth_date', nullable: true },
    phone: { type: 'text' },
    email: { type: 'text', nullable: true },
    businessName: { type: 'text', name: 'business_name', nullable: true },
    taxCode: { type: 'text', name: 'tax_code', nullable: true },
    socialInsuranceNumber: { type: 'text', name: 'social_insurance_number', nullable: true },
    assuranceLevel: { type: 'text', name: 'assurance_level' },
    verifiedBy: { type: 'text', name: 'verified_by' },
    certificateFingerprint: { type: 'text', name: 'certificate_fingerprint', nullable: true },
    certificateSubject: { type: 'text', name: 'certificate_subject', nullable: true },
    passwordHash: { type: 'text', name: 'password_hash', nullable: true },
    mustChangePassword: { type: 'boolean', name: 'must_change_password', default: false },
    passwordChangedAt: { type: 'timestamptz', name: 'password_changed_at', nullable: true },
    status: { type: 'text', default: 'active' },
    failedLogins: { type: 'int', name: 'failed_logins', default: 0 },
    lockedUntil: { type: 'timestamptz', name: 'locked_until', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    createdByOfficerId: { type: 'uuid', name: 'created_by_officer_id', nullable: true },
    createdUnitId: { type: 'uuid', name: 'created_unit_id', nullable: true },
    createdByRequest: { type: 'text', name: 'created_by_request', nullable: true },
    idScanPath: { type: 'text', name: 'id_scan_path', nullable: true },
    idScanSha256: { type: 'text', name: 'id_scan_sha256', nullable: true },
  },
});

/** One attempt at the desk to open an account: the list the workflow keeps (workflows/citizenAccount.ts). */
export interface AccountRequest {
  requestId: string;
  workflowId: string;
  idNumber: string;
  fullName: string;
  fullNameSearch: string;
  birthDate: string;
  phone: string;
  email: string | null;
  unitId: string;
  officerId: string;
  status: string;
  accountId: string | null;
  idScanPath: string;
  idScanSha256: string;
  formPath: string | null;
  otpSends: number;
  otpWrongTries: number;
  startedAt: Date;
  updatedAt: Date;
  endedAt: Date | null;
  endReason: string | null;
}

export const AccountRequestEntity = new EntitySchema<AccountRequest>({
  name: 'AccountRequest',
  tableName: 'account_requests',
  columns: {
    requestId: { type: 'text', name: 'request_id', primary: true },
    workflowId: { type: 'text', name: 'workflow_id', unique: true },
    idNumber: { type: 'text', name: 'id_number' },
    fullName: { type: 'text', name: 'full_name' },
    fullNameSearch: { type: 'text', name: 'full_name_search' },
    birthDate: { type: 'date', name: 'birth_date' },
    phone: { type: 'text' },
    email: { type: 'text', nullable: true },
    unitId: { type: 'uuid', name: 'unit_id' },
    officerId: { type: 'uuid', name: 'officer_id' },
    status: { type: 'text' },
    accountId: { type: 'uuid', name: 'account_id', nullable: true },
    idScanPath: { type: 'text', name: 'id_scan_path' },
    idScanSha256: { type: 'text', name: 'id_scan_sha256' },
    formPath: { type: 'text', name: 'form_path', nullable: true },
    otpSends: { type: 'int', name: 'otp_sends', default: 0 },
    otpWrongTries: { type: 'int', name: 'otp_wrong_tries', default: 0 },
    startedAt: { type: 'timestamptz', name: 'started_at' },
    updatedAt: { type: 'timestamptz', name: 'updated_at' },
    endedAt: { type: 'timestamptz', name: 'ended_at', nullable: true },
    endReason: { type: 'text', name: 'end_reason', nullable: true },
  },
});

/** What the portal shows a citizen (a copy delivered, an account opened), keyed by ID number. */
export interface CitizenNotification {
  id: string;
  idNumber: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  dedupeKey: string | null;
  createdAt: Date;
  readAt: Date | null;
}

export const CitizenNotificationEntity = new EntitySchema<CitizenNotification>({
  name: 'CitizenNotification',
  tableName: 'citizen_notifications',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    idNumber: { type: 'text', name: 'id_number' },
    kind: { type: 'text' },
    title: { type: 'text' },
    body: { type: 'text' },
    link: { type: 'text', nullable: true },
    dedupeKey: { type: 'text', name: 'dedupe_key', nullable: true, unique: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    readAt: { type: 'timestamptz', name: 'read_at', nullable: true },
  },
});
