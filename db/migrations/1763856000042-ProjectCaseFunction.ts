import type { MigrationInterface, QueryRunner } from 'typeorm';
import { projectCaseFunctionSql } from './projectCaseFunctionSql';

/**
 * A case's projection written in one statement: the new events (each with its audit entry, once),
 * the case row with its supervision figures (only forward, by version) and, when the row moved,
 * its steps. The worker sent the same as eight statements in a transaction of its own
 * (activities/certification.ts `writeProjection`); one call is atomic by itself. The audit entry's
 * canonical content around its number comes from the application (`auditAppendArgs`), as for
 * every other append.
 */
export class ProjectCaseFunction1763856000042 implements MigrationInterface {
  name = 'ProjectCaseFunction1763856000042';

  async up(q: QueryRunner): Promise<void> {
    await q.query(projectCaseFunctionSql({ replace: false, notify: false }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop function project_case');
  }
}
