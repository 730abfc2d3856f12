/**
 * Sending an e-mail once per idempotency key, over SMTP, with every attempt on record.
 *
 * A key names one logical e-mail (e.g. `case:<code>:result-email`). Once a key is 'sent', every
 * later call answers 'already_sent' without touching SMTP, so a retried activity never mails the
 * citizen twice. A failed attempt keeps the row retryable with its attempt count and the error,
 * and rethrows: the caller's retry policy (a Temporal activity's) brings the next attempt, and
 * the case can show why its e-mail has not left yet.
 *
 * The exactly-once window: SMTP cannot be part of a database transaction. If the server accepted
 * the message and the process died (or the database failed) before the row was marked 'sent',
 * the next attempt sends it again. It carries the SAME Message-ID, fixed when the row was created,
 * so the embedded server (localSmtpServer.ts) stores it once; a real provider may deliver both,
 * and whether the citizen sees one or two depends on the mailbox collapsing equal Message-IDs.
 * The window is the length of one UPDATE, which is retried while the database is away (for most
 * of the lease) so that an accepted message is not sent again when the database comes back; it
 * cannot be closed from this side of SMTP.
 *
 * Two attempts of one key never run at the same time: an attempt claims the row with a lease (its
 * own id and an expiry) in one UPDATE, sends with no database connection held, and ends the lease
 * when it records the outcome. A concurrent attempt finds the lease and answers SEND_IN_PROGRESS;
 * the lease of an attempt whose process died runs out after LEASE_MS, or is taken over at once by an
 * attempt on the same host that sees the holder's process gone. Every statement here takes
 * one pooled connection and gives it back, so any number of concurrent sends fit any pool.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Transporter } from 'nodemailer';
import type { DataSource } from 'typeorm';
import { z } from 'zod';

export interface OutgoingMail {
  key: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  caseCode?: string;
  attachments?: Array<{ filename: string; content: Buffer; contentType: string }>;
}

export interface MailSendResult {
  status: 'sent' | 'already_sent';
  messageId: string;
  attempts: number;
}

export type MailStatus = 'sending' | 'sent' | 'failed';

export interface MailOutboxStatus {
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  messageId: string;
}

export interface MailOutboxItem extends MailOutboxStatus {
  id: string;
  key: string;
  to: string;
  subject: string;
  caseCode: string | null;
  smtpResponse: string | null;
  createdAt: Date;
}

export interface MailOutboxFilter {
  caseCode?: string;
  status?: MailStatus;
  /** Only rows of cases whose unit is in this list (an officer's scope); rows without a case are left out. */
  caseUnitIds?: readonly string[];
  limit?: number;
  offset?: number;
}

export type MailSendErrorCode = 'INVALID_MAIL' | 'KEY_CONFLICT' | 'SEND_IN_PROGRESS' | 'SMTP_FAILED';

/** Why an e-mail did not leave; `retryable` tells a retry policy whether another attempt can help. */
export class MailSendError extends Error {
  constructor(
    readonly code: MailSendErrorCode,
    readonly retryable: boolean,
    readonly vi: string,
    readonly en: string,
    options?: { cause?: unknown },
  ) {
    super(`${vi} / ${en}`, options);
    this.name = 'MailSendError';
  }
}

/**
 * How long a claimed send may take before another attempt may claim it: longer than the SMTP
 * transport's own timeouts together (mailTransport.ts), so a live attempt never loses its lease.
 */
export const LEASE_MS = 10 * 60_000;
/** How long an accepted message's "sent" mark is retried while the database does not answer. */
const RECORD_SENT_FOR_MS = LEASE_MS / 2;
const MAX_ERROR_TEXT = 2_000;

/** This process, as recorded on the leases it takes. */
const LEASE_HOLDER = `${hostname()}/${process.pid}`;

/** True when `holder` names a process of this host that has ended. */
export function holderIsGone(holder: string): boolean {
  const slash = holder.lastIndexOf('/');
  const pid = Number(holder.slice(slash + 1));
  if (holder.slice(0, slash) !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The same pattern the case workflow validates citizens' addresses with. */
const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;

const MailInput = z.object({
  key: z.string().trim().min(1, { error: 'khóa thư (key) không được để trống' }).max(300, { error: 'khóa thư (key) dài tối đa 300 ký tự' }),
  to: z.string().trim().regex(ADDRESS, { error: 'địa chỉ người nhận không hợp lệ' }),
  subject: z.string().trim().min(1, { error: 'tiêu đề thư không được để trống' }).max(500, { error: 'tiêu đề thư dài tối đa 500 ký tự' }),
  text: z.string(),
  html: z.string().optional(),
  caseCode: z.string().min(1).max(100).optional(),
  attachments: z
    .array(z.object({ filename: z.string().min(1, { error: 'tệp đính kèm phải có tên' }), content: z.instanceof(Buffer), contentType: z.string().min(1) }))
    .optional(),
});

/** `<hash of the key @ the sender's domain>`: every attempt of one key carries the same Message-ID. */
export function messageIdFor(key: string, from: string): string {
  const domain = /@([^\s@<>]+)\s*>?\s*$/.exec(from)?.[1] ?? 'chungthuc.local';
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 40)}@${domain}>`;
}

interface OutboxRow {
  id: string;
  key: string;
  to: string;
  subject: string;
  status: MailStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  smtpResponse: string | null;
  messageId: string;
  caseCode: string | null;
  createdAt: Date;
}

const COLUMNS = `id, key, to_address as "to", subject, status, attempts, last_error as "lastError", last_attempt_at as "lastAttemptAt",
  sent_at as "sentAt", smtp_response as "smtpResponse", message_id as "messageId", case_code as "caseCode", created_at as "createdAt"`;

/** TypeORM answers UPDATE … RETURNING on PostgreSQL with `[rows, rowCount]`. */
function returnedRows<T>(raw: unknown): T[] {
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') return raw[0] as T[];
  return raw as T[];
}

/** What went wrong, with the SMTP reply when there was one: kept on the row for the case to show. */
function describeFailure(err: unknown): string {
  const e = err as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown };
  const parts = [typeof e?.code === 'string' ? e.code : undefined, typeof e?.message === 'string' ? e.message : String(err)];
  if (typeof e?.response === 'string' && typeof e.message === 'string' && !e.message.includes(e.response)) parts.push(`(${e.response})`);
  return parts.filter(Boolean).join(': ').slice(0, MAX_ERROR_TEXT);
}

/**
 * A refusal the same message would meet again (5xx, e.g. an unknown mailbox) is not worth
 * retrying; a refused login is, once an operator fixes the account and restarts.
 */
function isRetryable(err: unknown): boolean {
  const e = err as { permanent?: unknown; code?: unknown };
  if (e?.code === 'EAUTH' || e?.code === 'ENOAUTH') return true;
  return e?.permanent !== true;
}

/** The outbox, newest first; readable without a transport (the API shows it). */
/** How the e-mail of `key` is going; readable without a transport (the API shows it on the case). */
export async function mailOutboxStatus(db: DataSource, key: string): Promise<MailOutboxStatus | undefined> {
  const rows: OutboxRow[] = await db.query(`select ${COLUMNS} from mail_outbox where key = $1`, [key]);
  const row = rows[0];
  if (!row) return undefined;
  return { status: row.status, attempts: row.attempts, lastError: row.lastError, lastAttemptAt: row.lastAttemptAt, sentAt: row.sentAt, messageId: row.messageId };
}

export async function listMailOutbox(db: DataSource, filter: MailOutboxFilter = {}): Promise<{ items: MailOutboxItem[]; total: number }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    where.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.caseCode !== undefined) add('o.case_code = ?', filter.caseCode);
  if (filter.status !== undefined) add('o.status = ?', filter.status);
  if (filter.caseUnitIds !== undefined) {
    add('exists (select 1 from certification_cases c where c.case_code = o.case_code and c.unit_id = any(?::uuid[]))', [...filter.caseUnitIds]);
  }
  const clause = where.length ? `where ${where.join(' and ')}` : '';
  const limit = Math.max(1, Math.min(filter.limit ?? 50, 500));
  const offset = Math.max(0, filter.offset ?? 0);
  const total: Array<{ n: number }> = await db.query(`select count(*)::int as n from mail_outbox o ${clause}`, params);
  const rows: OutboxRow[] = await db.query(`select ${COLUMNS} from mail_outbox o ${clause} order by o.seq desc limit ${limit} offset ${offset}`, params);
  return { items: rows, total: total[0].n };
}

export class MailOutbox {
  private readonly now: () => number;

  constructor(
    private readonly db: DataSource,
    private readonly transport: Transporter,
    private readonly options: { from: string; now?: () => number },
  ) {
    this.now = options.now ?? Date.now;
  }

  async send(input: OutgoingMail): Promise<MailSendResult> {
    const mail = this.validate(input);
    const row = await this.rowFor(mail);
    if (row.status === 'sent') return { status: 'already_sent', messageId: row.messageId, attempts: row.attempts };
    return this.attempt(mail);
  }

  status(key: string): Promise<MailOutboxStatus | undefined> {
    return mailOutboxStatus(this.db, key);
  }

  /** Newest first. */
  list(filter: MailOutboxFilter = {}): Promise<{ items: MailOutboxItem[]; total: number }> {
    return listMailOutbox(this.db, filter);
  }

  private validate(input: OutgoingMail): OutgoingMail {
    const r = MailInput.safeParse(input);
    if (r.success) return r.data;
    const list = r.error.issues.map((i) => `${i.path.join('.') || '(thư)'}: ${i.message}`).join('; ');
    throw new MailSendError('INVALID_MAIL', false, `Thư không hợp lệ — ${list}`, `Invalid e-mail — ${list}`);
  }

  private async find(key: string): Promise<OutboxRow | undefined> {
    const rows: OutboxRow[] = await this.db.query(`select ${COLUMNS} from mail_outbox where key = $1`, [key]);
    return rows[0];
  }

  /**
   * The key's row, created on first use; the same key for another recipient or subject is a caller's mistake.
   * No conflict target: two first attempts inserting at once also collide on the Message-ID (derived
   * from the key, and unique too), which `on conflict (key)` would let through as an error.
   */
  private async rowFor(mail: OutgoingMail): Promise<OutboxRow> {
    await this.db.query(
      `insert into mail_outbox (key, to_address, subject, status, attempts, message_id, case_code, created_at)
       values ($1, $2, $3, 'sending', 0, $4, $5, $6) on conflict do nothing`,
      [mail.key, mail.to, mail.subject, messageIdFor(mail.key, this.options.from), mail.caseCode ?? null, new Date(this.now())],
    );
    const row = (await this.find(mail.key))!;
    if (row.to.toLowerCase() !== mail.to.toLowerCase() || row.subject !== mail.subject) {
      throw new MailSendError(
        'KEY_CONFLICT',
        false,
        `Khóa thư "${mail.key}" đã dùng cho thư khác (gửi ${row.to}, tiêu đề "${row.subject}").`,
        `E-mail key "${mail.key}" already names another e-mail (to ${row.to}, subject "${row.subject}").`,
      );
    }
    return row;
  }

  /**
   * A lease held by a process of this host that no longer runs (a worker killed during a send) is
   * taken over at once: nobody can still be sending under it. Compare-and-swap on the old lease, so
   * of two attempts noticing together only one wins. A holder on another host, or a pid that is
   * alive (possibly reused), keeps its lease until it runs out: the safe side.
   */
  private async takeOverFromTheDead(key: string, at: Date, lease: string): Promise<OutboxRow | undefined> {
    const rows: Array<{ owner: string | null; holder: string | null }> = await this.db.query(
      `select lease_owner as owner, lease_holder as holder from mail_outbox where key = $1 and status <> 'sent'`,
      [key],
    );
    const held = rows[0];
    if (!held?.owner || !held.holder || !holderIsGone(held.holder)) return undefined;
    const claimed: unknown = await this.db.query(
      `update mail_outbox set attempts = attempts + 1, status = 'sending', last_attempt_at = $2, lease_owner = $3, lease_until = $4, lease_holder = $5
       where key = $1 and status <> 'sent' and lease_owner = $6 returning ${COLUMNS}`,
      [key, at, lease, new Date(at.getTime() + LEASE_MS), LEASE_HOLDER, held.owner],
    );
    return returnedRows<OutboxRow>(claimed)[0];
  }

  /** One attempt: claim the row's lease, send, record the outcome and end the lease. */
  private async attempt(mail: OutgoingMail): Promise<MailSendResult> {
    const at = new Date(this.now());
    const lease = randomUUID();
    const claimed: unknown = await this.db.query(
      `update mail_outbox set attempts = attempts + 1, status = 'sending', last_attempt_at = $2, lease_owner = $3, lease_until = $4, lease_holder = $5
       where key = $1 and status <> 'sent' and (lease_until is null or lease_until <= $2) returning ${COLUMNS}`,
      [mail.key, at, lease, new Date(at.getTime() + LEASE_MS), LEASE_HOLDER],
    );
    const row = returnedRows<OutboxRow>(claimed)[0] ?? (await this.takeOverFromTheDead(mail.key, at, lease));
    if (!row) {
      const now = (await this.find(mail.key))!;
      if (now.status === 'sent') return { status: 'already_sent', messageId: now.messageId, attempts: now.attempts };
      throw new MailSendError(
        'SEND_IN_PROGRESS',
        true,
        `Thư "${mail.key}" đang được gửi ở một lượt khác; thử lại sau.`,
        `E-mail "${mail.key}" is being sent by another attempt; try again later.`,
      );
    }
    let response: string | null = null;
    try {
      const info: { response?: unknown } = await this.transport.sendMail({
        from: this.options.from,
        to: row.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html !== undefined ? { html: mail.html } : {}),
        messageId: row.messageId,
        date: at,
        ...(mail.caseCode ? { headers: { 'X-Case-Code': mail.caseCode } } : {}),
        attachments: (mail.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
      });
      if (typeof info.response === 'string') response = info.response.slice(0, MAX_ERROR_TEXT);
    } catch (err) {
      const reason = describeFailure(err);
      await this.db
        .query(`update mail_outbox set status = 'failed', last_error = $2, lease_owner = null, lease_until = null where key = $1 and lease_owner = $3 and status <> 'sent'`, [
          mail.key,
          reason,
          lease,
        ])
        // The SMTP failure is what the caller must hear about; its retry records the next attempt.
        .catch(() => undefined);
      throw new MailSendError(
        'SMTP_FAILED',
        isRetryable(err),
        `Gửi thư tới ${row.to} không thành công (lần thử ${row.attempts}): ${reason}`,
        `Sending the e-mail to ${row.to} failed (attempt ${row.attempts}): ${reason}`,
        { cause: err },
      );
    }
    await this.recordSent(mail.key, response);
    return { status: 'sent', messageId: row.messageId, attempts: row.attempts };
  }

  /**
   * The server accepted the message: that is written before anything else, retried while the
   * database does not answer — a message the server took must not be sent again because its mark
   * was lost — for most of the lease, after which the lease could pass to another attempt anyway.
   * Whoever holds the lease by then, the message did leave: the mark is written regardless.
   */
  private async recordSent(key: string, response: string | null): Promise<void> {
    const giveUpAt = Date.now() + RECORD_SENT_FOR_MS;
    for (let pause = 100; ; pause = Math.min(pause * 2, 5_000)) {
      try {
        await this.db.query(`update mail_outbox set status = 'sent', sent_at = $2, last_error = null, smtp_response = $3, lease_owner = null, lease_until = null where key = $1`, [
          key,
          new Date(this.now()),
          response,
        ]);
        return;
      } catch (err) {
        if (Date.now() + pause > giveUpAt) throw err;
        console.error(`mail ${key}: accepted by the server, but its "sent" mark could not be written yet (${describeFailure(err)}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }
}
