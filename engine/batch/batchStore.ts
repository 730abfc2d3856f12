/**
 * Where batch operations are kept: in memory with the memory store, in the engine's schema with
 * the PostgreSQL store (table `batch_operations`, created if missing so an existing store
 * upgrades in place). Records are JSON; payload bytes travel as {"$b64": …}.
 */
import type { Pool } from 'pg';
import type { EngineStore } from '../store/store';
import { PostgresStore } from '../store/postgresStore';
import { ENGINE_SCHEMA } from '../store/postgresSchema';
import type { BatchRecord } from './batchRecord';

export interface BatchStore {
  init(): Promise<void>;
  save(record: BatchRecord): Promise<void>;
  all(): Promise<BatchRecord[]>;
}

export function batchStoreFor(store: EngineStore): BatchStore {
  return store instanceof PostgresStore ? new PostgresBatchStore(store.pool) : new MemoryBatchStore();
}

function encode(record: BatchRecord): string {
  return JSON.stringify(record, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { $b64: Buffer.from(value).toString('base64') };
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer' && Array.isArray((value as { data?: unknown }).data)) {
      return { $b64: Buffer.from((value as { data: number[] }).data).toString('base64') };
    }
    return value;
  });
}

function decode(json: string): BatchRecord {
  return JSON.parse(json, (_key, value: unknown) => {
    if (value && typeof value === 'object' && typeof (value as { $b64?: unknown }).$b64 === 'string' && Object.keys(value).length === 1) {
      return Buffer.from((value as { $b64: string }).$b64, 'base64');
    }
    return value;
  }) as BatchRecord;
}

class MemoryBatchStore implements BatchStore {
  private readonly records = new Map<string, string>();
  async init(): Promise<void> {}
  async save(record: BatchRecord): Promise<void> {
    this.records.set(`${record.namespace}\u0000${record.jobId}`, encode(record));
  }
  async all(): Promise<BatchRecord[]> {
    return [...this.records.values()].map(decode);
  }
}

const TABLE = `${ENGINE_SCHEMA}.batch_operations`;

class PostgresBatchStore implements BatchStore {
  constructor(private readonly pool: Pool) {}

  async init(): Promise<void> {
    await this.pool.query(
      `create table if not exists ${TABLE} (
         namespace text not null,
         job_id text not null,
         record jsonb not null,
         primary key (namespace, job_id)
       )`,
    );
  }

  async save(record: BatchRecord): Promise<void> {
    await this.pool.query(
      `insert into ${TABLE} (namespace, job_id, record) values ($1, $2, $3::jsonb)
       on conflict (namespace, job_id) do update set record = excluded.record`,
      [record.namespace, record.jobId, encode(record)],
    );
  }

  async all(): Promise<BatchRecord[]> {
    const r = await this.pool.query<{ record: string }>(`select record::text as record from ${TABLE}`);
    return r.rows.map((row) => decode(row.record));
  }
}
