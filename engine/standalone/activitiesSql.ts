/**
 * Standalone activity runs in the engine's PostgreSQL schema. The table is created with
 * `if not exists` at start, so a store made by an older engine simply gains it.
 */
import type { Pool } from 'pg';
import { decodeState, encodeState } from '../store/stateCodec';
import type { ExecutionState } from '../state';
import type { StandaloneActivityRecord, StandaloneActivityStore } from './activityRecord';

export async function ensureStandaloneActivityTable(pool: Pool, schema: string): Promise<void> {
  await pool.query(
    `create table if not exists ${schema}.standalone_activities (
       namespace text not null, activity_id text not null, run_id text not null, record jsonb not null,
       primary key (namespace, activity_id, run_id))`,
  );
}

// The run-state codec carries payload bytes through JSON; the record is plain data in the same way.
const encode = (r: StandaloneActivityRecord) => encodeState(r as unknown as ExecutionState);
const decode = (json: object) => decodeState(json) as unknown as StandaloneActivityRecord;

export function postgresStandaloneActivityStore(pool: Pool, schema: string): StandaloneActivityStore {
  return {
    async loadStandaloneActivities() {
      const r = await pool.query<{ record: object }>(`select record from ${schema}.standalone_activities`);
      return r.rows.map((row) => decode(row.record));
    },
    async saveStandaloneActivity(record) {
      await pool.query(
        `insert into ${schema}.standalone_activities (namespace, activity_id, run_id, record) values ($1, $2, $3, $4::jsonb)
         on conflict (namespace, activity_id, run_id) do update set record = excluded.record`,
        [record.namespace, record.activity.activityId, record.runId, encode(record)],
      );
    },
    async deleteStandaloneActivity(namespace, activityId, runId) {
      await pool.query(`delete from ${schema}.standalone_activities where namespace = $1 and activity_id = $2 and run_id = $3`, [namespace, activityId, runId]);
    },
  };
}
