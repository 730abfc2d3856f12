/** What every route handler may use: the database, the clock, the deployment's settings and the outside world. */
import { readFileSync } from 'node:fs';
import type { CaseProjectionWaits } from '../infra/readModel/caseProjectionListener';
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Clock } from './clock';
import type { FileStore } from '../infra/fileStore';
import type { Pki } from '../infra/pki/pki';
import type { PublicLinks } from '../infra/publicLinks';
import type { SmsSender } from '../infra/sms/smsSender';
import type { OtpCodes } from '../infra/otpCodes';
import type { AccountRequestRules } from '../workflows/citizenAccount/types';
import type { CaptchaService } from '../infra/captcha/captcha';
import type { SocialInsuranceRegistry } from '../infra/socialInsurance/socialInsuranceRegistry';
import { DEFAULT_SIGNER_URL } from '../signer/protocol';
import type { AuditSpool } from './audit/auditSpool';
import type { AlertDispatcher } from '../infra/alerts/alertDispatcher';
import type { ApiCheckConfig } from '../infra/apiCheck/config';
import type { LandServices } from '../infra/landTax/landServicesFromEnv';

export interface AuthConfig {
  /** Ask a 6-digit code by SMS after the password, for officers who have a phone (OTP_REQUIRED, default true). */
  otpRequired: boolean;
  sessionTtlMs: number;
  otpTtlMs: number;
  otpMaxAttempts: number;
  /** Failed passwords in a row before the account locks. */
  maxFailedLogins: number;
  lockoutMs: number;
  /** Wrong codes of one officer, across his challenges, within `otpFailureWindowMs` before the account locks for `lockoutMs`. */
  otpMaxFailures: number;
  otpFailureWindowMs: number;
  /** Login codes one officer may be sent in an hour. */
  otpSmsPerHour: number;
  /** A new login this soon after a code was sent answers with the live challenge instead of sending another code. */
  otpReuseMs: number;
  /** Login and code requests (officers' and citizens') per window: per account and per client address. */
  rateWindowMs: number;
  ratePerAccount: number;
  ratePerAddress: number;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  otpRequired: true,
  sessionTtlMs: 8 * 3_600_000,
  otpTtlMs: 5 * 60_000,
  otpMaxAttempts: 5,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  otpMaxFailures: 10,
  otpFailureWindowMs: 60 * 60_000,
  otpSmsPerHour: 5,
  otpReuseMs: 60_000,
  rateWindowMs: 15 * 60_000,
  ratePerAccount: 10,
  ratePerAddress: 200,
};

export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const minutes = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of minutes, got ${v}`);
    return n * 60_000;
  };
  const count = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${v}`);
    return n;
  };
  const seconds = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === '') return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number of seconds (0 or more), got ${v}`);
    return n * 1000;
  };
  const otp = env.OTP_REQUIRED;
  if (otp !== undefined && !['true', 'false', ''].includes(otp)) throw new Error(`OTP_REQUIRED must be true or false, got ${otp}`);
  return {
    otpRequired: otp !== 'false',
    sessionTtlMs: minutes('SESSION_TTL_MINUTES', DEFAULT_AUTH_CONFIG.sessionTtlMs),
    otpTtlMs: minutes('OTP_TTL_MINUTES', DEFAULT_AUTH_CONFIG.otpTtlMs),
    otpMaxAttempts: count('OTP_MAX_ATTEMPTS', DEFAULT_AUTH_CONFIG.otpMaxAttempts),
    maxFailedLogins: count('LOGIN_MAX_FAILURES', DEFAULT_AUTH_CONFIG.maxFailedLogins),
    lockoutMs: minutes('LOGIN_LOCKOUT_MINUTES', DEFAULT_AUTH_CONFIG.lockoutMs),
    otpMaxFailures: count('OTP_MAX_FAILURES', DEFAULT_AUTH_CONFIG.otpMaxFailures),
    otpFailureWindowMs: minutes('OTP_FAILURE_WINDOW_MINUTES', DEFAULT_AUTH_CONFIG.otpFailureWindowMs),
    otpSmsPerHour: count('OTP_SMS_PER_HOUR', DEFAULT_AUTH_CONFIG.otpSmsPerHour),
    otpReuseMs: seconds('OTP_RESEND_SECONDS', DEFAULT_AUTH_CONFIG.otpReuseMs),
    rateWindowMs: minutes('AUTH_RATE_WINDOW_MINUTES', DEFAULT_AUTH_CONFIG.rateWindowMs),
    ratePerAccount: count('AUTH_RATE_PER_ACCOUNT', DEFAULT_AUTH_CONFIG.ratePerAccount),
    ratePerAddress: count('AUTH_RATE_PER_ADDRESS', DEFAULT_AUTH_CONFIG.ratePerAddress),
  };
}

/** The citizen portal's logins and registrations, apart from the officers' settings. */
export interface CitizenConfig {
  sessionTtlMs: number;
  /** Validity of a code sent by SMS (the portal's 2 minutes). */
  otpTtlMs: number;
  /** Wrong codes before a registration, login or recovery must start over. */
  otpMaxWrongTries: number;
  /** Shortest time between two sends of a code in one flow. */
  otpResendIntervalMs: number;
  /** Codes one registration, login or recovery may send. */
  otpMaxSends: number;
  /** Codes any one phone may receive in an hour, across flows. */
  otpMaxPerPhonePerHour: number;
  /**
   * Wrong codes within `otpFailureWindowMs`, across flows, of one account (login), one username
   * (recovery) or one phone (registration) before that subject locks for `lockoutMs`.
   */
  otpMaxFailures: number;
  otpFailureWindowMs: number;
  /** How long a registration, login or recovery may take from its start. */
  flowTtlMs: number;
  /** Validity of a challenge to sign with a certificate. */
  signatureChallengeTtlMs: number;
  maxFailedLogins: number;
  lockoutMs: number;
  /** Roots of the public CAs that issue citizens' certificates, besides our own authority (PEM). */
  extraTrustedRoots: string[];
  /** Where the portal's pages look for the citizen's signing tool (signer/protocol.ts): a loopback address. */
  signerUrl: string;
}

export const DEFAULT_CITIZEN_CONFIG: CitizenConfig = {
  sessionTtlMs: 60 * 60_000,
  otpTtlMs: 2 * 60_000,
  otpMaxWrongTries: 5,
  otpResendIntervalMs: 60_000,
  otpMaxSends: 5,
  otpMaxPerPhonePerHour: 10,
  otpMaxFailures: 10,
  otpFailureWindowMs: 60 * 60_000,
  flowTtlMs: 15 * 60_000,
  signatureChallengeTtlMs: 5 * 60_000,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
  extraTrustedRoots: [],
  signerUrl: DEFAULT_SIGNER_URL,
};

/** The signing tool runs on the citizen's own computer: only a loopback http(s) address makes sense. */
export function loopbackSignerUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`CITIZEN_SIGNER_URL must be an address such as ${DEFAULT_SIGNER_URL}, got ${value}`);
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (!loopback || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash) {
    throw new Error(`CITIZEN_SIGNER_URL must be http(s)://127.0.0.1:<port> (or localhost), got ${value}`);
  }
  return url.origin;
}

/** The PEM certificates in a file, in order. */
export function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
}

export function citizenConfigFromEnv(env: NodeJS.ProcessEnv = process.env, readFile: (path: string) => string = (p) => readFileSync(p, 'utf8')): CitizenConfig {
  const number = (name: string, unitMs: number, fallbackMs: number, integer = false) => {
    const v = env[name];
    if (v === undefined || v === '') return fallbackMs;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`);
    return n * unitMs;
  };
  const d = DEFAULT_CITIZEN_CONFIG;
  const caFile = env.CITIZEN_TRUSTED_CA_FILE?.trim();
  let extraTrustedRoots: string[] = [];
  if (caFile) {
    extraTrustedRoots = pemCertificates(readFile(caFile));
    if (extraTrustedRoots.length === 0) throw new Error(`CITIZEN_TRUSTED_CA_FILE ${caFile} holds no PEM certificate`);
  }
  return {
    ...d,
    sessionTtlMs: number('CITIZEN_SESSION_TTL_MINUTES', 60_000, d.sessionTtlMs),
    otpTtlMs: number('CITIZEN_OTP_TTL_SECONDS', 1000, d.otpTtlMs),
    otpMaxWrongTries: number('CITIZEN_OTP_MAX_ATTEMPTS', 1, d.otpMaxWrongTries, true),
    otpResendIntervalMs: number('CITIZEN_OTP_RESEND_SECONDS', 1000, d.otpResendIntervalMs),
    otpMaxSends: number('CITIZEN_OTP_MAX_SENDS', 1, d.otpMaxSends, true),
    otpMaxPerPhonePerHour: number('CITIZEN_OTP_MAX_PER_PHONE_HOUR', 1, d.otpMaxPerPhonePerHour, true),
    otpMaxFailures: number('CITIZEN_OTP_MAX_FAILURES', 1, d.otpMaxFailures, true),
    otpFailureWindowMs: number('CITIZEN_OTP_FAILURE_WINDOW_MINUTES', 60_000, d.otpFailureWindowMs),
    maxFailedLogins: number('CITIZEN_LOGIN_MAX_FAILURES', 1, d.maxFailedLogins, true),
    lockoutMs: number('CITIZEN_LOCKOUT_MINUTES', 60_000, d.lockoutMs),
    extraTrustedRoots,
    signerUrl: env.CITIZEN_SIGNER_URL ? loopbackSignerUrl(env.CITIZEN_SIGNER_URL.trim()) : d.signerUrl,
  };
}

export interface AppContext {
  db: DataSource;
  clock: Clock;
  auth: AuthConfig;
  sms: SmsSender;
  /** Absent in tests that only exercise identity and calendar routes. */
  temporal?: { client: Client; taskQueue: string };
  /** Uploaded scans; when absent, a store configured by FILES_DIR and UPLOAD_MAX_MB (api/files/store.ts). */
  files?: FileStore;
  /** The certificate authority: verification, the CRL, certificate administration. */
  pki?: Pki;
  /** The links printed on copies (verification tokens). */
  links?: PublicLinks;
  /** Captchas of the citizen portal's public forms; when absent, one over the database (api/citizen/services.ts). */
  captcha?: CaptchaService;
  /** Citizen logins and registrations; DEFAULT_CITIZEN_CONFIG when absent. */
  citizen?: CitizenConfig;
  /** Where registration by social-insurance number looks people up; the local table when absent. */
  socialInsurance?: SocialInsuranceRegistry;
  /** The desk's one-time codes for account requests (infra/otpCodes.ts): needed to create citizen accounts. */
  otpCodes?: OtpCodes;
  /** Rules of the desk's account requests (ACCOUNT_REQUEST_*); the workflow's defaults when absent. */
  accountRequestRules?: Partial<AccountRequestRules>;
  /** The public dev inboxes (GET /api/dev/sms, /api/dev/mail; DEV_INBOXES): off when absent. */
  devInboxes?: boolean;
  /** Where audit rows wait while the database is away (AUDIT_SPOOL_DIR); without it a row that cannot be appended is only logged. */
  auditSpool?: AuditSpool;
  /** Sends queued alert messages and codes at once (else the worker's dispatcher does, within seconds). */
  alertDispatcher?: AlertDispatcher;
  /** The API check console's allow-list and limits; API_CHECK_* from the environment when absent. */
  apiCheck?: ApiCheckConfig;
  /** The tax authority and the payment gateway of land-obligation payments (api/land); refused with 503 when absent. */
  land?: LandServices;
  /** Notices of case projections (infra/readModel/caseProjectionListener.ts); a reception polls the table when absent. */
  caseProjections?: CaseProjectionWaits;
}
