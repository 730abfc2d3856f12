/**
 * The SMS outbox as user administrators see it: what the system sent or would have sent (with
 * the local provider nothing leaves, and this list is where messages are read). One-time codes
 * are masked, so the view cannot be used to log in as someone else.
 */
import { parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { OutboxQuery } from './inputs';

/** Every run of exactly six digits (a code) becomes "******"; longer numbers (phones, case numbers) stay. */
export function maskCodes(body: string): string {
  return body.replace(/(?<!\d)\d{6}(?!\d)/g, '******');
}

interface OutboxRow {
  id: string;
  toPhone: string;
  body: string;
  purpose: string;
  provider: string;
  status: string;
  providerRef: string | null;
  createdAt: Date;
}

export async function listOutbox({ ctx, req }: Call): Promise<Reply> {
  const q = parseInput(OutboxQuery, req.query);
  const where = q.phone ? 'where to_phone = $1' : '';
  const params = q.phone ? [q.phone] : [];
  const total: Array<{ n: number }> = await ctx.db.query(`select count(*)::int as n from sms_outbox ${where}`, params);
  const rows: OutboxRow[] = await ctx.db.query(
    `select id, to_phone as "toPhone", body, purpose, provider, status, provider_ref as "providerRef", created_at as "createdAt"
     from sms_outbox ${where} order by seq desc limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}`,
    params,
  );
  return {
    body: {
      items: rows.map((r) => ({ ...r, body: maskCodes(r.body) })),
      total: total[0].n,
      page: q.page,
      pageSize: q.pageSize,
    },
  };
}
