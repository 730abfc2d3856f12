/**
 * SMS_PROVIDER picks the provider: 'local' (default, stores only) or 'http' (a gateway at
 * SMS_HTTP_URL, authenticated with SMS_HTTP_TOKEN, optional brand name SMS_SENDER_NAME).
 * A wrong setting stops the server at startup rather than at the first login.
 */
import type { DataSource } from 'typeorm';
import { HttpSmsSender } from './httpSmsSender';
import { LocalSmsSender, type SmsSender } from './smsSender';

export function smsSenderFromEnv(db: DataSource, now: () => Date, env: NodeJS.ProcessEnv = process.env, log?: (line: string) => void): SmsSender {
  const provider = env.SMS_PROVIDER || 'local';
  if (provider === 'local') return new LocalSmsSender(db, now, log);
  if (provider === 'http') {
    const url = env.SMS_HTTP_URL?.trim();
    if (!url) throw new Error(`SMS_PROVIDER=http needs SMS_HTTP_URL, the gateway's address (e.g. https://sms.example.vn/api/send)`);
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new Error(`SMS_HTTP_URL must be an http(s) address, got '${url}'`);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`SMS_HTTP_URL must be an http(s) address, got '${url}'`);
    const token = env.SMS_HTTP_TOKEN?.trim();
    if (!token) throw new Error('SMS_PROVIDER=http needs SMS_HTTP_TOKEN, the bearer token the gateway issued');
    const senderName = env.SMS_SENDER_NAME?.trim() || undefined;
    return new HttpSmsSender(db, now, { url, token, senderName });
  }
  throw new Error(`SMS_PROVIDER must be 'local' or 'http', got '${provider}'`);
}
