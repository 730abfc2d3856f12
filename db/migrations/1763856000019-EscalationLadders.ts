import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Escalations of late cases, and the officers' in-app notifications.
 *
 * escalation_ladders: a unit's own ladder (domain/escalation/ladder.ts), as JSON rungs. A case
 * takes, at reception, the ladder of its unit or of the nearest ancestor that has one, else the
 * built-in default; later edits apply to cases received afterwards. `head_officer_id` names who
 * "the head of the unit" is for the rungs that tell the head; when it is null the head is every
 * active officer assigned to the case's unit itself who holds CERT_SIGN — the commune's leaders,
 * who sign for it — since the unit list records no single head.
 *
 * officer_notifications: what an officer sees under the bell. `dedupe_key` is chosen by the
 * writer (an escalation: the case, the rung's alarm and the officer), so an activity that runs
 * twice writes one row.
 */
export class EscalationLadders1763856000019 implements MigrationInterface {
  name = 'EscalationLadders1763856000019';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table escalation_ladders (
        unit_id uuid primary key references units (id),
        rungs jsonb not null check (jsonb_typeof(rungs) = 'array'),
        head_officer_id uuid references officers (id),
        updated_at timestamptz not null,
        updated_by uuid references officers (id)
      );

      create table officer_notifications (
        id uuid primary key default gen_random_uuid(),
        seq bigserial not null,
        officer_id uuid not null references officers (id) on delete cascade,
        case_code text,
        kind text not null check (length(kind) between 1 and 60),
        title text not null,
        body text not null,
        created_at timestamptz not null,
        read_at timestamptz,
        dedupe_key text not null unique check (length(dedupe_key) between 1 and 300)
      );
      create index officer_notifications_officer on officer_notifications (officer_id, seq desc);
      create index officer_notifications_unread on officer_notifications (officer_id) where read_at is null;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table officer_notifications, escalation_ladders');
  }
}
