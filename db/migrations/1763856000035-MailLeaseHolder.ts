import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `lease_holder` names the process that holds a send's lease (`<host>/<pid>`): when that process is
 * gone — a worker killed in the middle of a send and started again — the next attempt on the same
 * host takes the lease over at once instead of waiting out its ten minutes. The message keeps its
 * Message-ID, so a send the dead process had finished is stored once by the embedded server.
 */
export class MailLeaseHolder1763856000035 implements MigrationInterface {
  name = 'MailLeaseHolder1763856000035';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table mail_outbox add column lease_holder text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table mail_outbox drop column lease_holder`);
  }
}
