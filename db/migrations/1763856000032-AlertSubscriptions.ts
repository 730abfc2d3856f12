import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Error alerts (domain/alerts.ts).
 *
 * alert_subscriptions: a province (or national) unit's registration for one service type, with
 * its phones and e-mails in alert_addresses. An address receives nothing until its code is
 * confirmed (`confirmed_at`); only a hash of the code is kept.
 *
 * alerts: one row per failure key and hour (later occurrences count in `repeats`).
 * alert_deliveries: one row per message to one address — an alert, a confirmation code, or the
 * hourly summary of alerts held back by the throttle — with its own status, attempts and next
 * attempt, so a message whose gateway or mail server is down waits here and is retried.
 */
export class AlertSubscriptions1763856000032 implements MigrationInterface {
  name = 'AlertSubscriptions1763856000032';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table alert_subscriptions (
        id uuid primary key default gen_random_uuid(),
        unit_id uuid not null references units(id),
        service_type text not null,
        status text not null check (status in ('active', 'paused', 'removed')),
        created_by uuid references officers(id),
        created_at timestamptz not null,
        updated_at timestamptz not null
      );
      create index alert_subscriptions_unit on alert_subscriptions (unit_id, service_type) where status <> 'removed';

      create table alert_addresses (
        id uuid primary key default gen_random_uuid(),
        subscription_id uuid not null references alert_subscriptions(id),
        channel text not null check (channel in ('sms', 'email')),
        address text not null,
        code_hash text,
        code_expires_at timestamptz,
        code_attempts int not null default 0,
        code_sent_at timestamptz,
        confirmed_at timestamptz,
        unique (subscription_id, channel, address)
      );

      create table alerts (
        id uuid primary key default gen_random_uuid(),
        kind text not null,
        failure_key text not null,
        unit_id uuid references units(id),
        title text not null,
        detail text not null,
        since timestamptz not null,
        link text,
        raised_at timestamptz not null,
        last_seen_at timestamptz not null,
        repeats int not null default 0
      );
      create index alerts_failure_key on alerts (failure_key, raised_at desc);
      create index alerts_raised on alerts (raised_at desc);

      create table alert_deliveries (
        id uuid primary key default gen_random_uuid(),
        alert_id uuid references alerts(id),
        address_id uuid references alert_addresses(id),
        purpose text not null check (purpose in ('alert', 'summary', 'confirm')),
        channel text not null check (channel in ('sms', 'email')),
        address text not null,
        subject text not null,
        body text not null,
        status text not null check (status in ('pending', 'sent', 'held', 'failed')),
        summary_id uuid references alert_deliveries(id),
        attempts int not null default 0,
        last_error text,
        next_attempt_at timestamptz not null,
        lease_until timestamptz,
        sent_at timestamptz,
        created_at timestamptz not null,
        dedupe_key text unique
      );
      create index alert_deliveries_due on alert_deliveries (next_attempt_at) where status = 'pending';
      create index alert_deliveries_alert on alert_deliveries (alert_id);
      create index alert_deliveries_address on alert_deliveries (channel, address, created_at);
    `);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`drop table alert_deliveries; drop table alerts; drop table alert_addresses; drop table alert_subscriptions;`);
  }
}
