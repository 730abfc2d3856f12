/**
 * What bench:copies checks in the copies it made, with poppler as a reader would: both signatures
 * valid (pdfsig) and the certification text, Vietnamese diacritics included, extractable
 * (pdftotext). Each check returns the problems it found; none means it passed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const POPPLER = '/usr/bin';

function withFile<T>(bytes: Uint8Array, read: (file: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'bench-copy-'));
  try {
    const file = join(dir, 'copy.pdf');
    writeFileSync(file, bytes);
    return read(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function poppler(tool: string, args: string[]): { ok: true; output: string } | { ok: false; problem: string } {
  const run = spawnSync(join(POPPLER, tool), args, { encoding: 'utf8' });
  if (run.error) return { ok: false, problem: `${tool} could not run (${run.error.message}); poppler-utils is needed for the checks` };
  return { ok: true, output: `${run.stdout}${run.stderr}` };
}

/** pdfsig must find exactly `count` signatures, each "Signature is Valid.". */
export function signatureProblems(label: string, bytes: Uint8Array, count: number): string[] {
  return withFile(bytes, (file) => {
    const run = poppler('pdfsig', ['-nocert', file]);
    if (!run.ok) return [run.problem];
    const verdicts = [...run.output.matchAll(/Signature Validation: (.*)/g)].map((m) => (m[1] ?? '').trim());
    if (verdicts.length !== count) return [`${label}: pdfsig found ${verdicts.length} signatures, expected ${count}`];
    return verdicts.flatMap((v, i) => (v === 'Signature is Valid.' ? [] : [`${label}: signature ${i + 1}: ${v}`]));
  });
}

/** pdftotext of the last page must contain every phrase, whitespace runs read as one space. */
export function textProblems(label: string, bytes: Uint8Array, phrases: readonly string[]): string[] {
  return withFile(bytes, (file) => {
    const info = poppler('pdfinfo', [file]);
    if (!info.ok) return [info.problem];
    const pages = Number(/^Pages:\s+(\d+)/m.exec(info.output)?.[1]);
    const run = poppler('pdftotext', ['-f', String(pages), '-l', String(pages), file, '-']);
    if (!run.ok) return [run.problem];
    const text = run.output.normalize('NFC').replace(/\s+/g, ' ');
    return phrases.filter((p) => !text.includes(p.normalize('NFC'))).map((p) => `${label}: pdftotext does not find "${p}" on the certification page`);
  });
}
