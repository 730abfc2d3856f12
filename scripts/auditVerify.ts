/**
 * `npm run audit:verify`: recomputes the audit trail's hash chain and exits 1 at the first broken
 * link. Uses DATABASE_URL, else the database of the running system (.data/system.json), else
 * starts the embedded run database.
 */
import { resolveDatabase, type ResolvedDatabase } from '../db/databaseUrl';
import { openDatabase } from '../db/dataSource';
import { verifyAuditChain } from '../api/audit/auditLog';
import { readSystemFile } from './lib/systemFile';

async function databaseUrl(): Promise<{ url: string; owned?: ResolvedDatabase }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const info = readSystemFile();
  if (info) {
    let alive = false;
    try {
      process.kill(info.pid ?? -1, 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (alive && info.databaseUrl) return { url: info.databaseUrl };
  }
  const owned = await resolveDatabase({ purpose: 'run' });
  return { url: owned.url, owned };
}

async function main(): Promise<number> {
  const { url, owned } = await databaseUrl();
  const db = await openDatabase(url, 2);
  try {
    const report = await verifyAuditChain(db);
    if (report.ok) {
      console.log(`audit chain intact: ${report.entries} entries`);
      return 0;
    }
    console.error(`audit chain BROKEN at entry ${report.firstBreak!.seq} (${report.firstBreak!.reason}); ${report.entries} entries before it are intact`);
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
