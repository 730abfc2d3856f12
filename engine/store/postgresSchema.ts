/** The engine's tables, created and upgraded in its own schema; an advisory lock keeps two engines from migrating at once. */
import type { Pool } from 'pg';

export const ENGINE_SCHEMA = 'temporal_engine';
const S = ENGINE_SCHEMA;

/** Each entry upgrades the schema by one version; never edit a released entry, append a new one. */
const MIGRATIONS: string[] = [
  `create table ${S}.namespaces (
     name text primary key,
     record jsonb not null
   );
   create table ${S}.executions (
     namespace text not null,
     workflow_id text not null,
     run_id text not null,
     version integer not null,
     status smallint not null,
     close_time timestamptz,
     state jsonb not null,
     primary key (namespace, workflow_id, run_id)
   );
   create index executions_open on ${S}.executions (status) where status = 1;
   create index executions_closed on ${S}.executions (namespace, close_time) where close_time is not null;
   create table ${S}.current_runs (
     namespace text not null,
     workflow_id text not null,
     run_id text not null,
     primary key (namespace, workflow_id)
   );
   create table ${S}.history (
     namespace text not null,
     workflow_id text not null,
     run_id text not null,
     event_id bigint not null,
     event bytea not null,
     primary key (namespace, workflow_id, run_id, event_id)
   );
   create table ${S}.visibility (
     namespace text not null,
     workflow_id text not null,
     run_id text not null,
     status text not null,
     start_time timestamptz not null,
     close_time timestamptz,
     record jsonb not null,
     info bytea not null,
     primary key (namespace, workflow_id, run_id)
   );
   create index visibility_start on ${S}.visibility (namespace, start_time desc);`,
  // Listings in the default order read this index a batch at a time (postgresStore listVisibility).
  `create index visibility_default_order on ${S}.visibility (namespace, close_time desc nulls first, start_time desc, run_id collate "C");`,
  // Without figures on the workflow type the planner thinks a type filter keeps few rows and sorts
  // the whole table instead of reading the ordered index until a page is full.
  `create statistics ${S}.visibility_workflow_type on ((record->>'workflowType')) from ${S}.visibility;
   analyze ${S}.visibility;`,
];

const LOCK_KEY = 7_233_001;

export async function migrateEngineSchema(pool: Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(`create schema if not exists ${S}`);
    await client.query(`create table if not exists ${S}.schema_version (version integer not null)`);
    const r = await client.query<{ version: number }>(`select version from ${S}.schema_version`);
    let version = r.rows[0]?.version ?? 0;
    if (r.rows.length === 0) await client.query(`insert into ${S}.schema_version (version) values (0)`);
    while (version < MIGRATIONS.length) {
      await client.query('begin');
      try {
        await client.query(MIGRATIONS[version]);
        await client.query(`update ${S}.schema_version set version = $1`, [version + 1]);
        await client.query('commit');
      } catch (err) {
        await client.query('rollback');
        throw err;
      }
      version++;
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.release();
  }
}
