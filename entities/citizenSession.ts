import { EntitySchema } from 'typeorm';

/** A citizen's login to the portal (db/migrations/1763856000017-CitizenSessions.ts); only the token's SHA-256 is stored. */
export interface CitizenSession {
  id: string;
  tokenHash: string;
  accountId: string;
  method: 'password' | 'certificate';
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  ip: string | null;
}

export const CitizenSessionEntity = new EntitySchema<CitizenSession>({
  name: 'CitizenSession',
  tableName: 'citizen_sessions',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    tokenHash: { type: 'text', name: 'token_hash', unique: true },
    accountId: { type: 'uuid', name: 'account_id' },
    method: { type: 'text' },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    endedAt: { type: 'timestamptz', name: 'ended_at', nullable: true },
    ip: { type: 'text', nullable: true },
  },
});

export type CitizenOtpPurpose = 'register' | 'login' | 'recover';

/** A registration, login or recovery waiting for (or past) its code by SMS. */
export interface CitizenOtpFlow {
  id: string;
  purpose: CitizenOtpPurpose;
  tokenHash: string;
  accountId: string | null;
  /** What the citizen typed at the start of a registration, until the account exists. */
  registration: Record<string, unknown> | null;
  /** Null for a recovery asked for a username without a usable account (nobody receives its code). */
  phone: string | null;
  /** The username a recovery was asked for. */
  subject: string | null;
  otpHash: string | null;
  otpSentAt: Date | null;
  otpExpiresAt: Date | null;
  otpSends: number;
  otpWrongTries: number;
  verifiedAt: Date | null;
  createdAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  ip: string | null;
}

export const CitizenOtpFlowEntity = new EntitySchema<CitizenOtpFlow>({
  name: 'CitizenOtpFlow',
  tableName: 'citizen_otp_flows',
  columns: {
    id: { type: 'uuid', primary: true },
    purpose: { type: 'text' },
    tokenHash: { type: 'text', name: 'token_hash', unique: true },
    accountId: { type: 'uuid', name: 'account_id', nullable: true },
    registration: { type: 'jsonb', nullable: true },
    phone: { type: 'text', nullable: true },
    subject: { type: 'text', nullable: true },
    otpHash: { type: 'text', name: 'otp_hash', nullable: true },
    otpSentAt: { type: 'timestamptz', name: 'otp_sent_at', nullable: true },
    otpExpiresAt: { type: 'timestamptz', name: 'otp_expires_at', nullable: true },
    otpSends: { type: 'int', name: 'otp_sends', default: 0 },
    otpWrongTries: { type: 'int', name: 'otp_wrong_tries', default: 0 },
    verifiedAt: { type: 'timestamptz', name: 'verified_at', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    endedAt: { type: 'timestamptz', name: 'ended_at', nullable: true },
    endReason: { type: 'text', name: 'end_reason', nullable: true },
    ip: { type: 'text', nullable: true },
  },
});

/** A random text a citizen signs with a certificate to register or log in; single use. */
export interface CitizenSignatureChallenge {
  id: string;
  purpose: 'register' | 'login';
  challenge: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
}

export const CitizenSignatureChallengeEntity = new EntitySchema<CitizenSignatureChallenge>({
  name: 'CitizenSignatureChallenge',
  tableName: 'citizen_signature_challenges',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    purpose: { type: 'text' },
    challenge: { type: 'text', unique: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
    expiresAt: { type: 'timestamptz', name: 'expires_at' },
    usedAt: { type: 'timestamptz', name: 'used_at', nullable: true },
  },
});

/** The local stand-in for the social-insurance registry (infra/socialInsurance/), filled by the demo seed. */
export interface SocialInsurancePerson {
  socialInsuranceNumber: string;
  idNumber: string;
  fullName: string;
  birthDate: string;
  phone: string;
}

export const SocialInsurancePersonEntity = new EntitySchema<SocialInsurancePerson>({
  name: 'SocialInsurancePerson',
  tableName: 'social_insurance_people',
  columns: {
    socialInsuranceNumber: { type: 'text', name: 'social_insurance_number', primary: true },
    idNumber: { type: 'text', name: 'id_number' },
    fullName: { type: 'text', name: 'full_name' },
    birthDate: { type: 'date', name: 'birth_date' },
    phone: { type: 'text' },
  },
});
