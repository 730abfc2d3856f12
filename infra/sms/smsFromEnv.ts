/**
 * SMS_PROVIDER picks the provider: 'local' (default, stores only) or 'http' (a gateway at
 * SMS_HTTP_URL, authenticated with SMS_HTTP_TOKEN — a bearer token, or `user:password` with
 * SMS_HTTP_AUTH=basic — optional brand name SMS_SENDER_NAME and body template SMS_HTTP_TEMPLATE).
 * A wrong setting stops the server at startup rather than at the first login.
 */
import type { DataSource } from 'typeorm';
import { gatewayBody, HttpSmsSender } from './httpSmsSender';
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
    const auth = env.SMS_HTTP_AUTH?.trim() || 'bearer';
    if (auth !== 'bearer' && auth !== 'basic') throw new Error(`SMS_HTTP_AUTH must be 'bearer' or 'basic', got '${auth}'`);
    if (auth === 'basic' && !token.includes(':')) throw new Error('SMS_HTTP_AUTH=basic needs SMS_HTTP_TOKEN in the form user:password');
    const template = env.SMS_HTTP_TEMPLATE?.trim() || undefined;
    if (template) {
      try {
        JSON.parse(gatewayBody({ template, senderName }, '0912345678', 'Kiểm tra "mẫu" tin nhắn'));
      } catch {
        throw new Error(`SMS_HTTP_TEMPLATE must be JSON once {{to}}, {{text}} and {{sender}} are replaced by JSON strings, got ${template}`);
      }
      if (!template.includes('{{text}}')) throw new Error('SMS_HTTP_TEMPLATE must contain {{text}}');
    }
    return new HttpSmsSender(db, now, { url, token, senderName, template, basicAuth: auth === 'basic' });
  }
  throw new Error(`SMS_PROVIDER must be 'local' or 'http', got '${provider}'`);
}
