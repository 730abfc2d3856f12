/**
 * The land-obligation integration's settings. Unset, everything points at the local services that
 * `npm start` runs (LOCAL_TAX_PORT, LOCAL_PAYMENT_PORT); a deployment names the tax authority, the
 * localities' receipt endpoints and the payment gateway.
 */
import { createHash } from 'node:crypto';
import type { PaymentGatewayConfig } from '../payment/paymentGateway';
import type { LandPaymentInput } from '../../workflows/landPayment/types';
import { HttpLocalityReceipts } from './localityReceipts';
import { HttpTaxAuthority, type TaxAuthority } from './taxAuthority';

export const DEFAULT_LOCAL_TAX_PORT = 2526;
export const DEFAULT_LOCAL_PAYMENT_PORT = 2527;
export const DEFAULT_PAYMENT_EXPIRY_MINUTES = 15;

export interface LandServices {
  tax: TaxAuthority;
  gateway: PaymentGatewayConfig;
  /** How long an order may wait for the gateway's result. */
  expiryMs: number;
  /** The delivery retry and the alert threshold given to each payment's workflow (LAND_RECEIPT_ALERT_AFTER); the workflow's defaults when absent. */
  workflow?: Pick<LandPaymentInput, 'deliveryRetry' | 'alertAfterAttempts'>;
}

function httpUrl(name: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) address, got '${value}'`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`${name} must be an http(s) address, got '${value}'`);
  return value;
}

/** The merchant secret: PAYMENT_SECRET, or one derived from PKI_MASTER_KEY (API, worker and the local page share it). */
export function paymentSecretFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const s = env.PAYMENT_SECRET?.trim();
  if (s) {
    if (s.length < 16) throw new Error('PAYMENT_SECRET must be at least 16 characters');
    return s;
  }
  if (env.PAYMENT_GATEWAY_URL?.trim()) throw new Error('PAYMENT_GATEWAY_URL needs PAYMENT_SECRET (the merchant secret the gateway gave)');
  const master = env.PKI_MASTER_KEY?.trim();
  if (!master) throw new Error('PAYMENT_SECRET or PKI_MASTER_KEY must be set');
  return createHash('sha256').update(`local-payment-gateway:${master}`).digest('hex');
}

function positiveInteger(name: string, value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got ${value}`);
  return n;
}

export function localTaxUrl(env: NodeJS.ProcessEnv = process.env): string {
  return `http://127.0.0.1:${Number(env.LOCAL_TAX_PORT || DEFAULT_LOCAL_TAX_PORT)}`;
}

export function landServicesFromEnv(env: NodeJS.ProcessEnv = process.env, publicBaseUrl: string): LandServices {
  const minutes = Number(env.LAND_PAYMENT_EXPIRY_MINUTES || DEFAULT_PAYMENT_EXPIRY_MINUTES);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`LAND_PAYMENT_EXPIRY_MINUTES must be a positive number, got ${env.LAND_PAYMENT_EXPIRY_MINUTES}`);
  const base = publicBaseUrl.replace(/\/+$/, '');
  return {
    tax: new HttpTaxAuthority({ url: httpUrl('LAND_TAX_URL', env.LAND_TAX_URL?.trim() || localTaxUrl(env)), credentials: env.LAND_TAX_CREDENTIALS?.trim() || undefined }),
    gateway: {
      payUrl: httpUrl('PAYMENT_GATEWAY_URL', env.PAYMENT_GATEWAY_URL?.trim() || `http://127.0.0.1:${Number(env.LOCAL_PAYMENT_PORT || DEFAULT_LOCAL_PAYMENT_PORT)}/pay/local`),
      merchant: env.PAYMENT_MERCHANT?.trim() || 'MOTCUA-LAICHAU',
      secret: paymentSecretFromEnv(env),
      callbackUrl: `${base}/api/land-payments/callback`,
      returnUrl: `${base}/#/portal/dat-dai/ket-qua/`,
    },
    expiryMs: minutes * 60_000,
    ...(env.LAND_RECEIPT_ALERT_AFTER ? { workflow: { alertAfterAttempts: positiveInteger('LAND_RECEIPT_ALERT_AFTER', env.LAND_RECEIPT_ALERT_AFTER) } } : {}),
  };
}

export function localityReceiptsFromEnv(env: NodeJS.ProcessEnv = process.env): HttpLocalityReceipts {
  let perUnit: Record<string, string> | undefined;
  const raw = env.LAND_RECEIPT_URLS?.trim();
  if (raw) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error('LAND_RECEIPT_URLS must be JSON: {"<unit code>": "https://…"}');
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('LAND_RECEIPT_URLS must be a JSON object');
    perUnit = Object.fromEntries(Object.entries(parsed as Record<string, unknown>).map(([k, v]) => [k, httpUrl(`LAND_RECEIPT_URLS.${k}`, String(v))]));
  }
  return new HttpLocalityReceipts({
    defaultUrl: httpUrl('LAND_RECEIPT_URL', env.LAND_RECEIPT_URL?.trim() || `${localTaxUrl(env)}/locality/receipts`),
    ...(perUnit ? { perUnit } : {}),
    credentials: env.LAND_RECEIPT_CREDENTIALS?.trim() || undefined,
  });
}
