/**
 * E-mail as officers see it: the embedded server's mailbox (what the system sent to citizens,
 * when no outside SMTP server is configured) and the outbox (whether each e-mail left, after
 * how many attempts, and why not).
 *
 * The mailbox holds citizens' addresses and their certified copies, so it is for user
 * administrators only, as the SMS outbox is, and opening a message, its source or an attachment
 * is kept in the audit trail. The outbox shows no content: user administrators see all of it,
 * case supervisors the e-mails of the cases of their units.
 */
import { notFound, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { listMailOutbox } from '../../infra/mail/mailOutbox';
import { getMessage, listMessages, messageAttachment, rawMessage } from '../../infra/mail/mailbox';
import { AttachmentParams, MailboxQuery, MessageParams, OutboxQuery } from './inputs';

const messageNotFound = () => notFound('thư', 'Message');

/** Downloads of personal data must not linger in shared caches or be reinterpreted by the browser. */
const PRIVATE_DOWNLOAD = { 'Cache-Control': 'private, no-store', 'X-Content-Type-Options': 'nosniff' };

export const mailRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/mail/messages',
    access: { right: 'USER_ADMIN' },
    summary: 'Messages the embedded SMTP server received, newest first (?to = an envelope recipient, ?subject = part of the subject, ?page, ?pageSize ≤ 100)',
    output: '{items: [{id, messageId, envelopeFrom, envelopeTo, from, to, subject, date, size, attachmentCount, receivedAt}], total, page, pageSize}',
    input: { query: MailboxQuery },
    handler: async ({ ctx, req }) => {
      const q = parseInput(MailboxQuery, req.query);
      const { items, total } = await listMessages(ctx.db, { to: q.to, subject: q.subject, limit: q.pageSize, offset: (q.page - 1) * q.pageSize });
      return { body: { items, total, page: q.page, pageSize: q.pageSize } };
    },
  },
  {
    method: 'get',
    path: '/api/mail/messages/:id',
    access: { right: 'USER_ADMIN' },
    action: 'mail.read',
    summary: 'One received message: envelope, headers, text body and its attachments (index, filename, contentType, size, sha256)',
    output: '{id, messageId, envelopeFrom, envelopeTo, from, to, subject, date, size, receivedAt, headers: [{name, value}], text, attachments: [{index, filename, contentType, size, sha256}]}',
    input: { params: MessageParams },
    handler: async (call) => {
      const { id } = parseInput(MessageParams, call.req.params);
      call.audit.target = `mail:${id}`;
      const message = await getMessage(call.ctx.db, id);
      if (!message) throw messageNotFound();
      return { body: message };
    },
  },
  {
    method: 'get',
    path: '/api/mail/messages/:id/raw',
    access: { right: 'USER_ADMIN' },
    action: 'mail.read.raw',
    summary: 'The message exactly as received, as an .eml download (message/rfc822)',
    output: 'The raw message (message/rfc822)',
    input: { params: MessageParams },
    handler: async (call) => {
      const { id } = parseInput(MessageParams, call.req.params);
      call.audit.target = `mail:${id}`;
      const stored = await rawMessage(call.ctx.db, id);
      if (!stored) throw messageNotFound();
      return { file: { contentType: 'message/rfc822', filename: `${id}.eml`, data: stored.raw }, headers: PRIVATE_DOWNLOAD };
    },
  },
  {
    method: 'get',
    path: '/api/mail/messages/:id/attachments/:index',
    access: { right: 'USER_ADMIN' },
    action: 'mail.read.attachment',
    summary: 'One attachment of a received message (index from 0, as listed by GET /api/mail/messages/:id), as a download',
    output: 'The attachment’s bytes with its content type; ETag = its SHA-256',
    input: { params: AttachmentParams },
    handler: async (call) => {
      const { id, index } = parseInput(AttachmentParams, call.req.params);
      call.audit.target = `mail:${id}`;
      call.audit.details = { attachment: index };
      const attachment = await messageAttachment(call.ctx.db, id, index);
      if (!attachment) throw notFound('tệp đính kèm này của thư', 'Attachment');
      return { file: { contentType: attachment.contentType, filename: attachment.filename, data: attachment.content }, headers: PRIVATE_DOWNLOAD };
    },
  },
  {
    method: 'get',
    path: '/api/mail/outbox',
    access: { anyOf: ['USER_ADMIN', 'CASE_SUPERVISE'] },
    summary:
      'E-mails the system sends, newest first, with status (sending, sent, failed = last attempt failed, retried), attempts and last error (?caseCode, ?status, ?page, ?pageSize ≤ 100); a supervisor without USER_ADMIN sees the e-mails of his units’ cases only',
    output: '{items: [{id, key, to, subject, status, attempts, lastError, lastAttemptAt, sentAt, smtpResponse, messageId, caseCode, createdAt}], total, page, pageSize}',
    input: { query: OutboxQuery },
    handler: async ({ ctx, req, principal }) => {
      const q = parseInput(OutboxQuery, req.query);
      const caseUnitIds = principal!.rights.has('USER_ADMIN') ? undefined : [...principal!.caseUnits];
      const { items, total } = await listMailOutbox(ctx.db, {
        caseCode: q.caseCode,
        status: q.status,
        caseUnitIds,
        limit: q.pageSize,
        offset: (q.page - 1) * q.pageSize,
      });
      return { body: { items, total, page: q.page, pageSize: q.pageSize } };
    },
  },
];
