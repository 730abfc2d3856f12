import type { MigrationInterface, QueryRunner } from 'typeorm';
import { projectCaseFunctionSql } from './projectCaseFunctionSql';

/**
 * A case row keeps the workflow run that wrote it (`run_id`), and `project_case` lets a write of
 * another run in whatever its version: a reset (from the API, `npm run workflow:reset`, or the
 * cluster's own tools) starts a new run at an earlier version than the one it ended, whose writes
 * the forward-only rule turned away until it had made as many changes. Rows written before keep no
 * run until their next write, and move by version alone until then.
 */
export class CaseProjectionRun1763856000045 implements MigrationInterface {
  name = 'CaseProjectionRun1763856000045';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table certification_cases add column run_id text');
    await q.query(projectCaseFunctionSql({ replace: true, notify: true, byRun: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(projectCaseFunctionSql({ replace: true, notify: true }));
    await q.query('alter table certification_cases drop column run_id');
  }
}
