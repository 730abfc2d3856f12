import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * "Kiểm tra API" (seed 003, Màn hình hỗ trợ).
 *
 * api_endpoints: the local APIs a province has configured, kept by its administrator — type,
 * unit, session URL, data URL, the body the console starts from, the session user and the
 * session password sealed with AES-GCM (infra/apiCheck/secrets.ts; never returned nor audited).
 * Disabled rows stay for the audit trail and are no longer offered in the console.
 * Officers may hold the right to check integrations (INTEGRATION_CHECK).
 */
export class ApiCheck1763856000034 implements MigrationInterface {
  name = 'ApiCheck1763856000034';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table api_endpoints (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references units (id),
        api_type text not null,
        name text not null check (length(name) between 1 and 200),
        session_url text,
        data_url text not null,
        method text not null check (method in ('GET', 'POST')),
        body_template text,
        session_username text,
        session_password bytea,
        status text not null check (status in ('active', 'disabled')),
        created_by uuid references officers (id),
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index api_endpoints_unit on api_endpoints (unit_id, api_type);

      alter table officer_rights drop constraint officer_rights_right_code_check;
      alter table officer_rights add constraint officer_rights_right_code_check check (right_code in (
        'CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'CERT_REPORT', 'ACCOUNT_CREATE', 'USER_ADMIN', 'CASE_SUPERVISE', 'AUDIT', 'SUPPORT_MANAGE', 'SUPPORT_HANDLE', 'INTEGRATION_CHECK'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      delete from officer_rights where right_code = 'INTEGRATION_CHECK';
      alter table officer_rights drop constraint officer_rights_right_code_check;
      alter table officer_rights add constraint officer_rights_right_code_check check (right_code in (
        'CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'CERT_REPORT', 'ACCOUNT_CREATE', 'USER_ADMIN', 'CASE_SUPERVISE', 'AUDIT', 'SUPPORT_MANAGE', 'SUPPORT_HANDLE'));
      drop table api_endpoints;
    `);
  }
}
