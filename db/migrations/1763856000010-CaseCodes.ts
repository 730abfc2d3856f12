import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Case codes (mã hồ sơ) handed out at reception: `<commune code>-<yyMMdd>-<daily sequence>`
 * (api/cases/caseCode.ts). case_code_counters holds each commune's last sequence of a Hà Nội
 * day, advanced by an upsert that keeps the row locked until commit, so two receptions never
 * get the same number. case_codes remembers every code issued, by whom and under which
 * Idempotency-Key, so a retried reception reuses its code instead of opening a second case.
 * A code whose case could not be started is not reused: the daily sequence may have gaps.
 */
export class CaseCodes1763856000010 implements MigrationInterface {
  name = 'CaseCodes1763856000010';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table case_code_counters (
        unit_id uuid not null references units (id),
        day date not null,
        last_seq int not null check (last_seq >= 1),
        primary key (unit_id, day)
      );

      create table case_codes (
        case_code text primary key,
        unit_id uuid not null references units (id),
        day date not null,
        seq int not null check (seq >= 1),
        issued_by uuid not null references officers (id),
        idempotency_key text,
        issued_at timestamptz not null,
        unique (unit_id, day, seq)
      );
      create index case_codes_issued_by_key on case_codes (issued_by, idempotency_key, issued_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table case_codes;
      drop table case_code_counters;
    `);
  }
}
