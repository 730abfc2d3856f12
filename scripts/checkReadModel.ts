/**
 * `npm run check:read-model -- [closedWithinDays] [--repair]`: compares the supervision read
 * model with the workflows' own state for every open case and every case closed in the last
 * `closedWithinDays` days (default 1), prints each difference, and exits 1 when a case differs.
 * With `--repair` the cases that differ are rewritten from their workflow's view (the workflow is
 * the source of truth) and checked again.
 * Uses DATABASE_URL, else the database of the running system (.data/system.json); Temporal as
 * configured (TEMPORAL_ADDRESS… or ENGINE_PORT), else the engine and namespace of the running system.
 */
import { openDatabase } from '../db/dataSource';
import { casesToCheck, checkReadModel } from '../api/supervision/consistency';
import { rewriteFromView } from '../infra/readModel/caseReadModel';
import { connectClient, temporalTarget } from '../infra/temporalClient';
import { caseViewQuery, certificationWorkflowId } from '../workflows/certification/messages';
import { companionDatabaseUrl, companionEnv } from './lib/systemFile';

function databaseUrl(): string {
  const url = companionDatabaseUrl();
  if (!url) throw new Error('DATABASE_URL is not set and no running system was found (npm start)');
  return url;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const repair = args.includes('--repair');
  const daysArg = args.find((a) => a !== '--repair');
  const days = Number(daysArg ?? 1);
  if (!Number.isInteger(days) || days < 0) throw new Error(`closedWithinDays must be a whole number of days, got ${daysArg}`);
  const db = await openDatabase(databaseUrl(), 2);
  const client = await connectClient(temporalTarget(companionEnv()));
  try {
    const units: Array<{ id: string }> = await db.query('select id from units');
    const codes = await casesToCheck(db, units.map((u) => u.id), new Date(Date.now() - days * 86_400_000), client);
    let report = await checkReadModel(db, client, codes);
    for (const m of report.mismatches) console.error(`${m.caseCode}: ${m.differences.join('; ')}`);
    if (repair && report.mismatches.length > 0) {
      for (const m of report.mismatches) {
        const view = await client.workflow.getHandle(certificationWorkflowId(m.caseCode)).query(caseViewQuery);
        await rewriteFromView(db, view.unit.id, view);
        console.log(`${m.caseCode}: rewritten from the workflow's view (version ${view.version})`);
      }
      report = await checkReadModel(db, client, codes);
    }
    for (const u of report.unreachable) console.warn(`${u.caseCode}: ${u.reason}`);
    for (const p of report.pending) console.warn(`${p.caseCode}: workflow at version ${p.workflowVersion}, read model at ${p.storedVersion} (being written)`);
    console.log(
      `read model: ${report.checked} cases checked, ${report.consistent} consistent, ${report.mismatches.length} mismatched, ${report.pending.length} pending, ${report.unreachable.length} unreachable`,
    );
    return report.mismatches.length > 0 ? 1 : 0;
  } finally {
    await client.connection.close();
    await db.destroy();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
