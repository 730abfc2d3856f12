/**
 * Fills the audit trail with `total` entries over the three years, chained by the trail's own
 * hash function (api/audit/auditLog.ts `entryHash`), so `npm run audit:verify` checks them as it
 * would a real trail. Entries are built and hashed here in order and written in large batches
 * through unnest arrays, the next batch hashed while the previous one is being written.
 */
import type { DataSource } from 'typeorm';
import { canonicalJson, entryHash, GENESIS_HASH, type AuditRecord } from '../../api/audit/auditLog';
import { COMMUNES, SPAN_DAYS, scaleUnits } from './fillReadModel';

const BATCH = 20_000;
const ACTIONS = ['case.receive', 'case.sign', 'case.seal', 'case.view', 'case.list', 'auth.login', 'report.certification', 'supervision.dashboard'];

interface Batch {
  seq: string[];
  at: Date[];
  actorId: string[];
  actorName: string[];
  unitId: string[];
  action: string[];
  target: string[];
  outcome: string[];
  status: number[];
  details: string[];
  ip: string[];
  prevHash: string[];
  hash: string[];
}

export async function fillAudit(db: DataSource, total: number, now: Date, log: (s: string) => void): Promise<void> {
  const u = scaleUnits();
  const start = now.getTime() - SPAN_DAYS * 86_400_000;
  const step = (SPAN_DAYS * 86_400_000) / total;
  let prevHash = GENESIS_HASH;
  let writing: Promise<unknown> = Promise.resolve();
  const started = Date.now();
  for (let from = 0; from < total; from += BATCH) {
    const b: Batch = { seq: [], at: [], actorId: [], actorName: [], unitId: [], action: [], target: [], outcome: [], status: [], details: [], ip: [], prevHash: [], hash: [] };
    for (let i = from; i < Math.min(total, from + BATCH); i++) {
      const c = i % COMMUNES;
      const officer = u.officers[c];
      const actor = [officer.receiver, officer.leader, officer.sealer][i % 3];
      const action = ACTIONS[i % ACTIONS.length];
      const refused = i % 97 === 0;
      const record: AuditRecord = {
        at: new Date(Math.floor(start + (i + 0.5) * step)),
        actorId: actor,
        actorName: `Cán bộ xã ${c + 1}`,
        unitId: u.communeIds[c],
        action,
        target: `case:xa${c + 1}-${Math.floor(i / 5)}`,
        outcome: refused ? 'refused' : 'success',
        status: refused ? 403 : 200,
        details: { method: 'GET', path: `/api/cases/${Math.floor(i / 5)}`, ms: i % 300 },
        ip: `10.${c}.0.${i % 250}`,
      };
      const seq = String(i + 1);
      const hash = entryHash(prevHash, seq, record);
      b.seq.push(seq);
      b.at.push(record.at);
      b.actorId.push(actor);
      b.actorName.push(record.actorName!);
      b.unitId.push(record.unitId!);
      b.action.push(action);
      b.target.push(record.target!);
      b.outcome.push(record.outcome);
      b.status.push(record.status!);
      b.details.push(canonicalJson(record.details));
      b.ip.push(record.ip!);
      b.prevHash.push(prevHash);
      b.hash.push(hash);
      prevHash = hash;
    }
    await writing;
    writing = db.query(
      `insert into audit_log (seq, at, actor_id, actor_name, unit_id, action, target, outcome, status, details, ip, prev_hash, hash)
       select * from unnest($1::bigint[], $2::timestamptz[], $3::uuid[], $4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[],
                            $9::int[], $10::jsonb[], $11::text[], $12::text[], $13::text[])`,
      [b.seq, b.at, b.actorId, b.actorName, b.unitId, b.action, b.target, b.outcome, b.status, b.details, b.ip, b.prevHash, b.hash],
    );
    if ((from / BATCH) % 25 === 0) log(`  audit ${from} / ${total} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  }
  await writing;
}
