/** The audit trail for auditors: read entries of their units, and check the hash chain. */
import { z } from 'zod';
import { parseInput } from '../errors';
import { requireUnitInScope } from '../principal';
import type { RouteSpec } from '../route';
import { CodeParams, NoBody } from '../cases/inputs';
import { verifyAuditChain } from './auditLog';
import { historyJson, loadCaseHistory, replayCase, timelineOf } from './history';

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
    summary: 'Recomputes the whole hash chain and reports every broken link (altered entries, wrong links, missing numbers)',
    output: '{entries, ok, breakCount, breaks: [{seq, reason: hash-mismatch|prev-hash-mismatch|gap, toSeq?}] (the first 1000), firstBreak, message}',
    handler: async ({ ctx }) => {
      const report = await verifyAuditChain(ctx.db);
      return {
        body: {
          ...report,
          message: report.ok
            ? `Chuỗi nhật ký toàn vẹn: ${report.entries} bản ghi.`
            : `Nhật ký bị sửa đổi: ${report.breakCount} chỗ hỏng, chỗ đầu tiên tại bản ghi số ${report.firstBreak!.seq} (${report.firstBreak!.reason}).`,
        },
      };
    },
  },
  {
    method: 'get',
    path: '/api/audit/cases/:code/history',
    access: { right: 'AUDIT' },
    // An auditor reading a case's history is itself worth a line in the trail.
    action: 'audit.case-history',
    summary: 'The full workflow history of a case of the caller’s units (from the engine or the cluster) as a timeline: who did what, when, which deadline; technical entries are flagged',
    output: '{caseCode, workflowId, runId, workflowType, status, startTime, closeTime, historyLength, entries: [{eventId, at, eventType, kind, text {vi, en}, actor? {officerId, fullName}, deadline?, technical?}]}',
    input: { params: CodeParams },
    handler: async (call) => {
      const { code } = parseInput(CodeParams, call.req.params);
      return { body: timelineOf(await loadCaseHistory(call, code)) };
    },
  },
  {
    method: 'get',
    path: '/api/audit/cases/:code/history.json',
    access: { right: 'AUDIT' },
    action: 'audit.case-history-export',
    summary: 'The raw workflow history of a case as JSON, in the form the Temporal CLI and UI export (usable with their replayers)',
    output: 'application/json download <code>-history.json',
    input: { params: CodeParams },
    handler: async (call) => {
      const { code } = parseInput(CodeParams, call.req.params);
      const history = await loadCaseHistory(call, code);
      return { file: { contentType: 'application/json', filename: `${code}-lich-su-quy-trinh.json`, data: historyJson(history) } };
    },
  },
  {
    method: 'post',
    path: '/api/audit/cases/:code/replay',
    access: { right: 'AUDIT' },
    action: 'audit.case-replay',
    summary: 'Replays the case’s history against the current workflow code (the SDK’s replayer; no worker involved) and says whether it is deterministic, and if not where it diverges',
    output: '{caseCode, workflowId, runId, deterministic, divergence? {kind: nondeterminism|replay-error, message, eventId?}}',
    input: { params: CodeParams, body: NoBody },
    handler: async (call) => {
      const { code } = parseInput(CodeParams, call.req.params);
      parseInput(NoBody, call.req.body ?? {});
      const history = await loadCaseHistory(call, code);
      const verdict = await replayCase(history);
      call.audit.details = { deterministic: verdict.deterministic, runId: history.runId };
      return { body: { caseCode: code, workflowId: history.workflowId, runId: history.runId, ...verdict } };
    },
  },
];
