import type { DataSource, EntityManager } from 'typeorm';

/**
 * The rows an UPDATE … RETURNING gave back. On PostgreSQL, TypeORM answers UPDATE and DELETE
 * with `[rows, rowCount]` rather than the rows, and a non-empty pair would read as "a row
 * matched" even when none did.
 */
export async function updateReturning<T>(db: DataSource | EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const raw: unknown = await db.query(sql, params);
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}
