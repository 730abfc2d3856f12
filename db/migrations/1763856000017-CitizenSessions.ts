import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The citizen side of the portal: sessions, the steps of registration, login and password
 * recovery that wait for a code by SMS, the challenges a citizen signs with a digital-signature
 * certificate, and the local stand-in for the social-insurance registry.
 *
 * Kept apart from the officers' `sessions` on purpose: an officer's token cannot open a citizen
 * route nor the reverse, whatever a route declares.
 *
 * citizen_otp_flows: one row per registration, login or recovery in progress. The client holds a
 * random token (only its SHA-256 is stored); the code is stored as a hash salted with the row id,
 * replaced at each re-send so only the latest code is valid; wrong tries count for the whole flow.
 * A registration keeps what the citizen typed in `registration` until the account exists.
 */
export class CitizenSessions1763856000017 implements MigrationInterface {
  name = 'CitizenSessions1763856000017';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table citizen_sessions (
        id uuid primary key default gen_random_uuid(),
        token_hash text not null unique,
        account_id uuid not null references citizen_accounts (id),
        method text not null check (method in ('password', 'certificate')),
        created_at timestamptz not null,
        expires_at timestamptz not null,
        ended_at timestamptz,
        ip text
      );
      create index citizen_sessions_account on citizen_sessions (account_id) where ended_at is null;

      create table citizen_otp_flows (
        id uuid primary key,
        purpose text not null check (purpose in ('register', 'login', 'recover')),
        token_hash text not null unique,
        account_id uuid references citizen_accounts (id),
        registration jsonb,
        phone text not null,
        otp_hash text,
        otp_sent_at timestamptz,
        otp_expires_at timestamptz,
        otp_sends int not null default 0,
        otp_wrong_tries int not null default 0,
        verified_at timestamptz,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        ended_at timestamptz,
        end_reason text,
        ip text,
        check (purpose = 'register' or account_id is not null),
        check (purpose <> 'register' or registration is not null)
      );
      create index citizen_otp_flows_phone on citizen_otp_flows (phone, created_at desc);

      create table citizen_signature_challenges (
        id uuid primary key default gen_random_uuid(),
        purpose text not null check (purpose in ('register', 'login')),
        challenge text not null unique,
        created_at timestamptz not null,
        expires_at timestamptz not null,
        used_at timestamptz
      );

      create table social_insurance_people (
        social_insurance_number text primary key check (social_insurance_number ~ '^[0-9]{10}$'),
        id_number text not null,
        full_name text not null,
        birth_date date not null,
        phone text not null
      );
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table social_insurance_people, citizen_signature_challenges, citizen_otp_flows, citizen_sessions');
  }
}
