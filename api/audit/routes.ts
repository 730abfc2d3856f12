/** The audit trail for auditors: read entries of their units, and check the hash chain. */
import { z } from 'zod';
import { parseInput } from '../errors';
import { requireUnitInScope } from '../principal';
import type { RouteSpec } from '../route';
import { verifyAuditChain } from './auditLog';

const ListQuery = z.object({
  unitId: z.uuid({ error: 'mã đơn vị không hợp lệ' }).optional(),
  actorId: z.uuid({ error: 'mã người dùng không hợp lệ' }).optional(),
  action: z.string().max(100).optional(),
  outcome: z.enum(['success', 'refused', 'error'], { error: 'kết quả phải là success, refused hoặc error' }).optional(),
  from: z.iso.datetime({ offset: true, error: 'thời điểm bắt đầu phải theo ISO 8601' }).optional(),
  to: z.iso.datetime({ offset: true, error: 'thời điểm kết thúc phải theo ISO 8601' }).optional(),
  page: z.coerce.number({ error: 'trang phải là số' }).int().min(1).default(1),
  pageSize: z.coerce.number({ error: 'cỡ trang phải là số' }).int().min(1).max(200).default(50),
});

export const auditRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/audit',
    access: { right: 'AUDIT' },
    summary: 'Audit entries of the caller’s units (an entry belongs to its unit, or to its actor’s units when it names none), newest first',
    input: { query: ListQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ListQuery, req.query);
      if (q.unitId) requireUnitInScope(principal!, q.unitId);
      const scope = [...principal!.scope];
      const where = [
        `(a.unit_id = any($1::uuid[]) or (a.unit_id is null and (a.actor_id is null or exists (select 1 from officer_units ou where ou.officer_id = a.actor_id and ou.unit_id = any($1::uuid[])))))`,
      ];
      const params: unknown[] = [scope];
      const add = (sql: string, value: unknown) => {
        params.push(value);
        where.push(sql.replace('?', `$${params.length}`));
      };
      if (q.unitId) add('a.unit_id = ?', q.unitId);
      if (q.actorId) add('a.actor_id = ?', q.actorId);
      if (q.action) add(`a.action like ? || '%'`, q.action);
      if (q.outcome) add('a.outcome = ?', q.outcome);
      if (q.from) add('a.at >= ?', new Date(q.from));
      if (q.to) add('a.at < ?', new Date(q.to));
      const filter = where.join(' and ');
      const total: Array<{ n: number }> = await ctx.db.query(`select count(*)::int as n from audit_log a where ${filter}`, params);
      const rows = await ctx.db.query(
        `select a.seq::text as seq, a.at, a.actor_id as "actorId", a.actor_name as "actorName", a.unit_id as "unitId", a.action, a.target,
                a.outcome, a.status, a.details, a.ip, a.hash
         from audit_log a where ${filter} order by a.seq desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
        params,
      );
      return { body: { items: rows, total: total[0].n, page: q.page, pageSize: q.pageSize } };
    },
  },
  {
    method: 'get',
    path: '/api/audit/verify',
    access: { right: 'AUDIT' },
    summary: 'Recomputes the whole hash chain and reports the first broken link',
    handler: async ({ ctx }) => {
      const report = await verifyAuditChain(ctx.db);
      return {
        body: {
          ...report,
          message: report.ok
            ? `Chuỗi nhật ký toàn vẹn: ${report.entries} bản ghi.`
            : `Nhật ký bị sửa đổi: liên kết hỏng tại bản ghi số ${report.firstBreak!.seq} (${report.firstBreak!.reason}).`,
        },
      };
    },
  },
];
