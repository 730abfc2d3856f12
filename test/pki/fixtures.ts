/** Certificates for tests, issued without a database: a CA, a leader and a commune seal. */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { PdfSigner } from '../../infra/pdf/signPdf';
import { ephemeralPki, type Issuer, type PersonIdentity, type UnitIdentity } from '../../infra/pki/certificates';

export const ISSUED_AT = new Date('2026-01-15T08:00:00Z');

export const LEADER: PersonIdentity = {
  officerId: '6f1c2b9e-3a4d-4e5f-8a7b-1c2d3e4f5a6b',
  fullName: 'Nguyễn Thị Ánh Tuyết',
  title: 'Phó Chủ tịch UBND xã',
  unit: { code: 'LC-TD-NN', name: 'UBND xã Nùng Năng' },
};

export const COMMUNE: UnitIdentity = { code: 'LC-TD-NN', name: 'UBND xã Nùng Năng' };

export interface TestPki {
  ca: Issuer & { serial: string };
  leader: PdfSigner & { serial: string };
  seal: PdfSigner & { serial: string };
}

/** A 2048-bit CA: the real size (3072) only slows tests down. */
export function testPki(options: { now?: Date; crlUrl?: string; caName?: string } = {}): TestPki {
  const { authority, leader, seal } = ephemeralPki({ person: LEADER, unit: COMMUNE, now: options.now ?? ISSUED_AT, caKeyBits: 2048, crlUrl: options.crlUrl, caCommonName: options.caName });
  return { ca: authority, leader, seal };
}

export const OPENSSL = '/usr/bin/openssl';
export const hasOpenssl = existsSync(OPENSSL);

/** Runs a tool and returns stdout + stderr whatever its exit code. */
export function run(file: string, args: readonly string[], input?: Buffer): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
    });
    if (input) child.stdin?.end(input);
  });
}
