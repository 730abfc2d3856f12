/**
 * Reading the embedded server's mailbox: lists, one message, its raw .eml and its attachments.
 * Attachment bytes are not stored apart from the message; they are taken from the stored raw
 * message again, so what is downloaded is exactly what arrived.
 */
import { simpleParser } from 'mailparser';
import type { DataSource } from 'typeorm';
import type { MailAttachmentSummary } from '../../entities/mailMessage';
import { foldForSearch } from '../../domain/foldForSearch';

export interface MailboxFilter {
  /** An envelope recipient, compared without regard to case. */
  to?: string;
  /** Part of the subject, without regard to case. */
  subject?: string;
  limit?: number;
  offset?: number;
}

export interface MailboxSummary {
  id: string;
  messageId: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  from: string | null;
  to: string | null;
  subject: string | null;
  date: Date | null;
  size: number;
  attachmentCount: number;
  receivedAt: Date;
}

export interface MailboxMessage extends Omit<MailboxSummary, 'attachmentCount'> {
  headers: Array<{ name: string; value: string }>;
  text: string | null;
  attachments: Array<MailAttachmentSummary & { index: number }>;
}

const SUMMARY = `id, message_id as "messageId", envelope_from as "envelopeFrom", envelope_to as "envelopeTo", header_from as "from",
  header_to as "to", subject, date, size, jsonb_array_length(attachments) as "attachmentCount", received_at as "receivedAt"`;

/**
 * Subjects are searched without case or diacritics ("ket qua" finds "Kết quả"), as officers'
 * names are (api/admin/userFilters.ts). Once the marks are gone and đ is replaced, ASCII lower()
 * is all that is left to do, so the database's locale does not matter.
 */
const FOLDED_SUBJECT = `lower(regexp_replace(translate(regexp_replace(normalize(coalesce(subject, ''), NFD), '[\\u0300-\\u036f]', '', 'g'), 'đĐ', 'dd'), '\\s+', ' ', 'g'))`;

/** Newest first. */
export async function listMessages(db: DataSource, filter: MailboxFilter = {}): Promise<{ items: MailboxSummary[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.to) {
    params.push(filter.to.trim().toLowerCase());
    where.push(`$${params.length} = any(envelope_to)`);
  }
  if (filter.subject) {
    params.push(foldForSearch(filter.subject));
    // position() rather than LIKE: '%' and '_' in the search are plain characters.
    where.push(`position($${params.length} in ${FOLDED_SUBJECT}) > 0`);
  }
  const clause = where.length ? `where ${where.join(' and ')}` : '';
  const limit = Math.max(1, Math.min(filter.limit ?? 50, 500));
  const offset = Math.max(0, filter.offset ?? 0);
  const total: Array<{ n: number }> = await db.query(`select count(*)::int as n from mail_messages ${clause}`, params);
  const items: MailboxSummary[] = await db.query(`select ${SUMMARY} from mail_messages ${clause} order by seq desc limit ${limit} offset ${offset}`, params);
  return { items, total: total[0].n };
}

export async function getMessage(db: DataSource, id: string): Promise<MailboxMessage | undefined> {
  const rows: Array<Omit<MailboxMessage, 'attachments'> & { attachments: MailAttachmentSummary[]; attachmentCount: number }> = await db.query(
    `select ${SUMMARY}, headers, text_body as "text", attachments from mail_messages where id = $1`,
    [id],
  );
  const row = rows[0];
  if (!row) return undefined;
  const { attachmentCount: _count, ...message } = row;
  return { ...message, attachments: row.attachments.map((a, index) => ({ index, ...a })) };
}

export async function rawMessage(db: DataSource, id: string): Promise<{ raw: Buffer; messageId: string; subject: string | null } | undefined> {
  const rows: Array<{ raw: Buffer; messageId: string; subject: string | null }> = await db.query(
    'select raw, message_id as "messageId", subject from mail_messages where id = $1',
    [id],
  );
  return rows[0];
}

/** The attachment at `index` (as listed by getMessage), or undefined when there is none. */
export async function messageAttachment(
  db: DataSource,
  id: string,
  index: number,
): Promise<{ filename: string; contentType: string; content: Buffer } | undefined> {
  const stored = await rawMessage(db, id);
  if (!stored) return undefined;
  const parsed = await simpleParser(stored.raw, { skipImageLinks: true, skipTextToHtml: true, skipHtmlToText: true });
  const a = parsed.attachments[index];
  if (!a) return undefined;
  return { filename: a.filename ?? `tep-dinh-kem-${index + 1}`, contentType: a.contentType, content: a.content };
}
