/**
 * Proof that a citizen holds a certificate's private key (identity assurance level 3): the server
 * issues a challenge, the citizen's USB token or SIM signs it, and this module checks the
 * signature, the certificate's chain to a trusted authority, its validity at the given time and
 * its revocation, then reads who the certificate names.
 *
 * Two forms are accepted, as signing tools produce them: a CMS SignedData (detached, or with the
 * challenge inside; the signer's certificate embedded, intermediate CA certificates optionally
 * beside it), or a bare signature (RSA PKCS#1 v1.5, RSA-PSS or ECDSA with SHA-256; ECDSA as DER
 * or as the r‖s pair WebCrypto returns) with the certificate given separately in PEM, followed
 * by intermediates if any.
 *
 * Identity: Vietnamese public CAs write the personal ID number into the subject's UID
 * (0.9.2342.19200300.100.1.1) or serialNumber (2.5.4.5) as "CCCD:012345678901" or
 * "CMND:123456789"; a bare 12-digit value is also read. The full name is the CN.
 */
import { constants, createHash, verify, X509Certificate, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { ApiError } from '../../api/errors';
import { CmsFormatError, verifySignedData } from './cms';
import { OID, der, formatName, isIssuedBy, normalizeSerial, pemToDer, readCertificate, type CertificateFacts, type NameAttribute } from './certificates';

export interface VerifiedSigner {
  idNumber: string;
  fullName: string;
  /** SHA-256 of the certificate's DER, lower-case hex. */
  certificateFingerprint: string;
  subject: string;
  issuer: string;
  /** The issuing authority's own name (its CN), as a citizen would recognise it. */
  issuerName: string;
  serial: string;
  notAfter: Date;
}

export interface ChallengeTrust {
  /** PEM CA certificates. */
  roots: string[];
  /** Serial (hex) → reason or time, as Pki.trust() returns. */
  revokedSerials?: Map<string, string>;
  at: Date;
}

export const CHALLENGE_MAX_LENGTH = 4096;
const SIGNATURE_MAX_BASE64 = 96 * 1024;
const MAX_CHAIN_DEPTH = 6;
const SIGNED_DATA_OID = '1.2.840.113549.1.7.2';

// ---------------------------------------------------------------- refusals

function malformed(field: string, vi: string, en: string): ApiError {
  return new ApiError(400, 'INVALID_INPUT', `Dữ liệu không hợp lệ — ${field}: ${vi}`, `Invalid input — ${field}: ${en}`, { fields: [{ field, problem: vi }] });
}

const signatureInvalid = (vi: string, en: string) =>
  new ApiError(401, 'SIGNATURE_INVALID', `Chữ ký số không hợp lệ: ${vi}`, `The signature is not valid: ${en}`);

function certificateUntrusted(leaf: CertificateFacts, why?: { vi: string; en: string }): ApiError {
  return new ApiError(
    401,
    'CERTIFICATE_UNTRUSTED',
    why?.vi ?? `Chứng thư số "${leaf.subjectText}" không do tổ chức cung cấp dịch vụ chứng thực chữ ký số được tin cậy cấp (tổ chức cấp: ${leaf.issuerText}).`,
    why?.en ?? `The certificate "${leaf.subjectText}" was not issued by a trusted certification authority (issuer: ${leaf.issuerText}).`,
    { issuer: leaf.issuerText },
  );
}

const viDateTime = (d: Date) => d.toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });

function certificateExpired(cert: X509Certificate, at: Date, isLeaf: boolean): ApiError {
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  const which = isLeaf ? 'Chứng thư số' : `Chứng thư của tổ chức cấp "${cert.subject.replace(/\n/g, ', ')}"`;
  const state = at < from ? 'chưa có hiệu lực' : 'đã hết hạn';
  return new ApiError(
    401,
    'CERTIFICATE_EXPIRED',
    `${which} ${state} (hiệu lực từ ${viDateTime(from)} đến ${viDateTime(to)}).`,
    `${isLeaf ? 'The certificate' : 'An issuing CA certificate'} is ${at < from ? 'not yet valid' : 'expired'} (valid from ${from.toISOString()} to ${to.toISOString()}).`,
    { notBefore: from.toISOString(), notAfter: to.toISOString() },
  );
}

function certificateRevoked(serial: string, isLeaf: boolean): ApiError {
  return new ApiError(
    401,
    'CERTIFICATE_REVOKED',
    isLeaf ? `Chứng thư số (số hiệu ${serial}) đã bị thu hồi.` : `Chứng thư của tổ chức cấp (số hiệu ${serial}) đã bị thu hồi.`,
    isLeaf ? `The certificate (serial ${serial}) has been revoked.` : `An issuing CA certificate (serial ${serial}) has been revoked.`,
    { serial },
  );
}

function certificateNoId(leaf: CertificateFacts, what: { vi: string; en: string }): ApiError {
  return new ApiError(422, 'CERTIFICATE_NO_ID', `Chứng thư số "${leaf.subjectText}" ${what.vi}: không dùng được để xác thực công dân.`, `The certificate "${leaf.subjectText}" ${what.en}; it cannot identify a citizen.`);
}

// ---------------------------------------------------------------- input

function decodeBase64(value: unknown, field: string): Buffer {
  if (typeof value !== 'string' || value.trim() === '') throw malformed(field, 'chưa có chữ ký', 'the signature is missing');
  const text = value.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
  if (text.length > SIGNATURE_MAX_BASE64) throw malformed(field, 'chữ ký quá dài', 'the signature is too long');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) throw malformed(field, 'chữ ký phải được mã hóa base64', 'the signature must be base64');
  const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (bytes.length < 8) throw malformed(field, 'chữ ký quá ngắn', 'the signature is too short');
  return bytes;
}

/** The leaf certificate first, then any intermediates: PEM blocks, or one base64 DER certificate. */
function readCertificates(value: string, field: string): CertificateFacts[] {
  const blocks = value.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? (value.includes('-----') ? [] : [value]);
  if (blocks.length === 0) throw malformed(field, 'không tìm thấy chứng thư số dạng PEM', 'no PEM certificate found');
  try {
    return blocks.map((b) => readCertificate(pemToDer(b)));
  } catch {
    throw malformed(field, 'chứng thư số không đọc được (không phải X.509 hợp lệ)', 'the certificate is not a valid X.509 certificate');
  }
}

// ---------------------------------------------------------------- signatures

function isSignedData(bytes: Buffer): boolean {
  try {
    const root = der.parse(bytes, { allowTrailing: true });
    const first = der.children(root)[0];
    return first !== undefined && first.type === forge.asn1.Type.OID && der.oidOf(first) === SIGNED_DATA_OID;
  } catch {
    return false;
  }
}

/** A primitive OCTET STRING's bytes, or a BER constructed one's pieces joined. */
function octets(node: forge.asn1.Asn1): Buffer {
  return Array.isArray(node.value) ? Buffer.concat(node.value.map(octets)) : der.bytes(node);
}

/** The content carried inside the SignedData, when it is not detached. */
function attachedContent(cms: Buffer): Buffer | undefined {
  const signedData = der.children(der.children(der.children(der.parse(cms, { allowTrailing: true }))[1] ?? der.seq())[0] ?? der.seq());
  const encap = signedData[2];
  const wrapped = encap ? der.children(encap)[1] : undefined;
  const eContent = wrapped ? der.children(wrapped)[0] : undefined;
  return eContent ? octets(eContent) : undefined;
}

/** SignerInfo parts when it signs the content directly (no signed attributes, as some older tools do). */
function directSignature(cms: Buffer): { digest: string; signature: Buffer } | undefined {
  const signedData = der.children(der.children(der.children(der.parse(cms, { allowTrailing: true }))[1])[0]);
  const signerInfo = der.children(der.children(signedData[signedData.length - 1])[0] ?? der.seq());
  const attrs = signerInfo[3];
  if (attrs === undefined || (attrs.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && attrs.type === 0)) return undefined;
  const digestOid = der.oidOf(der.children(signerInfo[2])[0]);
  const digest = { [OID.sha256]: 'sha256', [OID.sha384]: 'sha384', [OID.sha512]: 'sha512' }[digestOid];
  const signature = signerInfo[4];
  return digest && signature ? { digest, signature: der.bytes(signature) } : undefined;
}

/** Verifies a CMS SignedData over the challenge; returns the signer and the other embedded certificates. */
function verifyCms(cms: Buffer, content: Buffer): { leaf: CertificateFacts; others: CertificateFacts[] } {
  let attached: Buffer | undefined;
  let direct: ReturnType<typeof directSignature>;
  let result: ReturnType<typeof verifySignedData>;
  try {
    attached = attachedContent(cms);
    direct = directSignature(cms);
    result = verifySignedData(cms, (hash) => createHash(hash).update(content).digest());
  } catch (e) {
    const detail = e instanceof CmsFormatError ? e.message : 'cấu trúc CMS không đọc được';
    throw malformed('signature', detail, 'malformed CMS SignedData');
  }
  if (attached !== undefined && !attached.equals(content)) {
    throw signatureInvalid('nội dung đã ký không phải là chuỗi xác thực máy chủ vừa cấp.', 'the signed content is not the challenge the server issued.');
  }
  const others = result.certificates.filter((c) => !c.der.equals(result.signer.der));
  const valid = direct ? verifyWith(direct.digest, content, result.signer.x509.publicKey, direct.signature) : result.digestMatches && result.signatureValid;
  if (!valid) {
    throw signatureInvalid(
      'chữ ký không khớp với chuỗi xác thực hoặc với khóa của chứng thư số (có thể đã ký một chuỗi khác).',
      'the signature does not match the challenge or the certificate key (perhaps another challenge was signed).',
    );
  }
  return { leaf: result.signer, others };
}

function verifyWith(digest: string | null, content: Buffer, key: Parameters<typeof verify>[2], signature: Buffer): boolean {
  try {
    return verify(digest, content, key, signature);
  } catch {
    return false;
  }
}

/** A bare signature over the challenge with the certificate's key: every scheme the key type allows. */
function verifyRaw(content: Buffer, signature: Buffer, key: KeyObject): boolean {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return (
        verifyWith('sha256', content, { key, padding: constants.RSA_PKCS1_PADDING }, signature) ||
        verifyWith('sha256', content, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature)
      );
    case 'rsa-pss':
      return verifyWith('sha256', content, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, signature);
    case 'ec':
      return verifyWith('sha256', content, { key, dsaEncoding: 'der' }, signature) || verifyWith('sha256', content, { key, dsaEncoding: 'ieee-p1363' }, signature);
    case 'ed25519':
      return verifyWith(null, content, key, signature);
    default:
      return false;
  }
}

// ---------------------------------------------------------------- trust

/** The certificates from the leaf up to a trusted root (both included), or undefined. */
function chainToRoot(leaf: X509Certificate, candidates: readonly X509Certificate[], roots: readonly X509Certificate[]): X509Certificate[] | undefined {
  const path = [leaf];
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN_DEPTH; depth++) {
    const root = roots.find((r) => isIssuedBy(current, r));
    if (root) return [...path, root];
    const next = candidates.find((c) => c.ca && !path.some((p) => p.fingerprint256 === c.fingerprint256) && isIssuedBy(current, c));
    if (!next) return undefined;
    path.push(next);
    current = next;
  }
  return undefined;
}

// ---------------------------------------------------------------- identity

const ID_VALUE = /^(?:(CCCD|CMND|CC|CMT)\s*[:=-]\s*)?(\d{9}|\d{12})$/i;

/** The personal ID number a subject carries, preferring a CCCD to a CMND. */
export function personalIdOf(subject: readonly NameAttribute[]): string | undefined {
  const found: Array<{ kind: string; number: string }> = [];
  for (const a of subject) {
    if (a.oid !== OID.userId && a.oid !== OID.serialNumber) continue;
    const m = ID_VALUE.exec(a.value.trim());
    if (!m) continue;
    const kind = (m[1] ?? '').toUpperCase();
    const number = m[2] as string;
    // A bare value is read only when it has the 12 digits of a personal identification number.
    if (kind === '' && number.length !== 12) continue;
    if ((kind === 'CCCD' || kind === 'CC') && number.length !== 12) continue;
    found.push({ kind: number.length === 12 ? 'CCCD' : 'CMND', number });
  }
  return (found.find((f) => f.kind === 'CCCD') ?? found[0])?.number;
}

// ---------------------------------------------------------------- the check

/** signature: base64 of either a CMS SignedData (DER, detached or with the challenge attached; the signer's certificate inside) or a raw RSA PKCS#1 v1.5 / RSA-PSS / ECDSA SHA-256 signature, in which case `certificate` (PEM) is required. */
export function verifyChallengeSignature(input: { challenge: string; signature: string; certificate?: string }, trust: ChallengeTrust): VerifiedSigner {
  if (typeof input.challenge !== 'string' || input.challenge === '') throw malformed('challenge', 'chưa có chuỗi xác thực', 'the challenge is missing');
  if (input.challenge.length > CHALLENGE_MAX_LENGTH) throw malformed('challenge', 'chuỗi xác thực quá dài', 'the challenge is too long');
  const content = Buffer.from(input.challenge, 'utf8');
  const signature = decodeBase64(input.signature, 'signature');
  const given = typeof input.certificate === 'string' && input.certificate.trim() !== '' ? readCertificates(input.certificate, 'certificate') : undefined;

  let leaf: CertificateFacts;
  let others: CertificateFacts[];
  if (isSignedData(signature)) {
    ({ leaf, others } = verifyCms(signature, content));
    if (given && !given[0].der.equals(leaf.der)) {
      throw malformed('certificate', 'chứng thư số gửi kèm không phải chứng thư đã ký', 'the certificate given is not the one that signed');
    }
    if (given) others = [...others, ...given.slice(1)];
  } else {
    if (!given) throw malformed('certificate', 'chữ ký dạng thô cần kèm chứng thư số (PEM) của người ký', "a bare signature needs the signer's certificate (PEM)");
    [leaf, ...others] = given;
    if (!verifyRaw(content, signature, leaf.x509.publicKey)) {
      throw signatureInvalid(
        'chữ ký không khớp với chuỗi xác thực hoặc với khóa của chứng thư số (có thể đã ký một chuỗi khác).',
        'the signature does not match the challenge or the certificate key (perhaps another challenge was signed).',
      );
    }
  }

  if (leaf.isCa) {
    throw certificateUntrusted(leaf, {
      vi: `Chứng thư số "${leaf.subjectText}" là chứng thư của tổ chức cấp (CA), không phải chứng thư số của cá nhân.`,
      en: `The certificate "${leaf.subjectText}" is a CA certificate, not a personal one.`,
    });
  }
  const roots = trust.roots.map((pem) => new X509Certificate(pemToDer(pem)));
  const chain = chainToRoot(
    leaf.x509,
    others.map((c) => c.x509),
    roots,
  );
  if (!chain) throw certificateUntrusted(leaf);

  chain.forEach((cert, i) => {
    if (trust.at.getTime() < Date.parse(cert.validFrom) || trust.at.getTime() > Date.parse(cert.validTo)) throw certificateExpired(cert, trust.at, i === 0);
  });
  const revoked = new Set([...(trust.revokedSerials?.keys() ?? [])].map(normalizeSerial));
  chain.forEach((cert, i) => {
    const serial = normalizeSerial(cert.serialNumber);
    if (revoked.has(serial)) throw certificateRevoked(serial, i === 0);
  });

  const idNumber = personalIdOf(leaf.subject);
  if (idNumber === undefined) {
    throw certificateNoId(leaf, { vi: 'không ghi số định danh cá nhân (CCCD/CMND)', en: 'carries no personal ID number (CCCD/CMND)' });
  }
  const fullName = leaf.subject.find((a) => a.oid === OID.commonName)?.value.trim();
  if (!fullName) throw certificateNoId(leaf, { vi: 'không ghi họ và tên (CN)', en: 'carries no name (CN)' });

  return {
    idNumber,
    fullName: fullName.normalize('NFC'),
    certificateFingerprint: createHash('sha256').update(leaf.der).digest('hex'),
    subject: formatName(leaf.subject),
    issuer: formatName(leaf.issuer),
    issuerName: leaf.issuer.find((a) => a.oid === OID.commonName)?.value.trim() || formatName(leaf.issuer),
    serial: normalizeSerial(leaf.serial),
    notAfter: leaf.notAfter,
  };
}
