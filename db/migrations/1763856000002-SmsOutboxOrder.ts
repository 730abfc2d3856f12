import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Messages sent within the same instant still have an order: the outbox lists newest first by it. */
export class SmsOutboxOrder1763856000002 implements MigrationInterface {
  name = 'SmsOutboxOrder1763856000002';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table sms_outbox add column seq bigserial not null');
    await q.query('create index sms_outbox_seq on sms_outbox (seq desc)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table sms_outbox drop column seq');
  }
}
