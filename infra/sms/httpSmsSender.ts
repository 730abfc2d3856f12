/**
 * An SMS gateway reached over HTTP (SMS_PROVIDER=http). Each message is POSTed as JSON —
 * {to, text, sender} by default, or the deployment's own template — with a bearer token or basic
 * credentials; any 2xx answer means the gateway took it, and an `id` in its JSON answer is kept
 * as the provider reference. Every attempt is recorded in sms_outbox (secrets masked: the
 * citizen's phone has the message), sent or failed, and a failure is thrown so the caller can
 * tell the officer. A keyed message that went out once is not sent again; a crash between the
 * gateway's answer and the record can still send it twice (the gateway has no idempotency key).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { maskSecrets, sentUnderKey, type SentSms, type SmsOptions, type SmsSender } from './smsSender';

export interface HttpSmsConfig {
  url: string;
  /** Bearer token, or `user:password` for basic authentication when `basicAuth` is set. */
  token: string;
  basicAuth?: boolean;
  /** Brand name shown as the sender; omitted when unset so the gateway uses its default. */
  senderName?: string;
  /**
   * The JSON body with placeholders {{to}}, {{text}} and {{sender}} standing for JSON strings,
   * e.g. {"phone": {{to}}, "message": {{text}}, "brandname": {{sender}}}.
   */
  template?: string;
  timeoutMs?: number;
}

/** The request body: the template with its placeholders replaced by JSON strings (checked to parse). */
export function gatewayBody(config: Pick<HttpSmsConfig, 'template' | 'senderName'>, to: string, text: string): string {
  if (!config.template) return JSON.stringify({ to, text, ...(config.senderName ? { sender: config.senderName } : {}) });
  const values: Record<string, string> = { to, text, sender: config.senderName ?? '' };
  return config.template.replace(/\{\{(to|text|sender)\}\}/g, (_m, name: string) => JSON.stringify(values[name]));
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
/** Advisory lock class of keyed SMS (the key's hash is the second half). */
const SMS_KEY_LOCK = 7_316_015;

type Queryable = Pick<EntityManager, 'query'>;

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

  async send(toPhone: string, body: string, purpose: string, options: SmsOptions = {}): Promise<SentSms> {
    const key = options.key;
    const outcome =
      key === undefined
        ? await this.attempt(this.db, toPhone, body, purpose, options)
        : // Concurrent sends under one key queue on a lock held across the POST: the first sends,
          // the others then find its row. Each waiting send holds a connection meanwhile.
          await this.db.transaction(async (m) => {
            await m.query('select pg_advisory_xact_lock($1, hashtext($2))', [SMS_KEY_LOCK, key]);
            return (await sentUnderKey(m, key)) ?? this.attempt(m, toPhone, body, purpose, options);
          });
    // Thrown only now, so a failed attempt's row is committed with the rest.
    if ('problem' in outcome) {
      throw new SmsDeliveryError(`SMS gateway ${this.config.url} did not accept the message to ${toPhone} (${purpose}): ${outcome.problem}`, outcome.id);
    }
    return outcome;
  }

  /** One POST to the gateway, recorded sent or failed. */
  private async attempt(q: Queryable, toPhone: string, body: string, purpose: string, options: SmsOptions): Promise<SentSms | { id: string; problem: string }> {
    let ref: string | null = null;
    let problem: string | undefined;
    try {
      const res = await fetch(this.config.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: this.config.basicAuth ? `Basic ${Buffer.from(this.config.token).toString('base64')}` : `Bearer ${this.config.token}`,
        },
        body: gatewayBody(this.config, toPhone, body),
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
    // A failed attempt keeps no key, so the retry that follows may record its own message under it.
    const key = status === 'sent' ? (options.key ?? null) : null;
    const rows: Array<{ id: string }> = await q.query(
      `insert into sms_outbox (to_phone, body, purpose, provider, status, provider_ref, created_at, dedupe_key) values ($1, $2, $3, 'http', $4, $5, $6, $7) returning id`,
      [toPhone, maskSecrets(body, options.secrets), purpose, status, ref, this.now(), key],
    );
    const id = rows[0].id;
    // Gateways may echo the message in their refusal; the error is logged, so it is masked too.
    return problem === undefined ? { id, status: 'sent' } : { id, problem: maskSecrets(problem, options.secrets) };
  }
}
