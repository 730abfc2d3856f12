/**
 * The signature of the payment gateway's messages, as Vietnamese gateways (VNPay and alike) do it:
 * the parameters sorted by name, URL-encoded as `name=value&…` without the hash itself, and
 * HMAC-SHA256 of that with the merchant's secret, in hex. The same function signs the redirect
 * and checks the callback; comparison in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const HASH_FIELD = 'secureHash';

export function canonical(params: Readonly<Record<string, string>>): string {
  return Object.keys(params)
    .filter((k) => k !== HASH_FIELD && params[k] !== undefined && params[k] !== '')
    .sort()
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(params[k]!)}`)
    .join('&');
}

export function sign(params: Readonly<Record<string, string>>, secret: string): string {
  return createHmac('sha256', secret).update(canonical(params)).digest('hex');
}

export function signed(params: Readonly<Record<string, string>>, secret: string): Record<string, string> {
  return { ...params, [HASH_FIELD]: sign(params, secret) };
}

export function verify(params: Readonly<Record<string, string>>, secret: string): boolean {
  const given = params[HASH_FIELD];
  if (typeof given !== 'string' || !/^[0-9a-f]{64}$/i.test(given)) return false;
  return timingSafeEqual(Buffer.from(sign(params, secret), 'hex'), Buffer.from(given.toLowerCase(), 'hex'));
}
