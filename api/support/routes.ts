/**
 * Support requests over REST (seed 003, "Quản lý yêu cầu hỗ trợ"): the requesting units' officers
 * (SUPPORT_MANAGE) file, follow, answer and cancel their units' requests; the support team
 * (SUPPORT_HANDLE) sees the requests of the units in its scope, its queue by deadline, and takes,
 * asks, resolves or rejects them. Every list and detail is limited to the caller's scope.
 */
import { SUPPORT_SERVICE_GROUPS, SUPPORT_STATUS_VI, SUPPORT_SLA_WORKING_HOURS } from '../../domain/support/support';
import { SUPPORT_ATTACHMENT_MAX_BYTES, SUPPORT_ATTACHMENT_TYPES, SUPPORT_MAX_ATTACHMENTS, checkSupportAttachment } from '../../infra/supportAttachmentContent';
import { answerSupportUpdate, askSupportUpdate, cancelSupportUpdate, rejectSupportUpdate, resolveSupportUpdate, takeSupportUpdate } from '../../workflows/supportRequest/messages';
import type { SupportTextAction, SupportView } from '../../workflows/supportRequest/types';
import type { UpdateDefinition } from '@temporalio/common';
import { filesOf } from '../files/store';
import { fileTooLarge } from '../../infra/fileContent';
import { receiveUpload } from '../files/routes';
import { notFound, parseInput } from '../errors';
import { readIdempotencyKey } from '../idempotency';
import { NoBody } from '../cases/inputs';
import type { Call, RouteSpec } from '../route';
import { fileSupportRequest, loadSupport, runSupportUpdate, supportNotFound } from './filing';
import { AttachmentParams, FileBody, ListQuery, SupportCodeParams, TextBody } from './inputs';

const EITHER = { anyOf: ['SUPPORT_MANAGE', 'SUPPORT_HANDLE'] } as const;

/** A request of a unit in the caller's scope, as its workflow holds it. */
async function supportInScope(call: Call, code: string): Promise<SupportView> {
  const view = await loadSupport(call.ctx, code);
  if (!view || !call.principal!.scope.has(view.unit.id)) throw supportNotFound(code);
  call.audit.target = `support:${code}`;
  call.audit.unitId = view.unit.id;
  return view;
}

const actor = (call: Call) => {
  const p = call.principal!;
  return { officerId: p.officerId, fullName: p.fullName, rights: [...p.rights], unitIds: [...p.scope] };
};

/** One officer action carried into the workflow: `text` is the question, answer, outcome or reason. */
function act(path: string, action: string, right: 'SUPPORT_MANAGE' | 'SUPPORT_HANDLE', update: UpdateDefinition<SupportView, [SupportTextAction]>, summary: string, label?: string): RouteSpec {
  const Body = label ? TextBody(label, action === 'support.answer' ? 2 : 5) : NoBody;
  return {
    method: 'post',
    path,
    access: { right },
    action,
    idempotency: 'required',
    summary,
    output: 'The request',
    input: { params: SupportCodeParams, body: Body },
    handler: async (call) => {
      const { code } = parseInput(SupportCodeParams, call.req.params);
      const parsed: { text?: string } = parseInput(Body, call.req.body);
      const text = parsed.text ?? '';
      await supportInScope(call, code);
      if (text) call.audit.details = { text };
      const view = await runSupportUpdate(call.ctx, code, update, { actor: actor(call), idempotencyKey: `${call.principal!.officerId}:${call.idempotencyKey}`, text });
      return { body: view };
    },
  };
}

interface ListRow {
  code: string;
  title: string;
  requester_name: string;
  created_at: Date;
  status: keyof typeof SUPPORT_STATUS_VI;
  unit_name: string;
  service_group: string;
  handler_name: string | null;
  due_at: Date | null;
  breached: boolean;
  closed_on_time: boolean | null;
}

const listItem = (r: ListRow) => ({
  code: r.code,
  title: r.title,
  requester: r.requester_name,
  requestedAt: r.created_at,
  status: r.status,
  statusVi: SUPPORT_STATUS_VI[r.status],
  unit: r.unit_name,
  serviceGroup: r.service_group,
  handler: r.handler_name,
  dueAt: r.due_at,
  late: r.breached,
});

const LIST_COLUMNS = `r.code, r.title, r.requester_name, r.created_at, r.status, u.name as unit_name, r.service_group, r.handler_name, r.due_at, r.breached, r.closed_on_time`;

export const supportRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/support/service-groups',
    access: EITHER,
    summary: 'The service groups and services a request is filed under, the statuses, the deadline and the attachment rules',
    output: '{groups: [{code, name, services}], statuses: [{code, name}], workingHours, attachments: {extensions, maxBytes, maxFiles}}',
    handler: async () => ({
      body: {
        groups: Object.entries(SUPPORT_SERVICE_GROUPS).map(([code, g]) => ({ code, name: g.vi, services: g.services })),
        statuses: Object.entries(SUPPORT_STATUS_VI).map(([code, name]) => ({ code, name })),
        workingHours: SUPPORT_SLA_WORKING_HOURS,
        attachments: { extensions: Object.keys(SUPPORT_ATTACHMENT_TYPES), maxBytes: SUPPORT_ATTACHMENT_MAX_BYTES, maxFiles: SUPPORT_MAX_ATTACHMENTS },
      },
    }),
  },
  {
    method: 'post',
    path: '/api/support/attachments',
    access: { right: 'SUPPORT_MANAGE' },
    action: 'support.attachment.upload',
    summary: 'Uploads one attachment as the raw body (name in X-File-Name): .jpg .mp3 .mp4 .png .pdf .doc .docx .xls .xlsx .txt recognised by content, at most 10 MB; 415 for a renamed or unlisted file',
    output: '201 {fileId, sha256, mimeType, bytes, pages, originalName, alreadyStored}',
    rawBody: { maxBytes: () => SUPPORT_ATTACHMENT_MAX_BYTES, tooLarge: (max) => fileTooLarge(max), contentTypes: [...Object.values(SUPPORT_ATTACHMENT_TYPES), 'application/octet-stream'] },
    handler: (call) => receiveUpload(call, { check: checkSupportAttachment, maxBytes: SUPPORT_ATTACHMENT_MAX_BYTES }),
  },
  {
    method: 'post',
    path: '/api/support/requests',
    access: { right: 'SUPPORT_MANAGE' },
    action: 'support.file',
    idempotency: 'required',
    summary:
      'Files a support request {unitId, serviceGroup, service?, requesterName, requesterPhone, contactName?, contactPhone?, feedbackEmail, notifyEachChange?, title, description, attachmentFileIds?}; the same Idempotency-Key gives the same request',
    output: '201 the request',
    input: { body: FileBody },
    handler: async (call) => {
      const body = parseInput(FileBody, call.req.body);
      const key = readIdempotencyKey(call.req, true)!;
      call.audit.unitId = body.unitId;
      call.audit.details = { title: body.title, serviceGroup: body.serviceGroup, attachments: body.attachmentFileIds.length };
      const filed = await fileSupportRequest(call.ctx, call.principal!, body, key);
      call.audit.target = `support:${filed.code}`;
      const view = await loadSupport(call.ctx, filed.code);
      return { status: filed.replayed ? 200 : 201, body: view ?? { code: filed.code, status: 'received' }, headers: { Location: `/api/support/requests/${filed.code}` } };
    },
  },
  {
    method: 'get',
    path: '/api/support/requests',
    access: EITHER,
    summary: 'Support requests of the units in the caller’s scope, newest first, by the seed’s search fields ?title &unitId &serviceGroup &requester &from &to (YYYY-MM-DD, Hà Nội) &status &page &pageSize',
    output: '{total, page, pageSize, items: [{code, title, requester, requestedAt, status, statusVi, unit, serviceGroup, handler, dueAt, late}]}',
    input: { query: ListQuery },
    handler: async (call) => {
      const q = parseInput(ListQuery, call.req.query);
      const where = ['r.unit_id = any($1::uuid[])'];
      const args: unknown[] = [[...call.principal!.scope]];
      const add = (sql: string, value: unknown) => {
        args.push(value);
        where.push(sql.replace('?', `$${args.length}`));
      };
      if (q.title) add(`r.title ilike '%' || ? || '%'`, q.title);
      if (q.unitId) add('r.unit_id = ?', q.unitId);
      if (q.serviceGroup) add('r.service_group = ?', q.serviceGroup);
      if (q.requester) add(`r.requester_name ilike '%' || ? || '%'`, q.requester);
      if (q.from) add(`r.created_at >= (?::date)::timestamp at time zone 'Asia/Ho_Chi_Minh'`, q.from);
      if (q.to) add(`r.created_at < (?::date + 1)::timestamp at time zone 'Asia/Ho_Chi_Minh'`, q.to);
      if (q.status) add('r.status = ?', q.status);
      const from = `from support_requests r join units u on u.id = r.unit_id where ${where.join(' and ')}`;
      const total: Array<{ n: number }> = await call.ctx.db.query(`select count(*)::int as n ${from}`, args);
      const rows: ListRow[] = await call.ctx.db.query(`select ${LIST_COLUMNS} ${from} order by r.created_at desc, r.code limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`, args);
      return { body: { total: total[0]!.n, page: q.page, pageSize: q.pageSize, items: rows.map(listItem) } };
    },
  },
  {
    method: 'get',
    path: '/api/support/queue',
    access: { right: 'SUPPORT_HANDLE' },
    summary: 'The open requests of the units in the handler’s scope, the nearest deadline first (those waiting for the requester last)',
    output: '{items: [list item]}',
    handler: async (call) => {
      const rows: ListRow[] = await call.ctx.db.query(
        `select ${LIST_COLUMNS} from support_requests r join units u on u.id = r.unit_id
          where r.unit_id = any($1::uuid[]) and r.status in ('received', 'in_progress', 'waiting')
          order by r.due_at asc nulls last, r.created_at limit 500`,
        [[...call.principal!.scope]],
      );
      return { body: { items: rows.map(listItem) } };
    },
  },
  {
    method: 'get',
    path: '/api/support/requests/:code',
    access: EITHER,
    summary: 'One request with its history (every event) and its attachments',
    output: '{request (the view), events: [{seq, at, kind, data}]}',
    input: { params: SupportCodeParams },
    handler: async (call) => {
      const { code } = parseInput(SupportCodeParams, call.req.params);
      const view = await supportInScope(call, code);
      const events: Array<{ seq: number; at: Date; kind: string; data: unknown }> = await call.ctx.db.query('select seq, at, kind, data from support_events where code = $1 order by seq', [code]);
      return { body: { request: view, events } };
    },
  },
  {
    method: 'get',
    path: '/api/support/requests/:code/attachments/:fileId',
    access: EITHER,
    action: 'support.attachment.read',
    summary: 'Downloads one attachment of a request in the caller’s scope',
    output: 'The file’s bytes with its stored type, as an attachment under its name',
    input: { params: AttachmentParams },
    handler: async (call) => {
      const { code, fileId } = parseInput(AttachmentParams, call.req.params);
      await supportInScope(call, code);
      const rows: Array<{ name: string }> = await call.ctx.db.query('select name from support_attachments where code = $1 and file_id = $2', [code, fileId]);
      const store = filesOf(call.ctx);
      const info = rows[0] ? await store.info(fileId) : undefined;
      if (!info) throw notFound('tệp đính kèm', 'Attachment');
      call.audit.details = { fileId, name: rows[0]!.name };
      return {
        stream: { contentType: info.mimeType, filename: rows[0]!.name, path: (await store.path(fileId))! },
        headers: { ETag: `"${info.sha256}"`, 'Cache-Control': 'private, no-store' },
      };
    },
  },
  act('/api/support/requests/:code/take', 'support.take', 'SUPPORT_HANDLE', takeSupportUpdate, 'A handler takes a received request: in progress, under his name'),
  act(
    '/api/support/requests/:code/ask',
    'support.ask',
    'SUPPORT_HANDLE',
    askSupportUpdate,
    'The handler asks the coordination contact a question {text}; the request waits for the answer and its deadline stands still',
    'câu hỏi',
  ),
  act('/api/support/requests/:code/answer', 'support.answer', 'SUPPORT_MANAGE', answerSupportUpdate, 'The requesting unit answers the handler’s question {text}; the deadline runs again', 'nội dung trả lời'),
  act('/api/support/requests/:code/resolve', 'support.resolve', 'SUPPORT_HANDLE', resolveSupportUpdate, 'The handler closes the request as done with its outcome {text}; the outcome is e-mailed', 'kết quả xử lý'),
  act('/api/support/requests/:code/reject', 'support.reject', 'SUPPORT_HANDLE', rejectSupportUpdate, 'The handler rejects the request with a reason {text}; the reason is e-mailed', 'lý do từ chối'),
  act('/api/support/requests/:code/cancel', 'support.cancel', 'SUPPORT_MANAGE', cancelSupportUpdate, 'The requesting unit cancels its request before it ends {text: reason}', 'lý do hủy'),
];
