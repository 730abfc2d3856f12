/**
 * Watches the database and Temporal from the worker: a probe every 30 s; a target that has not
 * answered for 5 minutes is alerted ("Cơ sở dữ liệu / Temporal").
 *
 * Temporal down: the database still works, so the alert is raised as any other (deduplicated,
 * throttled, delivered by the dispatcher, which does not need Temporal).
 * Database down: nothing can be queued. The watchdog keeps the confirmed e-mail addresses of the
 * "platform" subscribers in memory (read at every good probe) and mails them directly over SMTP,
 * at most once an hour; when the database answers again the alert is written to the alert list
 * with those deliveries marked sent. SMS needs the database in both providers (every message is
 * recorded in sms_outbox first), so during a database outage the alert goes by e-mail only.
 */
import type { DataSource } from 'typeorm';
import { alertEmail } from './alertText';
import type { RaiseAlert } from './raiseAlert';

export interface WatchdogDeps {
  db: DataSource;
  probeTemporal: () => Promise<unknown>;
  raise: RaiseAlert;
  /** Plain SMTP, without the outbox (which lives in the database). */
  directMail?: (to: string, subject: string, text: string) => Promise<void>;
  now: () => Date;
  baseUrl: string;
  thresholdMs?: number;
  log?: (line: string) => void;
}

type Target = 'database' | 'temporal';
const HOUR = 3_600_000;

export class Watchdog {
  private readonly downSince = new Map<Target, Date>();
  private platformEmails: string[] = [];
  private lastDirect: Date | undefined;
  /** An alert mailed while the database was away, to be written down once it is back. */
  private unrecorded: { since: Date; sentAt: Date; to: string[]; detail: string } | undefined;

  constructor(private readonly deps: WatchdogDeps) {}

  private get threshold(): number {
    return this.deps.thresholdMs ?? 5 * 60_000;
  }

  async tick(): Promise<void> {
    await this.check('database', async () => {
      await this.deps.db.query('select 1');
      const rows: Array<{ address: string }> = await this.deps.db.query(
        `select distinct a.address from alert_subscriptions s join alert_addresses a on a.subscription_id = s.id
          where s.status = 'active' and s.service_type = 'platform' and a.channel = 'email' and a.confirmed_at is not null`,
      );
      this.platformEmails = rows.map((r) => r.address);
    });
    await this.check('temporal', () => this.deps.probeTemporal());
  }

  start(intervalMs = 30_000): () => void {
    const timer = setInterval(() => void this.tick().catch((err: unknown) => this.deps.log?.(`watchdog: ${String(err)}`)), intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async check(target: Target, probe: () => Promise<unknown>): Promise<void> {
    const now = this.deps.now();
    try {
      await probe();
    } catch (err) {
      const since = this.downSince.get(target) ?? now;
      this.downSince.set(target, since);
      if (now.getTime() - since.getTime() >= this.threshold) await this.alert(target, since, err instanceof Error ? err.message : String(err));
      return;
    }
    this.downSince.delete(target);
    if (target === 'database' && this.unrecorded) await this.recordMailed();
  }

  private async alert(target: Target, since: Date, reason: string): Promise<void> {
    const title = target === 'database' ? 'Cơ sở dữ liệu không truy cập được' : 'Temporal không truy cập được';
    const minutes = Math.round((this.deps.now().getTime() - since.getTime()) / 60_000);
    const detail = `${title} đã ${minutes} phút: ${reason}`.slice(0, 1_000);
    if (target === 'temporal' && !this.downSince.has('database')) {
      await this.deps.raise({ kind: 'platform', failureKey: 'platform:temporal', title, detail, since, link: '/#/alerts' });
      return;
    }
    if (target !== 'database' || !this.deps.directMail) return;
    const now = this.deps.now();
    if (this.lastDirect && now.getTime() - this.lastDirect.getTime() < HOUR) return;
    this.lastDirect = now;
    const mail = alertEmail({ kind: 'platform', title, detail, where: 'toàn hệ thống', since, url: `${this.deps.baseUrl}/#/alerts` });
    const to: string[] = [];
    for (const address of this.platformEmails) {
      await this.deps.directMail(address, mail.subject, mail.text).then(
        () => to.push(address),
        (err: unknown) => this.deps.log?.(`watchdog: could not mail ${address}: ${String(err)}`),
      );
    }
    this.unrecorded = { since, sentAt: now, to, detail };
  }

  /** Writes the alert mailed during the outage, its deliveries already sent (not sent again). */
  private async recordMailed(): Promise<void> {
    const u = this.unrecorded!;
    this.unrecorded = undefined;
    await this.deps.db.transaction(async (m) => {
      const rows: Array<{ id: string }> = await m.query(
        `insert into alerts (kind, failure_key, title, detail, since, link, raised_at, last_seen_at) values ('platform', 'platform:database', 'Cơ sở dữ liệu không truy cập được', $1, $2, '/#/alerts', $3, $3) returning id`,
        [u.detail, u.since, u.sentAt],
      );
      for (const address of u.to) {
        await m.query(
          `insert into alert_deliveries (alert_id, purpose, channel, address, subject, body, status, attempts, next_attempt_at, sent_at, created_at)
           values ($1, 'alert', 'email', $2, 'Cơ sở dữ liệu không truy cập được', $3, 'sent', 1, $4, $4, $4)`,
          [rows[0].id, address, u.detail, u.sentAt],
        );
      }
    });
  }
}
