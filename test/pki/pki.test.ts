import { expect } from 'chai';
import { X509Certificate, randomBytes, sign, verify } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/dataSource';
import { OID, attribute, createRootCertificate, generateRsaKeyPair, issuePersonalCertificate, readCertificate } from '../../infra/pki/certificates';
import { parseCrl } from '../../infra/pki/crl';
import { KeyVaultError } from '../../infra/pki/keyVault';
import { Pkcs12Error, writePkcs12 } from '../../infra/pki/pkcs12';
import { Pki, PkiError } from '../../infra/pki/pki';
import { freshDatabase, type FreshDatabase } from '../support/database';

const DAY = 86_400_000;

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection');
}

describe('PKI service', function () {
  this.timeout(120_000);
  let fresh: FreshDatabase;
  let second: DataSource;
  const masterKey = randomBytes(32);
  let clock = Date.parse('2026-01-15T08:00:00Z');
  const now = () => clock;
  const crlUrl = 'https://chungthuc.example.vn/api/pki/crl';
  let pki: Pki;
  let unit: { id: string; code: string; name: string };
  let officerId: string;
  let otherOfficerId: string;

  before(async () => {
    fresh = await freshDatabase();
    // A second pool on the same database stands for a second process (API and worker).
    second = createDataSource(fresh.url, 3);
    await second.initialize();
    pki = new Pki(fresh.db, { masterKey, now, crlUrl });
    const units: Array<{ id: string }> = await fresh.db.query(
      `insert into units (code, name, level, path, created_at) values ('000.15.43.H35', 'UBND xã Nùng Năng', 'commune', '/', now()) returning id`,
    );
    unit = { id: units[0].id, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' };
    const officers: Array<{ id: string }> = await fresh.db.query(
      `insert into officers (username, full_name, citizen_id, password_hash, password_changed_at, created_at)
       values ('hung.lv', 'Lò Văn Hùng', '035075000103', 'x', now(), now()), ('son.lv', 'Lý Văn Sơn', '035070000107', 'x', now(), now()) returning id`,
    );
    officerId = officers[0].id;
    otherOfficerId = officers[1].id;
  });

  after(async () => {
    await second?.destroy();
    await fresh?.close();
  });

  const leader = () => ({ officerId, fullName: 'Lò Văn Hùng', title: 'Phó Chủ tịch UBND xã', unit });

  it('two processes asking for the CA at once end with one CA', async () => {
    const a = new Pki(fresh.db, { masterKey, now });
    const b = new Pki(second, { masterKey, now });
    const [x, y] = await Promise.all([a.authority(), b.authority()]);
    expect(x.serial).to.equal(y.serial);
    const rows: Array<{ n: number }> = await fresh.db.query(`select count(*)::int as n from pki_certificates where kind = 'authority'`);
    expect(rows[0].n).to.equal(1);
    const ca = readCertificate(x.certificate);
    expect(ca.isCa).to.equal(true);
    expect(attribute(ca, OID.commonName)).to.equal('CA chứng thực điện tử nội bộ');
    expect(ca.x509.publicKey.asymmetricKeyDetails?.modulusLength).to.equal(3072);
    expect((await pki.authority()).serial).to.equal(x.serial);
  });

  it('issues a leader certificate on first use, then reuses it', async () => {
    const s1 = await pki.personalSigner(leader());
    const s2 = await pki.personalSigner(leader());
    expect(s2.serial).to.equal(s1.serial);
    const cert = readCertificate(s1.certificate);
    expect(attribute(cert, OID.commonName)).to.equal('Lò Văn Hùng');
    expect(attribute(cert, OID.title)).to.equal('Phó Chủ tịch UBND xã');
    expect(attribute(cert, OID.userId)).to.equal(officerId);
    const ca = await pki.authority();
    expect(s1.chain).to.deep.equal([ca.certificate]);
    expect(cert.x509.verify(new X509Certificate(ca.certificate).publicKey)).to.equal(true);
    const data = Buffer.from('x');
    expect(verify('sha256', data, cert.x509.publicKey, sign('sha256', data, s2.privateKey))).to.equal(true);
  });

  it('two processes issuing for the same unit at once end with one seal certificate', async () => {
    const b = new Pki(second, { masterKey, now });
    const [x, y] = await Promise.all([pki.sealSigner(unit), b.sealSigner(unit)]);
    expect(x.serial).to.equal(y.serial);
    const rows: Array<{ n: number }> = await fresh.db.query(`select count(*)::int as n from pki_certificates where kind = 'organisation'`);
    expect(rows[0].n).to.equal(1);
    expect(attribute(readCertificate(x.certificate), OID.organizationIdentifier)).to.equal(unit.code);
  });

  it('keeps private keys encrypted: the database alone, or another master key, cannot sign', async () => {
    const signer = await pki.personalSigner(leader());
    const rows: Array<{ private_key_enc: Buffer }> = await fresh.db.query(`select private_key_enc from pki_certificates where serial = $1`, [signer.serial]);
    const der = signer.privateKey.export({ type: 'pkcs8', format: 'der' });
    expect(rows[0].private_key_enc.includes(der.subarray(40, 80))).to.equal(false);
    const stranger = new Pki(fresh.db, { masterKey: randomBytes(32), now });
    expect(await rejection(stranger.personalSigner(leader()))).to.be.instanceOf(KeyVaultError);
  });

  it('re-issues when the title changes, keeping the old certificate unrevoked', async () => {
    const before = await pki.personalSigner(leader());
    const promoted = await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' });
    expect(promoted.serial).to.not.equal(before.serial);
    expect(attribute(readCertificate(promoted.certificate), OID.title)).to.equal('Chủ tịch UBND xã');
    const listed = await pki.list({ ownerKind: 'person' });
    const old = listed.find((c) => c.serial === before.serial);
    expect(old?.revokedAt).to.equal(null);
    expect(listed.filter((c) => c.officerId === officerId)).to.have.length(2);
  });

  it('revokes: the next signature gets a new certificate, the CRL and trust() list the old one', async () => {
    const current = await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' });
    clock += DAY;
    await pki.revoke(current.serial.toLowerCase(), 'keyCompromise');
    const next = await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' });
    expect(next.serial).to.not.equal(current.serial);

    const ca = await pki.authority();
    const first = parseCrl(await pki.crl(), ca.certificate);
    const secondCrl = parseCrl(await pki.crl(), ca.certificate);
    expect(first.signatureValid).to.equal(true);
    expect(first.entries).to.deep.equal([{ serial: current.serial, revokedAt: new Date(clock), reason: 'keyCompromise' }]);
    expect(first.thisUpdate.getTime()).to.equal(Math.floor(clock / 1000) * 1000);
    expect(secondCrl.crlNumber! > first.crlNumber!).to.equal(true);

    const trust = await pki.trust();
    expect(trust.revokedSerials.get(current.serial)).to.equal(new Date(clock).toISOString());
    expect(trust.roots).to.deep.equal([ca.certificate]);

    const listed = (await pki.list()).find((c) => c.serial === current.serial);
    expect(listed?.revocationReason).to.equal('keyCompromise');
    expect(listed?.revokedAt).to.equal(new Date(clock).toISOString());
  });

  it('a free-text reason is kept and the CRL entry carries no reason code', async () => {
    const seal = await pki.sealSigner(unit);
    await pki.revoke(seal.serial, 'Mất thiết bị lưu khóa');
    const entry = parseCrl(await pki.crl()).entries.find((e) => e.serial === seal.serial);
    expect(entry).to.not.equal(undefined);
    expect(entry?.reason).to.equal(undefined);
    expect((await pki.sealSigner(unit)).serial).to.not.equal(seal.serial);
    // Revoking twice changes nothing.
    await pki.revoke(seal.serial, 'superseded');
    expect((await pki.list()).find((c) => c.serial === seal.serial)?.revocationReason).to.equal('Mất thiết bị lưu khóa');
  });

  it('re-issues an expired certificate', async () => {
    const current = await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' });
    const saved = clock;
    clock = readCertificate(current.certificate).notAfter.getTime() + 1000;
    try {
      const renewed = await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' });
      expect(renewed.serial).to.not.equal(current.serial);
      expect(readCertificate(renewed.certificate).notAfter.getTime()).to.be.greaterThan(clock);
    } finally {
      clock = saved;
    }
  });

  it('refuses to revoke the CA or an unknown serial', async () => {
    const ca = await pki.authority();
    const e1 = await rejection(pki.revoke(ca.serial, 'keyCompromise'));
    expect(e1).to.be.instanceOf(PkiError);
    expect((e1 as PkiError).code).to.equal('AUTHORITY_NOT_REVOCABLE');
    const e2 = await rejection(pki.revoke('0A0B0C', 'keyCompromise'));
    expect((e2 as PkiError).code).to.equal('NOT_FOUND');
  });

  describe('PKCS#12 import', () => {
    const externalKeys = generateRsaKeyPair();
    const externalRoot = createRootCertificate({ keyPair: externalKeys, now: new Date('2025-06-01T00:00:00Z'), commonName: 'VNPT Certification Authority (thử nghiệm)', organization: 'VNPT Group' });
    const leafKeys = generateRsaKeyPair();
    const leafCert = issuePersonalCertificate(
      { officerId: 'CCCD:035070000107', fullName: 'Lý Văn Sơn', title: 'Chủ tịch UBND xã', unit: { code: '000.16.43.H35', name: 'UBND xã Bản Bo' } },
      { publicKey: leafKeys.publicKey, issuer: { certificate: externalRoot.certificate, privateKey: externalKeys.privateKey }, now: new Date('2025-06-01T00:00:00Z') },
    );
    const p12 = writePkcs12({ certificate: leafCert.certificate, chain: [externalRoot.certificate], privateKey: leafKeys.privateKey }, 'mật-khẩu');

    it('makes the imported certificate the owner\'s signer, with its chain as given, and trusts its root', async () => {
      const imported = await pki.importPkcs12(p12, 'mật-khẩu', { kind: 'person', officerId: otherOfficerId });
      expect(imported.serial).to.equal(leafCert.serial);
      expect(imported.subject).to.include('CN=Lý Văn Sơn');
      const signer = await pki.personalSigner({ officerId: otherOfficerId, fullName: 'Lý Văn Sơn', title: 'Chủ tịch UBND xã', unit });
      expect(signer.serial).to.equal(leafCert.serial);
      expect(signer.chain).to.deep.equal([externalRoot.certificate]);
      const trust = await pki.trust();
      expect(trust.roots).to.have.length(2);
      expect(trust.roots).to.include(externalRoot.certificate);
      const listed = (await pki.list({ ownerKind: 'person' })).find((c) => c.serial === leafCert.serial);
      expect(listed?.imported).to.equal(true);
      expect(listed?.officerId).to.equal(otherOfficerId);
    });

    it('an imported certificate replaces an issued one; one certificate cannot belong to two owners', async () => {
      const issued = await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' });
      expect(issued.chain).to.deep.equal([(await pki.authority()).certificate]);
      const keys = generateRsaKeyPair();
      const cert = issuePersonalCertificate(
        { officerId: 'CCCD:035075000103', fullName: 'Lò Văn Hùng', title: 'Chủ tịch UBND xã', unit: { code: unit.code, name: unit.name } },
        { publicKey: keys.publicKey, issuer: { certificate: externalRoot.certificate, privateKey: externalKeys.privateKey }, now: new Date('2025-06-01T00:00:00Z') },
      );
      await pki.importPkcs12(writePkcs12({ certificate: cert.certificate, chain: [externalRoot.certificate], privateKey: keys.privateKey }, 'pw'), 'pw', { kind: 'person', officerId });
      expect((await pki.personalSigner({ ...leader(), title: 'Chủ tịch UBND xã' })).serial).to.equal(cert.serial);
      expect((await pki.list()).find((c) => c.serial === issued.serial)?.revokedAt).to.equal(null);

      // Importing again for the same owner is harmless; for another owner it is refused.
      expect((await pki.importPkcs12(p12, 'mật-khẩu', { kind: 'person', officerId: otherOfficerId })).serial).to.equal(leafCert.serial);
      const clash = await rejection(pki.importPkcs12(p12, 'mật-khẩu', { kind: 'organisation', unitId: unit.id }));
      expect((clash as PkiError).code).to.equal('CERTIFICATE_OWNED_ELSEWHERE');
    });

    it('reports a wrong password and refuses an expired certificate', async () => {
      const wrong = await rejection(pki.importPkcs12(p12, 'sai', { kind: 'person', officerId: otherOfficerId }));
      expect(wrong).to.be.instanceOf(Pkcs12Error);
      expect((wrong as Pkcs12Error).code).to.equal('WRONG_PASSWORD');
      const late = new Pki(fresh.db, { masterKey, now: () => Date.parse('2031-01-01T00:00:00Z') });
      const expired = await rejection(late.importPkcs12(p12, 'mật-khẩu', { kind: 'person', officerId }));
      expect((expired as PkiError).code).to.equal('CERTIFICATE_EXPIRED');
    });
  });

  it('lists by owner kind', async () => {
    const authorities = await pki.list({ ownerKind: 'authority' });
    expect(authorities).to.have.length(1);
    expect(authorities[0].kind).to.equal('authority');
    expect(authorities[0].imported).to.equal(false);
    const organisations = await pki.list({ ownerKind: 'organisation' });
    expect(organisations.every((c) => c.unitId === unit.id && c.officerId === null)).to.equal(true);
  });
});
