import { EntitySchema } from 'typeorm';

/** One logical e-mail the system sends, by idempotency key (infra/mail/mailOutbox.ts). */
export interface MailOutboxEntry {
  id: string;
  seq: string;
  key: string;
  toAddress: string;
  subject: string;
  /** 'failed' means the last attempt failed and another may follow; 'sent' is final. */
  status: 'sending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  lastAttemptAt: Date | null;
  sentAt: Date | null;
  smtpResponse: string | null;
  messageId: string;
  caseCode: string | null;
  createdAt: Date;
}

export const MailOutboxEntity = new EntitySchema<MailOutboxEntry>({
  name: 'MailOutboxEntry',
  tableName: 'mail_outbox',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    seq: { type: 'bigint', generated: 'increment' },
    key: { type: 'text', unique: true },
    toAddress: { type: 'text', name: 'to_address' },
    subject: { type: 'text' },
    status: { type: 'text' },
    attempts: { type: 'int' },
    lastError: { type: 'text', name: 'last_error', nullable: true },
    lastAttemptAt: { type: 'timestamptz', name: 'last_attempt_at', nullable: true },
    sentAt: { type: 'timestamptz', name: 'sent_at', nullable: true },
    smtpResponse: { type: 'text', name: 'smtp_response', nullable: true },
    messageId: { type: 'text', name: 'message_id', unique: true },
    caseCode: { type: 'text', name: 'case_code', nullable: true },
    createdAt: { type: 'timestamptz', name: 'created_at' },
  },
});

/** What an attachment of a received message was, without its bytes. */
export interface MailAttachmentSummary {
  filename: string | null;
  contentType: string;
  size: number;
  sha256: string;
}

/** A message the embedded SMTP server received (infra/mail/localSmtpServer.ts). */
export interface MailMessage {
  id: string;
  seq: string;
  messageId: string;
  envelopeFrom: string | null;
  envelopeTo: string[];
  headerFrom: string | null;
  headerTo: string | null;
  subject: string | null;
  date: Date | null;
  textBody: string | null;
  headers: Array<{ name: string; value: string }>;
  attachments: MailAttachmentSummary[];
  size: number;
  raw: Buffer;
  receivedAt: Date;
}

export const MailMessageEntity = new EntitySchema<MailMessage>({
  name: 'MailMessage',
  tableName: 'mail_messages',
  columns: {
    id: { type: 'uuid', primary: true, generated: 'uuid' },
    seq: { type: 'bigint', generated: 'increment' },
    messageId: { type: 'text', name: 'message_id', unique: true },
    envelopeFrom: { type: 'text', name: 'envelope_from', nullable: true },
    envelopeTo: { type: 'text', name: 'envelope_to', array: true },
    headerFrom: { type: 'text', name: 'header_from', nullable: true },
    headerTo: { type: 'text', name: 'header_to', nullable: true },
    subject: { type: 'text', nullable: true },
    date: { type: 'timestamptz', nullable: true },
    textBody: { type: 'text', name: 'text_body', nullable: true },
    headers: { type: 'jsonb' },
    attachments: { type: 'jsonb' },
    size: { type: 'int' },
    raw: { type: 'bytea' },
    receivedAt: { type: 'timestamptz', name: 'received_at' },
  },
});
