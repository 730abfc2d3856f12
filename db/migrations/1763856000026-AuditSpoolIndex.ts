import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rows appended from the API's audit spool (api/audit/auditSpool.ts) carry a `spoolId`; a flush
 * looks each one up before appending it, so a flush cut short never appends a row twice. Only
 * those rows are indexed.
 */
export class AuditSpoolIndex1763856000026 implements MigrationInterface {
  name = 'AuditSpoolIndex1763856000026';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`create index audit_log_spool_id on audit_log ((details->>'spoolId')) where details ? 'spoolId'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index audit_log_spool_id');
  }
}
