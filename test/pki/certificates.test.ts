import { expect } from 'chai';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  OID,
  attribute,
  createRootCertificate,
  generateRsaKeyPair,
  issueSealCertificate,
  readCertificate,
} from '../../infra/pki/certificates';
import { COMMUNE, ISSUED_AT, LEADER, OPENSSL, hasOpenssl, run, testPki } from './fixtures';

describe('PKI certificates', () => {
  const crlUrl = 'https://chungthuc.example.vn/api/pki/crl';
  const pki = testPki({ crlUrl });
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pki-certs-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate);
    writeFileSync(join(dir, 'leader.pem'), pki.leader.certificate);
    writeFileSync(join(dir, 'seal.pem'), pki.seal.certificate);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('makes a self-signed root CA with a Vietnamese name, valid for 10 years', () => {
    const ca = readCertificate(pki.ca.certificate);
    expect(attribute(ca, OID.commonName)).to.equal('CA chứng thực điện tử nội bộ');
    expect(attribute(ca, OID.country)).to.equal('VN');
    expect(ca.isCa).to.equal(true);
    expect(ca.subjectText).to.equal(ca.issuerText);
    expect(ca.x509.verify(ca.x509.publicKey)).to.equal(true);
    expect(ca.notBefore.getTime()).to.be.at.most(ISSUED_AT.getTime());
    expect(ca.notAfter.toISOString()).to.equal('2036-01-15T08:00:00.000Z');
  });

  it('issues a leader certificate naming the person, title, unit and officer id, chained to the CA', () => {
    const leader = readCertificate(pki.leader.certificate);
    const ca = new X509Certificate(pki.ca.certificate);
    expect(attribute(leader, OID.commonName)).to.equal(LEADER.fullName);
    expect(attribute(leader, OID.title)).to.equal(LEADER.title);
    expect(attribute(leader, OID.organization)).to.equal(LEADER.unit.name);
    expect(attribute(leader, OID.organizationalUnit)).to.equal(LEADER.unit.code);
    expect(attribute(leader, OID.userId)).to.equal(LEADER.officerId);
    expect(leader.isCa).to.equal(false);
    expect(leader.x509.checkIssued(ca)).to.equal(true);
    expect(leader.x509.verify(ca.publicKey)).to.equal(true);
    expect(leader.x509.keyUsage).to.include.members([OID.emailProtection, OID.msDocumentSigning, OID.documentSigning]);
    expect(leader.notAfter.toISOString()).to.equal('2029-01-15T08:00:00.000Z');
    expect(leader.serial).to.match(/^[1-7][0-9A-F]{31}$/);
  });

  it('issues a seal certificate with the unit code as organizationIdentifier', () => {
    const seal = readCertificate(pki.seal.certificate);
    expect(attribute(seal, OID.commonName)).to.equal(COMMUNE.name);
    expect(attribute(seal, OID.organization)).to.equal(COMMUNE.name);
    expect(attribute(seal, OID.organizationIdentifier)).to.equal(COMMUNE.code);
    expect(seal.issuerText).to.equal(readCertificate(pki.ca.certificate).subjectText);
  });

  it('never lets a certificate outlive its issuer', () => {
    const keys = generateRsaKeyPair();
    const shortCa = createRootCertificate({ keyPair: keys, now: ISSUED_AT, years: 1 });
    const leafKeys = generateRsaKeyPair();
    const leaf = issueSealCertificate(COMMUNE, { publicKey: leafKeys.publicKey, issuer: { certificate: shortCa.certificate, privateKey: keys.privateKey }, now: ISSUED_AT });
    expect(leaf.notAfter.getTime()).to.equal(shortCa.notAfter.getTime());
  });

  it('OpenSSL reads the extensions and accepts both leaves for S/MIME signing under the CA', async function () {
    if (!hasOpenssl) this.skip();
    const text = await run(OPENSSL, ['x509', '-in', join(dir, 'leader.pem'), '-noout', '-text', '-nameopt', 'utf8']);
    expect(text.output).to.include('Digital Signature, Non Repudiation');
    expect(text.output).to.include('E-mail Protection');
    expect(text.output).to.include(`URI:${crlUrl}`);
    expect(text.output).to.match(/Authority Key Identifier:\s*\n\s*(keyid:)?([0-9A-F]{2}:){19}[0-9A-F]{2}/);
    const ca = await run(OPENSSL, ['x509', '-in', join(dir, 'ca.pem'), '-noout', '-text']);
    expect(ca.output).to.match(/Basic Constraints: critical\s*\n\s*CA:TRUE/);
    expect(ca.output).to.include('Certificate Sign, CRL Sign');
    // -attime: the certificates are dated 2026; the check must not depend on today's date.
    const attime = String(Math.floor(ISSUED_AT.getTime() / 1000) + 3600);
    const verify = await run(OPENSSL, ['verify', '-attime', attime, '-purpose', 'smimesign', '-CAfile', join(dir, 'ca.pem'), join(dir, 'leader.pem'), join(dir, 'seal.pem')]);
    expect(verify.output).to.include('leader.pem: OK');
    expect(verify.output).to.include('seal.pem: OK');
    expect(verify.code).to.equal(0);
  });

  it('OpenSSL refuses a leaf under a CA that did not issue it', async function () {
    if (!hasOpenssl) this.skip();
    const other = testPki();
    writeFileSync(join(dir, 'other-ca.pem'), other.ca.certificate);
    const attime = String(Math.floor(ISSUED_AT.getTime() / 1000) + 3600);
    const verify = await run(OPENSSL, ['verify', '-attime', attime, '-CAfile', join(dir, 'other-ca.pem'), join(dir, 'leader.pem')]);
    expect(verify.code).to.not.equal(0);
  });
});
