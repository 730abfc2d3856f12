/**
 * The links printed on the citizen's papers. A copy's QR code opens its public verification page;
 * the link carries a short keyed token so the page answers only to someone holding the paper (or
 * its number and date), not to anyone walking through case codes. The token is an HMAC of the case
 * code: nothing to store, and the same link however often a copy is re-rendered.
 *
 *   PUBLIC_BASE_URL       how citizens reach the API from outside (default http://localhost:<API port>)
 *   VERIFY_LINK_SECRET    the HMAC key (≥ 16 characters); default: derived from PKI_MASTER_KEY
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface PublicLinks {
  baseUrl: string;
  /** The verification page of a certified copy. */
  verifyUrl(caseCode: string): string;
  /** Whether `token` is the one printed on the copy of `caseCode`. */
  tokenMatches(caseCode: string, token: string): boolean;
}

const TOKEN_CHARS = 22;

export function createPublicLinks(baseUrl: string, secret: Buffer | string): PublicLinks {
  const base = new URL(baseUrl).toString().replace(/\/+$/, '');
  const tokenOf = (caseCode: string) => createHmac('sha256', secret).update(`verify:${caseCode}`).digest('base64url').slice(0, TOKEN_CHARS);
  return {
    baseUrl: base,
    verifyUrl: (caseCode) => `${base}/verify/${encodeURIComponent(caseCode)}?t=${tokenOf(caseCode)}`,
    tokenMatches(caseCode, token) {
      const expected = Buffer.from(tokenOf(caseCode));
      const given = Buffer.from(token);
      return given.length === expected.length && timingSafeEqual(given, expected);
    },
  };
}

/**
 * Whether a base URL only this machine can open (localhost, 127.x, ::1, 0.0.0.0): printed in the
 * QR code of a copy, such an address sends the citizen's phone to itself.
 */
export function isLoopbackUrl(baseUrl: string): boolean {
  let host: string;
  try {
    host = new URL(baseUrl).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1' || host === '0.0.0.0' || host === '::';
}

/** The start-up warning while the public address is a loopback one, line by line. */
export function loopbackWarning(baseUrl: string, configured: boolean): string[] {
  return [
    `PUBLIC_BASE_URL ${configured ? 'is' : 'is not set; it defaults to'} ${baseUrl}: an address only this machine can open.`,
    'Every certified copy printed now carries it in its QR code and verification link, and every',
    'certificate issued now carries it as its CRL address: no citizen’s phone and no outside',
    'verifier can open them, and copies already issued keep the address they were issued with.',
    'Set the address citizens reach this system at before issuing copies, e.g.',
    '  PUBLIC_BASE_URL=https://motcua.tamduong.laichau.gov.vn npm start',
    '(see "Deployment" in README.md).',
  ];
}

export function publicLinksFromEnv(env: NodeJS.ProcessEnv, fallback: { port: number; masterKey?: Buffer }): PublicLinks {
  const base = env.PUBLIC_BASE_URL || `http://localhost:${fallback.port}`;
  try {
    new URL(base);
  } catch {
    throw new Error(`PUBLIC_BASE_URL must be an absolute URL such as https://motcua.example.gov.vn, got ${base}`);
  }
  const configured = env.VERIFY_LINK_SECRET;
  if (configured !== undefined && configured !== '' && configured.length < 16) throw new Error('VERIFY_LINK_SECRET must be at least 16 characters');
  const secret = configured || (fallback.masterKey && createHmac('sha256', fallback.masterKey).update('verify-links').digest());
  if (!secret) throw new Error('Set VERIFY_LINK_SECRET (or PKI_MASTER_KEY, from which it is derived)');
  return createPublicLinks(base, secret);
}
