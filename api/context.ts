/** What every route handler may use: the database, the clock, the deployment's settings and the outside world. */
import type { Client } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import type { Clock } from './clock';
import type { FileStore } from '../infra/fileStore';
import type { Pki } from '../infra/pki/pki';
import type { PublicLinks } from '../infra/publicLinks';
import type { SmsSender } from '../infra/sms/smsSender';

export interface AuthConfig {
  /** Ask a 6-digit code by SMS after the password, for officers who have a phone (OTP_REQUIRED, default true). */
  otpRequired: boolean;
  sessionTtlMs: number;
  otpTtlMs: number;
  otpMaxAttempts: number;
  /** Failed passwords in a row before the account locks. */
  maxFailedLogins: number;
  lockoutMs: number;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  otpRequired: true,
  sessionTtlMs: 8 * 3_600_000,
  otpTtlMs: 5 * 60_000,
  otpMaxAttempts: 5,
  maxFailedLogins: 5,
  lockoutMs: 15 * 60_000,
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
  const otp = env.OTP_REQUIRED;
  if (otp !== undefined && !['true', 'false', ''].includes(otp)) throw new Error(`OTP_REQUIRED must be true or false, got ${otp}`);
  return {
    otpRequired: otp !== 'false',
    sessionTtlMs: minutes('SESSION_TTL_MINUTES', DEFAULT_AUTH_CONFIG.sessionTtlMs),
    otpTtlMs: minutes('OTP_TTL_MINUTES', DEFAULT_AUTH_CONFIG.otpTtlMs),
    otpMaxAttempts: count('OTP_MAX_ATTEMPTS', DEFAULT_AUTH_CONFIG.otpMaxAttempts),
    maxFailedLogins: count('LOGIN_MAX_FAILURES', DEFAULT_AUTH_CONFIG.maxFailedLogins),
    lockoutMs: minutes('LOGIN_LOCKOUT_MINUTES', DEFAULT_AUTH_CONFIG.lockoutMs),
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
}
