import { expect } from 'chai';
import { createPublicKey, sign, verify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { Pkcs12Error, readPkcs12, writePkcs12, type Pkcs12ErrorCode } from '../../infra/pki/pkcs12';
import { OPENSSL, hasOpenssl, run, testPki } from './fixtures';

function toDer(asn: forge.asn1.Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(asn).getBytes(), 'binary');
}

function errorCode(f: () => unknown): Pkcs12ErrorCode | string {
  try {
    f();
  } catch (e) {
    return e instanceof Pkcs12Error ? e.code : `other: ${String(e)}`;
  }
  return 'no error';
}

describe('PKI PKCS#12 import', () => {
  const pki = testPki();
  const forgeKey = forge.pki.privateKeyFromPem(pki.leader.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  const forgeLeaf = forge.pki.certificateFromPem(pki.leader.certificate);
  const forgeCa = forge.pki.certificateFromPem(pki.ca.certificate);

  it('reads a .p12 built with forge (3DES, as many CAs ship them): key, leaf and chain', () => {
    // The CA first on purpose: the leaf is found by its key, not by position.
    const p12 = toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, [forgeCa, forgeLeaf], 'mật khẩu 123', { algorithm: '3des' }));
    const contents = readPkcs12(p12, 'mật khẩu 123');
    expect(contents.certificate.replace(/\s/g, '')).to.equal(pki.leader.certificate.replace(/\s/g, ''));
    expect(contents.chain.map((c) => c.replace(/\s/g, ''))).to.deep.equal([pki.ca.certificate.replace(/\s/g, '')]);
    const data = Buffer.from('ký thử');
    expect(verify('sha256', data, createPublicKey(pki.leader.certificate), sign('sha256', data, contents.privateKey))).to.equal(true);
  });

  it('round-trips through writePkcs12 (AES-256)', () => {
    const p12 = writePkcs12({ certificate: pki.seal.certificate, chain: pki.seal.chain, privateKey: pki.seal.privateKey }, 's3cret', 'Dấu xã');
    const contents = readPkcs12(p12, 's3cret');
    expect(contents.certificate.replace(/\s/g, '')).to.equal(pki.seal.certificate.replace(/\s/g, ''));
    expect(contents.chain).to.have.length(1);
    expect(contents.privateKey.export({ type: 'pkcs8', format: 'der' }).equals(pki.seal.privateKey.export({ type: 'pkcs8', format: 'der' }))).to.equal(true);
  });

  it('explains a wrong password, a missing key, a missing certificate and a file that is not PKCS#12', () => {
    const p12 = toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, [forgeLeaf, forgeCa], 'right', { algorithm: '3des' }));
    expect(errorCode(() => readPkcs12(p12, 'wrong'))).to.equal('WRONG_PASSWORD');
    try {
      readPkcs12(p12, 'wrong');
    } catch (e) {
      expect((e as Error).message).to.equal('Sai mật khẩu của tệp chứng thư số PKCS#12. / Wrong password for the PKCS#12 file.');
    }
    const certsOnly = toDer(forge.pkcs12.toPkcs12Asn1(null, [forgeLeaf, forgeCa], 'pw', { algorithm: '3des' }));
    expect(errorCode(() => readPkcs12(certsOnly, 'pw'))).to.equal('NO_PRIVATE_KEY');
    // forge accepts null for "no certificate"; its typings do not say so.
    const noCertificate = null as unknown as forge.pki.Certificate;
    const keyOnly = toDer(forge.pkcs12.toPkcs12Asn1(forgeKey, noCertificate, 'pw', { algorithm: '3des' }));
    expect(errorCode(() => readPkcs12(keyOnly, 'pw'))).to.equal('NO_CERTIFICATE');
    const otherKey = forge.pki.privateKeyFromPem(pki.seal.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
    const mismatch = toDer(forge.pkcs12.toPkcs12Asn1(otherKey, [forgeLeaf], 'pw', { algorithm: '3des' }));
    expect(errorCode(() => readPkcs12(mismatch, 'pw'))).to.equal('KEY_CERTIFICATE_MISMATCH');
    expect(errorCode(() => readPkcs12(Buffer.from('%PDF-1.7 not a p12'), 'pw'))).to.equal('NOT_PKCS12');
  });

  it('reads a .p12 exported by OpenSSL 3 (PBES2 / AES-256, SHA-256 MAC)', async function () {
    if (!hasOpenssl) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'pki-p12-'));
    try {
      writeFileSync(join(dir, 'leaf.pem'), pki.leader.certificate);
      writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate);
      writeFileSync(join(dir, 'key.pem'), pki.leader.privateKey.export({ type: 'pkcs8', format: 'pem' }));
      const out = await run(OPENSSL, ['pkcs12', '-export', '-inkey', join(dir, 'key.pem'), '-in', join(dir, 'leaf.pem'), '-certfile', join(dir, 'ca.pem'), '-passout', 'pass:openssl-pw', '-out', join(dir, 'out.p12')]);
      expect(out.code, out.output).to.equal(0);
      const contents = readPkcs12(readFileSync(join(dir, 'out.p12')), 'openssl-pw');
      expect(contents.certificate.replace(/\s/g, '')).to.equal(pki.leader.certificate.replace(/\s/g, ''));
      expect(contents.chain).to.have.length(1);
      expect(errorCode(() => readPkcs12(readFileSync(join(dir, 'out.p12')), 'nope'))).to.equal('WRONG_PASSWORD');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
