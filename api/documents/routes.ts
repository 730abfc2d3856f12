/**
 * Document lists (seed 000 step 4: the copy "kept in the officer's and the leader's accounts"):
 * each officer sees the papers of the cases he received, signed or sealed ("Giấy tờ của tôi",
 * filtered by case code and date); officers who may read a case see all its papers. The files are
 * served from the case folder under a name made of their kind and case code.
 */
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import { addDaysToDate, parseLocalDate } from '../../domain/calendar';
import { optionalQuery, pageField, pageSizeField } from '../admin/inputs';
import { localDate } from '../calendar/inputs';
import { caseNotFound, projectedView } from '../cases/caseView';
import { CodeParams } from '../cases/inputs';
import { READERS } from '../cases/readers';
import { ApiError, notFound, parseInput } from '../errors';
import { filesOf } from '../files/store';
import type { RouteSpec } from '../route';
import { resolveInFiles } from '../../activities/certification/files';
import { caseFileName } from './fileNames';

const ListQuery = z
  .object({
    q: optionalQuery(z.string({ error: 'mã hồ sơ cần tìm phải là chuỗi ký tự' }).trim().max(100, { error: 'mã hồ sơ cần tìm dài tối đa 100 ký tự' })),
    from: optionalQuery(localDate('từ ngày')),
    to: optionalQuery(localDate('đến ngày')),
    page: pageField,
    pageSize: pageSizeField(200, 50),
  })
  .refine((x) => !x.from || !x.to || x.from <= x.to, { path: ['to'], error: 'đến ngày không được trước từ ngày' });

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
    summary:
      'The caller’s documents (“Giấy tờ của tôi”): certified copies of the cases he received, signed or sealed, newest first ?q (part of the case code) &from &to (delivery dates, YYYY-MM-DD, Hà Nội, both included) &page &pageSize',
    output: '{total, page, pageSize, items: [{id, caseCode, kind, role (receiver|signer|sealer), title, sha256, bytes, createdAt, fileName (case code and kind), verifyUrl (certified copies)}]}',
    input: { query: ListQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ListQuery, req.query);
      const params: unknown[] = [principal!.officerId];
      const where = [`holder_kind = 'officer'`, 'holder_id = $1'];
      if (q.q) {
        params.push(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
        where.push(`case_code ilike $${params.length}`);
      }
      if (q.from) {
        params.push(new Date(parseLocalDate(q.from)));
        where.push(`created_at >= $${params.length}`);
      }
      if (q.to) {
        params.push(new Date(parseLocalDate(addDaysToDate(q.to, 1))));
        where.push(`created_at < $${params.length}`);
      }
      params.push(q.pageSize, (q.page - 1) * q.pageSize);
      const rows: Array<DocumentRow & { total: number }> = await ctx.db.query(
        `select ${COLUMNS}, count(*) over ()::int as total from case_documents
          where ${where.join(' and ')} order by created_at desc, id limit $${params.length - 1} offset $${params.length}`,
        params,
      );
      const links = ctx.links;
      const items = rows.map((r) => ({ ...item(r), ...(r.kind === 'certified_copy' && links ? { verifyUrl: links.verifyUrl(r.case_code) } : {}) }));
      return { body: { total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize, items } };
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
      if (!view || !principal!.caseUnits.has(view.unit.id)) throw caseNotFound(code);
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
    summary: 'Downloads a document (PDF, shown inline, named by its kind and case code, e.g. ban-sao-chung-thuc-<case>.pdf): one of the caller’s own, or a paper of a case of his units when he may read cases',
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
      const allowed = doc !== undefined && (own || (READERS.anyOf.some((r) => p.rights.has(r)) && p.caseUnits.has(doc.unit_id)));
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
