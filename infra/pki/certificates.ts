/**
 * X.509 v3 certificates of the embedded authority: the root CA, a leader's personal signing
 * certificate and a commune's seal certificate.
 *
 * Why built this way: node-forge's ASN.1 builder assembles the TBSCertificate; node:crypto signs
 * it (forge's pure-JS RSA is far slower) and supplies the SubjectPublicKeyInfo, so any key type
 * node supports can be certified. The issuer Name is copied byte for byte from the issuer's
 * certificate, because chain building compares names as encoded and forge re-encodes UTF-8
 * names it parsed twice over.
 *
 * Why these profiles: signing certificates carry digitalSignature + nonRepudiation and the
 * extended key usages emailProtection (what NSS, hence poppler's pdfsig, checks for a signer),
 * Microsoft Document Signing (recognised by Acrobat) and id-kp-documentSigning (RFC 9336).
 */
import { X509Certificate, createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

/** RSA modulus of the CA (lives 10 years, past 2030) and of signers (3 years; signing speed matters). */
export const CA_KEY_BITS = 3072;
export const SIGNER_KEY_BITS = 2048;
export const CA_LIFETIME_YEARS = 10;
export const SIGNER_LIFETIME_YEARS = 3;
/** Certificates start a little before "now" so a verifier whose clock lags still accepts them. */
const BACKDATE_MS = 5 * 60_000;

export const OID = {
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  stateOrProvince: '2.5.4.8',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  title: '2.5.4.12',
  organizationIdentifier: '2.5.4.97',
  userId: '0.9.2342.19200300.100.1.1',
  email: '1.2.840.113549.1.9.1',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectKeyIdentifier: '2.5.29.14',
  authorityKeyIdentifier: '2.5.29.35',
  crlDistributionPoints: '2.5.29.31',
  emailProtection: '1.3.6.1.5.5.7.3.4',
  msDocumentSigning: '1.3.6.1.4.1.311.10.3.12',
  documentSigning: '1.3.6.1.5.5.7.3.36',
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
  sha1: '1.3.14.3.2.26',
} as const;

const SHORT_NAMES: Record<string, string> = {
  [OID.commonName]: 'CN',
  [OID.serialNumber]: 'serialNumber',
  [OID.country]: 'C',
  [OID.locality]: 'L',
  [OID.stateOrProvince]: 'ST',
  [OID.organization]: 'O',
  [OID.organizationalUnit]: 'OU',
  [OID.title]: 'title',
  [OID.organizationIdentifier]: 'organizationIdentifier',
  [OID.userId]: 'UID',
  [OID.email]: 'emailAddress',
};

// ---------------------------------------------------------------- DER building blocks (shared with cms.ts and crl.ts)

export const der = {
  seq: (...items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items),
  set: (...items: Asn1[]): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items),
  oid: (id: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(id).getBytes()),
  null: (): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ''),
  bool: (v: boolean): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BOOLEAN, false, v ? '\xff' : '\x00'),
  /** A non-negative integer given as big-endian bytes. */
  uint: (bytes: Buffer): Asn1 => {
    let b = bytes;
    while (b.length > 1 && b[0] === 0 && b[1] < 0x80) b = b.subarray(1);
    if (b.length === 0 || b[0] >= 0x80) b = Buffer.concat([Buffer.from([0]), b]);
    return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, b.toString('binary'));
  },
  small: (n: number): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, asn1.integerToDer(n).getBytes()),
  octets: (b: Buffer): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, b.toString('binary')),
  bits: (b: Buffer, unusedBits = 0): Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.BITSTRING, false, String.fromCharCode(unusedBits) + b.toString('binary')),
  utf8: (s: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTF8, false, Buffer.from(s, 'utf8').toString('binary')),
  printable: (s: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.PRINTABLESTRING, false, s),
  ia5: (s: string): Asn1 => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.IA5STRING, false, s),
  /** UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires. */
  time: (d: Date): Asn1 =>
    d.getUTCFullYear() < 2050
      ? asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(d))
      : asn1.create(asn1.Class.UNIVERSAL, asn1.Type.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(d)),
  explicit: (tag: number, inner: Asn1): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, [inner]),
  implicitPrimitive: (tag: number, bytes: Buffer): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, false, bytes.toString('binary')),
  implicitConstructed: (tag: number, items: Asn1[]): Asn1 => asn1.create(asn1.Class.CONTEXT_SPECIFIC, tag, true, items),
  encode: (node: Asn1): Buffer => Buffer.from(asn1.toDer(node).getBytes(), 'binary'),
  /** Parses DER without reinterpreting BIT STRINGs, so re-encoding gives the same bytes. */
  parse: (bytes: Uint8Array, options: { allowTrailing?: boolean } = {}): Asn1 =>
    // The typings only know the older boolean `strict` argument; forge also takes these options.
    (asn1.fromDer as unknown as (input: forge.util.ByteStringBuffer, options: { decodeBitStrings: boolean; parseAllBytes: boolean }) => Asn1)(
      forge.util.createBuffer(Buffer.from(bytes).toString('binary')),
      { decodeBitStrings: false, parseAllBytes: !options.allowTrailing },
    ),
  bytes: (node: Asn1): Buffer => Buffer.from(node.value as string, 'binary'),
  children: (node: Asn1): Asn1[] => (Array.isArray(node.value) ? node.value : []),
  oidOf: (node: Asn1): string => asn1.derToOid(node.value as string),
};

export function pemToDer(pem: string): Buffer {
  const body = pem.replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, '').replace(/\s+/g, '');
  return Buffer.from(body, 'base64');
}

export function derToPem(bytes: Buffer, label = 'CERTIFICATE'): string {
  const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Upper-case hex without separators or leading zeros: the form node's X509Certificate prints. */
export function normalizeSerial(serial: string): string {
  const hex = serial.replace(/[^0-9a-fA-F]/g, '').toUpperCase().replace(/^0+(?=.)/, '');
  return hex;
}

// ---------------------------------------------------------------- keys and signing

export function generateRsaKeyPair(bits: number = SIGNER_KEY_BITS): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

/** Positive 127-bit random serial whose first hex digit is not zero, so every notation agrees. */
export function newSerial(): Buffer {
  const b = randomBytes(16);
  b[0] = (b[0] & 0x7f) | 0x10;
  return b;
}

/** AlgorithmIdentifier and signature bytes for SHA-256 with the issuer's key type. */
export function signatureAlgorithm(key: KeyObject): Asn1 {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return der.seq(der.oid(OID.sha256WithRsa), der.null());
    case 'ec':
      return der.seq(der.oid(OID.ecdsaWithSha256));
    default:
      throw new Error(`Unsupported signing key type ${key.asymmetricKeyType ?? 'unknown'}`);
  }
}

export function signSha256(data: Buffer, key: KeyObject): Buffer {
  return sign('sha256', data, key);
}

/** Wraps a signed TBS structure (certificate or CRL): SEQUENCE { tbs, algorithm, BIT STRING signature }. */
export function signStructure(tbs: Asn1, key: KeyObject): Buffer {
  const signature = signSha256(der.encode(tbs), key);
  return der.encode(der.seq(tbs, signatureAlgorithm(key), der.bits(signature)));
}

// ---------------------------------------------------------------- names

export interface NameAttribute {
  oid: string;
  value: string;
}

function nameToAsn1(attributes: readonly NameAttribute[]): Asn1 {
  return der.seq(
    ...attributes.map((a) => {
      const value = a.oid === OID.country || a.oid === OID.serialNumber ? der.printable(a.value) : der.utf8(a.value);
      return der.set(der.seq(der.oid(a.oid), value));
    }),
  );
}

function decodeString(node: Asn1): string {
  const raw = Buffer.from(node.value as string, 'binary');
  switch (node.type as number) {
    case asn1.Type.UTF8:
      return raw.toString('utf8');
    case asn1.Type.BMPSTRING:
      return Buffer.from(raw).swap16().toString('utf16le');
    case 28: // UniversalString (UTF-32BE)
      return String.fromCodePoint(...Array.from({ length: raw.length / 4 }, (_, i) => raw.readUInt32BE(i * 4)));
    default:
      return raw.toString('latin1');
  }
}

export function nameAttributes(name: Asn1): NameAttribute[] {
  const out: NameAttribute[] = [];
  for (const rdn of der.children(name)) {
    for (const atv of der.children(rdn)) {
      const [type, value] = der.children(atv);
      if (type && value) out.push({ oid: der.oidOf(type), value: decodeString(value) });
    }
  }
  return out;
}

export function formatName(attributes: readonly NameAttribute[]): string {
  return attributes.map((a) => `${SHORT_NAMES[a.oid] ?? a.oid}=${a.value}`).join(', ');
}

// ---------------------------------------------------------------- reading certificates

/** The pieces of a certificate the signing and verifying code needs, read without forge's RSA-only model. */
export interface CertificateFacts {
  der: Buffer;
  serial: string;
  subject: NameAttribute[];
  issuer: NameAttribute[];
  subjectText: string;
  issuerText: string;
  /** Encoded Name fields, for IssuerAndSerialNumber and for issuing beneath this certificate. */
  subjectDer: Buffer;
  issuerDer: Buffer;
  serialDer: Buffer;
  notBefore: Date;
  notAfter: Date;
  isCa: boolean;
  subjectKeyIdentifier: Buffer;
  x509: X509Certificate;
}

export function readCertificate(pemOrDer: string | Buffer): CertificateFacts {
  const bytes = typeof pemOrDer === 'string' ? pemToDer(pemOrDer) : pemOrDer;
  const x509 = new X509Certificate(bytes);
  const root = der.parse(bytes);
  const tbs = der.children(root)[0];
  const fields = der.children(tbs);
  const offset = fields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const serialNode = fields[offset];
  const issuerNode = fields[offset + 2];
  const subjectNode = fields[offset + 4];
  const spkiNode = fields[offset + 5];
  const subject = nameAttributes(subjectNode);
  const issuer = nameAttributes(issuerNode);
  return {
    der: Buffer.from(bytes),
    serial: x509.serialNumber.toUpperCase(),
    subject,
    issuer,
    subjectText: formatName(subject),
    issuerText: formatName(issuer),
    subjectDer: der.encode(subjectNode),
    issuerDer: der.encode(issuerNode),
    serialDer: der.encode(serialNode),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    isCa: x509.ca,
    subjectKeyIdentifier: extensionKeyId(fields) ?? keyIdentifier(der.encode(spkiNode)),
    x509,
  };
}

export function attribute(facts: { subject: NameAttribute[] }, oid: string): string | undefined {
  return facts.subject.find((a) => a.oid === oid)?.value;
}

function extensionKeyId(tbsFields: Asn1[]): Buffer | undefined {
  const wrapper = tbsFields.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3);
  if (!wrapper) return undefined;
  for (const ext of der.children(der.children(wrapper)[0])) {
    const parts = der.children(ext);
    if (der.oidOf(parts[0]) !== OID.subjectKeyIdentifier) continue;
    const inner = der.parse(der.bytes(parts[parts.length - 1]));
    return der.bytes(inner);
  }
  return undefined;
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits. */
export function keyIdentifier(spkiDer: Buffer): Buffer {
  const spki = der.parse(spkiDer);
  const bitString = der.bytes(der.children(spki)[1]);
  return createHash('sha1').update(bitString.subarray(1)).digest();
}

// ---------------------------------------------------------------- issuing

type KeyUsageBit = 'digitalSignature' | 'nonRepudiation' | 'keyEncipherment' | 'keyCertSign' | 'cRLSign';
const KEY_USAGE_BITS: Record<KeyUsageBit, number> = { digitalSignature: 0, nonRepudiation: 1, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 };

function keyUsageValue(usages: readonly KeyUsageBit[]): Asn1 {
  let mask = 0;
  for (const u of usages) mask |= 0x80 >> KEY_USAGE_BITS[u];
  let unused = 0;
  while (unused < 7 && (mask & (1 << unused)) === 0) unused++;
  return der.bits(Buffer.from([mask]), unused);
}

function extension(oid: string, critical: boolean, value: Asn1): Asn1 {
  const parts = [der.oid(oid)];
  if (critical) parts.push(der.bool(true));
  parts.push(der.octets(der.encode(value)));
  return der.seq(...parts);
}

export interface IssuedCertificate {
  /** PEM */
  certificate: string;
  serial: string;
  subject: string;
  notBefore: Date;
  notAfter: Date;
}

/** The issuing side: its certificate (PEM) and private key. */
export interface Issuer {
  certificate: string;
  privateKey: KeyObject;
}

interface CertificateSpec {
  subject: readonly NameAttribute[];
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
  ca: boolean;
  keyUsage: readonly KeyUsageBit[];
  extKeyUsage?: readonly string[];
  crlUrl?: string;
  /** Absent for a self-signed certificate. */
  issuer?: Issuer;
  /** Signs a self-signed certificate. */
  selfKey?: KeyObject;
}

function buildCertificate(spec: CertificateSpec): IssuedCertificate {
  const spkiDer = spec.publicKey.export({ type: 'spki', format: 'der' });
  const subjectKeyId = keyIdentifier(spkiDer);
  const issuerFacts = spec.issuer ? readCertificate(spec.issuer.certificate) : undefined;
  const signingKey = spec.issuer?.privateKey ?? spec.selfKey;
  if (!signingKey) throw new Error('A certificate needs an issuer or, for a root, its own key');
  const authorityKeyId = issuerFacts ? issuerFacts.subjectKeyIdentifier : subjectKeyId;
  const subjectName = nameToAsn1(spec.subject);
  const issuerName = issuerFacts ? der.parse(issuerFacts.subjectDer) : subjectName;
  const notAfter = issuerFacts && issuerFacts.notAfter < spec.notAfter ? issuerFacts.notAfter : spec.notAfter;

  const extensions: Asn1[] = [
    extension(OID.basicConstraints, true, spec.ca ? der.seq(der.bool(true)) : der.seq()),
    extension(OID.keyUsage, true, keyUsageValue(spec.keyUsage)),
    extension(OID.subjectKeyIdentifier, false, der.octets(subjectKeyId)),
    extension(OID.authorityKeyIdentifier, false, der.seq(der.implicitPrimitive(0, authorityKeyId))),
  ];
  if (spec.extKeyUsage?.length) extensions.push(extension(OID.extKeyUsage, false, der.seq(...spec.extKeyUsage.map(der.oid))));
  if (spec.crlUrl) {
    const uri = asn1.create(asn1.Class.CONTEXT_SPECIFIC, 6, false, spec.crlUrl);
    const point = der.seq(der.implicitConstructed(0, [der.implicitConstructed(0, [uri])]));
    extensions.push(extension(OID.crlDistributionPoints, false, der.seq(point)));
  }

  const serial = newSerial();
  const tbs = der.seq(
    der.explicit(0, der.small(2)),
    der.uint(serial),
    signatureAlgorithm(signingKey),
    issuerName,
    der.seq(der.time(spec.notBefore), der.time(notAfter)),
    subjectName,
    der.parse(spkiDer),
    der.explicit(3, der.seq(...extensions)),
  );
  const certDer = signStructure(tbs, signingKey);
  const facts = readCertificate(certDer);
  return { certificate: derToPem(certDer), serial: facts.serial, subject: facts.subjectText, notBefore: facts.notBefore, notAfter: facts.notAfter };
}

function validity(now: Date, years: number): { notBefore: Date; notAfter: Date } {
  const start = new Date(Math.floor((now.getTime() - BACKDATE_MS) / 1000) * 1000);
  const end = new Date(Math.floor(now.getTime() / 1000) * 1000);
  end.setUTCFullYear(end.getUTCFullYear() + years);
  return { notBefore: start, notAfter: end };
}

export const AUTHORITY_NAME = {
  commonName: 'CA chứng thực điện tử nội bộ',
  organization: 'Hệ thống chứng thực bản sao điện tử',
};

export function createRootCertificate(options: {
  keyPair: { privateKey: KeyObject; publicKey: KeyObject };
  now: Date;
  commonName?: string;
  organization?: string;
  years?: number;
}): IssuedCertificate {
  return buildCertificate({
    subject: [
      { oid: OID.commonName, value: options.commonName ?? AUTHORITY_NAME.commonName },
      { oid: OID.organization, value: options.organization ?? AUTHORITY_NAME.organization },
      { oid: OID.country, value: 'VN' },
    ],
    publicKey: options.keyPair.publicKey,
    selfKey: options.keyPair.privateKey,
    ...validity(options.now, options.years ?? CA_LIFETIME_YEARS),
    ca: true,
    keyUsage: ['keyCertSign', 'cRLSign'],
  });
}

const SIGNER_EXT_KEY_USAGE = [OID.emailProtection, OID.msDocumentSigning, OID.documentSigning];

export interface UnitIdentity {
  code: string;
  name: string;
}

export interface PersonIdentity {
  officerId: string;
  fullName: string;
  title: string;
  unit: UnitIdentity;
}

export function personalSubject(p: PersonIdentity): NameAttribute[] {
  return [
    { oid: OID.commonName, value: p.fullName },
    { oid: OID.title, value: p.title },
    { oid: OID.organization, value: p.unit.name },
    { oid: OID.organizationalUnit, value: p.unit.code },
    { oid: OID.userId, value: p.officerId },
    { oid: OID.country, value: 'VN' },
  ];
}

export function sealSubject(u: UnitIdentity): NameAttribute[] {
  return [
    { oid: OID.commonName, value: u.name },
    { oid: OID.organization, value: u.name },
    { oid: OID.organizationIdentifier, value: u.code },
    { oid: OID.country, value: 'VN' },
  ];
}

interface LeafOptions {
  publicKey: KeyObject;
  issuer: Issuer;
  now: Date;
  crlUrl?: string;
  years?: number;
}

function issueSigningCertificate(subject: NameAttribute[], o: LeafOptions): IssuedCertificate {
  return buildCertificate({
    subject,
    publicKey: o.publicKey,
    issuer: o.issuer,
    ...validity(o.now, o.years ?? SIGNER_LIFETIME_YEARS),
    ca: false,
    keyUsage: ['digitalSignature', 'nonRepudiation'],
    extKeyUsage: SIGNER_EXT_KEY_USAGE,
    crlUrl: o.crlUrl,
  });
}

/** A leader's personal certificate: CN = full name, title, O = unit name, OU = unit code, UID = officer id. */
export function issuePersonalCertificate(person: PersonIdentity, o: LeafOptions): IssuedCertificate {
  return issueSigningCertificate(personalSubject(person), o);
}

/** A commune's seal certificate: CN = O = unit name, organizationIdentifier = unit code. */
export function issueSealCertificate(unit: UnitIdentity, o: LeafOptions): IssuedCertificate {
  return issueSigningCertificate(sealSubject(unit), o);
}

/** A signing certificate for a holder outside the organisation (a citizen), over the given subject and validity. */
export function issueHolderCertificate(subject: readonly NameAttribute[], o: { publicKey: KeyObject; issuer: Issuer; notBefore: Date; notAfter: Date; crlUrl?: string }): IssuedCertificate {
  return buildCertificate({ ...o, subject, ca: false, keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: SIGNER_EXT_KEY_USAGE });
}

/** True when `child` names `parent` as issuer and `parent`'s key verifies its signature. */
export function isIssuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

/** A certificate with its private key and issuer chain: what a PDF signer needs. */
export interface KeyedCertificate {
  certificate: string;
  chain: string[];
  privateKey: KeyObject;
  serial: string;
}

/**
 * A throwaway CA with one leader and one commune seal, held only in memory: for benchmarks,
 * demos and tests that need signers without a database (the Pki service is the real thing).
 */
export function ephemeralPki(options: { person: PersonIdentity; unit: UnitIdentity; now: Date; caKeyBits?: number; crlUrl?: string; caCommonName?: string }): {
  authority: Issuer & { serial: string };
  leader: KeyedCertificate;
  seal: KeyedCertificate;
} {
  const caKeys = generateRsaKeyPair(options.caKeyBits ?? CA_KEY_BITS);
  const root = createRootCertificate({ keyPair: caKeys, now: options.now, commonName: options.caCommonName });
  const authority = { certificate: root.certificate, privateKey: caKeys.privateKey, serial: root.serial };
  const leaderKeys = generateRsaKeyPair();
  const leader = issuePersonalCertificate(options.person, { publicKey: leaderKeys.publicKey, issuer: authority, now: options.now, crlUrl: options.crlUrl });
  const sealKeys = generateRsaKeyPair();
  const seal = issueSealCertificate(options.unit, { publicKey: sealKeys.publicKey, issuer: authority, now: options.now, crlUrl: options.crlUrl });
  return {
    authority,
    leader: { certificate: leader.certificate, chain: [root.certificate], privateKey: leaderKeys.privateKey, serial: leader.serial },
    seal: { certificate: seal.certificate, chain: [root.certificate], privateKey: sealKeys.privateKey, serial: seal.serial },
  };
}
