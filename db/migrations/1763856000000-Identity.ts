import type { MigrationInterface, QueryRunner } from 'typeorm';
import { RIGHT_CODES } from '../../domain/rights';

/** Units, officers, rights, delegations, sessions, the SMS outbox, the working calendar and the audit trail. */
export class Identity1763856000000 implements MigrationInterface {
  name = 'Identity1763856000000';

  async up(q: QueryRunner): Promise<void> {
    const rights = RIGHT_CODES.map((r) => `'${r}'`).join(', ');
    await q.query(`
      create table units (
        id uuid primary key default gen_random_uuid(),
        code text not null unique,
        name text not null,
        level text not null check (level in ('province', 'district', 'commune', 'office')),
        parent_id uuid references units (id),
        path text not null,
        created_at timestamptz not null default now()
      );
      create index units_path on units (path text_pattern_ops);

      create table officers (
        id uuid primary key default gen_random_uuid(),
        username text not null unique check (username = lower(username)),
        full_name text not null,
        citizen_id text not null unique,
        phone text,
        email text,
        status text not null default 'active' check (status in ('active', 'inactive')),
        password_hash text not null,
        password_changed_at timestamptz not null,
        failed_logins int not null default 0,
        locked_until timestamptz,
        created_at timestamptz not null,
        created_by uuid references officers (id)
      );
      create index officers_name on officers (lower(full_name));
      create index officers_phone on officers (phone);

      create table officer_units (
        officer_id uuid not null references officers (id) on delete cascade,
        unit_id uuid not null references units (id),
        assigned_at timestamptz not null,
        assigned_by uuid references officers (id),
        primary key (officer_id, unit_id)
      );
      create index officer_units_unit on officer_units (unit_id);

      create table officer_rights (
        officer_id uuid not null references officers (id) on delete cascade,
        right_code text not null check (right_code in (${rights})),
        granted_at timestamptz not null,
        granted_by uuid references officers (id),
        primary key (officer_id, right_code)
      );

      create table signing_delegations (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references units (id),
        from_officer_id uuid not null references officers (id),
        to_officer_id uuid not null references officers (id),
        scope text not null default 'CERT_SIGN',
        valid_from timestamptz not null,
        valid_to timestamptz not null,
        reason text not null,
        created_at timestamptz not null,
        created_by uuid not null references officers (id),
        revoked_at timestamptz,
        revoked_by uuid references officers (id),
        check (valid_to > valid_from),
        check (from_officer_id <> to_officer_id)
      );
      create index signing_delegations_to on signing_delegations (to_officer_id, unit_id);

      create table sessions (
        id uuid primary key default gen_random_uuid(),
        token_hash text not null unique,
        officer_id uuid not null references officers (id) on delete cascade,
        stage text not null check (stage in ('otp', 'active')),
        otp_hash text,
        otp_attempts int not null default 0,
        otp_expires_at timestamptz,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        ended_at timestamptz,
        ip text
      );
      create index sessions_officer on sessions (officer_id);

      create table sms_outbox (
        id uuid primary key default gen_random_uuid(),
        to_phone text not null,
        body text not null,
        purpose text not null,
        provider text not null,
        status text not null check (status in ('stored', 'sent', 'failed')),
        provider_ref text,
        created_at timestamptz not null
      );
      create index sms_outbox_phone on sms_outbox (to_phone, created_at desc);

      create table unit_office_hours (
        unit_id uuid primary key references units (id),
        hours jsonb not null,
        updated_at timestamptz not null,
        updated_by uuid references officers (id)
      );

      create table calendar_holidays (
        id uuid primary key default gen_random_uuid(),
        date date not null,
        name text not null,
        kind text not null check (kind in ('holiday', 'compensatory')),
        unit_id uuid references units (id),
        provisional boolean not null default false
      );
      create unique index calendar_holidays_day on calendar_holidays (date, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'));

      create table calendar_working_days (
        id uuid primary key default gen_random_uuid(),
        date date not null,
        name text not null,
        hours jsonb,
        unit_id uuid references units (id),
        provisional boolean not null default false
      );
      create unique index calendar_working_days_day on calendar_working_days (date, coalesce(unit_id, '00000000-0000-0000-0000-000000000000'));

      create table audit_log (
        seq bigint primary key,
        at timestamptz not null,
        actor_id uuid,
        actor_name text,
        unit_id uuid,
        action text not null,
        target text,
        outcome text not null check (outcome in ('success', 'refused', 'error')),
        status int,
        details jsonb not null default '{}',
        ip text,
        prev_hash text not null,
        hash text not null
      );
      create index audit_log_actor on audit_log (actor_id, at);
      create function audit_log_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'audit_log is append-only';
        end $$;
      create trigger audit_log_append_only before update or delete or truncate on audit_log
        for each statement execute function audit_log_append_only();
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table audit_log;
      drop function audit_log_append_only;
      drop table calendar_working_days, calendar_holidays, unit_office_hours, sms_outbox, sessions,
        signing_delegations, officer_rights, officer_units, officers, units;
    `);
  }
}
