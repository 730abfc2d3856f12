/**
 * An officer's own notifications (the bell): escalations of late cases and whatever else writes
 * to officer_notifications. Every logged-in officer reads and marks only his own; another
 * officer's notification answers 404, as if missing.
 */
import { z } from 'zod';
import { uuidOf } from '../calendar/inputs';
import { ApiError, parseInput } from '../errors';
import type { RouteSpec } from '../route';

const ListQuery = z.object({
  unread: z.enum(['true', 'false'], { error: 'chỉ chưa đọc phải là có hoặc không (true/false)' }).optional(),
  limit: z.coerce.number({ error: 'số dòng phải là số' }).int({ error: 'số dòng phải là số nguyên' }).min(1, { error: 'số dòng tối thiểu là 1' }).max(200, { error: 'số dòng tối đa là 200' }).optional(),
});
const IdParams = z.object({ id: uuidOf('mã thông báo') });

interface Row {
  id: string;
  caseCode: string | null;
  kind: string;
  title: string;
  body: string;
  createdAt: Date;
  readAt: Date | null;
}

const COLUMNS = `id, case_code as "caseCode", kind, title, body, created_at as "createdAt", read_at as "readAt"`;

/** TypeORM answers UPDATE … RETURNING on PostgreSQL with `[rows, rowCount]`. */
function returnedRows<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}

const notFoundNotification = () => new ApiError(404, 'NOT_FOUND', 'Không tìm thấy thông báo này.', 'Notification not found.');

export const notificationRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/notifications',
    access: 'authenticated',
    summary: "The caller's notifications, newest first (?unread=true for unread ones only, ?limit= up to 200, default 50), and how many are unread",
    input: { query: ListQuery },
    output: '{unread, items: [{id, caseCode, kind, title, body, createdAt, readAt}]}',
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ListQuery, req.query);
      const me = principal!.officerId;
      const items: Row[] = await ctx.db.query(
        `select ${COLUMNS} from officer_notifications where officer_id = $1 ${q.unread === 'true' ? 'and read_at is null' : ''} order by seq desc limit $2`,
        [me, q.limit ?? 50],
      );
      const unread: Array<{ n: number }> = await ctx.db.query('select count(*)::int as n from officer_notifications where officer_id = $1 and read_at is null', [me]);
      return { body: { unread: unread[0].n, items } };
    },
  },
  {
    method: 'post',
    path: '/api/notifications/:id/read',
    access: 'authenticated',
    action: 'notification.read',
    summary: 'Marks one of the caller’s notifications read (again: no change)',
    input: { params: IdParams },
    output: '{id, readAt, unread}',
    handler: async (call) => {
      const { req, ctx, principal } = call;
      const { id } = parseInput(IdParams, req.params);
      call.audit.target = `notification:${id}`;
      const me = principal!.officerId;
      const rows = returnedRows<{ read_at: Date }>(
        await ctx.db.query(`update officer_notifications set read_at = coalesce(read_at, $3) where id = $1 and officer_id = $2 returning read_at`, [id, me, ctx.clock.now()]),
      );
      if (!rows[0]) throw notFoundNotification();
      const unread: Array<{ n: number }> = await ctx.db.query('select count(*)::int as n from officer_notifications where officer_id = $1 and read_at is null', [me]);
      return { body: { id, readAt: rows[0].read_at, unread: unread[0].n } };
    },
  },
  {
    method: 'post',
    path: '/api/notifications/read-all',
    access: 'authenticated',
    action: 'notification.read-all',
    summary: 'Marks all the caller’s notifications read',
    output: '{marked, unread: 0}',
    handler: async ({ ctx, principal, audit }) => {
      const rows = returnedRows<{ id: string }>(
        await ctx.db.query('update officer_notifications set read_at = $2 where officer_id = $1 and read_at is null returning id', [principal!.officerId, ctx.clock.now()]),
      );
      audit.details = { marked: rows.length };
      return { body: { marked: rows.length, unread: 0 } };
    },
  },
];
