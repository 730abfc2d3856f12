import { expect } from 'chai';
import { constants, createHash, createPrivateKey, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '../../api/errors';
import { OID, issueHolderCertificate, type NameAttribute } from '../../infra/pki/certificates';
import { verifyChallengeSignature, type ChallengeTrust } from '../../infra/pki/challengeSignature';
import { issueCitizenCertificate, signChallengeCms } from '../../infra/pki/citizenCertificates';
import type { Pki } from '../../infra/pki/pki';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { OPENSSL, hasOpenssl, run, testPki } from '../pki/fixtures';

const NOW = new Date('2026-03-02T02:00:00Z');
const CHALLENGE = 'chungthuc-login:6f1c2b9e3a4d4e5f:2026-03-02T02:00:00Z';
const OTHER_CHALLENGE = 'chungthuc-login:0a0b0c0d0e0f1011:2026-03-02T02:00:05Z';

function refusal(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ApiError);
    return e as ApiError;
  }
  expect.fail('expected a refusal');
}

/** A CMS SignedData made by another implementation (OpenSSL): detached or with the challenge inside, with or without signed attributes. */
async function opensslSignedData(content: string, certificatePem: string, privateKeyPem: string, flags: readonly string[]): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'challenge-cms-'));
  try {
    writeFileSync(join(dir, 'content.txt'), content);
    writeFileSync(join(dir, 'cert.pem'), certificatePem);
    writeFileSync(join(dir, 'key.pem'), privateKeyPem);
    const out = join(dir, 'sig.der');
    const r = await run(OPENSSL, ['cms', '-sign', '-binary', '-md', 'sha256', '-in', join(dir, 'content.txt'), '-signer', join(dir, 'cert.pem'), '-inkey', join(dir, 'key.pem'), '-outform', 'DER', '-out', out, ...flags]);
    expect(r.code, r.output).to.equal(0);
    return readFileSync(out).toString('base64');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('signature over a server challenge (IAL3)', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let services: TestCertificationServices;
  let pki: Pki;
  let citizen: { certificatePem: string; privateKeyPem: string; serial: string };
  let trust: ChallengeTrust;

  before(async () => {
    fresh = await freshDatabase();
    services = await startCertificationServices(fresh.db, { now: () => NOW.getTime() });
    pki = services.pki;
    citizen = await issueCitizenCertificate(pki, { idNumber: '001099012345', fullName: 'Nguyễn Thị Ánh Tuyết' });
    trust = { ...(await pki.trust()), at: NOW };
  });
  after(async () => {
    await services?.close();
    await fresh?.close();
  });

  it('issues a citizen certificate under the embedded CA, recorded without its key', async () => {
    const x509 = new X509Certificate(citizen.certificatePem);
    expect(x509.subject).to.include('CN=Nguyễn Thị Ánh Tuyết').and.include('UID=CCCD:001099012345');
    expect(x509.ca).to.equal(false);
    expect(x509.verify(new X509Certificate((await pki.authority()).certificate).publicKey)).to.equal(true);
    const rows: Array<{ kind: string; has_key: boolean }> = await fresh.db.query(`select kind, private_key_enc is not null as has_key from pki_certificates where serial = $1`, [citizen.serial]);
    expect(rows).to.deep.equal([{ kind: 'citizen', has_key: false }]);
    expect((await pki.list()).find((c) => c.serial === citizen.serial)?.kind).to.equal('citizen');
  });

  it('accepts a CMS detached signature and reads the identity from the certificate', () => {
    const signer = verifyChallengeSignature({ challenge: CHALLENGE, signature: signChallengeCms(CHALLENGE, citizen.certificatePem, citizen.privateKeyPem) }, trust);
    const der = new X509Certificate(citizen.certificatePem).raw;
    expect(signer).to.deep.equal({
      idNumber: '001099012345',
      fullName: 'Nguyễn Thị Ánh Tuyết',
      certificateFingerprint: createHash('sha256').update(der).digest('hex'),
      subject: 'CN=Nguyễn Thị Ánh Tuyết, UID=CCCD:001099012345, C=VN',
      issuer: 'CN=CA chứng thực điện tử nội bộ, O=Hệ thống chứng thực bản sao điện tử, C=VN',
      issuerName: 'CA chứng thực điện tử nội bộ',
      serial: citizen.serial,
      notAfter: new Date(new X509Certificate(citizen.certificatePem).validTo),
    });
  });

  it('accepts CMS from another implementation: detached, attached, without signed attributes', async function () {
    if (!hasOpenssl) this.skip();
    for (const flags of [[], ['-nodetach'], ['-noattr'], ['-nodetach', '-noattr']]) {
      const signature = await opensslSignedData(CHALLENGE, citizen.certificatePem, citizen.privateKeyPem, flags);
      expect(verifyChallengeSignature({ challenge: CHALLENGE, signature }, trust).idNumber, flags.join(' ')).to.equal('001099012345');
      const e = refusal(() => verifyChallengeSignature({ challenge: OTHER_CHALLENGE, signature }, trust));
      expect(e.code, flags.join(' ')).to.equal('SIGNATURE_INVALID');
      if (flags.includes('-nodetach')) expect(e.vi).to.include('không phải là chuỗi xác thực');
    }
  });

  it('accepts raw RSA PKCS#1 v1.5 and RSA-PSS signatures with the certificate in PEM', () => {
    const key = createPrivateKey(citizen.privateKeyPem);
    const pkcs1 = sign('sha256', Buffer.from(CHALLENGE), key).toString('base64');
    const pss = sign('sha256', Buffer.from(CHALLENGE), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }).toString('base64');
    for (const signature of [pkcs1, pss]) {
      const signer = verifyChallengeSignature({ challenge: CHALLENGE, signature, certificate: citizen.certificatePem }, trust);
      expect(signer.idNumber).to.equal('001099012345');
      expect(signer.serial).to.equal(citizen.serial);
    }
  });

  it('accepts raw ECDSA P-256 signatures, DER or r‖s as WebCrypto gives them', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const issued = await pki.issueHeld((issuer, now) =>
      issueHolderCertificate(
        [
          { oid: OID.commonName, value: 'Trần Văn Bình' },
          { oid: OID.serialNumber, value: 'CMND:123456789' },
        ],
        { publicKey: keys.publicKey, issuer, notBefore: now, notAfter: new Date(now.getTime() + 86_400_000) },
      ),
    );
    for (const dsaEncoding of ['der', 'ieee-p1363'] as const) {
      const signature = sign('sha256', Buffer.from(CHALLENGE), { key: keys.privateKey, dsaEncoding }).toString('base64');
      const signer = verifyChallengeSignature({ challenge: CHALLENGE, signature, certificate: issued.certificate }, { ...trust, at: new Date(NOW.getTime() + 1000) });
      expect(signer).to.include({ idNumber: '123456789', fullName: 'Trần Văn Bình' });
    }
  });

  it('refuses a signature over another challenge, CMS or raw', () => {
    const cms = signChallengeCms(OTHER_CHALLENGE, citizen.certificatePem, citizen.privateKeyPem);
    const e1 = refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature: cms }, trust));
    expect(e1).to.include({ status: 401, code: 'SIGNATURE_INVALID' });
    expect(e1.vi).to.match(/^Chữ ký số không hợp lệ/);

    const raw = sign('sha256', Buffer.from(OTHER_CHALLENGE), createPrivateKey(citizen.privateKeyPem)).toString('base64');
    expect(refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature: raw, certificate: citizen.certificatePem }, trust))).to.include({
      status: 401,
      code: 'SIGNATURE_INVALID',
    });
  });

  it('refuses a raw signature made with another key than the certificate’s', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const signature = sign('sha256', Buffer.from(CHALLENGE), other.privateKey).toString('base64');
    expect(refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature, certificate: citizen.certificatePem }, trust)).code).to.equal('SIGNATURE_INVALID');
  });

  it('refuses a certificate from a self-made CA, even one named like ours', () => {
    const fake = testPki({ now: NOW, caName: 'CA chứng thực điện tử nội bộ' });
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = issueHolderCertificate(
      [
        { oid: OID.commonName, value: 'Nguyễn Thị Ánh Tuyết' },
        { oid: OID.userId, value: 'CCCD:001099012345' },
      ],
      { publicKey: keys.publicKey, issuer: fake.ca, notBefore: NOW, notAfter: new Date(NOW.getTime() + 86_400_000) },
    );
    const keyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const e = refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature: signChallengeCms(CHALLENGE, forged.certificate, keyPem) }, trust));
    expect(e).to.include({ status: 401, code: 'CERTIFICATE_UNTRUSTED' });
    expect(e.vi).to.include('không do tổ chức cung cấp dịch vụ chứng thực chữ ký số được tin cậy cấp');
    // Trusting that CA makes the same signature acceptable: the refusal was about trust alone.
    const trusting = { ...trust, roots: [...trust.roots, fake.ca.certificate] };
    expect(verifyChallengeSignature({ challenge: CHALLENGE, signature: signChallengeCms(CHALLENGE, forged.certificate, keyPem) }, trusting).idNumber).to.equal('001099012345');
  });

  it('refuses a revoked certificate', async () => {
    const other = await issueCitizenCertificate(pki, { idNumber: '079203004567', fullName: 'Lê Hoàng Nam' });
    const signature = signChallengeCms(CHALLENGE, other.certificatePem, other.privateKeyPem);
    expect(verifyChallengeSignature({ challenge: CHALLENGE, signature }, { ...(await pki.trust()), at: NOW }).idNumber).to.equal('079203004567');
    await pki.revoke(other.serial, 'keyCompromise');
    const after = { ...(await pki.trust()), at: NOW };
    const e = refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature }, after));
    expect(e).to.include({ status: 401, code: 'CERTIFICATE_REVOKED' });
    expect(e.vi).to.include('đã bị thu hồi').and.include(other.serial);
  });

  it('refuses a certificate outside its validity period', async () => {
    const notBefore = new Date('2026-03-01T00:00:00Z');
    const short = await issueCitizenCertificate(pki, { idNumber: '001099012345', fullName: 'Nguyễn Thị Ánh Tuyết', validDays: 30, notBefore });
    const signature = signChallengeCms(CHALLENGE, short.certificatePem, short.privateKeyPem);
    const notAfter = new Date('2026-03-31T00:00:00Z');
    expect(new Date(new X509Certificate(short.certificatePem).validTo).toISOString()).to.equal(notAfter.toISOString());
    expect(verifyChallengeSignature({ challenge: CHALLENGE, signature }, { ...trust, at: notAfter }).serial).to.equal(short.serial);

    const expired = refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature }, { ...trust, at: new Date(notAfter.getTime() + 1000) }));
    expect(expired).to.include({ status: 401, code: 'CERTIFICATE_EXPIRED' });
    expect(expired.vi).to.include('đã hết hạn');
    const early = refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, signature }, { ...trust, at: new Date(notBefore.getTime() - 1000) }));
    expect(early).to.include({ status: 401, code: 'CERTIFICATE_EXPIRED' });
    expect(early.vi).to.include('chưa có hiệu lực');
  });

  async function holderSigning(subject: NameAttribute[]): Promise<{ certificate: string; signature: string }> {
    const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const issued = await pki.issueHeld((issuer, now) => issueHolderCertificate(subject, { publicKey: keys.publicKey, issuer, notBefore: now, notAfter: new Date(now.getTime() + 86_400_000) }));
    return { certificate: issued.certificate, signature: sign('sha256', Buffer.from(CHALLENGE), keys.privateKey).toString('base64') };
  }

  it('refuses a certificate that carries no personal ID number', async () => {
    for (const subject of [
      [{ oid: OID.commonName, value: 'UBND xã Nùng Năng' }, { oid: OID.organization, value: 'UBND xã Nùng Năng' }],
      [{ oid: OID.commonName, value: 'Phạm Văn Cường' }, { oid: OID.userId, value: '6f1c2b9e-3a4d-4e5f-8a7b-1c2d3e4f5a6b' }],
      // Nine bare digits could be anything; only a "CMND:" prefix makes them an ID number.
      [{ oid: OID.commonName, value: 'Phạm Văn Cường' }, { oid: OID.serialNumber, value: '123456789' }],
    ]) {
      const s = await holderSigning(subject);
      const e = refusal(() => verifyChallengeSignature({ challenge: CHALLENGE, ...s }, trust));
      expect(e).to.include({ status: 422, code: 'CERTIFICATE_NO_ID' });
      expect(e.vi).to.include('không ghi số định danh cá nhân');
    }
  });

  it('reads the ID from UID or serialNumber, prefixed or as 12 bare digits, preferring the CCCD', async () => {
    const cases: Array<[NameAttribute[], string]> = [
      [[{ oid: OID.commonName, value: 'Đỗ Thu Hà' }, { oid: OID.serialNumber, value: '038187000123' }], '038187000123'],
      [[{ oid: OID.commonName, value: 'Đỗ Thu Hà' }, { oid: OID.serialNumber, value: 'CMND:123456789' }, { oid: OID.userId, value: 'CCCD:038187000123' }], '038187000123'],
    ];
    for (const [subject, id] of cases) {
      const s = await holderSigning(subject);
      expect(verifyChallengeSignature({ challenge: CHALLENGE, ...s }, trust)).to.include({ idNumber: id, fullName: 'Đỗ Thu Hà' });
    }
  });

  it('refuses malformed input with 400', () => {
    const cms = signChallengeCms(CHALLENGE, citizen.certificatePem, citizen.privateKeyPem);
    const cases: Array<[Parameters<typeof verifyChallengeSignature>[0], string]> = [
      [{ challenge: '', signature: cms }, 'challenge'],
      [{ challenge: CHALLENGE, signature: '' }, 'signature'],
      [{ challenge: CHALLENGE, signature: 'không phải base64!' }, 'signature'],
      [{ challenge: CHALLENGE, signature: Buffer.alloc(256, 7).toString('base64') }, 'certificate'],
      [{ challenge: CHALLENGE, signature: Buffer.alloc(256, 7).toString('base64'), certificate: 'not a certificate' }, 'certificate'],
      [{ challenge: CHALLENGE, signature: cms, certificate: testPki({ now: NOW }).leader.certificate }, 'certificate'],
    ];
    for (const [input, field] of cases) {
      const e = refusal(() => verifyChallengeSignature(input, trust));
      expect(e.status, JSON.stringify(input).slice(0, 80)).to.equal(400);
      expect((e.details as { fields: Array<{ field: string }> }).fields[0].field).to.equal(field);
      expect(e.vi).to.match(/^Dữ liệu không hợp lệ/);
    }
  });
});
