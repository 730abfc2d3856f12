import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Support requests (seed 003, Phụ lục 1, "Quản lý yêu cầu hỗ trợ").
 *
 * support_requests: one row per request — what the requesting unit filed (the seed's form), and the
 * list projection of its workflow (status, handler, deadline, view, version).
 * support_attachments: the files filed with it (uploaded_files, recognised by content).
 * support_events: every change of a request, as its workflow records it.
 * uploaded_files also takes the attachment kinds the seed lists (mp3, mp4, xls, xlsx, txt), and
 * officers may hold the right to handle support requests (SUPPORT_HANDLE).
 */
export class SupportRequests1763856000031 implements MigrationInterface {
  name = 'SupportRequests1763856000031';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table support_requests (
        code text primary key,
        unit_id uuid not null references units (id),
        service_group text not null,
        service text,
        requester_name text not null,
        requester_phone text not null,
        contact_name text,
        contact_phone text,
        feedback_email text not null,
        notify_each_change boolean not null default false,
        title text not null check (length(title) between 1 and 300),
        description text not null,
        created_by uuid not null references officers (id),
        request_key text not null,
        created_at timestamptz not null,
        status text not null check (status in ('received', 'in_progress', 'waiting', 'done', 'rejected', 'cancelled')),
        handler_id uuid references officers (id),
        handler_name text,
        due_at timestamptz,
        warned boolean not null default false,
        breached boolean not null default false,
        closed_at timestamptz,
        closed_on_time boolean,
        updated_at timestamptz not null,
        version int not null default 0,
        view jsonb,
        unique (created_by, request_key)
      );
      create index support_requests_unit_created on support_requests (unit_id, created_at desc);
      create index support_requests_open_due on support_requests (due_at) where status in ('received', 'in_progress', 'waiting');

      create table support_attachments (
        code text not null references support_requests (code),
        file_id uuid not null references uploaded_files (id),
        name text not null,
        position int not null,
        primary key (code, file_id)
      );

      create table support_events (
        code text not null references support_requests (code),
        seq int not null,
        at timestamptz not null,
        kind text not null,
        data jsonb not null,
        primary key (code, seq)
      );

      alter table uploaded_files drop constraint uploaded_files_mime_type_check;
      alter table uploaded_files add constraint uploaded_files_mime_type_check check (mime_type in (
        'application/pdf', 'image/jpeg', 'image/png', 'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        'audio/mpeg', 'video/mp4', 'application/vnd.ms-excel',
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/plain'));

      alter table officer_rights drop constraint officer_rights_right_code_check;
      alter table officer_rights add constraint officer_rights_right_code_check check (right_code in (
        'CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'CERT_REPORT', 'ACCOUNT_CREATE', 'USER_ADMIN', 'CASE_SUPERVISE', 'AUDIT', 'SUPPORT_MANAGE', 'SUPPORT_HANDLE'));
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      delete from officer_rights where right_code = 'SUPPORT_HANDLE';
      alter table officer_rights drop constraint officer_rights_right_code_check;
      alter table officer_rights add constraint officer_rights_right_code_check check (right_code in (
        'CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL', 'CERT_REPORT', 'ACCOUNT_CREATE', 'USER_ADMIN', 'CASE_SUPERVISE', 'AUDIT', 'SUPPORT_MANAGE'));
      delete from uploaded_files where mime_type in ('audio/mpeg', 'video/mp4', 'application/vnd.ms-excel', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'text/plain');
      alter table uploaded_files drop constraint uploaded_files_mime_type_check;
      alter table uploaded_files add constraint uploaded_files_mime_type_check check (mime_type in (
        'application/pdf', 'image/jpeg', 'image/png', 'application/msword',
        'application/vnd.openxmlformats-officedocument.wordprocessingml.document'));
      drop table support_events, support_attachments, support_requests;
    `);
  }
}
