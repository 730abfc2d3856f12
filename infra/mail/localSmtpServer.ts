/**
 * The embedded SMTP server: the default destination of outgoing e-mail on one machine and in
 * tests. It accepts mail from this machine without login or TLS, and keeps every message in
 * `mail_messages`, where the API shows it (infra/mail/mailbox.ts). A message is stored once per
 * Message-ID, so a resend after a lost acknowledgement (mailOutbox.ts) is not a second message.
 *
 * It is no relay: nothing it receives goes further. Bind it to the loopback interface only.
 */
import { createHash } from 'node:crypto';
import type { AddressObject, ParsedMail } from 'mailparser';
import { simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { DataSource } from 'typeorm';
import type { MailAttachmentSummary } from '../../entities/mailMessage';

export const DEFAULT_MAX_MAIL_BYTES = 25 * 1024 * 1024;

export interface LocalSmtpServer {
  port: number;
  close(): Promise<void>;
}

export interface LocalSmtpOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** 0 = any free port; the chosen one is in the result. */
  port: number;
  /** Largest message accepted (552 beyond); default 25 MiB. */
  maxBytes?: number;
  /** When a message counts as received; tests pass a fixed clock. */
  now?: () => number;
}

export interface StoredMessage {
  id: string;
  messageId: string;
  /** False when a message with the same Message-ID was already there. */
  created: boolean;
}

/** PostgreSQL text cannot hold NUL; a message may. */
const clean = (s: string | undefined | null): string | null => (s == null ? null : s.replace(/\u0000/g, ''));

function addressText(a: AddressObject | AddressObject[] | undefined): string | null {
  if (!a) return null;
  return clean((Array.isArray(a) ? a : [a]).map((x) => x.text).join(', '));
}

/** Header lines as sent (encoded words stay encoded), one line each. */
function headerList(parsed: ParsedMail): Array<{ name: string; value: string }> {
  return parsed.headerLines.map((h) => {
    const colon = h.line.indexOf(':');
    return { name: h.key, value: clean(h.line.slice(colon + 1).replace(/\r?\n[ \t]+/g, ' ').trim()) ?? '' };
  });
}

export function attachmentSummaries(parsed: ParsedMail): MailAttachmentSummary[] {
  return parsed.attachments.map((a) => ({
    filename: clean(a.filename ?? null),
    contentType: a.contentType,
    size: a.content.length,
    sha256: createHash('sha256').update(a.content).digest('hex'),
  }));
}

/**
 * Stores one received message, or finds it stored already. A message without a Message-ID is
 * named by the SHA-256 of its bytes, so the same bytes delivered twice are still one message.
 */
export async function storeReceivedMessage(
  db: DataSource,
  raw: Buffer,
  envelope: { from: string | null; to: string[] },
  receivedAt: Date,
): Promise<StoredMessage> {
  const parsed = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true });
  const messageId = parsed.messageId?.trim() || `<${createHash('sha256').update(raw).digest('hex')}@local-smtp>`;
  const date = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : null;
  const inserted: Array<{ id: string }> = await db.query(
    `insert into mail_messages (message_id, envelope_from, envelope_to, header_from, header_to, subject, date, text_body, headers, attachments, size, raw, received_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
     on conflict (message_id) do nothing returning id`,
    [
      clean(messageId),
      envelope.from ? envelope.from.toLowerCase() : null,
      envelope.to.map((t) => t.toLowerCase()),
      addressText(parsed.from),
      addressText(parsed.to),
      clean(parsed.subject),
      date,
      clean(parsed.text),
      JSON.stringify(headerList(parsed)),
      JSON.stringify(attachmentSummaries(parsed)),
      raw.length,
      raw,
      receivedAt,
    ],
  );
  if (inserted[0]) return { id: inserted[0].id, messageId, created: true };
  const existing: Array<{ id: string }> = await db.query('select id from mail_messages where message_id = $1', [clean(messageId)]);
  return { id: existing[0].id, messageId, created: false };
}

function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

async function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startLocalSmtpServer(db: DataSource, options: LocalSmtpOptions): Promise<LocalSmtpServer> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MAIL_BYTES;
  const now = options.now ?? Date.now;
  const onData = (stream: SMTPServerDataStream, session: SMTPServerSession, callback: (err?: Error | null, message?: string) => void): void => {
    readAll(stream)
      .then(async (raw) => {
        if (stream.sizeExceeded) return callback(smtpError(552, `Thư vượt quá ${maxBytes} byte / message exceeds ${maxBytes} bytes`));
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address || null : null;
        const to = session.envelope.rcptTo.map((r) => r.address);
        const stored = await storeReceivedMessage(db, raw, { from, to }, new Date(now()));
        callback(null, stored.created ? `OK: stored as ${stored.id}` : `OK: already stored as ${stored.id}`);
      })
      // 451 is transient: the sender keeps the message and tries again (mailOutbox records it).
      .catch((err: unknown) => callback(smtpError(451, `Không lưu được thư / could not store the message: ${err instanceof Error ? err.message : String(err)}`)));
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    logger: false,
    banner: 'Chứng thực điện tử — local mailbox',
    closeTimeout: 5_000,
    onData,
  });
  server.on('error', (err: Error) => console.error('[smtp] server error', err));
  const host = options.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.server.once('error', onError);
    server.listen(options.port, host, () => {
      server.server.off('error', onError);
      const address = server.server.address();
      resolve(typeof address === 'object' && address ? address.port : options.port);
    });
  });
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
