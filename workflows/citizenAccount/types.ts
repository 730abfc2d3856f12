/** What the citizen-account workflow takes, answers and is asked (workflows/citizenAccount.ts). */

export interface AccountOfficer {
  officerId: string;
  fullName: string;
  phone: string | null;
}

export interface AccountCitizen {
  idNumber: string;
  fullName: string;
  /** YYYY-MM-DD, checked against the CCCD's century and year digits by the API. */
  birthDate: string;
  /** Normalised 0xxxxxxxxx. */
  phone: string;
  email: string | null;
}

export interface IdScanRef {
  fileId: string;
  sha256: string;
  mimeType: string;
  bytes: number;
  originalName: string | null;
}

export interface AccountRequestInput {
  requestId: string;
  citizen: AccountCitizen;
  /** The officer's one-stop unit the request is made at. */
  unit: { id: string; code: string; name: string };
  officer: AccountOfficer;
  idScan: IdScanRef;
  /** Rules the deployment may tune; the workflow applies the defaults when absent. */
  rules?: Partial<AccountRequestRules>;
}

export interface AccountRequestRules {
  /** How long a code is valid: 2 minutes (seed 000 part B step 2). */
  otpTtlMs: number;
  /** Wrong codes in all before the request ends. */
  maxWrongTries: number;
  /** Codes sent in all, and the pause between two sends. */
  maxSends: number;
  resendAfterMs: number;
  /** The request ends by itself after this long without an officer's action. */
  abandonAfterMs: number;
}

export const DEFAULT_ACCOUNT_REQUEST_RULES: AccountRequestRules = {
  otpTtlMs: 2 * 60_000,
  maxWrongTries: 5,
  maxSends: 5,
  resendAfterMs: 30_000,
  abandonAfterMs: 30 * 60_000,
};

export type AccountRequestStatus =
  /** The ID number is being looked up and the request form prepared. */
  | 'preparing'
  /** The form can be downloaded; a code may be sent and entered. */
  | 'awaiting_otp'
  | 'creating'
  | 'created'
  /** An account with that ID number exists: none is created. */
  | 'account_exists'
  | 'too_many_wrong_codes'
  | 'cancelled'
  | 'abandoned';

export const CLOSED_STATUSES: readonly AccountRequestStatus[] = ['created', 'account_exists', 'too_many_wrong_codes', 'cancelled', 'abandoned'];

export interface OtpView {
  /** Codes sent so far; the latest is the only one valid. */
  sends: number;
  sentAt: string | null;
  expiresAt: string | null;
  expired: boolean;
  wrongTries: number;
  triesLeft: number;
  /** When the next code may be sent (null when no more may be). */
  nextSendAt: string | null;
}

export interface AccountRequestEvent {
  at: string;
  type: string;
  by: string | null;
  details?: Record<string, unknown>;
}

export interface AccountRequestView {
  requestId: string;
  status: AccountRequestStatus;
  citizen: AccountCitizen;
  unit: { id: string; code: string; name: string };
  officer: AccountOfficer;
  idScan: IdScanRef;
  startedAt: string;
  form: { path: string; sha256: string } | null;
  otp: OtpView;
  account: { accountId: string; username: string; createdAt: string; passwordSms: 'pending' | 'sent' | 'already_sent' } | null;
  /** Why the request ended without an account, in Vietnamese and English. */
  endReason: { vi: string; en: string } | null;
  existingAccount: { createdAt: string; verifiedBy: string; unitName: string | null } | null;
  endedAt: string | null;
  abandonsAt: string | null;
  events: AccountRequestEvent[];
}

export interface OfficerActionInput {
  officerId: string;
  fullName: string;
}

export interface ConfirmOtpInput extends OfficerActionInput {
  /** The keyed digest of the typed code (infra/otpCodes.ts): the code itself never enters the history. */
  codeDigest: string;
}

export interface CancelInput extends OfficerActionInput {
  reason: string;
}
