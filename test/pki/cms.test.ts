import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pemToDer, readCertificate } from '../../infra/pki/certificates';
import { buildSignedData, signedDataSizeBound, verifySignedData } from '../../infra/pki/cms';
import { ISSUED_AT, OPENSSL, hasOpenssl, run, testPki } from './fixtures';

describe('PKI CMS SignedData', () => {
  const pki = testPki();
  const content = Buffer.from('Bản sao được chứng thực từ bản chính — nội dung thử nghiệm.');
  const digest = createHash('sha256').update(content).digest();
  const signingTime = new Date('2026-02-01T02:03:04Z');
  const cms = buildSignedData({ signer: pki.leader, contentDigest: digest, signingTime });

  it('verifies: message digest, signature, signer certificate and signing time', () => {
    const v = verifySignedData(cms, digest);
    expect(v.digestMatches).to.equal(true);
    expect(v.signatureValid).to.equal(true);
    expect(v.problems).to.deep.equal([]);
    expect(v.signer.serial).to.equal(pki.leader.serial);
    expect(v.signingTime?.toISOString()).to.equal(signingTime.toISOString());
    expect(v.digestAlgorithm).to.equal('sha256');
    // The certificates are embedded byte for byte: leaf, then the chain.
    expect(v.certificates.map((c) => c.der.toString('base64'))).to.deep.equal([pemToDer(pki.leader.certificate), pemToDer(pki.ca.certificate)].map((b) => b.toString('base64')));
  });

  it('reports other content and a forged signature', () => {
    const other = verifySignedData(cms, createHash('sha256').update('khác').digest());
    expect(other.digestMatches).to.equal(false);
    expect(other.signatureValid).to.equal(true);
    expect(other.problems.join(' ')).to.include('Mã băm');

    const forged = Buffer.from(cms);
    forged[forged.length - 10] ^= 0xff; // inside the RSA signature, the last field
    const f = verifySignedData(forged, digest);
    expect(f.digestMatches).to.equal(true);
    expect(f.signatureValid).to.equal(false);
  });

  it('tolerates the zero padding of a PDF /Contents and stays within its size bound', () => {
    const padded = Buffer.concat([cms, Buffer.alloc(500)]);
    expect(verifySignedData(padded, digest).signatureValid).to.equal(true);
    const withoutTime = buildSignedData({ signer: pki.seal, contentDigest: digest });
    expect(withoutTime.length).to.be.at.most(signedDataSizeBound({ signer: pki.seal }));
    expect(verifySignedData(withoutTime, digest).signingTime).to.equal(undefined);
    expect(readCertificate(pki.seal.certificate).serial).to.equal(verifySignedData(withoutTime, digest).signer.serial);
  });

  it('OpenSSL verifies the detached signature and its chain', async function () {
    if (!hasOpenssl) this.skip();
    const dir = mkdtempSync(join(tmpdir(), 'pki-cms-'));
    try {
      writeFileSync(join(dir, 'content.bin'), content);
      writeFileSync(join(dir, 'sig.der'), cms);
      writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate);
      const attime = String(Math.floor(ISSUED_AT.getTime() / 1000) + 86_400);
      const ok = await run(OPENSSL, ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content.bin'), '-CAfile', join(dir, 'ca.pem'), '-attime', attime, '-out', '/dev/null']);
      expect(ok.output).to.include('Verification successful');
      writeFileSync(join(dir, 'content.bin'), Buffer.concat([content, Buffer.from('!')]));
      const bad = await run(OPENSSL, ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'content.bin'), '-CAfile', join(dir, 'ca.pem'), '-attime', attime, '-out', '/dev/null']);
      expect(bad.output).to.not.include('Verification successful');
      expect(bad.code).to.not.equal(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
