/**
 * The reference signer's key store: one PKCS#12 file (.p12/.pfx) as a public CA issues it, the
 * PIN being the file's password. Only the certificates are kept in memory; each signature opens
 * the file again with the PIN the holder has just typed, as a USB token asks for its PIN at
 * each signature, and lets the key go once it has signed.
 */
import { createHash } from 'node:crypto';
import { buildSignedData } from '../infra/pki/cms';
import { OID, readCertificate } from '../infra/pki/certificates';
import { personalIdOf } from '../infra/pki/challengeSignature';
import { Pkcs12Error, readPkcs12 } from '../infra/pki/pkcs12';
import type { SignerCertificate } from './protocol';

/** What the signing server needs of a key store (the reference signer has one: P12Keystore). */
export interface Keystore {
  certificates(): SignerCertificate[];
  /** The CMS detached SignedData over `content`, base64; throws WrongPin when the PIN does not open the key. */
  sign(certificateId: string, content: string, pin: string): string;
}

export class WrongPin extends Error {
  constructor() {
    super('wrong PIN');
    this.name = 'WrongPin';
  }
}

export function describeCertificate(pem: string): SignerCertificate {
  const facts = readCertificate(pem);
  const cn = (attrs: typeof facts.subject) => attrs.find((a) => a.oid === OID.commonName)?.value ?? '';
  const idNumber = personalIdOf(facts.subject);
  return {
    id: createHash('sha256').update(facts.der).digest('hex'),
    name: cn(facts.subject) || facts.subjectText,
    ...(idNumber ? { idNumber } : {}),
    issuer: cn(facts.issuer) || facts.issuerText,
    validFrom: facts.notBefore.toISOString(),
    validTo: facts.notAfter.toISOString(),
    certificate: pem,
  };
}

export class P12Keystore implements Keystore {
  private constructor(
    private readonly file: Buffer,
    private readonly described: SignerCertificate,
  ) {}

  /** Opens the file with its PIN to read the certificate; throws WrongPin, or Pkcs12Error for a file that is no PKCS#12. */
  static open(file: Buffer, pin: string): P12Keystore {
    try {
      return new P12Keystore(file, describeCertificate(readPkcs12(file, pin).certificate));
    } catch (e) {
      if (e instanceof Pkcs12Error && e.code === 'WRONG_PASSWORD') throw new WrongPin();
      throw e;
    }
  }

  certificates(): SignerCertificate[] {
    return [this.described];
  }

  sign(certificateId: string, content: string, pin: string): string {
    if (certificateId !== this.described.id) throw new RangeError(`no certificate ${certificateId}`);
    let contents: ReturnType<typeof readPkcs12>;
    try {
      contents = readPkcs12(this.file, pin);
    } catch (e) {
      if (e instanceof Pkcs12Error && e.code === 'WRONG_PASSWORD') throw new WrongPin();
      throw e;
    }
    return buildSignedData({
      signer: { certificate: contents.certificate, chain: contents.chain, privateKey: contents.privateKey },
      contentDigest: createHash('sha256').update(content, 'utf8').digest(),
    }).toString('base64');
  }
}
