/**
 * Citizens' signing certificates from the embedded authority, and the citizen's side of a
 * challenge signature. In production citizens bring certificates from public CAs on a USB token
 * or a SIM; these serve demonstrations, tests and the web UI's helper.
 */
import { createHash, createPrivateKey } from 'node:crypto';
import { validateCitizenId } from '../../domain/citizenId';
import { buildSignedData } from './cms';
import { OID, generateRsaKeyPair, issueHolderCertificate, type NameAttribute } from './certificates';
import type { Pki } from './pki';

const DAY_MS = 86_400_000;
export const CITIZEN_CERTIFICATE_DAYS = 730;
/** As for the authority's own certificates: a verifier whose clock lags still accepts a new one. */
const BACKDATE_MS = 5 * 60_000;

/** CN = full name, UID = "CCCD:<12 digits>" (or "CMND:<9 digits>"), C = VN: the layout of Vietnamese public CAs. */
export function citizenSubject(person: { idNumber: string; fullName: string }): NameAttribute[] {
  const id = validateCitizenId(person.idNumber);
  if (!id.ok) throw new RangeError(`not a personal ID number: ${person.idNumber}`);
  const fullName = person.fullName.normalize('NFC').trim();
  if (fullName === '') throw new RangeError('a citizen certificate needs the full name');
  return [
    { oid: OID.commonName, value: fullName },
    { oid: OID.userId, value: `${id.kind}:${id.number}` },
    { oid: OID.country, value: 'VN' },
  ];
}

/** A citizen's signing certificate from the embedded CA (for demos and tests: in production citizens bring certificates from public CAs). */
export async function issueCitizenCertificate(
  pki: Pki,
  person: { idNumber: string; fullName: string; validDays?: number; notBefore?: Date },
): Promise<{ certificatePem: string; privateKeyPem: string; serial: string }> {
  const subject = citizenSubject(person);
  const days = person.validDays ?? CITIZEN_CERTIFICATE_DAYS;
  if (!(days > 0)) throw new RangeError(`validDays must be positive, got ${days}`);
  const keyPair = generateRsaKeyPair();
  const issued = await pki.issueHeld((issuer, now, crlUrl) => {
    const notBefore = person.notBefore ?? new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
    const notAfter = new Date(notBefore.getTime() + days * DAY_MS);
    return issueHolderCertificate(subject, { publicKey: keyPair.publicKey, issuer, notBefore, notAfter, ...(crlUrl ? { crlUrl } : {}) });
  });
  return {
    certificatePem: issued.certificate,
    privateKeyPem: keyPair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    serial: issued.serial,
  };
}

/** The client's side, for tests, demos and the web UI's helper: sign a challenge as a CMS detached SignedData, base64. */
export function signChallengeCms(challenge: string, certificatePem: string, privateKeyPem: string): string {
  const cms = buildSignedData({
    signer: { certificate: certificatePem, chain: [], privateKey: createPrivateKey(privateKeyPem) },
    contentDigest: createHash('sha256').update(challenge, 'utf8').digest(),
  });
  return cms.toString('base64');
}
