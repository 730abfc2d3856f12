import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes shaped after what users wait for on a province's years of cases (bench/scale.ts, the
 * plans in bench/SCALE-NOTES.md):
 * - the case lists' order (next deadline, overall deadline, code), with the unit so a page is
 *   found by walking the index and skipping other units' entries without reading the rows;
 * - search by part of a name or of a case code: trigram indexes (pg_trgm), which `ilike '%…%'`
 *   can use; the ID number keeps its btree (an exact match);
 * - the open cases of a unit by the right they wait for (inboxes, the dashboard's live counts);
 * - the dashboard's daily figures as index-only scans: receptions per unit and day with the
 *   extension counts, closures per unit and day with status, punctuality and refusal ground
 *   (replaces the narrower certification_cases_closed_at), and steps ended per unit and day with
 *   everything the per-officer and per-step figures read (replaces case_steps_unit_ended).
 */
export class CaseQueryIndexes1763856000036 implements MigrationInterface {
  name = 'CaseQueryIndexes1763856000036';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create extension if not exists pg_trgm;
      create index certification_cases_list_order on certification_cases ((coalesce(step_due_at, overall_due_at)), overall_due_at, case_code) include (unit_id);
      create index certification_cases_code_trgm on certification_cases using gin (case_code gin_trgm_ops);
      create index certification_cases_name_trgm on certification_cases using gin (citizen_name gin_trgm_ops);
      create index certification_cases_open_unit on certification_cases (unit_id, step_right) where closed_at is null;
      create index certification_cases_unit_received on certification_cases (unit_id, received_at) include (extension_count, extension_days);
      create index certification_cases_unit_closed on certification_cases (unit_id, closed_at) include (status, on_time, refusal_ground) where closed_at is not null;
      drop index certification_cases_closed_at;
      create index case_steps_unit_ended_cover on case_steps (unit_id, ended_at)
        include (officer_id, budget_minutes, outcome, late, step, working_minutes, case_code);
      drop index case_steps_unit_ended;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create index case_steps_unit_ended on case_steps (unit_id, ended_at);
      drop index case_steps_unit_ended_cover;
      create index certification_cases_closed_at on certification_cases (unit_id, closed_at) where closed_at is not null;
      drop index certification_cases_unit_closed, certification_cases_unit_received, certification_cases_open_unit,
        certification_cases_name_trgm, certification_cases_code_trgm, certification_cases_list_order;
    `);
  }
}
