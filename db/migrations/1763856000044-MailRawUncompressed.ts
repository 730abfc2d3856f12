import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The embedded SMTP server's stored messages keep their raw bytes out of line without compression:
 * a message is mostly a base64 PDF, which PostgreSQL's default compression cannot shrink by the
 * quarter it requires, so it compressed every ~120 kB message in full and then threw the result
 * away (about 4 ms of the server's CPU per delivered copy).
 */
export class MailRawUncompressed1763856000044 implements MigrationInterface {
  name = 'MailRawUncompressed1763856000044';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table mail_messages alter column raw set storage external');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table mail_messages alter column raw set storage extended');
  }
}
