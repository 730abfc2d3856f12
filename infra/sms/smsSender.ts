/**
 * Outgoing SMS. Every message is recorded in `sms_outbox`; the provider decides whether it also
 * leaves the building. The default provider ('local') only records, and the UI shows the outbox,
 * so a one-machine installation and the tests can read what would have been sent.
 */
import type { DataSource } from 'typeorm';

export interface SentSms {
  id: string;
  status: 'stored' | 'sent' | 'failed';
}

export interface SmsSender {
  readonly provider: string;
  send(toPhone: string, body: string, purpose: string): Promise<SentSms>;
}

export class LocalSmsSender implements SmsSender {
  readonly provider = 'local';
  constructor(
    private readonly db: DataSource,
    private readonly now: () => Date,
    /** Where a one-machine installation shows what it would have sent (the API's console). */
    private readonly log?: (line: string) => void,
  ) {}

  async send(toPhone: string, body: string, purpose: string): Promise<SentSms> {
    const rows: Array<{ id: string }> = await this.db.query(
      `insert into sms_outbox (to_phone, body, purpose, provider, status, created_at) values ($1, $2, $3, 'local', 'stored', $4) returning id`,
      [toPhone, body, purpose, this.now()],
    );
    this.log?.(`[sms] → ${toPhone} (${purpose}): ${body}`);
    return { id: rows[0].id, status: 'stored' };
  }
}
