/**
 * Private keys at rest: PKCS#8 DER sealed with AES-256-GCM.
 *
 * Why: the database holds the CA key and every signer's key; a dump of it must not be enough to
 * sign. The 32-byte master key (PKI_MASTER_KEY) never touches the database. It is not used
 * directly: HKDF-SHA256 derives the AES key with a purpose label, so the same master key could
 * later protect other things without key reuse. Each sealed blob carries a random 96-bit IV and
 * the GCM tag, and the caller's context (the certificate serial) is bound as additional data,
 * so a ciphertext copied onto another certificate's row fails to open.
 *
 * Blob layout: version (1 byte = 1) | IV (12) | tag (16) | ciphertext.
 */
import { createCipheriv, createDecipheriv, createPrivateKey, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_LABEL = 'chung-thuc/pki/private-key/v1';

export class KeyVaultError extends Error {
  constructor(
    readonly code: 'MASTER_KEY_MISSING' | 'MASTER_KEY_MALFORMED' | 'SEALED_KEY_UNREADABLE',
    readonly messageVi: string,
    readonly messageEn: string,
  ) {
    super(`${messageVi} / ${messageEn}`);
    this.name = 'KeyVaultError';
  }
}

/** Reads PKI_MASTER_KEY: 64 hex characters, or base64 of exactly 32 bytes. */
export function masterKeyFromEnv(env: NodeJS.ProcessEnv = process.env): Buffer {
  const raw = env.PKI_MASTER_KEY?.trim();
  if (!raw) {
    throw new KeyVaultError(
      'MASTER_KEY_MISSING',
      'Chưa cấu hình khóa chủ PKI_MASTER_KEY (32 byte, dạng 64 ký tự hex hoặc base64) để mã hóa khóa bí mật của chứng thư số.',
      'PKI_MASTER_KEY is not set: it must be 32 bytes, as 64 hex characters or base64, and encrypts the certificates\' private keys.',
    );
  }
  const key = parseMasterKey(raw);
  if (!key) {
    throw new KeyVaultError(
      'MASTER_KEY_MALFORMED',
      'Khóa chủ PKI_MASTER_KEY không hợp lệ: cần đúng 32 byte, dạng 64 ký tự hex hoặc base64.',
      'PKI_MASTER_KEY is malformed: it must be exactly 32 bytes, as 64 hex characters or base64.',
    );
  }
  return key;
}

function parseMasterKey(raw: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(raw)) return null;
  const bytes = Buffer.from(raw, raw.includes('-') || raw.includes('_') ? 'base64url' : 'base64');
  return bytes.length === 32 ? bytes : null;
}

function assertMasterKey(masterKey: Buffer): void {
  if (masterKey.length !== 32) {
    throw new KeyVaultError('MASTER_KEY_MALFORMED', 'Khóa chủ phải dài đúng 32 byte.', 'The master key must be exactly 32 bytes.');
  }
}

function dataKey(masterKey: Buffer): Buffer {
  assertMasterKey(masterKey);
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), KEY_LABEL, 32));
}

/** Encrypts arbitrary bytes; `context` must be given again to open them. */
export function seal(plain: Buffer, masterKey: Buffer, context: string): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey(masterKey), iv);
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const body = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, cipher.getAuthTag(), body]);
}

export function open(blob: Buffer, masterKey: Buffer, context: string): Buffer {
  const key = dataKey(masterKey);
  if (blob.length < 1 + IV_BYTES + TAG_BYTES || blob[0] !== VERSION) throw unreadable();
  const iv = blob.subarray(1, 1 + IV_BYTES);
  const tag = blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(context, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw unreadable();
  }
}

function unreadable(): KeyVaultError {
  return new KeyVaultError(
    'SEALED_KEY_UNREADABLE',
    'Không giải mã được khóa bí mật: sai khóa chủ PKI_MASTER_KEY hoặc dữ liệu đã bị thay đổi.',
    'The private key cannot be decrypted: wrong PKI_MASTER_KEY or altered data.',
  );
}

export function sealPrivateKey(privateKey: KeyObject, masterKey: Buffer, context: string): Buffer {
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  try {
    return seal(der, masterKey, context);
  } finally {
    der.fill(0);
  }
}

export function openPrivateKey(blob: Buffer, masterKey: Buffer, context: string): KeyObject {
  const der = open(blob, masterKey, context);
  try {
    return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } finally {
    der.fill(0);
  }
}
