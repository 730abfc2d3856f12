import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Certification cases as seen from outside their workflows.
 *
 * certification_cases is a projection the workflow keeps up to date (activities/certification.ts,
 * projectCase): one row per case with what lists, task inboxes and SLA dashboards filter and
 * sort on, plus the full case view. A write only lands when its version is newer, so retried or
 * reordered activity runs never move a case back. The workflow stays the source of truth.
 *
 * certification_case_events is the case's event log, keyed by the event number the workflow
 * assigns, so writing an event twice is harmless.
 */
export class CertificationCases1763856000005 implements MigrationInterface {
  name = 'CertificationCases1763856000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table certification_cases (
        case_code text primary key,
        unit_id uuid not null,
        status text not null check (status in ('receiving', 'signing', 'sealing', 'delivering', 'completed', 'refused', 'withdrawn')),
        step text check (step in ('receive', 'sign', 'seal', 'deliver')),
        step_right text,
        received_by uuid not null,
        received_at timestamptz not null,
        overall_due_at timestamptz not null,
        step_started_at timestamptz,
        step_warn_at timestamptz,
        step_due_at timestamptz,
        citizen_name text not null,
        citizen_id text not null,
        complex boolean not null default false,
        fee_vnd bigint not null default 0,
        certification_number text,
        breaches int not null default 0,
        closed_at timestamptz,
        view jsonb not null,
        updated_at timestamptz not null,
        version int not null
      );
      create index certification_cases_unit_status on certification_cases (unit_id, status, overall_due_at);
      create index certification_cases_step_due on certification_cases (step_due_at) where closed_at is null;
      create index certification_cases_overall_due on certification_cases (overall_due_at) where closed_at is null;
      create index certification_cases_received_by on certification_cases (received_by, received_at);
      create index certification_cases_received_at on certification_cases (received_at);
      create index certification_cases_citizen on certification_cases (citizen_id);

      create table certification_case_events (
        case_code text not null,
        seq int not null check (seq >= 1),
        at timestamptz not null,
        kind text not null,
        actor_id uuid,
        data jsonb not null default '{}',
        primary key (case_code, seq)
      );
      create index certification_case_events_kind on certification_case_events (kind, at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table certification_case_events;
      drop table certification_cases;
    `);
  }
}
