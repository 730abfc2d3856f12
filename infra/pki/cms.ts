/**
 * CMS SignedData (RFC 5652), detached, as PDF signatures carry it in /Contents.
 *
 * Why assembled by hand with forge's ASN.1 builder rather than forge.pkcs7: forge.pkcs7 signs
 * with its pure-JS RSA (tens of times slower than node:crypto) and has no ESS attributes. Here
 * the signed attributes are DER-sorted, node:crypto signs them, and the certificates are copied
 * in as encoded, so the result is stable and byte-exact.
 *
 * Signed attributes: contentType, messageDigest (SHA-256 of the signed byte ranges), optionally
 * signingTime, and ESS signing-certificate-v2 (binds the signer certificate into the signature,
 * required by CAdES / PAdES).
 */
import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { OID, der, pemToDer, readCertificate, type CertificateFacts } from './certificates';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const CMS_OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  signingCertificate: '1.2.840.113549.1.9.16.2.12',
} as const;

const HASH_BY_OID: Record<string, string> = {
  [OID.sha256]: 'sha256',
  [OID.sha384]: 'sha384',
  [OID.sha512]: 'sha512',
  [OID.sha1]: 'sha1',
};

export interface CmsSignerInput {
  /** Leaf certificate, PEM. */
  certificate: string;
  /** Issuer certificates up to the root, PEM. */
  chain: readonly string[];
  privateKey: KeyObject;
}

export interface SignedDataOptions {
  signer: CmsSignerInput;
  /** SHA-256 of the detached content. */
  contentDigest: Buffer;
  /** Omitted from the signed attributes when absent (PAdES puts the time in the signature dictionary). */
  signingTime?: Date;
  /** ESS signing-certificate-v2; on by default. */
  signingCertificateV2?: boolean;
}

function attribute(oid: string, value: Asn1): Asn1 {
  return der.seq(der.oid(oid), der.set(value));
}

/** DER orders SET OF elements by their encodings. */
function sortedSet(items: Asn1[]): Asn1[] {
  return items
    .map((node) => ({ node, bytes: der.encode(node) }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((x) => x.node);
}

function signatureAlgorithmOf(key: KeyObject): Asn1 {
  if (key.asymmetricKeyType === 'rsa') return der.seq(der.oid(OID.rsaEncryption), der.null());
  if (key.asymmetricKeyType === 'ec') return der.seq(der.oid(OID.ecdsaWithSha256));
  throw new Error(`Unsupported signing key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

/** Longest signature the key can produce, to size a placeholder before signing. */
function maxSignatureLength(key: KeyObject): number {
  const details = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType === 'rsa') return Math.ceil((details?.modulusLength ?? 4096) / 8);
  const curveBytes: Record<string, number> = { prime256v1: 32, 'P-256': 32, secp384r1: 48, 'P-384': 48, secp521r1: 66, 'P-521': 66 };
  return 2 * (curveBytes[details?.namedCurve ?? ''] ?? 66) + 9;
}

function signedAttributes(options: SignedDataOptions, leaf: CertificateFacts): Asn1[] {
  const attrs = [
    attribute(CMS_OID.contentType, der.oid(CMS_OID.data)),
    attribute(CMS_OID.messageDigest, der.octets(options.contentDigest)),
  ];
  if (options.signingTime) attrs.push(attribute(CMS_OID.signingTime, der.time(options.signingTime)));
  if (options.signingCertificateV2 !== false) {
    // ESSCertIDv2 with the default hash (SHA-256, so the AlgorithmIdentifier is omitted) and issuerSerial.
    const issuerSerial = der.seq(der.seq(der.explicit(4, der.parse(leaf.issuerDer))), der.parse(leaf.serialDer));
    const certId = der.seq(der.octets(createHash('sha256').update(leaf.der).digest()), issuerSerial);
    attrs.push(attribute(CMS_OID.signingCertificateV2, der.seq(der.seq(certId))));
  }
  return sortedSet(attrs);
}

interface SignerCertificates {
  leaf: CertificateFacts;
  /** The leaf and its chain as parsed DER, copied into every SignedData as they are. */
  certificates: Asn1[];
  /** signedDataSizeBound's answer for the default attributes and a key of `sizeBoundKey` signature bytes. */
  sizeBound?: number;
  sizeBoundKey?: number;
}

/** A signer's certificates are read once, not at every signature: they were a third of signing a copy. */
const signers = new Map<string, SignerCertificates>();
const MAX_SIGNERS = 256;

function signerCertificates(signer: CmsSignerInput): SignerCertificates {
  const key = [signer.certificate, ...signer.chain].join('\n');
  let found = signers.get(key);
  if (found === undefined) {
    found = {
      leaf: readCertificate(signer.certificate),
      certificates: [signer.certificate, ...signer.chain].map((pem) => der.parse(pemToDer(pem))),
    };
    if (signers.size >= MAX_SIGNERS) signers.clear();
    signers.set(key, found);
  }
  return found;
}

function assemble(options: SignedDataOptions, leaf: CertificateFacts, attrs: Asn1[], signature: Buffer): Buffer {
  const digestAlgorithm = der.seq(der.oid(OID.sha256), der.null());
  const { certificates } = signerCertificates(options.signer);
  const signerInfo = der.seq(
    der.small(1),
    der.seq(der.parse(leaf.issuerDer), der.parse(leaf.serialDer)),
    digestAlgorithm,
    der.implicitConstructed(0, attrs),
    signatureAlgorithmOf(options.signer.privateKey),
    der.octets(signature),
  );
  const signedData = der.seq(
    der.small(1),
    der.set(digestAlgorithm),
    der.seq(der.oid(CMS_OID.data)),
    der.implicitConstructed(0, certificates),
    der.set(signerInfo),
  );
  return der.encode(der.seq(der.oid(CMS_OID.signedData), der.explicit(0, signedData)));
}

/** A detached SignedData; the RSA/ECDSA operation runs in node:crypto. */
export function buildSignedData(options: SignedDataOptions): Buffer {
  const { leaf } = signerCertificates(options.signer);
  const attrs = signedAttributes(options, leaf);
  const signature = sign('sha256', der.encode(der.set(...attrs)), options.signer.privateKey);
  return assemble(options, leaf, attrs, signature);
}

/** Upper bound of buildSignedData's output length for these options (no signing done). */
export function signedDataSizeBound(options: Omit<SignedDataOptions, 'contentDigest'>): number {
  const certificates = signerCertificates(options.signer);
  const full = { ...options, contentDigest: Buffer.alloc(32) };
  const bound = () => assemble(full, certificates.leaf, signedAttributes(full, certificates.leaf), Buffer.alloc(maxSignatureLength(options.signer.privateKey))).length;
  // The bound depends on the options only through the signing time's presence and the key's size.
  if (options.signingTime !== undefined || options.signingCertificateV2 === false) return bound();
  const key = maxSignatureLength(options.signer.privateKey);
  if (certificates.sizeBound === undefined || certificates.sizeBoundKey !== key) {
    certificates.sizeBound = bound();
    certificates.sizeBoundKey = key;
  }
  return certificates.sizeBound;
}

// ---------------------------------------------------------------- verification

export class CmsFormatError extends Error {
  constructor(detail: string) {
    super(`Cấu trúc chữ ký CMS không hợp lệ: ${detail} / Malformed CMS signature: ${detail}`);
    this.name = 'CmsFormatError';
  }
}

export interface CmsVerification {
  signer: CertificateFacts;
  /** Every certificate embedded in the SignedData, signer included. */
  certificates: CertificateFacts[];
  digestAlgorithm: string;
  digestMatches: boolean;
  signatureValid: boolean;
  signingTime?: Date;
  /** Vietnamese descriptions of what failed; empty when both checks pass. */
  problems: string[];
}

function expect(node: Asn1 | undefined, what: string): Asn1 {
  if (!node) throw new CmsFormatError(what);
  return node;
}

function isContext(node: Asn1 | undefined, tag: number): boolean {
  return !!node && node.tagClass === asn1.Class.CONTEXT_SPECIFIC && node.type === tag;
}

function readAttributes(node: Asn1): Map<string, Asn1[]> {
  const out = new Map<string, Asn1[]>();
  for (const attr of der.children(node)) {
    const [type, values] = der.children(attr);
    if (type && values) out.set(der.oidOf(type), der.children(values));
  }
  return out;
}

/**
 * Verifies a detached SignedData against the digest of the signed content: the messageDigest
 * attribute, the signature over the signed attributes with the embedded signer certificate and,
 * when present, the ESS signing-certificate-v2 binding. `contentDigest` is either the SHA-256 or
 * a function computing the digest with the algorithm the signer used.
 */
export function verifySignedData(cms: Uint8Array, contentDigest: Buffer | ((hash: string) => Buffer)): CmsVerification {
  let root: Asn1;
  try {
    root = der.parse(cms, { allowTrailing: true });
  } catch (e) {
    throw new CmsFormatError((e as Error).message);
  }
  const [typeNode, wrapper] = der.children(root);
  if (!typeNode || der.oidOf(typeNode) !== CMS_OID.signedData) throw new CmsFormatError('not SignedData');
  const signedData = expect(der.children(expect(wrapper, 'content'))[0], 'SignedData');
  const parts = der.children(signedData);
  const certificatesNode = parts.find((p) => isContext(p, 0));
  const signerInfos = expect(parts[parts.length - 1], 'signerInfos');
  const signerInfo = expect(der.children(signerInfos)[0], 'signerInfo');
  const certificates = der
    .children(certificatesNode ?? der.seq())
    .filter((c) => c.tagClass === asn1.Class.UNIVERSAL && c.type === asn1.Type.SEQUENCE)
    .map((c) => readCertificate(der.encode(c)));

  const si = der.children(signerInfo);
  const sid = expect(si[1], 'sid');
  let signer: CertificateFacts | undefined;
  if (isContext(sid, 0)) {
    const keyId = der.bytes(sid);
    signer = certificates.find((c) => c.subjectKeyIdentifier.equals(keyId));
  } else {
    const [issuerName, serial] = der.children(sid);
    const issuerDer = der.encode(expect(issuerName, 'issuer'));
    const serialDer = der.encode(expect(serial, 'serial'));
    signer = certificates.find((c) => c.issuerDer.equals(issuerDer) && c.serialDer.equals(serialDer));
  }
  if (!signer) throw new CmsFormatError('signer certificate not embedded');

  const digestOid = der.oidOf(expect(der.children(expect(si[2], 'digestAlgorithm'))[0], 'digestAlgorithm'));
  const digestAlgorithm = HASH_BY_OID[digestOid];
  if (!digestAlgorithm) throw new CmsFormatError(`unsupported digest ${digestOid}`);
  const attrsNode = si[3] && isContext(si[3], 0) ? si[3] : undefined;
  const afterAttrs = attrsNode ? 4 : 3;
  const signatureAlgorithm = der.oidOf(expect(der.children(expect(si[afterAttrs], 'signatureAlgorithm'))[0], 'signatureAlgorithm'));
  const signature = der.bytes(expect(si[afterAttrs + 1], 'signature'));
  const problems: string[] = [];

  const digest = typeof contentDigest === 'function' ? contentDigest(digestAlgorithm) : contentDigest;
  if (!attrsNode) {
    problems.push('Chữ ký không có thuộc tính ký (signed attributes); không hỗ trợ kiểm tra loại chữ ký này.');
    return { signer, certificates, digestAlgorithm, digestMatches: false, signatureValid: false, problems };
  }
  const attrs = readAttributes(attrsNode);
  const messageDigest = attrs.get(CMS_OID.messageDigest)?.[0];
  const digestMatches = !!messageDigest && der.bytes(messageDigest).equals(digest);
  if (!digestMatches) problems.push('Mã băm của nội dung đã ký không khớp: tài liệu đã bị thay đổi sau khi ký.');

  const signedBytes = der.encode(der.set(...der.children(attrsNode)));
  let signatureValid = false;
  if (signatureAlgorithm === OID.rsaEncryption || signatureAlgorithm === OID.sha256WithRsa || signatureAlgorithm === OID.ecdsaWithSha256 || signatureAlgorithm === '1.2.840.10045.2.1') {
    try {
      signatureValid = verify(digestAlgorithm, signedBytes, signer.x509.publicKey, signature);
    } catch {
      signatureValid = false;
    }
    if (!signatureValid) problems.push('Chữ ký số không khớp với khóa công khai của chứng thư người ký.');
  } else {
    problems.push(`Không hỗ trợ thuật toán chữ ký ${signatureAlgorithm}.`);
  }

  const essV2 = attrs.get(CMS_OID.signingCertificateV2)?.[0];
  if (essV2) {
    const firstId = der.children(der.children(essV2)[0] ?? der.seq())[0];
    const idParts = firstId ? der.children(firstId) : [];
    const hashNode = idParts.find((p) => p.type === asn1.Type.OCTETSTRING);
    const algNode = idParts[0] && idParts[0].type === asn1.Type.SEQUENCE && idParts[0] !== hashNode ? idParts[0] : undefined;
    const hashName = algNode ? HASH_BY_OID[der.oidOf(der.children(algNode)[0])] : 'sha256';
    const bound = !!hashNode && !!hashName && createHash(hashName).update(signer.der).digest().equals(der.bytes(hashNode));
    if (!bound) {
      signatureValid = false;
      problems.push('Thuộc tính signing-certificate-v2 không khớp với chứng thư người ký.');
    }
  }

  const timeNode = attrs.get(CMS_OID.signingTime)?.[0];
  const signingTime = timeNode
    ? timeNode.type === asn1.Type.UTCTIME
      ? asn1.utcTimeToDate(timeNode.value as string)
      : asn1.generalizedTimeToDate(timeNode.value as string)
    : undefined;
  return { signer, certificates, digestAlgorithm, digestMatches, signatureValid, signingTime, problems };
}
