/**
 * What the crash test checks once every case is through: nothing lost, nothing twice, nothing
 * unaudited. Reads the database `npm start` recorded in its system file, and runs the companion
 * commands (audit:verify, check:read-model) with only DATA_DIR set, so they find the system alone.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import type { CaseView } from '../../workflows/certification/types';
import { readSystemFile } from './systemFile';

export interface DrivenCase {
  code: string;
  scanFileId: string;
  scanSha256: string;
  phone: string;
  email: string;
  /** Given one more working day before submission (the citizen is told by SMS and e-mail). */
  extended?: boolean;
  view?: CaseView & { result?: { path: string } };
}

export interface Outcome {
  ok: boolean;
  lines: string[];
}

const ROOT = path.resolve(__dirname, '../..');

function sha256Of(file: string): string | undefined {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return undefined;
  }
}

/** Runs a companion command with the environment a person would have: no addresses, only where the data is. */
function companion(script: string, dataDir: string): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir };
  for (const name of ['DATABASE_URL', 'ENGINE_PORT', 'TEMPORAL_ADDRESS', 'TEMPORAL_NAMESPACE']) delete env[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts', script)], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

export async function verifyOutcome(dataDir: string, cases: DrivenCase[]): Promise<Outcome> {
  const lines: string[] = [];
  let ok = true;
  const check = (good: boolean, line: string) => {
    ok &&= good;
    lines.push(`${good ? 'ok  ' : 'FAIL'} ${line}`);
  };
  const filesDir = path.join(dataDir, 'files');
  const info = readSystemFile({ DATA_DIR: dataDir });
  if (!info?.databaseUrl) return { ok: false, lines: ['FAIL no system file with a database'] };
  const db = new Client({ connectionString: info.databaseUrl });
  await db.connect();
  try {
    const codes = cases.map((c) => c.code);
    const completed = cases.filter((c) => c.view?.status === 'completed').length;
    check(completed === cases.length, `cases completed: ${completed} / ${cases.length} (lost: ${cases.length - completed})`);
    const stored = (await db.query<{ n: number }>('select count(distinct case_code)::int as n from certification_numbers where case_code = any($1)', [codes])).rows[0]!.n;
    const rows = (await db.query<{ n: number }>('select count(*)::int as n from certification_cases')).rows[0]!.n;
    check(rows === cases.length, `case rows in the database: ${rows} for ${cases.length} cases received (no case twice, none missing)`);

    const scans = (await db.query<{ id: string; sha256: string }>('select id, sha256 from uploaded_files where id = any($1)', [cases.map((c) => c.scanFileId)])).rows;
    const bySha = new Map(scans.map((s) => [s.id, s.sha256]));
    const scansOk = cases.filter((c) => bySha.get(c.scanFileId) === c.scanSha256 && sha256Of(path.join(filesDir, c.scanSha256.slice(0, 2), c.scanSha256.slice(2, 4), c.scanSha256)) === c.scanSha256).length;
    check(scansOk === cases.length, `scans stored with their bytes: ${scansOk} / ${cases.length} (lost: ${cases.length - scansOk})`);
    const copies = cases.filter((c) => c.view?.result?.path && fs.existsSync(path.join(filesDir, c.view.result.path))).length;
    check(copies === cases.length, `certified copies on disk: ${copies} / ${cases.length}`);

    const books = (await db.query<{ book: string; n: number; distinct_seq: number; distinct_number: number; min: number; max: number }>(
      `select unit_id || '/' || year || '/' || book as book, count(*)::int as n, count(distinct seq)::int as distinct_seq,
              count(distinct number)::int as distinct_number, min(seq) as min, max(seq) as max
         from certification_numbers group by unit_id, year, book`,
    )).rows;
    const gapFree = books.every((b) => b.n === b.distinct_seq && b.n === b.distinct_number && b.min === 1 && b.max === b.n);
    check(stored === cases.length && gapFree, `numbers: ${stored} cases numbered in ${books.length} book(s), ${books.map((b) => `1…${b.max} for ${b.n} entries`).join(', ')}: unique, no gaps`);

    // One message per notice: the delivery for every case, plus the extension notice for the cases extended.
    const mail = (await db.query<{ rcpt: string; subject: string; n: number }>('select lower(r) as rcpt, subject, count(*)::int as n from mail_messages, unnest(envelope_to) r group by 1, 2')).rows;
    const mailTwice = mail.filter((m) => m.n > 1);
    const perCase = new Map<string, number>();
    for (const m of mail) perCase.set(m.rcpt, (perCase.get(m.rcpt) ?? 0) + m.n);
    const expected = (c: DrivenCase) => 1 + (c.extended ? 1 : 0);
    const complete = cases.filter((c) => perCase.get(c.email) === expected(c)).length;
    const totalMail = cases.reduce((a, c) => a + (perCase.get(c.email) ?? 0), 0);
    check(
      complete === cases.length && mailTwice.length === 0,
      `e-mails in the SMTP store: ${totalMail} to citizens, the expected ones for ${complete} / ${cases.length} cases (delivery, and the extension notice where extended), none twice${mailTwice.length ? `; twice: ${mailTwice.map((m) => `${m.rcpt} "${m.subject}"×${m.n}`).join(', ')}` : ''}`,
    );

    const sms = (await db.query<{ to_phone: string; purpose: string; n: number }>(
      'select to_phone, purpose, count(*)::int as n from sms_outbox where to_phone = any($1) group by 1, 2',
      [cases.map((c) => c.phone)],
    )).rows;
    const smsTotal = sms.reduce((a, r) => a + r.n, 0);
    const smsTwice = sms.filter((r) => r.n > 1);
    check(smsTwice.length === 0, `SMS to citizens: ${smsTotal} (${[...new Set(sms.map((r) => r.purpose))].join(', ') || 'none'}), none twice${smsTwice.length ? `; twice: ${smsTwice.map((r) => `${r.to_phone} ${r.purpose}×${r.n}`).join(', ')}` : ''}`);
  } finally {
    await db.end();
  }

  const audit = await companion('auditVerify.ts', dataDir);
  const entries = /(\d+) entries read/.exec(audit.output)?.[1] ?? '?';
  check(audit.code === 0, `audit chain (npm run audit:verify): ${audit.code === 0 ? 'intact' : 'BROKEN'}, ${entries} entries`);
  if (audit.code !== 0) lines.push(audit.output.slice(-2000));
  const readModel = await companion('checkReadModel.ts', dataDir);
  const summary = /read model: .*/.exec(readModel.output)?.[0] ?? readModel.output.slice(-500);
  check(readModel.code === 0, `${summary} (npm run check:read-model)`);
  return { ok, lines };
}
