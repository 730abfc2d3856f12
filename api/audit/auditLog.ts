/**
 * The append-only audit trail. Entries are chained: each hash covers the previous hash and the
 * entry's own content in a canonical form, so editing, inserting or deleting a row is detected
 * by `verifyAuditChain`. Appends are serialised by a transaction-scoped advisory lock.
 */
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntry } from '../../entities/auditEntry';

/** What a caller says; sequence number and hashes are the log's business. */
export type AuditRecord = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);
const APPEND_LOCK = 7_316_002;

/** JSON with object keys sorted at every level: jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value instanceof Date ? value.toISOString() : value);
}

export function entryHash(prevHash: string, seq: string, r: AuditRecord): string {
  const content = canonicalJson({
    seq,
    at: r.at.toISOString(),
    actorId: r.actorId,
    actorName: r.actorName,
    unitId: r.unitId,
    action: r.action,
    target: r.target,
    outcome: r.outcome,
    status: r.status,
    details: r.details,
    ip: r.ip,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

/** Appends within `manager`'s transaction when given (so the entry commits with the change it records). */
export async function appendAudit(db: DataSource | EntityManager, record: AuditRecord): Promise<{ seq: string; hash: string }> {
  const run = async (m: EntityManager) => {
    await m.query('select pg_advisory_xact_lock($1)', [APPEND_LOCK]);
    const last: Array<{ last_seq: string; hash: string }> = await m.query('select seq::text as last_seq, hash from audit_log order by seq desc limit 1');
    const seq = String(BigInt(last[0]?.last_seq ?? '0') + 1n);
    const prevHash = last[0]?.hash ?? GENESIS_HASH;
    // Milliseconds only: what timestamptz keeps is what the hash must cover.
    const at = new Date(Math.floor(record.at.getTime()));
    const hash = entryHash(prevHash, seq, { ...record, at });
    await m.query(
      `insert into audit_log (seq, at, actor_id, actor_name, unit_id, action, target, outcome, status, details, ip, prev_hash, hash)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [seq, at, record.actorId, record.actorName, record.unitId, record.action, record.target, record.outcome, record.status, canonicalJson(record.details), record.ip, prevHash, hash],
    );
    return { seq, hash };
  };
  return 'transaction' in db && 'queryRunner' in db && (db as EntityManager).queryRunner?.isTransactionActive
    ? run(db as EntityManager)
    : (db as DataSource).transaction(run);
}

export interface ChainBreak {
  seq: string;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'gap';
}

export interface ChainReport {
  entries: number;
  ok: boolean;
  firstBreak?: ChainBreak;
}

type Row = AuditRecord & { seq: string; prevHash: string; hash: string };

/** Walks the whole chain in order, in pages, and reports the first broken link. */
export async function verifyAuditChain(db: DataSource, pageSize = 1000): Promise<ChainReport> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1n;
  let entries = 0;
  for (;;) {
    const rows: Row[] = await db.query(
      `select seq::text as seq, at, actor_id as "actorId", actor_name as "actorName", unit_id as "unitId", action, target, outcome,
              status, details, ip, prev_hash as "prevHash", hash
       from audit_log where seq >= $1 order by audit_log.seq limit $2`,
      [String(expectedSeq), pageSize],
    );
    for (const row of rows) {
      if (BigInt(row.seq) !== expectedSeq) return { entries, ok: false, firstBreak: { seq: String(expectedSeq), reason: 'gap' } };
      const { seq, prevHash: linked, hash, ...record } = row;
      if (linked !== prevHash) return { entries, ok: false, firstBreak: { seq, reason: 'prev-hash-mismatch' } };
      if (entryHash(prevHash, seq, record) !== hash) return { entries, ok: false, firstBreak: { seq, reason: 'hash-mismatch' } };
      prevHash = hash;
      expectedSeq += 1n;
      entries++;
    }
    if (rows.length < pageSize) return { entries, ok: true };
  }
}
