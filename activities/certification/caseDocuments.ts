/** Puts a paper of a case in someone's document list; recording it again changes only its content hash. */
import type { EntityManager } from 'typeorm';
import type { CaseDocument } from '../../entities/caseDocument';

export type CaseDocumentRecord = Omit<CaseDocument, 'id' | 'createdAt'> & {
  /** ISO instant. */
  at: string;
};

export async function recordCaseDocument(m: Pick<EntityManager, 'query'>, d: CaseDocumentRecord): Promise<void> {
  await m.query(
    `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (case_code, kind, holder_kind, holder_id, path) do update set sha256 = excluded.sha256, bytes = excluded.bytes`,
    [d.caseCode, d.unitId, d.kind, d.holderKind, d.holderId, d.role, d.title, d.path, d.sha256, d.bytes, d.at],
  );
}
