/**
 * Document lists (seed 000 step 4: the copy "kept in the officer's and the leader's accounts"):
 * each officer sees the papers of the cases he received, signed or sealed; officers who may read
 * a case see all its papers. The files are served from the case folder.
 */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { pageField, pageSizeField } from '../admin/inputs';
import { caseNotFound, projectedView } from '../cases/caseView';
import { caseUnitsOf } from '../cases/caseUnits';
import { CodeParams } from '../cases/inputs';
import { READERS } from '../cases/readers';
import { ApiError, notFound, parseInput } from '../errors';
import { filesOf } from '../files/store';
import type { RouteSpec } from '../route';
import { resolveInFiles } from '../../activities/certification/files';
import { caseFileName } from './fileNames';

const ListQuery = z.object({ page: pageField, pageSize: pageSizeField(200, 50) });
const DocParams = z.object({ id: z.uuid({ error: 'mã giấy tờ không hợp lệ (phải là mã UUID)' }) });

interface DocumentRow {
  id: string;
  case_code: string;
  kind: string;
  role: string;
  title: string;
  sha256: string;
  bytes: number;
  created_at: Date;
}

const item = (r: DocumentRow) => ({
  id: r.id,
  caseCode: r.case_code,
  kind: r.kind,
  role: r.role,
  title: r.title,
  fileName: caseFileName(r.case_code, r.kind),
  sha256: r.sha256,
  bytes: r.bytes,
  createdAt: r.created_at.toISOString(),
});

const COLUMNS = 'id, case_code, kind, role, title, sha256, bytes, created_at';

export const documentRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/documents',
    access: 'authenticated',
    summary: 'The caller’s documents: certified copies of the cases he received, signed or sealed, newest first ?page &pageSize',
    output: '{total, page, pageSize, items: [{id, caseCode, kind, role (receiver|signer|sealer), title, fileName, sha256, bytes, createdAt}]}',
    input: { query: ListQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ListQuery, req.query);
      const rows: Array<DocumentRow & { total: number }> = await ctx.db.query(
        `select ${COLUMNS}, count(*) over ()::int as total from case_documents
          where holder_kind = 'officer' and holder_id = $1 order by created_at desc, id limit $2 offset $3`,
        [principal!.officerId, q.pageSize, (q.page - 1) * q.pageSize],
      );
      return { body: { total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize, items: rows.map(item) } };
    },
  },
  {
    method: 'get',
    path: '/api/cases/:code/documents',
    access: READERS,
    summary: 'The papers of a case of the caller’s units: the certified copy, apology slips, the refusal notice',
    output: '{items: [{id, caseCode, kind, role, title, sha256, bytes, createdAt}]}',
    input: { params: CodeParams },
    handler: async ({ req, ctx, principal }) => {
      const { code } = parseInput(CodeParams, req.params);
      const view = await projectedView(ctx.db, code);
      if (!view || !(await caseUnitsOf(ctx.db, principal!)).has(view.unit.id)) throw caseNotFound(code);
      const rows: DocumentRow[] = await ctx.db.query(
        `select distinct on (path) ${COLUMNS} from case_documents where case_code = $1 order by path, (holder_kind = 'case') desc, created_at`,
        [code],
      );
      return { body: { items: rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime()).map(item) } };
    },
  },
  {
    method: 'get',
    path: '/api/documents/:id',
    access: 'authenticated',
    // A copy shows a citizen's papers: who opened which one is kept in the audit trail.
    action: 'document.read',
    summary: 'Downloads a document (PDF, shown inline): one of the caller’s own, or a paper of a case of his units when he may read cases',
    input: { params: DocParams },
    handler: async ({ req, ctx, principal, audit }) => {
      const { id } = parseInput(DocParams, req.params);
      const rows: Array<{ path: string; unit_id: string; holder_kind: string; holder_id: string; case_code: string; kind: string }> = await ctx.db.query(
        'select path, unit_id, holder_kind, holder_id, case_code, kind from case_documents where id = $1',
        [id],
      );
      const doc = rows[0];
      const p = principal!;
      const own = doc?.holder_kind === 'officer' && doc.holder_id === p.officerId;
      const allowed = doc !== undefined && (own || (READERS.anyOf.some((r) => p.rights.has(r)) && (await caseUnitsOf(ctx.db, p)).has(doc.unit_id)));
      if (!doc || !allowed) throw notFound('giấy tờ', 'Document');
      audit.target = `case:${doc.case_code}`;
      const full = resolveInFiles(filesOf(ctx).config.dir, doc.path);
      if (!(await stat(full).catch(() => undefined))?.isFile()) {
        throw new ApiError(410, 'DOCUMENT_FILE_MISSING', 'Tệp của giấy tờ này không còn trên máy chủ; hãy báo quản trị hệ thống.', 'The file of this document is gone from the server; tell the administrator.');
      }
      return { stream: { contentType: 'application/pdf', filename: caseFileName(doc.case_code, doc.kind), path: full, inline: true } };
    },
  },
];
