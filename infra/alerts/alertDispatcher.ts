/**
 * Sends what raiseAlert and the subscriptions queued in alert_deliveries: alerts, confirmation
 * codes, hourly summaries. A delivery is claimed with a lease (several processes may run a
 * dispatcher), sent under its own key — the SMS sender's dedupe key and the mail outbox's key —
 * so a crash between the send and the record cannot send it twice through the local outbox, and
 * a failure leaves it pending with the error and a later attempt. A failing SMS gateway is itself
 * alerted (its key dedups it to once an hour; the e-mail channel still carries it).
 *
 * Why a loop over a table and not a Temporal workflow: the platform alert ("Temporal
 * unreachable") must go out when Temporal is down, and one mechanism for every alert is simpler.
 */
import type { DataSource } from 'typeorm';
import { deliveryBackoffMs, DELIVERY_GIVE_UP_MS } from '../../domain/alerts';
import { MailSendError, type MailOutbox } from '../mail/mailOutbox';
import type { SmsSender } from '../sms/smsSender';
import { summaryText } from './alertText';
import type { RaiseAlert } from './raiseAlert';

export interface AlertDispatcherDeps {
  db: DataSource;
  sms: SmsSender;
  /** Absent in a process without SMTP settings: its e-mails are left to another process's dispatcher. */
  mail?: MailOutbox;
  now: () => Date;
  baseUrl: string;
  /** Tells the SMS gateway's own failure. */
  raise?: RaiseAlert;
  log?: (line: string) => void;
}

interface Claimed {
  id: string;
  purpose: 'alert' | 'summary' | 'confirm';
  channel: 'sms' | 'email';
  address: string;
  subject: string;
  body: string;
  created_at: Date;
  attempts: number;
}

const LEASE_MS = 5 * 60_000;
/** A confirmation code is not kept readable once it left. */
const SENT_CODE_BODY = '(mã xác nhận đã gửi)';

export function alertDeliveryKey(id: string): string {
  return `alert-delivery:${id}`;
}

export class AlertDispatcher {
  private running: Promise<number> | undefined;
  private again = false;

  constructor(private readonly deps: AlertDispatcherDeps) {}

  /** Sends what is due; a call while a round runs asks for one more round after it. */
  runOnce(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.again = false;
          for (let n = await this.round(); n > 0; n = await this.round()) total += n;
        } while (this.again);
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  /** Runs every `intervalMs` until the returned function is called. */
  start(intervalMs = 15_000): () => void {
    const timer = setInterval(() => {
      this.runOnce().catch((err: unknown) => this.deps.log?.(`alerts: dispatcher round failed: ${String(err)}`));
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  private async round(): Promise<number> {
    const { db } = this.deps;
    const now = this.deps.now();
    const raw: unknown = await db.query(
      `update alert_deliveries set lease_until = $2 where id in (
         select id from alert_deliveries
          where status = 'pending' and next_attempt_at <= $1 and (lease_until is null or lease_until <= $1) and (channel = 'sms' or $3)
          order by next_attempt_at limit 20 for update skip locked)
       returning id, purpose, channel, address, subject, body, created_at, attempts`,
      [now, new Date(now.getTime() + LEASE_MS), this.deps.mail !== undefined],
    );
    const claimed = (Array.isArray(raw) && Array.isArray(raw[0]) ? raw[0] : raw) as Claimed[];
    for (const d of claimed) await this.deliver(d);
    return claimed.length;
  }

  private async deliver(d: Claimed): Promise<void> {
    const { db } = this.deps;
    try {
      const message = d.purpose === 'summary' ? await this.summary(d) : { subject: d.subject, text: d.body, sms: d.body };
      if (!message) {
        await db.query(`update alert_deliveries set status = 'sent', sent_at = $2, body = 'không còn cảnh báo nào để tổng hợp', lease_until = null where id = $1`, [d.id, this.deps.now()]);
        return;
      }
      if (d.channel === 'sms') {
        await this.deps.sms.send(d.address, message.sms, d.purpose === 'confirm' ? 'alert-confirm' : 'alert', { key: alertDeliveryKey(d.id) });
      } else {
        await this.deps.mail!.send({ key: alertDeliveryKey(d.id), to: d.address, subject: message.subject, text: message.text });
      }
      await db.query(`update alert_deliveries set status = 'sent', sent_at = $2, attempts = attempts + 1, last_error = null, lease_until = null, body = $3 where id = $1`, [
        d.id,
        this.deps.now(),
        d.purpose === 'confirm' ? SENT_CODE_BODY : d.purpose === 'summary' ? (d.channel === 'sms' ? message.sms : message.text) : d.body,
      ]);
    } catch (err) {
      const now = this.deps.now();
      const reason = (err instanceof Error ? err.message : String(err)).slice(0, 2_000);
      const permanent = err instanceof MailSendError && !err.retryable;
      const giveUp = permanent || now.getTime() - new Date(d.created_at).getTime() > DELIVERY_GIVE_UP_MS;
      await db.query(`update alert_deliveries set status = $2, attempts = attempts + 1, last_error = $3, next_attempt_at = $4, lease_until = null where id = $1`, [
        d.id,
        giveUp ? 'failed' : 'pending',
        reason,
        new Date(now.getTime() + deliveryBackoffMs(d.attempts + 1)),
      ]);
      this.deps.log?.(`alerts: delivery ${d.id} (${d.channel} ${d.address}) failed: ${reason}`);
      if (d.channel === 'sms' && this.deps.raise) {
        await this.deps
          .raise({ kind: 'sms-gateway', failureKey: 'sms-gateway', title: 'Cổng SMS không nhận tin nhắn', detail: reason, link: '/#/alerts' })
          .catch((e: unknown) => this.deps.log?.(`alerts: could not raise the SMS gateway alert: ${String(e)}`));
      }
    }
  }

  /** The summary's text from the alerts it holds; undefined when there is none (nothing to send). */
  private async summary(d: Claimed): Promise<{ subject: string; text: string; sms: string } | undefined> {
    const rows: Array<{ title: string; bucket: Date }> = await this.deps.db.query(
      `select a.title, date_trunc('hour', h.created_at) as bucket from alert_deliveries h join alerts a on a.id = h.alert_id where h.summary_id = $1 order by h.created_at`,
      [d.id],
    );
    if (rows.length === 0) return undefined;
    return summaryText(rows.length, new Date(rows[0].bucket), rows.map((r) => r.title), `${this.deps.baseUrl}/#/alerts`);
  }
}
