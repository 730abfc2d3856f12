import { expect } from 'chai';
import { randomBytes, sign, verify } from 'node:crypto';
import { generateRsaKeyPair } from '../../infra/pki/certificates';
import { KeyVaultError, masterKeyFromEnv, open, openPrivateKey, seal, sealPrivateKey } from '../../infra/pki/keyVault';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    return e instanceof KeyVaultError ? e.code : `not a KeyVaultError: ${String(e)}`;
  }
  return undefined;
}

describe('PKI key vault', () => {
  const master = randomBytes(32);

  it('reads PKI_MASTER_KEY as 64 hex characters or base64 of 32 bytes', () => {
    expect(masterKeyFromEnv({ PKI_MASTER_KEY: master.toString('hex') }).equals(master)).to.equal(true);
    expect(masterKeyFromEnv({ PKI_MASTER_KEY: master.toString('base64') }).equals(master)).to.equal(true);
    expect(masterKeyFromEnv({ PKI_MASTER_KEY: ` ${master.toString('base64url')}\n` }).equals(master)).to.equal(true);
  });

  it('refuses a missing or malformed master key in Vietnamese and English', () => {
    try {
      masterKeyFromEnv({});
      expect.fail('accepted a missing key');
    } catch (e) {
      expect(e).to.be.instanceOf(KeyVaultError);
      expect((e as KeyVaultError).code).to.equal('MASTER_KEY_MISSING');
      expect((e as Error).message).to.include('Chưa cấu hình khóa chủ PKI_MASTER_KEY');
      expect((e as Error).message).to.include('PKI_MASTER_KEY is not set');
    }
    expect(codeOf(() => masterKeyFromEnv({ PKI_MASTER_KEY: 'ab'.repeat(31) }))).to.equal('MASTER_KEY_MALFORMED');
    expect(codeOf(() => masterKeyFromEnv({ PKI_MASTER_KEY: randomBytes(16).toString('base64') }))).to.equal('MASTER_KEY_MALFORMED');
    expect(codeOf(() => masterKeyFromEnv({ PKI_MASTER_KEY: 'not a key at all!' }))).to.equal('MASTER_KEY_MALFORMED');
  });

  it('seals with a fresh IV each time and opens only with the same key and context', () => {
    const secret = Buffer.from('khóa bí mật');
    const a = seal(secret, master, 'serial:1');
    const b = seal(secret, master, 'serial:1');
    expect(a.equals(b)).to.equal(false);
    expect(a.includes(secret)).to.equal(false);
    expect(open(a, master, 'serial:1').equals(secret)).to.equal(true);
    expect(codeOf(() => open(a, randomBytes(32), 'serial:1'))).to.equal('SEALED_KEY_UNREADABLE');
    expect(codeOf(() => open(a, master, 'serial:2'))).to.equal('SEALED_KEY_UNREADABLE');
    const tampered = Buffer.from(a);
    tampered[tampered.length - 1] ^= 1;
    expect(codeOf(() => open(tampered, master, 'serial:1'))).to.equal('SEALED_KEY_UNREADABLE');
    expect(codeOf(() => open(a.subarray(0, 10), master, 'serial:1'))).to.equal('SEALED_KEY_UNREADABLE');
  });

  it('round-trips a private key that still signs', () => {
    const { privateKey, publicKey } = generateRsaKeyPair();
    const blob = sealPrivateKey(privateKey, master, 'serial:ABC');
    expect(blob.includes(privateKey.export({ type: 'pkcs8', format: 'der' }).subarray(0, 64))).to.equal(false);
    const back = openPrivateKey(blob, master, 'serial:ABC');
    const data = Buffer.from('dữ liệu');
    expect(verify('sha256', data, publicKey, sign('sha256', data, back))).to.equal(true);
  });
});
