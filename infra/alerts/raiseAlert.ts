/**
 * Raising an alert: deduplicated by failure key, addressed to the subscribers of the failing
 * unit's province (and the national root), throttled per address — all in one transaction, so a
 * crash leaves either the whole alert with its deliveries or nothing. Sending is the dispatcher's
 * job (alertDispatcher.ts); nothing here waits for a gateway or a mail server.
 */
import type { DataSource, EntityManager } from 'typeorm';
import { ALERT_DEDUP_WINDOW_MS, DEFAULT_ALERTS_PER_HOUR, hourBucket, type AlertServiceType } from '../../domain/alerts';
import { alertEmail, alertSms } from './alertText';

export interface AlertInput {
  kind: AlertServiceType;
  /** Names one failure, the same for each of its occurrences, e.g. `citizen-mail:HS-…` or `platform:database`. */
  failureKey: string;
  /** The unit whose work failed; absent for failures of the whole system (the gateway, the database). */
  unitId?: string | null;
  /** What failed, in a line. */
  title: string;
  detail: string;
  /** Since when it has been failing; now when unknown. */
  since?: Date;
  /** The screen to look at, a path of the web UI such as `/#/cases/HS-1`. */
  link?: string;
}

export interface RaisedAlert {
  alertId: string;
  /** The same failure was alerted within the hour: only counted. */
  deduplicated: boolean;
  /** Messages queued now, and messages held back for the hourly summary. */
  queued: number;
  held: number;
}

export interface AlertRaiserOptions {
  now: () => Date;
  /** PUBLIC_BASE_URL: links in alerts must open from a phone. */
  baseUrl: string;
  perHour?: number;
  /** Told after a commit that queued messages (the dispatcher's prompt). */
  onQueued?: () => void;
}

export type RaiseAlert = (input: AlertInput) => Promise<RaisedAlert>;

const FAILURE_KEY_LOCK = 7_316_032;
const ADDRESS_LOCK = 7_316_033;

interface Recipient {
  address_id: string;
  channel: 'sms' | 'email';
  address: string;
}

/** Confirmed addresses of active subscriptions of this kind at the unit or above it (any unit, for a system-wide failure). */
async function recipients(m: EntityManager, kind: AlertServiceType, unitId: string | null): Promise<Recipient[]> {
  return m.query(
    `select distinct on (a.channel, a.address) a.id as address_id, a.channel, a.address
       from alert_subscriptions s
       join alert_addresses a on a.subscription_id = s.id and a.confirmed_at is not null
       join units su on su.id = s.unit_id
      where s.status = 'active' and s.service_type = $1
        and ($2::uuid is null or exists (select 1 from units fu where fu.id = $2::uuid and fu.path like su.path || '%'))
      order by a.channel, a.address, s.created_at`,
    [kind, unitId],
  );
}

export function createAlertRaiser(db: DataSource, options: AlertRaiserOptions): RaiseAlert {
  const perHour = options.perHour ?? DEFAULT_ALERTS_PER_HOUR;
  return async (input) => {
    const at = options.now();
    const result = await db.transaction(async (m) => {
      await m.query('select pg_advisory_xact_lock($1, hashtext($2))', [FAILURE_KEY_LOCK, input.failureKey]);
      const recent: Array<{ id: string }> = await m.query(`select id from alerts where failure_key = $1 and raised_at > $2 order by raised_at desc limit 1`, [
        input.failureKey,
        new Date(at.getTime() - ALERT_DEDUP_WINDOW_MS),
      ]);
      if (recent[0]) {
        await m.query('update alerts set repeats = repeats + 1, last_seen_at = $2 where id = $1', [recent[0].id, at]);
        return { alertId: recent[0].id, deduplicated: true, queued: 0, held: 0 };
      }
      const unitId = input.unitId ?? null;
      const units: Array<{ name: string }> = unitId ? await m.query('select name from units where id = $1', [unitId]) : [];
      const since = input.since ?? at;
      const inserted: Array<{ id: string }> = await m.query(
        `insert into alerts (kind, failure_key, unit_id, title, detail, since, link, raised_at, last_seen_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $8) returning id`,
        [input.kind, input.failureKey, unitId, input.title, input.detail, since, input.link ?? null, at],
      );
      const alertId = inserted[0].id;
      const facts = {
        kind: input.kind,
        title: input.title,
        detail: input.detail,
        where: units[0]?.name ?? 'toàn hệ thống',
        since,
        url: input.link ? `${options.baseUrl}${input.link}` : null,
      };
      const sms = alertSms(facts);
      const mail = alertEmail(facts);
      let queued = 0;
      let held = 0;
      for (const r of await recipients(m, input.kind, unitId)) {
        // Counted under a lock per address: two alerts at once cannot both pass the limit.
        await m.query('select pg_advisory_xact_lock($1, hashtext($2))', [ADDRESS_LOCK, `${r.channel}:${r.address}`]);
        const sent: Array<{ n: number }> = await m.query(
          `select count(*)::int as n from alert_deliveries where channel = $1 and address = $2 and purpose = 'alert' and status <> 'held' and created_at > $3`,
          [r.channel, r.address, new Date(at.getTime() - ALERT_DEDUP_WINDOW_MS)],
        );
        const subject = r.channel === 'email' ? mail.subject : 'Cảnh báo lỗi';
        const body = r.channel === 'email' ? mail.text : sms;
        if (sent[0].n < perHour) {
          await m.query(
            `insert into alert_deliveries (alert_id, address_id, purpose, channel, address, subject, body, status, next_attempt_at, created_at)
             values ($1, $2, 'alert', $3, $4, $5, $6, 'pending', $7, $7)`,
            [alertId, r.address_id, r.channel, r.address, subject, body, at],
          );
          queued++;
          continue;
        }
        // Beyond the limit: held, and told in one summary at the end of the clock hour.
        const bucket = hourBucket(at);
        await m.query(
          `insert into alert_deliveries (address_id, purpose, channel, address, subject, body, status, next_attempt_at, created_at, dedupe_key)
           values ($1, 'summary', $2, $3, 'Tổng hợp cảnh báo lỗi', '', 'pending', $4, $5, $6) on conflict (dedupe_key) do nothing`,
          [r.address_id, r.channel, r.address, new Date(bucket.getTime() + 3_600_000), at, `summary:${r.channel}:${r.address}:${bucket.toISOString()}`],
        );
        const summary: Array<{ id: string }> = await m.query('select id from alert_deliveries where dedupe_key = $1', [`summary:${r.channel}:${r.address}:${bucket.toISOString()}`]);
        await m.query(
          `insert into alert_deliveries (alert_id, address_id, purpose, channel, address, subject, body, status, summary_id, next_attempt_at, created_at)
           values ($1, $2, 'alert', $3, $4, $5, $6, 'held', $7, $8, $8)`,
          [alertId, r.address_id, r.channel, r.address, subject, body, summary[0].id, at],
        );
        held++;
      }
      return { alertId, deduplicated: false, queued, held };
    });
    if (result.queued > 0) options.onQueued?.();
    return result;
  };
}
