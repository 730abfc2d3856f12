/**
 * Signing in the page with a .p12/.pfx file: the citizen picks the file and types its PIN; the
 * page decrypts it here (node-forge, loaded only when needed: WebCrypto cannot read PKCS#12),
 * hands the private key to WebCrypto as a key that cannot be exported again, and signs the
 * server's challenge as a CMS detached SignedData — the format the API verifies and the local
 * signer produces. Neither the file, the PIN nor the key leaves the browser: only the signature
 * (with the certificate inside) is sent.
 *
 * Written against a minimal view of WebCrypto so the same code runs in Node for its tests.
 */
import type * as Forge from 'node-forge';

type Asn1 = Forge.asn1.Asn1;

export type P12ProblemCode = 'NOT_PKCS12' | 'WRONG_PIN' | 'NO_KEY' | 'NO_CERTIFICATE' | 'UNSUPPORTED_KEY';

const PROBLEMS: Record<P12ProblemCode, [string, string]> = {
  NOT_PKCS12: ['Tệp đã chọn không phải tệp chứng thư số (.p12 hoặc .pfx).', 'The file is not a certificate file (.p12 or .pfx).'],
  WRONG_PIN: ['Mã PIN (mật khẩu của tệp) không đúng.', 'Wrong PIN (the file’s password).'],
  NO_KEY: ['Tệp chứng thư số không chứa khóa để ký.', 'The file holds no signing key.'],
  NO_CERTIFICATE: ['Tệp không chứa chứng thư số của người ký.', 'The file holds no signer certificate.'],
  UNSUPPORTED_KEY: ['Trình duyệt không ký được với loại khóa trong tệp này; hãy dùng công cụ ký số của nhà cung cấp.', 'The browser cannot sign with this kind of key; use the provider’s signing tool.'],
};

export class P12Problem extends Error {
  readonly vi: string;
  readonly en: string;
  constructor(readonly code: P12ProblemCode) {
    super(PROBLEMS[code][0]);
    [this.vi, this.en] = PROBLEMS[code];
  }
}

/** The part of WebCrypto used here. */
export interface SubtleSigner {
  importKey(format: 'pkcs8', keyData: Uint8Array, algorithm: { name: string; hash?: string; namedCurve?: string }, extractable: boolean, usages: string[]): Promise<unknown>;
  sign(algorithm: { name: string; hash?: string }, key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

export function browserSubtle(): SubtleSigner {
  return (globalThis as unknown as { crypto: { subtle: SubtleSigner } }).crypto.subtle;
}

export interface OpenedP12 {
  /** The holder's name (CN). */
  name: string;
  idNumber?: string;
  issuer: string;
  validTo: Date;
  /** The challenge signed: a CMS detached SignedData, DER in base64. */
  sign(challenge: string): Promise<string>;
}

const OIDS = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  localKeyId: '1.2.840.113549.1.9.21',
  sha256: '2.16.840.1.101.3.4.2.1',
  rsaEncryption: '1.2.840.113549.1.1.1',
  ecPublicKey: '1.2.840.10045.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  serialNumber: '2.5.4.5',
  userId: '0.9.2342.19200300.100.1.1',
  basicConstraints: '2.5.29.19',
} as const;

const CURVES: Record<string, { name: string; bytes: number }> = {
  '1.2.840.10045.3.1.7': { name: 'P-256', bytes: 32 },
  '1.3.132.0.34': { name: 'P-384', bytes: 48 },
  '1.3.132.0.35': { name: 'P-521', bytes: 66 },
};

const toBinary = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
};
const fromBinary = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
/** A BMPString's bytes (UTF-16, big-endian) as text. */
const fromUtf16Be = (s: string) => {
  let text = '';
  for (let i = 0; i + 1 < s.length; i += 2) text += String.fromCharCode((s.charCodeAt(i) << 8) | s.charCodeAt(i + 1));
  return text;
};

interface Certificate {
  der: string;
  subject: Asn1;
  issuer: Asn1;
  serial: Asn1;
  notAfter: Date;
  isCa: boolean;
  localKeyId?: string;
}

export async function openP12(file: Uint8Array, pin: string, subtle: SubtleSigner = browserSubtle()): Promise<OpenedP12> {
  const forge = (await import('node-forge')).default;
  const { asn1 } = forge;
  const children = (node: Asn1 | undefined): Asn1[] => (node && Array.isArray(node.value) ? node.value : []);
  const oidOf = (node: Asn1 | undefined) => (node && typeof node.value === 'string' ? asn1.derToOid(node.value) : '');
  const der = (node: Asn1) => asn1.toDer(node).getBytes();

  let p12: Forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(forge.util.createBuffer(toBinary(file))), false, pin);
  } catch (e) {
    throw new P12Problem(/password|MAC could not be verified|decrypt/i.test((e as Error).message ?? '') ? 'WRONG_PIN' : 'NOT_PKCS12');
  }

  const localKeyIdOf = (bag: Forge.pkcs12.Bag) => bag.attributes?.localKeyId?.[0] as string | undefined;
  const readCertificate = (node: Asn1, localKeyId?: string): Certificate => {
    const tbs = children(children(node)[0]);
    const at = tbs[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
    const validity = children(tbs[at + 3]);
    const time = (t: Asn1 | undefined) => (t?.type === asn1.Type.UTCTIME ? asn1.utcTimeToDate(t.value as string) : asn1.generalizedTimeToDate((t?.value as string) ?? ''));
    const extensions = children(children(tbs.find((f) => f.tagClass === asn1.Class.CONTEXT_SPECIFIC && f.type === 3))[0]);
    const basic = extensions.find((e) => oidOf(children(e)[0]) === OIDS.basicConstraints);
    const basicValue = basic ? children(basic).find((p) => p.type === asn1.Type.OCTETSTRING) : undefined;
    const caFlag = basicValue ? children(asn1.fromDer(basicValue.value as string))[0] : undefined;
    return {
      der: der(node),
      serial: tbs[at],
      issuer: tbs[at + 2],
      subject: tbs[at + 4],
      notAfter: time(validity[1]),
      isCa: caFlag?.type === asn1.Type.BOOLEAN && caFlag.value === '\xff',
      ...(localKeyId ? { localKeyId } : {}),
    };
  };

  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ?? []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const keyBag = keyBags[0];
  if (!keyBag) throw new P12Problem('NO_KEY');
  const bagAsn1 = (bag: Forge.pkcs12.Bag) => (bag as Forge.pkcs12.Bag & { asn1?: Asn1 }).asn1;
  const keyInfo = keyBag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key)) : bagAsn1(keyBag);
  if (!keyInfo) throw new P12Problem('NO_KEY');

  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? []).flatMap((bag) => {
    const node = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bagAsn1(bag);
    return node ? [readCertificate(node, localKeyIdOf(bag))] : [];
  });
  // The key's own certificate: the one sharing its local key id, else the one that is no CA.
  const keyId = localKeyIdOf(keyBag);
  const leaf = (keyId ? certificates.find((c) => c.localKeyId === keyId) : undefined) ?? certificates.find((c) => !c.isCa);
  if (!leaf) throw new P12Problem('NO_CERTIFICATE');

  const [, keyAlgorithm] = children(keyInfo);
  const algorithmOid = oidOf(children(keyAlgorithm)[0]);
  const curve = CURVES[oidOf(children(keyAlgorithm)[1])];
  const pkcs8 = fromBinary(der(keyInfo));
  let key: unknown;
  try {
    if (algorithmOid === OIDS.rsaEncryption) key = await subtle.importKey('pkcs8', pkcs8, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' }, false, ['sign']);
    else if (algorithmOid === OIDS.ecPublicKey && curve) key = await subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve.name }, false, ['sign']);
    else throw new P12Problem('UNSUPPORTED_KEY');
  } catch (e) {
    throw e instanceof P12Problem ? e : new P12Problem('UNSUPPORTED_KEY');
  } finally {
    pkcs8.fill(0);
  }

  const oidNode = (oid: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oid).getBytes());
  const seq = (...items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
  const nullNode = () => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '');
  const integer = (n: number) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, String.fromCharCode(n));
  const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
  const attribute = (oid: string, value: Asn1) => seq(oidNode(oid), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [value]));
  /** An ECDSA signature as WebCrypto gives it (r‖s) in the DER form CMS carries. */
  const ecdsaDer = (raw: Uint8Array) => {
    const half = raw.length / 2;
    const asInteger = (bytes: Uint8Array) => {
      let i = 0;
      while (i < bytes.length - 1 && bytes[i] === 0) i++;
      const trimmed = toBinary(bytes.subarray(i));
      return asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, trimmed.charCodeAt(0) & 0x80 ? `\x00${trimmed}` : trimmed);
    };
    return der(seq(asInteger(raw.subarray(0, half)), asInteger(raw.subarray(half))));
  };
  const subjectAttributes = (name: Asn1) =>
    children(name).flatMap((rdn) =>
      children(rdn).map((pair) => {
        const [type, value] = children(pair);
        const text = value?.type === asn1.Type.UTF8 ? forge.util.decodeUtf8(value.value as string) : value?.type === asn1.Type.BMPSTRING ? fromUtf16Be(value.value as string) : ((value?.value as string) ?? '');
        return { oid: oidOf(type), value: text };
      }),
    );
  const nameOf = (name: Asn1) => subjectAttributes(name).find((a) => a.oid === OIDS.commonName)?.value ?? '';
  const idNumber = subjectAttributes(leaf.subject)
    .filter((a) => a.oid === OIDS.userId || a.oid === OIDS.serialNumber)
    .map((a) => /^(?:(?:CCCD|CMND|CC|CMT)\s*[:=-]\s*)?(\d{12}|\d{9})$/i.exec(a.value.trim())?.[1])
    .find((n) => n !== undefined);

  return {
    name: nameOf(leaf.subject),
    ...(idNumber ? { idNumber } : {}),
    issuer: nameOf(leaf.issuer),
    validTo: leaf.notAfter,
    async sign(challenge: string): Promise<string> {
      const digest = forge.md.sha256.create().update(forge.util.encodeUtf8(challenge)).digest().getBytes();
      // DER orders a SET OF by the encodings of its members.
      const attrs = [attribute(OIDS.contentType, oidNode(OIDS.data)), attribute(OIDS.messageDigest, octets(digest))]
        .map((node) => ({ node, bytes: der(node) }))
        .sort((a, b) => (a.bytes < b.bytes ? -1 : a.bytes > b.bytes ? 1 : 0))
        .map((a) => a.node);
      const signedBytes = fromBinary(der(asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, attrs)));
      const rsa = algorithmOid === OIDS.rsaEncryption;
      const raw = new Uint8Array(await subtle.sign(rsa ? { name: 'RSASSA-PKCS1-v1_5' } : { name: 'ECDSA', hash: 'SHA-256' }, key, signedBytes));
      const signature = rsa ? toBinary(raw) : ecdsaDer(raw);
      const digestAlgorithm = seq(oidNode(OIDS.sha256), nullNode());
      const signerInfo = seq(
        integer(1),
        seq(asn1.fromDer(der(leaf.issuer)), asn1.fromDer(der(leaf.serial))),
        digestAlgorithm,
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, attrs),
        rsa ? seq(oidNode(OIDS.rsaEncryption), nullNode()) : seq(oidNode(OIDS.ecdsaWithSha256)),
        octets(signature),
      );
      const signedData = seq(
        integer(1),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [seq(oidNode(OIDS.sha256), nullNode())]),
        seq(oidNode(OIDS.data)),
        asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [leaf, ...certificates.filter((c) => c !== leaf)].map((c) => asn1.fromDer(c.der))),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [signerInfo]),
      );
      const contentInfo = seq(oidNode(OIDS.signedData), asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [signedData]));
      return forge.util.encode64(der(contentInfo));
    },
  };
}
