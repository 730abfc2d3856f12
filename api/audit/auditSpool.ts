/**
 * Audit rows that cannot reach the database at once are not lost: they are written to a spool
 * file on disk (fsync'd before the request is answered) and appended to the chain, in order, as
 * soon as the database answers again. While anything waits in the spool, new rows queue behind it,
 * so the chain keeps the order in which requests were answered. Each spooled row carries a
 * `spoolId` in its details: a flush cut short between appending a row and noting its progress
 * finds the row already there and does not append it twice.
 *
 * The spool is one append-only file (`spool.jsonl`) and its progress (`spool.offset`: the bytes
 * already appended); when everything is appended, both are emptied.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { appendAudit, type AlongsideWrite, type AuditRecord } from './auditLog';

interface SpooledRow {
  spoolId: string;
  record: Omit<AuditRecord, 'at'> & { at: string };
}

export interface AuditSpool {
  /**
   * Appends the row, or spools it durably when the database cannot take it now; throws only when
   * neither works. `alongside` is written with an appended row, never with a spooled one.
   */
  record(db: DataSource, record: AuditRecord, alongside?: AlongsideWrite): Promise<'appended' | 'spooled'>;
  /** Appends what waits in the spool, in order; answers how many rows it appended. */
  flush(db: DataSource): Promise<number>;
  /** Rows waiting. */
  pending(): number;
}

/** One operation at a time on the spool's files (a flush, an append to the spool). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn);
    this.tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }
}

export function createAuditSpool(dir: string, log: (line: string) => void = (line) => console.error(line)): AuditSpool {
  const file = path.join(dir, 'spool.jsonl');
  const offsetFile = path.join(dir, 'spool.offset');
  const mutex = new Mutex();
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });

  const readOffset = () => {
    try {
      return Number(fs.readFileSync(offsetFile, 'utf8').trim()) || 0;
    } catch {
      return 0;
    }
  };
  const size = () => fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  const durableWrite = (target: string, text: string, append: boolean) => {
    const fd = fs.openSync(target, append ? 'a' : 'w', 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  };
  const waiting = () => size() > readOffset();
  let count = (() => {
    if (!waiting()) return 0;
    return fs.readFileSync(file, 'utf8').slice(readOffset()).split('\n').filter((l) => l.trim() !== '').length;
  })();

  const spool = (record: AuditRecord) =>
    mutex.run(async () => {
      const row: SpooledRow = { spoolId: randomUUID(), record: { ...record, at: record.at.toISOString() } };
      durableWrite(file, `${JSON.stringify(row)}\n`, true);
      count++;
    });

  async function appendSpooled(db: DataSource, row: SpooledRow): Promise<void> {
    const already: unknown[] = await db.query(`select 1 from audit_log where details ? 'spoolId' and details->>'spoolId' = $1 limit 1`, [row.spoolId]);
    if (already.length > 0) return;
    const { at, ...rest } = row.record;
    await appendAudit(db, { ...rest, at: new Date(at), details: { ...(rest.details ?? {}), spoolId: row.spoolId } });
  }

  return {
    async record(db, record, alongside) {
      // Rows already waiting go first: a new one queues behind them.
      if (count === 0) {
        try {
          await appendAudit(db, record, alongside);
          return 'appended';
        } catch (err) {
          log(`audit: the database did not take the row (${err instanceof Error ? err.message : String(err)}); spooled to ${file}`);
        }
      }
      await spool(record);
      return 'spooled';
    },

    flush(db) {
      return mutex.run(async () => {
        if (!waiting()) return 0;
        let offset = readOffset();
        const bytes = fs.readFileSync(file);
        let appended = 0;
        for (let end = bytes.indexOf(0x0a, offset); end >= 0; end = bytes.indexOf(0x0a, offset)) {
          const line = bytes.subarray(offset, end).toString('utf8');
          if (line.trim() !== '') {
            await appendSpooled(db, JSON.parse(line) as SpooledRow);
            appended++;
            count = Math.max(0, count - 1);
          }
          offset = end + 1;
          durableWrite(offsetFile, String(offset), false);
        }
        if (offset >= size()) {
          durableWrite(file, '', false);
          durableWrite(offsetFile, '0', false);
          count = 0;
        }
        if (appended > 0) log(`audit: ${appended} spooled row(s) appended to the chain`);
        return appended;
      });
    },

    pending: () => count,
  };
}

/** Flushes the spool every `everyMs` while the process lives (the timer does not keep it alive). */
export function flushPeriodically(spool: AuditSpool, db: DataSource, everyMs = 5_000): () => void {
  const timer = setInterval(() => {
    if (spool.pending() > 0) spool.flush(db).catch(() => undefined);
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * A request's audit row: appended, or spooled when a spool is configured and the database is away.
 * Answers whether `alongside` was written with it (not when the row was spooled or lost).
 */
export async function recordAudit(db: DataSource, spool: AuditSpool | undefined, record: AuditRecord, alongside?: AlongsideWrite): Promise<boolean> {
  try {
    if (spool) return (await spool.record(db, record, alongside)) === 'appended' && alongside !== undefined;
    await appendAudit(db, record, alongside);
    return alongside !== undefined;
  } catch (err) {
    console.error(spool ? 'audit: neither the database nor the spool took the row' : 'audit append failed', err);
    return false;
  }
}
