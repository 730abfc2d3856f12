/**
 * X.509 v2 certificate revocation lists (RFC 5280 §5), assembled with forge's ASN.1 builder
 * (forge has no CRL support) and signed by the CA key through node:crypto.
 */
import { X509Certificate, verify } from 'node:crypto';
import forge from 'node-forge';
import { OID, der, nameAttributes, formatName, normalizeSerial, readCertificate, signStructure, type Issuer } from './certificates';

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

const CRL_NUMBER = '2.5.29.20';
const REASON_CODE = '2.5.29.21';

/** RFC 5280 CRLReason values (7 is unused). */
export const CRL_REASONS = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type CrlReason = keyof typeof CRL_REASONS;

export function isCrlReason(s: string): s is CrlReason {
  return Object.prototype.hasOwnProperty.call(CRL_REASONS, s);
}

export interface RevokedEntry {
  serial: string;
  revokedAt: Date;
  /** Absent = unspecified; RFC 5280 asks to omit the reasonCode extension then. */
  reason?: CrlReason;
}

export interface CrlSpec {
  issuer: Issuer;
  entries: readonly RevokedEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: bigint;
}

function extension(oid: string, value: Asn1): Asn1 {
  return der.seq(der.oid(oid), der.octets(der.encode(value)));
}

function bigintBytes(n: bigint): Buffer {
  let hex = n.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return Buffer.from(hex, 'hex');
}

/** A DER-encoded CRL signed with the issuer's key. */
export function buildCrl(spec: CrlSpec): Buffer {
  const issuer = readCertificate(spec.issuer.certificate);
  const tbsParts: Asn1[] = [
    der.small(1),
    signatureAlgorithmFor(spec.issuer),
    der.parse(issuer.subjectDer),
    der.time(spec.thisUpdate),
    der.time(spec.nextUpdate),
  ];
  const entries = [...spec.entries].sort((a, b) => a.revokedAt.getTime() - b.revokedAt.getTime());
  if (entries.length > 0) {
    tbsParts.push(
      der.seq(
        ...entries.map((e) => {
          const parts = [der.uint(Buffer.from(padHex(normalizeSerial(e.serial)), 'hex')), der.time(e.revokedAt)];
          if (e.reason && e.reason !== 'unspecified') {
            const code = asn1.create(asn1.Class.UNIVERSAL, asn1.Type.ENUMERATED, false, String.fromCharCode(CRL_REASONS[e.reason]));
            parts.push(der.seq(extension(REASON_CODE, code)));
          }
          return der.seq(...parts);
        }),
      ),
    );
  }
  tbsParts.push(
    der.explicit(
      0,
      der.seq(
        extension(OID.authorityKeyIdentifier, der.seq(der.implicitPrimitive(0, issuer.subjectKeyIdentifier))),
        extension(CRL_NUMBER, der.uint(bigintBytes(spec.crlNumber))),
      ),
    ),
  );
  return signStructure(der.seq(...tbsParts), spec.issuer.privateKey);
}

function signatureAlgorithmFor(issuer: Issuer): Asn1 {
  return issuer.privateKey.asymmetricKeyType === 'ec' ? der.seq(der.oid(OID.ecdsaWithSha256)) : der.seq(der.oid(OID.sha256WithRsa), der.null());
}

function padHex(hex: string): string {
  return hex.length % 2 ? `0${hex}` : hex;
}

export interface ParsedCrl {
  issuer: string;
  thisUpdate: Date;
  nextUpdate?: Date;
  crlNumber?: bigint;
  entries: RevokedEntry[];
  /** Set when the issuer's certificate was given. */
  signatureValid?: boolean;
}

function readTime(node: Asn1): Date {
  return node.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(node.value as string) : asn1.generalizedTimeToDate(node.value as string);
}

function isTime(node: Asn1 | undefined): node is Asn1 {
  return !!node && node.tagClass === asn1.Class.UNIVERSAL && (node.type === asn1.Type.UTCTIME || node.type === asn1.Type.GENERALIZEDTIME);
}

function extensionsOf(list: Asn1 | undefined): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  for (const ext of list ? der.children(list) : []) {
    const parts = der.children(ext);
    out.set(der.oidOf(parts[0]), der.bytes(parts[parts.length - 1]));
  }
  return out;
}

/** Reads a DER CRL back; with the issuer's certificate also checks its signature. */
export function parseCrl(bytes: Buffer, issuerCertificate?: string): ParsedCrl {
  const root = der.parse(bytes);
  const [tbs, , signatureBits] = der.children(root);
  const fields = der.children(tbs);
  let i = fields[0].type === asn1.Type.INTEGER ? 1 : 0;
  i++; // signature algorithm
  const issuer = formatName(nameAttributes(fields[i++]));
  const thisUpdate = readTime(fields[i++]);
  const nextUpdate = isTime(fields[i]) ? readTime(fields[i++]) : undefined;
  const entries: RevokedEntry[] = [];
  if (fields[i] && fields[i].tagClass === asn1.Class.UNIVERSAL && fields[i].type === asn1.Type.SEQUENCE) {
    for (const entry of der.children(fields[i++])) {
      const [serial, date, exts] = der.children(entry);
      const reasonBytes = extensionsOf(exts).get(REASON_CODE);
      const code = reasonBytes ? der.parse(reasonBytes).value.toString().charCodeAt(0) : undefined;
      const reason = (Object.keys(CRL_REASONS) as CrlReason[]).find((k) => CRL_REASONS[k] === code);
      entries.push({ serial: normalizeSerial(der.bytes(serial).toString('hex')), revokedAt: readTime(date), ...(reason ? { reason } : {}) });
    }
  }
  const crlExtensions = fields[i] && fields[i].tagClass === asn1.Class.CONTEXT_SPECIFIC ? der.children(fields[i])[0] : undefined;
  const numberBytes = extensionsOf(crlExtensions).get(CRL_NUMBER);
  const crlNumber = numberBytes ? BigInt(`0x${der.bytes(der.parse(numberBytes)).toString('hex') || '0'}`) : undefined;
  const parsed: ParsedCrl = { issuer, thisUpdate, nextUpdate, crlNumber, entries };
  if (issuerCertificate) {
    const signature = der.bytes(signatureBits).subarray(1);
    parsed.signatureValid = verify('sha256', der.encode(tbs), new X509Certificate(issuerCertificate).publicKey, signature);
  }
  return parsed;
}
