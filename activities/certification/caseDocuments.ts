/** Puts a paper of a case in someone's document list; recording it again changes only its content hash. */
import type { EntityManager } from 'typeorm';
import type { CaseDocument } from '../../entities/caseDocument';

export type CaseDocumentRecord = Omit<CaseDocument, 'id' | 'createdAt'> & {
  /** ISO instant. */
  at: string;
};

const COLUMNS = 11;

/**
 * The insert of `documents` (one statement for all of them), with its parameters; `firstParam` is
 * the number of its first placeholder, so that it can sit in a larger statement.
 */
export function caseDocumentsInsert(given: readonly CaseDocumentRecord[], firstParam = 1): { sql: string; params: unknown[] } {
  // One officer in two roles holds the paper once, in the first role (PostgreSQL refuses to touch a row twice in one insert).
  const byHolder = new Map<string, CaseDocumentRecord>();
  for (const d of given) {
    const key = JSON.stringify([d.caseCode, d.kind, d.holderKind, d.holderId, d.path]);
    if (!byHolder.has(key)) byHolder.set(key, d);
  }
  const documents = [...byHolder.values()];
  const rows = documents.map((_, i) => `(${Array.from({ length: COLUMNS }, (_, c) => `$${firstParam + i * COLUMNS + c}`).join(', ')})`);
  return {
    sql: `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
     values ${rows.join(', ')}
     on conflict (case_code, kind, holder_kind, holder_id, path) do update set sha256 = excluded.sha256, bytes = excluded.bytes`,
    params: documents.flatMap((d) => [d.caseCode, d.unitId, d.kind, d.holderKind, d.holderId, d.role, d.title, d.path, d.sha256, d.bytes, d.at]),
  };
}

export async function recordCaseDocument(m: Pick<EntityManager, 'query'>, d: CaseDocumentRecord): Promise<void> {
  const { sql, params } = caseDocumentsInsert([d]);
  await m.query(sql, params);
}
