/**
 * The case folder: every file a case produces lives under `<filesDir>/cases/<caseCode>/` (apart
 * from the content-addressed uploads of infra/fileStore.ts), and paths handed to the workflow are
 * relative to `filesDir`, so the folder can move. Writes go to a temporary name first and are
 * renamed, so a retried activity never leaves half a file.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ScanMimeType } from '../../workflows/certification/types';

const CASE_CODE_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function caseFolder(caseCode: string): string {
  if (!CASE_CODE_RE.test(caseCode)) throw new Error(`unsafe case code for a folder name: ${JSON.stringify(caseCode)}`);
  return path.join('cases', caseCode);
}

export function resolveInFiles(filesDir: string, relative: string): string {
  const full = path.resolve(filesDir, relative);
  if (!full.startsWith(path.resolve(filesDir) + path.sep)) throw new Error(`path outside the files directory: ${relative}`);
  return full;
}

export async function writeCaseFile(filesDir: string, caseCode: string, name: string, content: Buffer | string): Promise<string> {
  return writeFileIn(filesDir, caseFolder(caseCode), name, content);
}

/** Writes `<folder>/<name>` under the files directory, atomically; answers the relative path. */
export async function writeFileIn(filesDir: string, folder: string, name: string, content: Buffer | string): Promise<string> {
  const relative = path.join(folder, name);
  const full = resolveInFiles(filesDir, relative);
  await fs.mkdir(path.dirname(full), { recursive: true });
  const tmp = `${full}.${process.pid}.${Date.now().toString(36)}.tmp`;
  await fs.writeFile(tmp, content);
  await fs.rename(tmp, full);
  return relative;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The file type from its first bytes (an extension proves nothing). */
export function sniffScanType(content: Buffer): ScanMimeType | undefined {
  if (content.subarray(0, 5).toString('latin1') === '%PDF-') return 'application/pdf';
  if (content.length >= 3 && content[0] === 0xff && content[1] === 0xd8 && content[2] === 0xff) return 'image/jpeg';
  if (content.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'image/png';
  return undefined;
}

export const EXTENSION_OF: Readonly<Record<ScanMimeType, string>> = { 'application/pdf': 'pdf', 'image/jpeg': 'jpg', 'image/png': 'png' };

export async function readIfExists(full: string): Promise<Buffer | undefined> {
  try {
    return await fs.readFile(full);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}
