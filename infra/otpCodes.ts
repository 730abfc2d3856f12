/**
 * One-time codes of the desk's account requests. A code is derived from a server secret and the
 * request's send number — HMAC(secret, "<scope>:<n>") reduced to six digits — so nothing has to be
 * stored to know it, a retried sending activity sends the very same code (and its keyed SMS is not
 * sent twice), and the workflow's history carries only keyed digests of codes, useless without the
 * secret. The API turns what the officer typed into the same digest before it reaches the workflow.
 *
 *   OTP_SECRET   the HMAC key (≥ 16 characters); default: derived from PKI_MASTER_KEY
 */
import { createHmac } from 'node:crypto';
import { masterKeyFromEnv } from './pki/keyVault';

export interface OtpCodes {
  /** The six-digit code of `scope` (e.g. "account-request:<id>:3"). */
  code(scope: string): string;
  /** What the workflow compares: a keyed digest of a code typed for `request`. */
  digest(request: string, code: string): string;
}

export function createOtpCodes(secret: Buffer | string): OtpCodes {
  const mac = (text: string) => createHmac('sha256', secret).update(text).digest();
  return {
    code(scope) {
      // 48 bits reduced modulo 10^6: the bias is below one in 10^8.
      return String(mac(`code:${scope}`).readUIntBE(0, 6) % 1_000_000).padStart(6, '0');
    },
    digest(request, code) {
      return mac(`digest:${request}:${code.trim()}`).toString('base64url');
    },
  };
}

export function otpCodesFromEnv(env: NodeJS.ProcessEnv = process.env): OtpCodes {
  const configured = env.OTP_SECRET;
  if (configured !== undefined && configured !== '' && configured.length < 16) throw new Error('OTP_SECRET must be at least 16 characters');
  if (configured) return createOtpCodes(configured);
  return createOtpCodes(createHmac('sha256', masterKeyFromEnv(env)).update('otp-codes').digest());
}
