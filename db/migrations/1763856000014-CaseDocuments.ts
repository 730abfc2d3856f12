import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The papers of a case and who keeps them: the certified copy sits in the receiving officer's,
 * the leader's and the sealer's document lists and in the citizen's portal documents (keyed by the
 * citizen's ID number, so a portal account opened later still finds them); slips and notices sit
 * with the case. One row per (case, kind, holder): a re-run delivery changes nothing.
 *
 * Officers gain a job title (chức danh): the certification block names the signer with it.
 */
export class CaseDocuments1763856000014 implements MigrationInterface {
  name = 'CaseDocuments1763856000014';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table officers add column job_title text check (job_title is null or length(job_title) between 1 and 120);

      create table case_documents (
        id uuid primary key default gen_random_uuid(),
        case_code text not null,
        unit_id uuid not null references units (id),
        kind text not null check (kind in ('certified_copy', 'reception_receipt', 'apology_slip', 'refusal_notice')),
        holder_kind text not null check (holder_kind in ('officer', 'citizen', 'case')),
        holder_id text not null,
        role text not null,
        title text not null,
        path text not null,
        sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
        bytes int not null check (bytes >= 0),
        created_at timestamptz not null,
        unique (case_code, kind, holder_kind, holder_id, path)
      );
      create index case_documents_holder on case_documents (holder_kind, holder_id, created_at desc);
      create index case_documents_sha on case_documents (sha256);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table case_documents; alter table officers drop column job_title;');
  }
}
