import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The read model supervisors and reports count from, written by the workflow's projection
 * activity in the same transaction as the case row (see domain/supervision/readModel.ts):
 * per case the figures a report needs without opening the view, and one row per step the case
 * went through — who ended it, its budget, the working minutes it took and whether it was late.
 * Rows of a case are replaced whole with each newer version, so they always match one view.
 */
export class SupervisionReadModel1763856000018 implements MigrationInterface {
  name = 'SupervisionReadModel1763856000018';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table certification_cases
        add column copies int not null default 0 check (copies >= 0),
        add column refusal_ground text,
        add column extension_count int not null default 0 check (extension_count >= 0),
        add column extension_days int not null default 0 check (extension_days >= 0),
        add column warnings int not null default 0 check (warnings >= 0),
        add column result_at timestamptz,
        add column on_time boolean;
      create index certification_cases_closed_at on certification_cases (unit_id, closed_at) where closed_at is not null;

      create table case_steps (
        case_code text not null references certification_cases (case_code) on delete cascade,
        idx int not null check (idx >= 0),
        unit_id uuid not null,
        step text not null check (step in ('receive', 'sign', 'seal', 'deliver')),
        started_at timestamptz not null,
        ended_at timestamptz,
        due_at timestamptz,
        budget_minutes int check (budget_minutes > 0),
        working_minutes int check (working_minutes >= 0),
        officer_id uuid,
        officer_name text,
        outcome text,
        late boolean,
        primary key (case_code, idx)
      );
      create index case_steps_unit_ended on case_steps (unit_id, ended_at);
      create index case_steps_officer_ended on case_steps (officer_id, ended_at);

      -- Cases projected before this migration: the same figures from their stored views (working
      -- minutes appear with the next projection of a case, older views do not carry them).
      update certification_cases set
        copies = coalesce((select sum((d->>'copies')::int) from jsonb_array_elements(view->'documents') d), 0),
        refusal_ground = view->'refusal'->>'ground',
        extension_count = jsonb_array_length(coalesce(view->'extensions', '[]'::jsonb)),
        extension_days = coalesce((select sum((e->>'workingDays')::int) from jsonb_array_elements(coalesce(view->'extensions', '[]'::jsonb)) e), 0),
        warnings = jsonb_array_length(coalesce(view->'warnings', '[]'::jsonb)),
        result_at = case when status in ('completed', 'delivering') then (view->'delivery'->>'at')::timestamptz end,
        on_time = case when status in ('completed', 'delivering') and view->'delivery' is not null
                       then (view->'delivery'->>'at')::timestamptz <= overall_due_at end;
      insert into case_steps (case_code, idx, unit_id, step, started_at, ended_at, due_at, budget_minutes, working_minutes,
                              officer_id, officer_name, outcome, late)
      select c.case_code, (t.ord - 1)::int, c.unit_id, t.s->>'step', (t.s->>'startedAt')::timestamptz, (t.s->>'endedAt')::timestamptz,
             (t.s->>'dueAt')::timestamptz, round((t.s->>'budgetHours')::numeric * 60)::int, (t.s->>'workingMinutes')::int,
             (t.s->'by'->>'officerId')::uuid, t.s->'by'->>'fullName', t.s->>'outcome', (t.s->>'late')::boolean
      from certification_cases c, jsonb_array_elements(c.view->'steps') with ordinality as t(s, ord);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table case_steps;
      drop index certification_cases_closed_at;
      alter table certification_cases drop column copies, drop column refusal_ground, drop column extension_count,
        drop column extension_days, drop column warnings, drop column result_at, drop column on_time;
    `);
  }
}
