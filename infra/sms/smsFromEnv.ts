/** SMS_PROVIDER picks the provider: 'local' (default, stores only). */
import type { DataSource } from 'typeorm';
import { LocalSmsSender, type SmsSender } from './smsSender';

export function smsSenderFromEnv(db: DataSource, now: () => Date, env: NodeJS.ProcessEnv = process.env): SmsSender {
  const provider = env.SMS_PROVIDER || 'local';
  if (provider === 'local') return new LocalSmsSender(db, now);
  throw new Error(`SMS_PROVIDER must be 'local', got '${provider}'`);
}
