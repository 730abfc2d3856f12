import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys of state-changing API calls (api/idempotency.ts). A row is claimed before the
 * handler runs (status null = in progress) and completed with the answer, which a repeated
 * request receives instead of acting again. Keys belong to one officer; they live 24 hours.
 */
export class IdempotencyKeys1763856000006 implements MigrationInterface {
  name = 'IdempotencyKeys1763856000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table idempotency_keys (
        officer_id uuid not null references officers (id) on delete cascade,
        key text not null check (char_length(key) between 1 and 200),
        method text not null,
        path text not null,
        request_hash text not null,
        status int check (status between 100 and 499),
        response jsonb,
        created_at timestamptz not null,
        completed_at timestamptz,
        primary key (officer_id, key),
        check ((status is null) = (completed_at is null) and (status is null) = (response is null))
      );
      create index idempotency_keys_created_at on idempotency_keys (created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table idempotency_keys');
  }
}
