/**
 * An SMS gateway reached over HTTP (SMS_PROVIDER=http). Each message is POSTed as JSON
 * {to, text, sender} with a bearer token; any 2xx answer means the gateway took it, and an `id`
 * in its JSON answer is kept as the provider reference. Every attempt is recorded in sms_outbox,
 * sent or failed, and a failure is thrown so the caller can tell the officer.
 */
import type { DataSource } from 'typeorm';
import type { SentSms, SmsSender } from './smsSender';

export interface HttpSmsConfig {
  url: string;
  token: string;
  /** Brand name shown as the sender; omitted when unset so the gateway uses its default. */
  senderName?: string;
  timeoutMs?: number;
}

export class SmsDeliveryError extends Error {
  constructor(
    message: string,
    readonly outboxId: string,
  ) {
    super(message);
    this.name = 'SmsDeliveryError';
  }
}

const DEFAULT_TIMEOUT_MS = 10_000;

function providerRef(answer: unknown): string | null {
  if (answer === null || typeof answer !== 'object') return null;
  const id = (answer as { id?: unknown }).id;
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null;
}

export class HttpSmsSender implements SmsSender {
  readonly provider = 'http';
  constructor(
    private readonly db: DataSource,
    private readonly now: () => Date,
    private readonly config: HttpSmsConfig,
  ) {}

  async send(toPhone: string, body: string, purpose: string): Promise<SentSms> {
    let ref: string | null = null;
    let problem: string | undefined;
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.token}` },
        body: JSON.stringify({ to: toPhone, text: body, ...(this.config.senderName ? { sender: this.config.senderName } : {}) }),
        signal: AbortSignal.timeout(this.config.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
      const text = await res.text();
      if (!res.ok) {
        problem = `HTTP ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
      } else {
        try {
          ref = providerRef(text ? JSON.parse(text) : undefined);
        } catch {
          // A 2xx answer that is not JSON still means the gateway accepted the message.
        }
      }
    } catch (err) {
      problem = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    }
    const status = problem === undefined ? 'sent' : 'failed';
    const rows: Array<{ id: string }> = await this.db.query(
      `insert into sms_outbox (to_phone, body, purpose, provider, status, provider_ref, created_at) values ($1, $2, $3, 'http', $4, $5, $6) returning id`,
      [toPhone, body, purpose, status, ref, this.now()],
    );
    const id = rows[0].id;
    if (problem !== undefined) {
      throw new SmsDeliveryError(`SMS gateway ${this.config.url} did not accept the message to ${toPhone} (${purpose}): ${problem}`, id);
    }
    return { id, status: 'sent' };
  }
}
