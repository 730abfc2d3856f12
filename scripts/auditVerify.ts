/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain, with a progress bar on stderr,
 * and lists every broken link (exit 1) or says it is intact (exit 0). Uses DATABASE_URL, else the
 * database of the running system (.data/system.json), else starts the embedded run database.
 *
 * A long trail is checked in stretches side by side, one process per core (AUDIT_VERIFY_PROCESSES,
 * default the machine's cores; 1 checks in this process): an entry's hash is judged from its own
 * row, and the links between stretches from where each ended and the next began (`joinRanges`).
 * Hashing is what bounds one process (about 100,000 entries a second), not PostgreSQL's reading.
 */
import { fork } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { resolveDatabase, type ResolvedDatabase } from '../db/databaseUrl';
import { createDataSource, openDatabase } from '../db/dataSource';
import { joinRanges, verifyAuditChain, verifyAuditRange, type ChainReport, type RangeReport } from '../api/audit/auditLog';
import { progressBar } from './lib/progressBar';
import { runningSystem } from './lib/systemFile';

async function databaseUrl(): Promise<{ url: string; owned?: ResolvedDatabase }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const running = runningSystem();
  if (running?.databaseUrl) return { url: running.databaseUrl };
  const owned = await resolveDatabase({ purpose: 'run' });
  return { url: owned.url, owned };
}

/** Below this many entries one process does it sooner than starting others. */
const STRETCHES_FROM = 200_000;

type FromStretch = { entries: number } | { report: RangeReport };

/** A child's part: the stretch named in its arguments, its progress and report sent to the parent. */
async function checkStretch(url: string, from: bigint, to: bigint): Promise<void> {
  // The parent brought the schema up to date; a stretch only reads.
  const db = await createDataSource(url, 1).initialize();
  try {
    const report = await verifyAuditRange(db, { from, to }, undefined, (entries) => process.send!({ entries } satisfies FromStretch));
    await new Promise<void>((resolve) => process.send!({ report } satisfies FromStretch, () => resolve()));
  } finally {
    await db.destroy();
  }
}

async function inStretches(url: string, last: bigint, processes: number, onProgress: (entries: number) => void): Promise<ChainReport> {
  const size = last / BigInt(processes) + 1n;
  const done = new Array<number>(processes).fill(0);
  const stretches = Array.from({ length: processes }, (_, i) => {
    const from = 1n + BigInt(i) * size;
    const to = i === processes - 1 ? last : from + size - 1n;
    return new Promise<{ from: bigint; report: RangeReport }>((resolve, reject) => {
      const child = fork(__filename, ['--stretch', String(from), String(to)], { env: { ...process.env, DATABASE_URL: url }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      let report: RangeReport | undefined;
      child.on('message', (m: FromStretch) => {
        if ('report' in m) report = m.report;
        else {
          done[i] = m.entries;
          onProgress(done.reduce((a, b) => a + b, 0));
        }
      });
      child.once('error', reject);
      child.once('exit', (code) => (report ? resolve({ from, report }) : reject(new Error(`the check of entries ${from}…${to} stopped (exit ${code})`))));
    });
  });
  return joinRanges(await Promise.all(stretches));
}

async function main(): Promise<number> {
  const { url, owned } = await databaseUrl();
  const db = await openDatabase(url, 2);
  try {
    // The last number, not a count: read from the key's index at once, where count(*) reads every row.
    const total: Array<{ n: string }> = await db.query('select coalesce(max(seq), 0)::text as n from audit_log');
    const last = BigInt(total[0]!.n);
    const started = Date.now();
    const bar = progressBar(process.stderr, Number(last), 'entries');
    const processes = Math.max(1, Number(process.env.AUDIT_VERIFY_PROCESSES || availableParallelism()));
    const stretched = processes > 1 && (last >= STRETCHES_FROM || Boolean(process.env.AUDIT_VERIFY_PROCESSES));
    const report = stretched ? await inStretches(url, last, processes, bar.update) : await verifyAuditChain(db, undefined, bar.update);
    bar.finish();
    const seconds = (Date.now() - started) / 1000;
    console.log(`${report.entries} entries read in ${seconds.toFixed(1)} s (${Math.round(report.entries / Math.max(seconds, 0.001))} entries/s)`);
    if (report.ok) {
      console.log('audit chain intact');
      return 0;
    }
    console.error(`audit chain BROKEN: ${report.breakCount} broken link(s)`);
    for (const b of report.breaks) console.error(`  entry ${b.seq}${b.toSeq && b.toSeq !== b.seq ? `..${b.toSeq}` : ''}: ${b.reason}`);
    if (report.breakCount > report.breaks.length) console.error(`  … and ${report.breakCount - report.breaks.length} more`);
    return 1;
  } finally {
    await db.destroy();
    await owned?.stop();
  }
}

const stretch = process.argv.indexOf('--stretch');
const run = stretch >= 0 ? () => checkStretch(process.env.DATABASE_URL!, BigInt(process.argv[stretch + 1]!), BigInt(process.argv[stretch + 2]!)).then(() => 0) : main;

run().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
