/**
 * Schedules in the PostgreSQL store: one row per schedule holding its whole record as JSON.
 * The table is created with `if not exists` at start, so stores made before schedules existed
 * upgrade in place.
 */
import type { Pool } from 'pg';
import { ENGINE_SCHEMA } from './postgresSchema';
import type { StoredSchedule } from './store';

const S = ENGINE_SCHEMA;

export async function ensureScheduleTable(pool: Pool): Promise<void> {
  await pool.query(`create table if not exists ${S}.schedules (
     namespace text not null,
     schedule_id text not null,
     record text not null,
     primary key (namespace, schedule_id)
   )`);
}

export async function listScheduleRows(pool: Pool): Promise<StoredSchedule[]> {
  const r = await pool.query<{ namespace: string; schedule_id: string; record: string }>(`select namespace, schedule_id, record from ${S}.schedules`);
  return r.rows.map((row) => ({ namespace: row.namespace, scheduleId: row.schedule_id, record: row.record }));
}

export async function saveScheduleRow(pool: Pool, row: StoredSchedule): Promise<void> {
  await pool.query(
    `insert into ${S}.schedules (namespace, schedule_id, record) values ($1, $2, $3)
     on conflict (namespace, schedule_id) do update set record = excluded.record`,
    [row.namespace, row.scheduleId, row.record],
  );
}

export async function deleteScheduleRow(pool: Pool, namespace: string, scheduleId: string): Promise<void> {
  await pool.query(`delete from ${S}.schedules where namespace = $1 and schedule_id = $2`, [namespace, scheduleId]);
}
