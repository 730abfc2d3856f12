/**
 * Outgoing SMS. Every message is recorded in `sms_outbox`; the provider decides whether it also
 * leaves the building. The default provider ('local') only records, and the UI shows the outbox,
 * so a one-machine installation and the tests can read what would have been sent: for it the
 * outbox stands in for the citizen's phone and keeps the message whole. Anything that only
 * records a message (the console, the outbox of a real gateway) masks its secrets.
 */
import type { DataSource, EntityManager } from 'typeorm';

export interface SentSms {
  id: string;
  status: 'stored' | 'sent' | 'failed';
  /** The message had been sent before under the same key; nothing was sent this time. */
  alreadySent?: boolean;
}

export interface SmsOptions {
  /**
   * A key naming this one message (e.g. `account:<id>:password`): a second call with the same key
   * — a retried activity — answers the first message instead of sending another.
   */
  key?: string;
  /** One-time codes and passwords in the body: masked wherever the message is only recorded. */
  secrets?: readonly string[];
}

export interface SmsSender {
  readonly provider: string;
  send(toPhone: string, body: string, purpose: string, options?: SmsOptions): Promise<SentSms>;
}

export function maskSecrets(body: string, secrets: readonly string[] = []): string {
  return secrets.filter((s) => s.length > 0).reduce((text, secret) => text.split(secret).join('*'.repeat(Math.max(6, secret.length))), body);
}

/** The message already recorded under `key`, when there is one that went out. */
export async function sentUnderKey(db: Pick<EntityManager, 'query'>, key: string | undefined): Promise<SentSms | undefined> {
  if (key === undefined) return undefined;
  const rows: Array<{ id: string; status: SentSms['status'] }> = await db.query(`select id, status from sms_outbox where dedupe_key = $1 and status <> 'failed'`, [key]);
  return rows[0] ? { id: rows[0].id, status: rows[0].status, alreadySent: true } : undefined;
}

export class LocalSmsSender implements SmsSender {
  readonly provider = 'local';
  constructor(
    private readonly db: DataSource,
    private readonly now: () => Date,
    /** Where a one-machine installation shows what it would have sent (the API's console). */
    private readonly log?: (line: string) => void,
  ) {}

  async send(toPhone: string, body: string, purpose: string, options: SmsOptions = {}): Promise<SentSms> {
    // One statement: two concurrent sends under one key store one message.
    const rows: Array<{ id: string }> = await this.db.query(
      `insert into sms_outbox (to_phone, body, purpose, provider, status, created_at, dedupe_key) values ($1, $2, $3, 'local', 'stored', $4, $5)
       on conflict (dedupe_key) do nothing returning id`,
      [toPhone, body, purpose, this.now(), options.key ?? null],
    );
    if (!rows[0]) return (await sentUnderKey(this.db, options.key))!;
    this.log?.(`[sms] → ${toPhone} (${purpose}): ${maskSecrets(body, options.secrets)}`);
    return { id: rows[0].id, status: 'stored' };
  }
}
