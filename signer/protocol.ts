/**
 * The local-signer protocol (version 1): how a portal page asks the signing tool on the citizen's
 * own computer — the vendor's USB-token software, or the reference signer in this folder — to
 * sign the server's challenge. signer/README.md describes it for implementers; this module holds
 * what the API, the page and the reference signer share.
 *
 * The tool listens on the loopback interface only and answers JSON:
 *   GET  /v1/info          → SignerInfo
 *   GET  /v1/certificates  → { certificates: SignerCertificate[] }
 *   POST /v1/sign          ← SignRequest → SignResult, once the holder has approved and typed
 *                            the PIN in the tool itself
 * Errors answer { error: { code, message, messageEn } } with a 4xx status.
 */

export const SIGNER_PROTOCOL = 'chungthuc-local-signer';
export const SIGNER_PROTOCOL_VERSION = 1;
export const DEFAULT_SIGNER_PORT = 18765;
export const DEFAULT_SIGNER_URL = `http://127.0.0.1:${DEFAULT_SIGNER_PORT}`;

export type ChallengePurpose = 'register' | 'login';

/**
 * What the server asks to be signed, and the only thing a signer signs:
 * `dichvucong:<register|login>:<time of issue, ISO 8601 UTC>:<32 random bytes, base64url>`.
 * Readable on purpose, so the tool can show the holder where and why they are signing.
 */
export const CHALLENGE_PATTERN = /^dichvucong:(register|login):(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z):([A-Za-z0-9_-]{43})$/;

export function challengeText(purpose: ChallengePurpose, issuedAt: Date, nonce: string): string {
  const text = `dichvucong:${purpose}:${issuedAt.toISOString()}:${nonce}`;
  if (!CHALLENGE_PATTERN.test(text)) throw new RangeError('a challenge nonce is 43 base64url characters (32 bytes)');
  return text;
}

export function parseChallenge(text: string): { purpose: ChallengePurpose; issuedAt: Date } | undefined {
  const m = CHALLENGE_PATTERN.exec(text);
  if (!m) return undefined;
  const issuedAt = new Date(m[2] as string);
  return Number.isNaN(issuedAt.getTime()) ? undefined : { purpose: m[1] as ChallengePurpose, issuedAt };
}

export interface SignerInfo {
  protocol: typeof SIGNER_PROTOCOL;
  version: number;
  /** The tool's name, as the page may show it. */
  product: string;
}

export interface SignerCertificate {
  /** SHA-256 of the certificate's DER, lower-case hex. */
  id: string;
  /** The holder's name (the subject's CN). */
  name: string;
  /** The personal ID number the certificate carries, when the tool can read it. */
  idNumber?: string;
  /** The issuing authority's name. */
  issuer: string;
  validFrom: string;
  validTo: string;
  /** The certificate, PEM. */
  certificate: string;
}

export interface SignRequest {
  certificateId: string;
  challenge: string;
}

export interface SignResult {
  /** A CMS SignedData, DER in base64: detached, over the challenge's UTF-8 bytes, with the signer's certificate (and any issuers the tool holds) inside. */
  format: 'cms-detached';
  signature: string;
  /** The signer's certificate, PEM. */
  certificate: string;
}

export type SignerErrorCode =
  | 'HOST_NOT_ALLOWED'
  | 'ORIGIN_NOT_ALLOWED'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'CHALLENGE_REFUSED'
  | 'CERTIFICATE_NOT_FOUND'
  | 'BUSY'
  | 'DECLINED'
  | 'PIN_BLOCKED'
  | 'TIMEOUT';

export interface SignerErrorBody {
  error: { code: SignerErrorCode; message: string; messageEn: string };
}
