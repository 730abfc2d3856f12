import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A send of the mail outbox is claimed with a lease on its row instead of an advisory lock held on
 * a connection of its own: no connection is held while SMTP answers, so concurrent sends never
 * wait for a second connection of the pool while holding one. `lease_owner` names the attempt that
 * holds the row until `lease_until`; an attempt that died leaves a lease that simply runs out.
 */
export class MailLease1763856000025 implements MigrationInterface {
  name = 'MailLease1763856000025';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      alter table mail_outbox add column lease_owner uuid, add column lease_until timestamptz;
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`alter table mail_outbox drop column lease_owner, drop column lease_until`);
  }
}
