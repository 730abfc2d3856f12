/**
 * PKCS#12 (.p12/.pfx) files issued by a real CA: the signer's certificate, its private key and
 * whatever issuer certificates the file carries. forge decrypts the container; the key ends up
 * as a node:crypto KeyObject, so RSA and EC keys both work.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import { derToPem } from './certificates';

export interface Pkcs12Contents {
  /** Leaf certificate (the one matching the private key), PEM. */
  certificate: string;
  /** The other certificates, ordered from the leaf's issuer upwards where they chain. */
  chain: string[];
  privateKey: KeyObject;
}

export type Pkcs12ErrorCode = 'NOT_PKCS12' | 'WRONG_PASSWORD' | 'NO_PRIVATE_KEY' | 'NO_CERTIFICATE' | 'KEY_CERTIFICATE_MISMATCH';

export class Pkcs12Error extends Error {
  constructor(
    readonly code: Pkcs12ErrorCode,
    readonly messageVi: string,
    readonly messageEn: string,
  ) {
    super(`${messageVi} / ${messageEn}`);
    this.name = 'Pkcs12Error';
  }
}

const errors: Record<Pkcs12ErrorCode, [string, string]> = {
  NOT_PKCS12: ['Tệp không phải là tệp chứng thư số PKCS#12 (.p12/.pfx) hợp lệ.', 'The file is not a valid PKCS#12 (.p12/.pfx) file.'],
  WRONG_PASSWORD: ['Sai mật khẩu của tệp chứng thư số PKCS#12.', 'Wrong password for the PKCS#12 file.'],
  NO_PRIVATE_KEY: ['Tệp PKCS#12 không chứa khóa bí mật.', 'The PKCS#12 file holds no private key.'],
  NO_CERTIFICATE: ['Tệp PKCS#12 không chứa chứng thư số.', 'The PKCS#12 file holds no certificate.'],
  KEY_CERTIFICATE_MISMATCH: [
    'Không có chứng thư số nào trong tệp PKCS#12 khớp với khóa bí mật.',
    'No certificate in the PKCS#12 file matches its private key.',
  ],
};

function fail(code: Pkcs12ErrorCode): Pkcs12Error {
  return new Pkcs12Error(code, ...errors[code]);
}

function bytesOf(node: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

function spki(key: KeyObject): Buffer {
  return (key.type === 'public' ? key : createPublicKey(key)).export({ type: 'spki', format: 'der' });
}

export function readPkcs12(p12: Buffer, password: string): Pkcs12Contents {
  let pfx: forge.pkcs12.Pkcs12Pfx;
  let parsed: forge.asn1.Asn1;
  try {
    parsed = forge.asn1.fromDer(forge.util.createBuffer(p12.toString('binary')));
  } catch {
    throw fail('NOT_PKCS12');
  }
  try {
    pfx = forge.pkcs12.pkcs12FromAsn1(parsed, false, password);
  } catch (e) {
    const message = (e as Error).message ?? '';
    if (/password|MAC could not be verified|decrypt/i.test(message)) throw fail('WRONG_PASSWORD');
    throw fail('NOT_PKCS12');
  }

  const keys: KeyObject[] = [];
  const certificates: X509Certificate[] = [];
  for (const contents of pfx.safeContents) {
    for (const bag of contents.safeBags) {
      const raw = bag as forge.pkcs12.Bag & { asn1?: forge.asn1.Asn1 };
      if (bag.type === forge.pki.oids.keyBag || bag.type === forge.pki.oids.pkcs8ShroudedKeyBag) {
        const info = bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key)) : raw.asn1;
        if (info) keys.push(createPrivateKey({ key: bytesOf(info), format: 'der', type: 'pkcs8' }));
      } else if (bag.type === forge.pki.oids.certBag) {
        const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : raw.asn1;
        if (node) certificates.push(new X509Certificate(bytesOf(node)));
      }
    }
  }
  if (keys.length === 0) throw fail('NO_PRIVATE_KEY');
  if (certificates.length === 0) throw fail('NO_CERTIFICATE');

  for (const privateKey of keys) {
    const publicKey = spki(privateKey);
    const leaf = certificates.find((c) => spki(c.publicKey).equals(publicKey));
    if (!leaf) continue;
    return { certificate: derToPem(leaf.raw), chain: orderChain(leaf, certificates.filter((c) => c !== leaf)).map((c) => derToPem(c.raw)), privateKey };
  }
  throw fail('KEY_CERTIFICATE_MISMATCH');
}

/** Issuers of `leaf` in order, then any certificate that does not chain, as given. */
function orderChain(leaf: X509Certificate, others: X509Certificate[]): X509Certificate[] {
  const rest = [...others];
  const chain: X509Certificate[] = [];
  let current = leaf;
  for (;;) {
    if (current.checkIssued(current)) break;
    const i = rest.findIndex((c) => current.checkIssued(c));
    if (i < 0) break;
    current = rest.splice(i, 1)[0];
    chain.push(current);
  }
  return [...chain, ...rest];
}

/** A password-protected PKCS#12 with an RSA key, its certificate and chain (AES-256, SHA-256 MAC). */
export function writePkcs12(contents: Pkcs12Contents, password: string, friendlyName?: string): Buffer {
  const key = forge.pki.privateKeyFromPem(contents.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const certs = [contents.certificate, ...contents.chain].map((pem) => forge.pki.certificateFromPem(pem));
  const asn = forge.pkcs12.toPkcs12Asn1(key, certs, password, { algorithm: 'aes256', ...(friendlyName ? { friendlyName } : {}) });
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}
