/**
 * The Nexus endpoint table in the engine's PostgreSQL schema. Created with `if not exists` at
 * start rather than as a numbered migration, so a store made by an older engine simply gains it.
 */
import type { Pool } from 'pg';
import type { NexusEndpointRecord, NexusEndpointStore } from './endpointRecord';

export async function ensureNexusEndpointTable(pool: Pool, schema: string): Promise<void> {
  await pool.query(`create table if not exists ${schema}.nexus_endpoints (id text primary key, name text not null unique, record jsonb not null)`);
}

export function postgresNexusEndpointStore(pool: Pool, schema: string): NexusEndpointStore {
  return {
    async listNexusEndpoints() {
      const r = await pool.query<{ record: NexusEndpointRecord }>(`select record from ${schema}.nexus_endpoints order by name`);
      return r.rows.map((row) => row.record);
    },
    async saveNexusEndpoint(record) {
      await pool.query(
        `insert into ${schema}.nexus_endpoints (id, name, record) values ($1, $2, $3)
         on conflict (id) do update set name = excluded.name, record = excluded.record`,
        [record.id, record.name, record],
      );
    },
    async deleteNexusEndpoint(id) {
      await pool.query(`delete from ${schema}.nexus_endpoints where id = $1`, [id]);
    },
  };
}
