/**
 * The append-only audit trail. Entries are chained: each hash covers the previous hash and the
 * entry's own content in a canonical form, so editing, inserting or deleting a row is detected
 * by `verifyAuditChain`. Appends are serialised by a transaction-scoped advisory lock.
 *
 * The hash covers exactly what PostgreSQL stores: before hashing, an entry's text is made
 * storable (`storable`) — a lone surrogate becomes U+FFFD, as the driver would write it; a NUL,
 * which text and jsonb refuse, becomes "␀"; very long strings, deep nesting and long lists are cut
 * with a visible mark — so whatever a caller sent, the row and its hash agree.
 */
import { hash } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';
import type { AuditEntry } from '../../entities/auditEntry';

/** What a caller says; sequence number and hashes are the log's business. */
export type AuditRecord = Omit<AuditEntry, 'seq' | 'prevHash' | 'hash'>;

export const GENESIS_HASH = '0'.repeat(64);

/** Longest string, deepest nesting and longest list an entry keeps; beyond, a visible mark. */
export const AUDIT_TEXT_MAX = 4000;
const AUDIT_DEPTH_MAX = 8;
const AUDIT_LIST_MAX = 200;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** A string as PostgreSQL text can hold it, and as the hash must see it. */
export function storableText(value: string): string {
  // Cut first: a cut through a surrogate pair leaves a lone half, which the next step replaces.
  const cut = value.length > AUDIT_TEXT_MAX ? `${value.slice(0, AUDIT_TEXT_MAX)}… (+${value.length - AUDIT_TEXT_MAX} ký tự)` : value;
  return cut.replace(LONE_SURROGATE, '\ufffd').replace(/\u0000/g, '\u2400');
}

/** A value as the audit row will hold it (see the module's comment); dates stay dates. */
export function storable(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return storableText(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return typeof value === 'number' && !Number.isFinite(value) ? null : value;
  if (depth >= AUDIT_DEPTH_MAX) return '[…]';
  if (Array.isArray(value)) {
    const kept = value.slice(0, AUDIT_LIST_MAX).map((v) => storable(v, depth + 1));
    return value.length > AUDIT_LIST_MAX ? [...kept, `… (+${value.length - AUDIT_LIST_MAX})`] : kept;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>).slice(0, AUDIT_LIST_MAX)) {
    // An undefined member is no member: jsonb would not keep it.
    if (v !== undefined) out[storableText(k)] = storable(v, depth + 1);
  }
  return out;
}

function storableRecord(r: AuditRecord): AuditRecord {
  const opt = (v: string | null) => (v === null ? null : storableText(v));
  return {
    ...r,
    actorName: opt(r.actorName),
    action: storableText(r.action),
    target: opt(r.target),
    ip: opt(r.ip),
    details: storable(r.details ?? {}) as AuditRecord['details'],
  };
}

/** JSON with object keys sorted at every level: jsonb does not keep key order. */
export function canonicalJson(value: unknown): string {
  // Written with loops, not map/filter/sort of entries: audit:verify runs it for millions of rows.
  if (value === null || typeof value !== 'object') return JSON.stringify(value) as string;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) {
    let out = '[';
    // An element JSON cannot write (undefined) was written as nothing, as Array.prototype.join does.
    for (let i = 0; i < value.length; i++) out += (i ? ',' : '') + ((canonicalJson(value[i]) as string | undefined) ?? '');
    return `${out}]`;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  let out = '{';
  let first = true;
  for (const k of keys) {
    const v = o[k];
    if (v === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(v)}`;
    first = false;
  }
  return `${out}}`;
}

/** One member of a canonical object: `,"key":value`, nothing for an undefined value (as in canonicalJson). */
// The keys are plain names, so `"${key}"` is their JSON: audit:verify writes eleven members for every row.
const member = (key: string, value: unknown) => (value === undefined ? '' : `,"${key}":${typeof value === 'string' ? JSON.stringify(value) : canonicalJson(value)}`);

/**
 * What the hash covers, given the instant as its ISO text, around the entry's number: exactly
 * `canonicalJson` of the entry's members is `head` + `"seq":"<seq>"` + `tail`, written here in that
 * function's key order (auditLog.test.ts holds the two together) without building and sorting an
 * object per entry. The two parts are what the database's `audit_append` numbers and hashes.
 */
function contentAroundSeq(atIso: string, r: Omit<AuditRecord, 'at'>): [head: string, tail: string] {
  // "action" is always there, so the members before the number are never empty.
  const before = member('action', r.action) + member('actorId', r.actorId) + member('actorName', r.actorName) + member('at', atIso) + member('details', r.details) + member('ip', r.ip) + member('outcome', r.outcome);
  const after = member('status', r.status) + member('target', r.target) + member('unitId', r.unitId);
  return [`{${before.slice(1)},`, `${after}}`];
}

function entryContent(seq: string, atIso: string, r: Omit<AuditRecord, 'at'>): string {
  const [head, tail] = contentAroundSeq(atIso, r);
  return `${head}"seq":${JSON.stringify(seq)}${tail}`;
}

function hashOf(prevHash: string, content: string): string {
  // One-shot hashing: no Hash object per entry.
  return hash('sha256', `${prevHash}\n${content}`, 'hex');
}

export function entryHash(prevHash: string, seq: string, r: AuditRecord): string {
  return hashOf(prevHash, entryContent(seq, r.at.toISOString(), r));
}

/**
 * Appends one entry in one statement (`audit_append`, migration 041: lock, number, hash, insert);
 * within `db`'s transaction when it is a manager in one, so the entry commits with the change it records.
 */
export async function appendAudit(db: DataSource | EntityManager, record: AuditRecord, alongside?: AlongsideWrite): Promise<{ seq: string; hash: string }> {
  const append = 'select seq, hash from audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)';
  const args = auditAppendArgs(record);
  const rows: Array<{ seq: string; hash: string }> = alongside
    ? await db.query(`with alongside as (${alongside.sql(args.length + 1)}) ${append}`, [...args, ...alongside.params])
    : await db.query(append, args);
  return rows[0]!;
}

/**
 * A write that commits with an audit entry, in the same statement (one round trip instead of two):
 * its SQL, given the number of its first placeholder, and its parameters.
 */
export interface AlongsideWrite {
  sql(firstParam: number): string;
  params: unknown[];
}

/**
 * The arguments of `audit_append` for an entry, in its order: for a caller that appends inside a
 * statement of its own (the case projection's `project_case`).
 */
export function auditAppendArgs(record: AuditRecord): [at: string, actorId: string | null, actorName: string | null, unitId: string | null, action: string, target: string | null, outcome: string, status: number | null, details: string, ip: string | null, head: string, tail: string] {
  // Milliseconds only: what timestamptz keeps is what the hash must cover.
  const at = new Date(Math.floor(record.at.getTime())).toISOString();
  const stored = storableRecord(record);
  const [head, tail] = contentAroundSeq(at, stored);
  return [at, stored.actorId, stored.actorName, stored.unitId, stored.action, stored.target, stored.outcome, stored.status, canonicalJson(stored.details), stored.ip, head, tail];
}

export interface ChainBreak {
  /** The entry at fault; for a gap, the first missing number. */
  seq: string;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'gap';
  /** For a gap: the last missing number. */
  toSeq?: string;
}

export interface ChainReport {
  /** Entries read. */
  entries: number;
  ok: boolean;
  firstBreak?: ChainBreak;
  /** Every break found, in order (at most MAX_BREAKS_LISTED; `breakCount` counts them all). */
  breaks: ChainBreak[];
  breakCount: number;
}

/** A stretch of the chain checked on its own: its ends, so the stretches can be joined. */
export interface RangeReport extends ChainReport {
  /** The first entry read and the hash it names as its predecessor's (not judged within the stretch). */
  first?: { seq: string; linked: string };
  /** The last entry read and its hash. */
  last?: { seq: string; hash: string };
}

export const MAX_BREAKS_LISTED = 1000;

/** A page of the trail as text columns in array rows: no Date or row object per entry. */
// Ordered by the column, not by the text of the same name in the select list.
const PAGE_SQL = `select seq::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), actor_id, actor_name, unit_id, action,
         target, outcome, status, details::text, ip, prev_hash, hash
  from audit_log where audit_log.seq >= $1 and audit_log.seq <= $3 order by audit_log.seq limit $2`;

type PageRow = [string, string, string | null, string | null, string | null, string, string | null, AuditRecord['outcome'], number | null, string, string | null, string, string];

interface ArrayQueryable {
  query(config: { text: string; values: unknown[]; rowMode: 'array' }): Promise<{ rows: PageRow[] }>;
}

/**
 * Walks the whole chain in order, in pages, and reports every broken link: an entry whose content
 * no longer gives its hash, one that does not name its predecessor's hash, and every run of
 * missing numbers. After a break the walk goes on from the entry as stored, so one altered row
 * does not hide a later one. `onProgress` hears the entries read so far.
 *
 * Speed (`npm run audit:verify` reads millions of rows): one connection of its own reads the
 * pages as text arrays, and the next page is already on its way while this one is hashed.
 */
export async function verifyAuditChain(db: DataSource, pageSize = 10_000, onProgress?: (entries: number) => void): Promise<ChainReport> {
  const { first: _first, last: _last, ...report } = await verifyAuditRange(db, { from: 1n }, pageSize, onProgress);
  return report;
}

/**
 * Checks the entries numbered `from`…`to` (to the end without `to`). Each entry's hash is judged
 * from its own row, so stretches can be checked side by side (`npm run audit:verify` does, one
 * process per core) and joined with `joinRanges`; the first entry's link to its predecessor is
 * judged only when the stretch starts at the genesis.
 */
export async function verifyAuditRange(db: DataSource, range: { from: bigint; to?: bigint }, pageSize = 10_000, onProgress?: (entries: number) => void): Promise<RangeReport> {
  let prevHash: string | undefined = range.from === 1n ? GENESIS_HASH : undefined;
  let expectedSeq = range.from;
  let entries = 0;
  let first: RangeReport['first'];
  const breaks: ChainBreak[] = [];
  let breakCount = 0;
  const broke = (b: ChainBreak) => {
    breakCount++;
    if (breaks.length < MAX_BREAKS_LISTED) breaks.push(b);
  };
  const upTo = String(range.to ?? 9_223_372_036_854_775_807n);
  const runner = db.createQueryRunner();
  const client = (await runner.connect()) as ArrayQueryable;
  const fetch = (from: bigint) => client.query({ text: PAGE_SQL, values: [String(from), pageSize, upTo], rowMode: 'array' }).then((r) => r.rows);
  try {
    let pending = fetch(expectedSeq);
    for (;;) {
      const rows = await pending;
      const last = rows[rows.length - 1];
      // The next page is read while this one is hashed.
      if (rows.length === pageSize) pending = fetch(BigInt(last[0]) + 1n);
      for (const [seq, at, actorId, actorName, unitId, action, target, outcome, status, details, ip, linked, hash] of rows) {
        const seqNo = BigInt(seq);
        first ??= { seq, linked };
        // Numbers missing at a stretch's start are the join's business: the stretch before knows where it ended.
        if (seqNo !== expectedSeq && prevHash !== undefined) broke({ seq: String(expectedSeq), toSeq: String(seqNo - 1n), reason: 'gap' });
        // After a gap the predecessor's hash is unknown: the link cannot be judged, the content can.
        if (seqNo === expectedSeq && prevHash !== undefined && linked !== prevHash) broke({ seq, reason: 'prev-hash-mismatch' });
        const record = { actorId, actorName, unitId, action, target, outcome, status, details: JSON.parse(details) as AuditRecord['details'], ip };
        if (hashOf(linked, entryContent(seq, at, record)) !== hash) broke({ seq, reason: 'hash-mismatch' });
        prevHash = hash;
        expectedSeq = seqNo + 1n;
        entries++;
      }
      onProgress?.(entries);
      if (rows.length < pageSize) {
        const lastSeen = entries > 0 && prevHash !== undefined ? { seq: String(expectedSeq - 1n), hash: prevHash } : undefined;
        return { entries, ok: breakCount === 0, ...(breaks[0] ? { firstBreak: breaks[0] } : {}), breaks, breakCount, ...(first ? { first } : {}), ...(lastSeen ? { last: lastSeen } : {}) };
      }
    }
  } finally {
    await runner.release();
  }
}

/**
 * The report of the whole chain from the reports of consecutive stretches (in order): the links
 * and gaps between them are judged here, from where each stretch ended and the next began.
 */
export function joinRanges(ranges: Array<{ from: bigint; report: RangeReport }>): ChainReport {
  const breaks: ChainBreak[] = [];
  let breakCount = 0;
  let entries = 0;
  let before: RangeReport['last'] | undefined;
  let expected = 1n;
  for (const { from, report } of ranges) {
    const start = report.first;
    if (start && from > 1n) {
      const startNo = BigInt(start.seq);
      if (startNo !== expected) {
        breakCount++;
        breaks.push({ seq: String(expected), toSeq: String(startNo - 1n), reason: 'gap' });
      } else if (before && start.linked !== before.hash) {
        breakCount++;
        breaks.push({ seq: start.seq, reason: 'prev-hash-mismatch' });
      }
    }
    breaks.push(...report.breaks);
    breakCount += report.breakCount;
    entries += report.entries;
    if (report.last) {
      before = report.last;
      expected = BigInt(report.last.seq) + 1n;
    }
  }
  const kept = breaks.slice(0, MAX_BREAKS_LISTED);
  return { entries, ok: breakCount === 0, ...(kept[0] ? { firstBreak: kept[0] } : {}), breaks: kept, breakCount };
}
