import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * auth_throttles: counters of the login and code routes (api/auth/throttle.ts), one row per
 * bucket and key — a username, a client address, an officer, a citizen's phone. A row counts
 * `hits` since `window_start`; a counter of wrong answers may also hold a lock until
 * `locked_until`. Kept in PostgreSQL, so several API processes share one count.
 *
 * citizen_otp_flows: a password recovery for a username that has no usable account still gets a
 * flow (no account, no phone, a code nobody receives), so the answers do not tell which
 * usernames exist; `subject` keeps the username a recovery was asked for, whose wrong codes are
 * counted together whether or not the account exists.
 */
export class AuthThrottles1763856000030 implements MigrationInterface {
  name = 'AuthThrottles1763856000030';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table auth_throttles (
        bucket text not null,
        key text not null,
        window_start timestamptz not null,
        hits int not null,
        locked_until timestamptz,
        primary key (bucket, key)
      );
      create index auth_throttles_window on auth_throttles (window_start);

      alter table citizen_otp_flows add column subject text;
      alter table citizen_otp_flows alter column phone drop not null;
    `);
    // The unnamed check "a flow other than a registration has an account" gets a name and room for recoveries without one.
    const checks: Array<{ conname: string }> = await q.query(
      `select conname from pg_constraint
       where conrelid = 'citizen_otp_flows'::regclass and contype = 'c' and pg_get_constraintdef(oid) like '%account_id IS NOT NULL%'`,
    );
    for (const c of checks) await q.query(`alter table citizen_otp_flows drop constraint "${c.conname}"`);
    await q.query(`
      alter table citizen_otp_flows add constraint citizen_otp_flows_account check (
        purpose = 'register' or account_id is not null or (purpose = 'recover' and phone is null)
      );
      alter table citizen_otp_flows add constraint citizen_otp_flows_phone check (phone is not null or (purpose = 'recover' and account_id is null));
      create index citizen_otp_flows_subject on citizen_otp_flows (subject) where subject is not null;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      delete from citizen_otp_flows where phone is null;
      drop index citizen_otp_flows_subject;
      alter table citizen_otp_flows drop constraint citizen_otp_flows_phone;
      alter table citizen_otp_flows drop constraint citizen_otp_flows_account;
      alter table citizen_otp_flows add constraint citizen_otp_flows_check check (purpose = 'register' or account_id is not null);
      alter table citizen_otp_flows alter column phone set not null;
      alter table citizen_otp_flows drop column subject;
      drop table auth_throttles;
    `);
  }
}
