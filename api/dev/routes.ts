/**
 * The dev inboxes: the local SMS outbox and the embedded SMTP server's mailbox, readable without
 * logging in, so whoever tries the system can read the login code an officer needs before he has a
 * session, and the codes, passwords and e-mails citizens would receive. Unlike the administrators'
 * views (GET /api/sms-outbox, /api/mail/messages) nothing is masked: here the outbox is the
 * citizen's phone. Off unless the deployment enables them (api/dev/settings.ts); then every route
 * answers as a route that does not exist.
 */
import { ApiError, notFound, parseInput } from '../errors';
import type { Call, RouteSpec } from '../route';
import { getMessage, listMessages } from '../../infra/mail/mailbox';
import { DevMailParams, DevMailQuery, DevSmsQuery } from './inputs';

/** Disabled inboxes are indistinguishable from absent ones: nothing tells a prober they exist. */
function requireEnabled({ ctx, req }: Call): void {
  if (ctx.devInboxes === true) return;
  throw new ApiError(404, 'ROUTE_NOT_FOUND', `Không có chức năng ${req.method} ${req.path}.`, `No endpoint ${req.method} ${req.path}.`);
}

interface DevSmsRow {
  id: string;
  toPhone: string;
  body: string;
  purpose: string;
  provider: string;
  status: string;
  createdAt: Date;
}

export const devRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/dev/sms',
    access: 'public',
    summary:
      'Dev inbox (DEV_INBOXES): every SMS the system sent, newest first, bodies unmasked — with the local provider this is the recipient’s phone (?phone, ?page, ?pageSize ≤ 100); 404 when disabled',
    output: '{items: [{id, toPhone, body, purpose, provider, status, createdAt}], total, page, pageSize}',
    input: { query: DevSmsQuery },
    handler: async (call) => {
      requireEnabled(call);
      const q = parseInput(DevSmsQuery, call.req.query);
      const where = q.phone ? 'where to_phone = $1' : '';
      const params = q.phone ? [q.phone] : [];
      const total: Array<{ n: number }> = await call.ctx.db.query(`select count(*)::int as n from sms_outbox ${where}`, params);
      const items: DevSmsRow[] = await call.ctx.db.query(
        `select id, to_phone as "toPhone", body, purpose, provider, status, created_at as "createdAt"
         from sms_outbox ${where} order by seq desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
        params,
      );
      return { body: { items, total: total[0]!.n, page: q.page, pageSize: q.pageSize }, headers: { 'Cache-Control': 'no-store' } };
    },
  },
  {
    method: 'get',
    path: '/api/dev/mail',
    access: 'public',
    summary: 'Dev inbox (DEV_INBOXES): the messages the embedded SMTP server received, newest first (?to, ?subject, ?page, ?pageSize ≤ 100); 404 when disabled',
    output: '{items: [{id, messageId, envelopeFrom, envelopeTo, from, to, subject, date, size, attachmentCount, receivedAt}], total, page, pageSize}',
    input: { query: DevMailQuery },
    handler: async (call) => {
      requireEnabled(call);
      const q = parseInput(DevMailQuery, call.req.query);
      const { items, total } = await listMessages(call.ctx.db, { to: q.to, subject: q.subject, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      return { body: { items, total, page: q.page, pageSize: q.pageSize }, headers: { 'Cache-Control': 'no-store' } };
    },
  },
  {
    method: 'get',
    path: '/api/dev/mail/:id',
    access: 'public',
    summary: 'Dev inbox (DEV_INBOXES): one received message with its headers, text and the list of its attachments; 404 when disabled',
    output: '{id, messageId, envelopeFrom, envelopeTo, from, to, subject, date, size, receivedAt, headers: [{name, value}], text, attachments: [{index, filename, contentType, size, sha256}]}',
    input: { params: DevMailParams },
    handler: async (call) => {
      requireEnabled(call);
      const { id } = parseInput(DevMailParams, call.req.params);
      const message = await getMessage(call.ctx.db, id);
      if (!message) throw notFound('thư', 'Message');
      return { body: message, headers: { 'Cache-Control': 'no-store' } };
    },
  },
];
