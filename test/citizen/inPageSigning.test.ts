/**
 * The portal page's own signing with a .p12/.pfx file (web/src/pages/portal/certificate/p12Signing.ts),
 * run here on Node's WebCrypto: files as our PKCS#12 writer and as OpenSSL export them (RSA with
 * AES or with the older 3DES, EC P-256), a signature the API accepts, and the refusals a citizen
 * meets (wrong PIN, a file that is no certificate file).
 */
import { expect } from 'chai';
import { createPrivateKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../api/errors';
import { OID, issueHolderCertificate } from '../../infra/pki/certificates';
import { verifyChallengeSignature, type ChallengeTrust } from '../../infra/pki/challengeSignature';
import { issueCitizenCertificate } from '../../infra/pki/citizenCertificates';
import { writePkcs12 } from '../../infra/pki/pkcs12';
import type { Pki } from '../../infra/pki/pki';
import { challengeText } from '../../signer/protocol';
import { openP12, P12Problem, type SubtleSigner } from '../../web/src/pages/portal/certificate/p12Signing';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { OPENSSL, hasOpenssl, run } from '../pki/fixtures';

const NOW = new Date('2026-03-02T02:00:00Z');
const CHALLENGE = challengeText('register', NOW, 'A'.repeat(43));
const OTHER = challengeText('register', NOW, 'B'.repeat(43));
const subtle = webcrypto.subtle as unknown as SubtleSigner;

async function problemOf(promise: Promise<unknown>): Promise<P12Problem> {
  try {
    await promise;
  } catch (e) {
    expect(e).to.be.instanceOf(P12Problem);
    return e as P12Problem;
  }
  expect.fail('expected a refusal');
}

/** A PKCS#12 as OpenSSL exports it (`openssl pkcs12 -export`), with the given extra options. */
async function opensslP12(certificatePem: string, keyPem: string, chainPem: string, password: string, options: readonly string[]): Promise<Buffer> {
  const dir = mkdtempSync(join(tmpdir(), 'in-page-p12-'));
  try {
    writeFileSync(join(dir, 'cert.pem'), certificatePem);
    writeFileSync(join(dir, 'key.pem'), keyPem);
    writeFileSync(join(dir, 'chain.pem'), chainPem);
    const out = join(dir, 'file.p12');
    const r = await run(OPENSSL, ['pkcs12', '-export', '-in', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'), '-certfile', join(dir, 'chain.pem'), '-name', 'chu ky so', '-passout', `pass:${password}`, '-out', out, ...options]);
    expect(r.code, r.output).to.equal(0);
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('signing in the portal page with a .p12 file', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let services: TestCertificationServices;
  let pki: Pki;
  let trust: ChallengeTrust;
  let caPem: string;
  let citizen: { certificatePem: string; privateKeyPem: string };

  before(async () => {
    fresh = await freshDatabase();
    services = await startCertificationServices(fresh.db, { now: () => NOW.getTime() });
    pki = services.pki;
    caPem = (await pki.authority()).certificate;
    citizen = await issueCitizenCertificate(pki, { idNumber: '001099012345', fullName: 'Nguyễn Thị Ánh Tuyết' });
    trust = { ...(await pki.trust()), at: new Date(NOW.getTime() + 60_000) };
  });
  after(async () => {
    await services?.close();
    await fresh?.close();
  });

  it('reads who the file names and signs the challenge as a CMS the API accepts', async () => {
    const file = writePkcs12({ certificate: citizen.certificatePem, chain: [caPem], privateKey: createPrivateKey(citizen.privateKeyPem) }, '123456');
    const imported: Array<{ extractable: boolean; usages: string[] }> = [];
    const watched: SubtleSigner = {
      importKey: (format, data, algorithm, extractable, usages) => {
        imported.push({ extractable, usages });
        return subtle.importKey(format, data, algorithm, extractable, usages);
      },
      sign: (algorithm, key, data) => subtle.sign(algorithm, key, data),
    };
    const opened = await openP12(new Uint8Array(file), '123456', watched);
    expect(opened).to.deep.include({ name: 'Nguyễn Thị Ánh Tuyết', idNumber: '001099012345', issuer: 'CA chứng thực điện tử nội bộ' });
    expect(opened.validTo.getTime()).to.be.greaterThan(NOW.getTime());
    // The key goes to WebCrypto as one that cannot be read back out.
    expect(imported).to.deep.equal([{ extractable: false, usages: ['sign'] }]);

    const signature = await opened.sign(CHALLENGE);
    const signer = verifyChallengeSignature({ challenge: CHALLENGE, signature }, trust);
    expect(signer).to.include({ idNumber: '001099012345', fullName: 'Nguyễn Thị Ánh Tuyết' });
    // Signed over this challenge only.
    let refused: unknown;
    try {
      verifyChallengeSignature({ challenge: OTHER, signature }, trust);
    } catch (e) {
      refused = e;
    }
    expect(refused).to.be.instanceOf(ApiError);
    expect((refused as ApiError).code).to.equal('SIGNATURE_INVALID');
  });

  it('signs with files exported by OpenSSL: RSA with AES or 3DES, and an EC P-256 key', async function () {
    if (!hasOpenssl) this.skip();
    const aes = await opensslP12(citizen.certificatePem, citizen.privateKeyPem, caPem, 'Pin@2026', []);
    const tripleDes = await opensslP12(citizen.certificatePem, citizen.privateKeyPem, caPem, 'Pin@2026', ['-certpbe', 'PBE-SHA1-3DES', '-keypbe', 'PBE-SHA1-3DES', '-macalg', 'sha1']);
    for (const file of [aes, tripleDes]) {
      const opened = await openP12(new Uint8Array(file), 'Pin@2026', subtle);
      expect(verifyChallengeSignature({ challenge: CHALLENGE, signature: await opened.sign(CHALLENGE) }, trust).idNumber).to.equal('001099012345');
    }

    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const issued = await pki.issueHeld((issuer, now) =>
      issueHolderCertificate(
        [
          { oid: OID.commonName, value: 'Trần Văn Bình' },
          { oid: OID.userId, value: 'CCCD:001099054321' },
          { oid: OID.country, value: 'VN' },
        ],
        { publicKey: keys.publicKey, issuer, notBefore: now, notAfter: new Date(now.getTime() + 86_400_000) },
      ),
    );
    const ec = await opensslP12(issued.certificate, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), caPem, '0000', []);
    const opened = await openP12(new Uint8Array(ec), '0000', subtle);
    expect(opened).to.deep.include({ name: 'Trần Văn Bình', idNumber: '001099054321' });
    const signer = verifyChallengeSignature({ challenge: CHALLENGE, signature: await opened.sign(CHALLENGE) }, trust);
    expect(signer).to.include({ idNumber: '001099054321', fullName: 'Trần Văn Bình' });
  });

  it('tells a wrong PIN from a file that is no certificate file', async () => {
    const file = writePkcs12({ certificate: citizen.certificatePem, chain: [], privateKey: createPrivateKey(citizen.privateKeyPem) }, '123456');
    const wrong = await problemOf(openP12(new Uint8Array(file), '654321', subtle));
    expect(wrong.code).to.equal('WRONG_PIN');
    expect(wrong.vi).to.equal('Mã PIN (mật khẩu của tệp) không đúng.');
    expect((await problemOf(openP12(new Uint8Array(Buffer.from('%PDF-1.7 not a certificate')), '123456', subtle))).code).to.equal('NOT_PKCS12');
  });
});
