/**
 * The logged-in citizen's portal: the profile, the certified copies delivered to them and the
 * notifications. Papers and notifications are kept under the citizen's ID number (so an account
 * opened after the copy still finds it); a business account's are kept under its tax code, so the
 * representative's personal papers stay out of the business's account.
 */
import { stat } from 'node:fs/promises';
import { resolveInFiles } from '../../activities/certification/files';
import { updateReturning } from '../auth/updateReturning';
import { ApiError, notFound, parseInput } from '../errors';
import { filesOf } from '../files/store';
import type { Call, Reply } from '../route';
import { loadProfile } from './accounts';
import type { CitizenPrincipal } from './citizenAuth';
import { IdParams, ListQuery, NotificationQuery } from './inputs';
import { caseFileName } from '../documents/fileNames';

export function holderKey(c: CitizenPrincipal): string {
  return c.kind === 'citizen' ? c.idNumber : c.username;
}

export async function profile(call: Call): Promise<Reply> {
  return { body: await loadProfile(call.ctx.db, call.citizen!.accountId) };
}

interface DocumentRow {
  id: string;
  case_code: string;
  kind: string;
  title: string;
  sha256: string;
  bytes: number;
  created_at: Date;
}

export async function listDocuments(call: Call): Promise<Reply> {
  const q = parseInput(ListQuery, call.req.query);
  const rows: Array<DocumentRow & { total: number }> = await call.ctx.db.query(
    `select id, case_code, kind, title, sha256, bytes, created_at, count(*) over ()::int as total from case_documents
     where holder_kind = 'citizen' and holder_id = $1 order by created_at desc, id limit $2 offset $3`,
    [holderKey(call.citizen!), q.pageSize, (q.page - 1) * q.pageSize],
  );
  return {
    body: {
      total: rows[0]?.total ?? 0,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({
        id: r.id,
        caseCode: r.case_code,
        kind: r.kind,
        title: r.title,
        sha256: r.sha256,
        bytes: r.bytes,
        createdAt: r.created_at.toISOString(),
        downloadUrl: `/api/citizen/documents/${r.id}`,
        // The page the copy's QR code opens: the citizen may check (or show) it is genuine.
        ...(r.kind === 'certified_copy' && call.ctx.links ? { verifyUrl: call.ctx.links.verifyUrl(r.case_code) } : {}),
      })),
    },
  };
}

export async function downloadDocument(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const { id } = parseInput(IdParams, call.req.params);
  const rows: Array<{ path: string; case_code: string; kind: string }> = await ctx.db.query(
    `select path, case_code, kind from case_documents where id = $1 and holder_kind = 'citizen' and holder_id = $2`,
    [id, holderKey(call.citizen!)],
  );
  // Another citizen's paper answers as a missing one.
  const doc = rows[0];
  if (!doc) throw notFound('giấy tờ', 'Document');
  audit.target = `case:${doc.case_code}`;
  audit.details = { documentId: id };
  const full = resolveInFiles(filesOf(ctx).config.dir, doc.path);
  if (!(await stat(full).catch(() => undefined))?.isFile()) {
    throw new ApiError(410, 'DOCUMENT_FILE_MISSING', 'Tệp của giấy tờ này không còn trên máy chủ; vui lòng liên hệ Bộ phận một cửa.', 'The file of this document is gone from the server; contact the one-stop desk.');
  }
  return { stream: { contentType: 'application/pdf', filename: caseFileName(doc.case_code, doc.kind), path: full, inline: true } };
}

interface NotificationRow {
  id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: Date;
  read_at: Date | null;
}

export async function listNotifications(call: Call): Promise<Reply> {
  const q = parseInput(NotificationQuery, call.req.query);
  const key = holderKey(call.citizen!);
  const unreadOnly = q.unread === 'true';
  const rows: Array<NotificationRow & { total: number }> = await call.ctx.db.query(
    `select id, kind, title, body, link, created_at, read_at, count(*) over ()::int as total from citizen_notifications
     where id_number = $1 and ($2::boolean = false or read_at is null) order by created_at desc, id limit $3 offset $4`,
    [key, unreadOnly, q.pageSize, (q.page - 1) * q.pageSize],
  );
  const unread: Array<{ n: number }> = await call.ctx.db.query(`select count(*)::int as n from citizen_notifications where id_number = $1 and read_at is null`, [key]);
  return {
    body: {
      total: rows[0]?.total ?? 0,
      unread: unread[0].n,
      page: q.page,
      pageSize: q.pageSize,
      items: rows.map((r) => ({ id: r.id, kind: r.kind, title: r.title, body: r.body, link: r.link, createdAt: r.created_at.toISOString(), readAt: r.read_at?.toISOString() ?? null })),
    },
  };
}

export async function markNotificationRead(call: Call): Promise<Reply> {
  const { id } = parseInput(IdParams, call.req.params);
  const rows: Array<{ id: string }> = await call.ctx.db.query(`select id from citizen_notifications where id = $1 and id_number = $2`, [id, holderKey(call.citizen!)]);
  if (!rows[0]) throw notFound('thông báo', 'Notification');
  // The first reading is the one kept.
  await call.ctx.db.query(`update citizen_notifications set read_at = $2 where id = $1 and read_at is null`, [id, call.ctx.clock.now()]);
  call.audit.target = `citizen-notification:${id}`;
  return { status: 204 };
}

export async function markAllNotificationsRead(call: Call): Promise<Reply> {
  const rows = await updateReturning<{ id: string }>(
    call.ctx.db,
    `update citizen_notifications set read_at = $2 where id_number = $1 and read_at is null returning id`,
    [holderKey(call.citizen!), call.ctx.clock.now()],
  );
  call.audit.details = { marked: rows.length };
  return { status: 204 };
}
