import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Citizen (and business) accounts of the portal, however they were opened: at the one-stop desk
 * by an officer (the citizen-account workflow), or by the citizen through self-registration.
 * One account per personal ID number; the password is an argon2id hash, a desk-issued one must be
 * changed at the first login. The assurance level says how the identity was proven (IAL2: a
 * mobile subscriber, social insurance or the desk; IAL3: a digital-signature certificate).
 *
 * account_requests is the desk's list of creation attempts, kept by the workflow's activities;
 * citizen_notifications is what the portal shows a citizen. SMS gain a key, so a retried activity
 * finds the message it already sent instead of sending a second one. Uploads may now also be the
 * Word or PDF scan of both sides of an ID card (checked by content, infra/idScanContent.ts).
 */
export class CitizenAccounts1763856000015 implements MigrationInterface {
  name = 'CitizenAccounts1763856000015';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table citizen_accounts (
        id uuid primary key default gen_random_uuid(),
        kind text not null check (kind in ('citizen', 'business')),
        username text not null unique,
        id_number text not null,
        full_name text not null,
        full_name_search text not null,
        birth_date date,
        phone text not null,
        email text,
        business_name text,
        tax_code text,
        social_insurance_number text,
        assurance_level text not null check (assurance_level in ('IAL2', 'IAL3')),
        verified_by text not null check (verified_by in ('desk', 'mobile', 'social_insurance', 'certificate')),
        certificate_fingerprint text unique,
        certificate_subject text,
        password_hash text,
        must_change_password boolean not null default false,
        password_changed_at timestamptz,
        status text not null default 'active' check (status in ('active', 'disabled')),
        failed_logins int not null default 0,
        locked_until timestamptz,
        created_at timestamptz not null,
        created_by_officer_id uuid references officers (id),
        created_unit_id uuid references units (id),
        created_by_request text unique,
        id_scan_path text,
        id_scan_sha256 text,
        check (kind = 'business' or birth_date is not null),
        check (kind = 'citizen' or (business_name is not null and tax_code is not null))
      );
      create unique index citizen_accounts_person on citizen_accounts (id_number) where kind = 'citizen';
      create index citizen_accounts_name on citizen_accounts (full_name_search);
      create index citizen_accounts_phone on citizen_accounts (phone);
      create index citizen_accounts_created on citizen_accounts (created_by_officer_id, created_at desc);
      create index citizen_accounts_unit on citizen_accounts (created_unit_id, created_at desc);

      create table account_requests (
        request_id text primary key,
        workflow_id text not null unique,
        id_number text not null,
        full_name text not null,
        full_name_search text not null,
        birth_date date not null,
        phone text not null,
        email text,
        unit_id uuid not null references units (id),
        officer_id uuid not null references officers (id),
        status text not null,
        account_id uuid references citizen_accounts (id),
        id_scan_path text not null,
        id_scan_sha256 text not null,
        form_path text,
        otp_sends int not null default 0,
        otp_wrong_tries int not null default 0,
        started_at timestamptz not null,
        updated_at timestamptz not null,
        ended_at timestamptz,
        end_reason text
      );
      create index account_requests_officer on account_requests (officer_id, started_at desc);
      create index account_requests_unit on account_requests (unit_id, started_at desc);
      create index account_requests_id_number on account_requests (id_number);

      create table citizen_notifications (
        id uuid primary key default gen_random_uuid(),
        id_number text not null,
        kind text not null,
        title text not null,
        body text not null,
        link text,
        dedupe_key text unique,
        created_at timestamptz not null,
        read_at timestamptz
      );
      create index citizen_notifications_person on citizen_notifications (id_number, created_at desc);

      alter table sms_outbox add column dedupe_key text unique;

      alter table uploaded_files drop constraint uploaded_files_mime_type_check;
      alter table uploaded_files add constraint uploaded_files_mime_type_check check (mime_type in (
        'application/pdf', 'image/jpeg', 'image/png', 'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table sms_outbox drop column dedupe_key;
      alter table uploaded_files drop constraint uploaded_files_mime_type_check;
      alter table uploaded_files add constraint uploaded_files_mime_type_check check (mime_type in ('application/pdf', 'image/jpeg', 'image/png'));
      drop table citizen_notifications, account_requests, citizen_accounts;
    `);
  }
}
