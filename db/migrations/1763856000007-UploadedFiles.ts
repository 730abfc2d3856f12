import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Uploaded scans (infra/fileStore.ts). The bytes live on disk under their SHA-256; one row per
 * distinct content, so uploading the same scan twice gives the same file id. Each officer who
 * uploaded a content is remembered, because who may read a file follows who brought it in.
 */
export class UploadedFiles1763856000007 implements MigrationInterface {
  name = 'UploadedFiles1763856000007';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table uploaded_files (
        id uuid primary key default gen_random_uuid(),
        sha256 text not null unique check (sha256 ~ '^[0-9a-f]{64}$'),
        mime_type text not null check (mime_type in ('application/pdf', 'image/jpeg', 'image/png')),
        bytes bigint not null check (bytes > 0),
        pages int check (pages > 0),
        original_name text,
        uploaded_by uuid not null references officers (id),
        uploaded_at timestamptz not null
      );

      create table uploaded_file_uploaders (
        file_id uuid not null references uploaded_files (id),
        officer_id uuid not null references officers (id),
        original_name text,
        first_uploaded_at timestamptz not null,
        primary key (file_id, officer_id)
      );
      create index uploaded_file_uploaders_officer on uploaded_file_uploaders (officer_id);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table uploaded_file_uploaders; drop table uploaded_files');
  }
}
