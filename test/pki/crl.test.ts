import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCrl, parseCrl } from '../../infra/pki/crl';
import { ISSUED_AT, OPENSSL, hasOpenssl, run, testPki } from './fixtures';

describe('PKI certificate revocation lists', () => {
  const pki = testPki();
  const thisUpdate = new Date('2026-03-01T00:00:00Z');
  const nextUpdate = new Date('2026-03-08T00:00:00Z');
  const crl = buildCrl({
    issuer: pki.ca,
    entries: [
      { serial: pki.seal.serial, revokedAt: new Date('2026-02-20T10:00:00Z') },
      { serial: pki.leader.serial, revokedAt: new Date('2026-02-10T09:30:00Z'), reason: 'keyCompromise' },
    ],
    thisUpdate,
    nextUpdate,
    crlNumber: 42n,
  });
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'pki-crl-'));
    writeFileSync(join(dir, 'ca.pem'), pki.ca.certificate);
    writeFileSync(join(dir, 'list.crl'), crl);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back the serials, dates, reasons and CRL number, with a valid CA signature', () => {
    const parsed = parseCrl(crl, pki.ca.certificate);
    expect(parsed.signatureValid).to.equal(true);
    expect(parsed.issuer).to.include('CN=CA chứng thực điện tử nội bộ');
    expect(parsed.thisUpdate.toISOString()).to.equal(thisUpdate.toISOString());
    expect(parsed.nextUpdate?.toISOString()).to.equal(nextUpdate.toISOString());
    expect(parsed.crlNumber).to.equal(42n);
    // Ordered by revocation date.
    expect(parsed.entries).to.deep.equal([
      { serial: pki.leader.serial, revokedAt: new Date('2026-02-10T09:30:00Z'), reason: 'keyCompromise' },
      { serial: pki.seal.serial, revokedAt: new Date('2026-02-20T10:00:00Z') },
    ]);
  });

  it('detects a CRL altered after signing or checked against another CA', () => {
    const altered = Buffer.from(crl);
    const at = altered.indexOf(Buffer.from(pki.leader.serial.slice(0, 8), 'hex'));
    expect(at).to.be.greaterThan(0);
    altered[at + 1] ^= 0x01;
    expect(parseCrl(altered, pki.ca.certificate).signatureValid).to.equal(false);
    expect(parseCrl(crl, testPki().ca.certificate).signatureValid).to.equal(false);
  });

  it('an empty CRL still carries its number', () => {
    const empty = parseCrl(buildCrl({ issuer: pki.ca, entries: [], thisUpdate: ISSUED_AT, nextUpdate, crlNumber: 1n }), pki.ca.certificate);
    expect(empty.entries).to.deep.equal([]);
    expect(empty.crlNumber).to.equal(1n);
    expect(empty.signatureValid).to.equal(true);
  });

  it('OpenSSL reads it and verifies its signature', async function () {
    if (!hasOpenssl) this.skip();
    const text = await run(OPENSSL, ['crl', '-inform', 'DER', '-in', join(dir, 'list.crl'), '-noout', '-text']);
    expect(text.code).to.equal(0);
    expect(text.output).to.include('Version 2 (0x1)');
    expect(text.output).to.match(/CRL Number:\s*\n\s*42/);
    expect(text.output).to.include(`Serial Number: ${pki.leader.serial}`);
    expect(text.output).to.include(`Serial Number: ${pki.seal.serial}`);
    expect(text.output).to.include('Key Compromise');
    expect(text.output).to.include('Next Update: Mar  8 00:00:00 2026 GMT');
    const verify = await run(OPENSSL, ['crl', '-inform', 'DER', '-in', join(dir, 'list.crl'), '-noout', '-CAfile', join(dir, 'ca.pem')]);
    expect(verify.output).to.include('verify OK');
  });
});
