import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The open cases are the newest and come last in the whole list's order, so a list of open cases
 * (by status, or overdue ones) walked the order index of every case before reaching them: the
 * same order over the open cases alone, once by their open statuses (the list's status filter)
 * and once by `closed_at is null` (the overdue filter). Fee receipts per commune and day for the
 * certification report, with the amount, so the report reads the index alone. The instant a case
 * stopped being open (its result, refusal or withdrawal; api/reports/certificationReport.ts) with
 * its reception, so the report finds the cases received before its period and still open at its
 * start without reading the years before.
 */
export class OpenCaseListIndexes1763856000040 implements MigrationInterface {
  name = 'OpenCaseListIndexes1763856000040';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create index certification_cases_open_status_order on certification_cases ((coalesce(step_due_at, overall_due_at)), overall_due_at, case_code)
        include (unit_id, status) where status in ('receiving', 'signing', 'sealing', 'delivering');
      create index certification_cases_open_order on certification_cases ((coalesce(step_due_at, overall_due_at)), overall_due_at, case_code)
        include (unit_id) where closed_at is null;
      create index fee_receipts_unit_collected on fee_receipts (unit_id, collected_at) include (amount_vnd);
      create index certification_cases_ended on certification_cases ((case when status in ('completed', 'delivering') then coalesce(result_at, closed_at)
                                                                         when status in ('refused', 'withdrawn') then closed_at end), received_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index certification_cases_ended, fee_receipts_unit_collected, certification_cases_open_order, certification_cases_open_status_order');
  }
}
