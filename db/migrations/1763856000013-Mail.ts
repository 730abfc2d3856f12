import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * E-mail to citizens.
 *
 * mail_outbox holds one row per logical e-mail, named by its idempotency key (e.g.
 * `case:<code>:result-email`): a retried activity finds the row and never sends a second time
 * once it is 'sent'. Every attempt is counted and the last failure kept, so a case can show why
 * its e-mail has not left yet. The Message-ID is fixed when the row is created, so every attempt
 * carries the same one and the receiving side can recognise a repeat.
 *
 * mail_messages is the mailbox of the embedded SMTP server: what it received, stored once per
 * Message-ID, with the raw message kept so headers and attachments can be read back exactly.
 */
export class Mail1763856000013 implements MigrationInterface {
  name = 'Mail1763856000013';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table mail_outbox (
        id uuid primary key default gen_random_uuid(),
        seq bigserial not null,
        key text not null unique check (length(key) between 1 and 300),
        to_address text not null,
        subject text not null,
        status text not null check (status in ('sending', 'sent', 'failed')),
        attempts int not null default 0 check (attempts >= 0),
        last_error text,
        last_attempt_at timestamptz,
        sent_at timestamptz,
        smtp_response text,
        message_id text not null unique,
        case_code text,
        created_at timestamptz not null
      );
      create index mail_outbox_case on mail_outbox (case_code, seq desc) where case_code is not null;
      create index mail_outbox_status on mail_outbox (status, seq desc);

      create table mail_messages (
        id uuid primary key default gen_random_uuid(),
        seq bigserial not null,
        message_id text not null unique,
        envelope_from text,
        envelope_to text[] not null,
        header_from text,
        header_to text,
        subject text,
        date timestamptz,
        text_body text,
        headers jsonb not null default '[]',
        attachments jsonb not null default '[]',
        size int not null check (size >= 0),
        raw bytea not null,
        received_at timestamptz not null
      );
      create index mail_messages_seq on mail_messages (seq desc);
      create index mail_messages_envelope_to on mail_messages using gin (envelope_to);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      drop table mail_messages;
      drop table mail_outbox;
    `);
  }
}
