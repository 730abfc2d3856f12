import type { MigrationInterface, QueryRunner } from 'typeorm';
import { projectCaseFunctionSql } from './projectCaseFunctionSql';

/**
 * `project_case` tells the API when a case row moved: a notification on `case_projected` with the
 * case code, sent at commit. The reception waits on it for its new case's first projection
 * (infra/readModel/caseProjectionListener.ts) instead of polling the table.
 */
export class CaseProjectedNotice1763856000043 implements MigrationInterface {
  name = 'CaseProjectedNotice1763856000043';

  async up(q: QueryRunner): Promise<void> {
    await q.query(projectCaseFunctionSql({ replace: true, notify: true }));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(projectCaseFunctionSql({ replace: true, notify: false }));
  }
}
