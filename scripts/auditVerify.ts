/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain, with a progress bar on stderr,
 * and lists every broken link (exit 1) or says it is intact (exit 0). Uses DATABASE_URL, else the
 * database of the running system (.data/system.json), else starts the embedded run database.
 */
import { resolveDatabase, type ResolvedDatabase } from '../db/databaseUrl';
import { openDatabase } from '../db/dataSource';
import { verifyAuditChain } from '../api/audit/auditLog';
import { progressBar } from './lib/progressBar';
import { runningSystem } from './lib/systemFile';

async function databaseUrl(): Promise<{ url: string; owned?: ResolvedDatabase }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const running = runningSystem();
  if (running?.databaseUrl) return { url: running.databaseUrl };
  const owned = await resolveDatabase({ purpose: 'run' });
  return { url: owned.url, owned };
}

async function main(): Promise<number> {
  const { url, owned } = await databaseUrl();
  const db = await openDatabase(url, 2);
  try {
    // The last number, not a count: read from the key's index at once, where count(*) reads every row.
    const total: Array<{ n: string }> = await db.query('select coalesce(max(seq), 0)::text as n from audit_log');
    const started = Date.now();
    const bar = progressBar(process.stderr, Number(total[0]!.n), 'entries');
    const report = await verifyAuditChain(db, undefined, bar.update);
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

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
