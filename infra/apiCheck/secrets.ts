/**
 * Session passwords of configured APIs at rest: AES-256-GCM under a key derived (HKDF-SHA256,
 * its own purpose label) from PKI_MASTER_KEY, bound to the configured API's id, so a database
 * dump does not reveal them and a sealed value copied onto another row does not open.
 * Layout: version (1) | IV (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { masterKeyFromEnv } from '../pki/keyVault';

const LABEL = 'chung-thuc/api-check/session-password/v1';

function keyOf(masterKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), LABEL, 32));
}

export function secretKeyOf(configured: Buffer | undefined): Buffer {
  return configured ?? masterKeyFromEnv();
}

export function sealSecret(plain: string, masterKey: Buffer, endpointId: string): Buffer {
  const iv = randomBytes(12);
  const c = createCipheriv('aes-256-gcm', keyOf(masterKey), iv);
  c.setAAD(Buffer.from(endpointId));
  const data = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
  return Buffer.concat([Buffer.from([1]), iv, c.getAuthTag(), data]);
}

export function openSecret(blob: Buffer, masterKey: Buffer, endpointId: string): string {
  const d = createDecipheriv('aes-256-gcm', keyOf(masterKey), blob.subarray(1, 13));
  d.setAAD(Buffer.from(endpointId));
  d.setAuthTag(blob.subarray(13, 29));
  return Buffer.concat([d.update(blob.subarray(29)), d.final()]).toString('utf8');
}
