/**
 * `npm start`'s stand-ins for the outside systems of land-obligation payments, like its local SMTP
 * server: the tax authority's lookup (with the demo dossiers) and the locality's receipt endpoint
 * on LOCAL_TAX_PORT, the payment gateway's page on LOCAL_PAYMENT_PORT. Each is started only when
 * its setting is not pointed elsewhere (LAND_TAX_URL / LAND_RECEIPT_URL, PAYMENT_GATEWAY_URL); the
 * merchant secret is settled here so the API, the worker and the local page share it.
 */
import { DEFAULT_LOCAL_PAYMENT_PORT, DEFAULT_LOCAL_TAX_PORT, paymentSecretFromEnv } from '../../infra/landTax/landServicesFromEnv';
import { startLocalTaxService } from '../../infra/landTax/localTaxService';
import { startLocalPaymentPage } from '../../infra/payment/localPaymentPage';

export async function startLocalLandServices(env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<{ close(): Promise<void> }> {
  const closers: Array<() => Promise<void>> = [];
  if (!env.LAND_TAX_URL || !env.LAND_RECEIPT_URL) {
    const tax = await startLocalTaxService({ port: Number(env.LOCAL_TAX_PORT || DEFAULT_LOCAL_TAX_PORT) });
    env.LOCAL_TAX_PORT = String(tax.port);
    closers.push(tax.close);
    log(`land obligations: local tax-authority service on ${tax.url} (demo dossier H35.15-DD-2026-000123 + CCCD 012090001234); receipts to ${tax.receiptsUrl}`);
  } else {
    log(`land obligations: tax authority ${env.LAND_TAX_URL}`);
  }
  if (!env.PAYMENT_GATEWAY_URL) {
    env.PAYMENT_SECRET = paymentSecretFromEnv(env);
    const page = await startLocalPaymentPage({ secret: env.PAYMENT_SECRET, port: Number(env.LOCAL_PAYMENT_PORT || DEFAULT_LOCAL_PAYMENT_PORT) });
    env.LOCAL_PAYMENT_PORT = String(page.port);
    closers.push(page.close);
    log(`payments: local payment page on ${page.payUrl}`);
  } else {
    log(`payments: gateway ${env.PAYMENT_GATEWAY_URL}`);
  }
  return { close: async () => void (await Promise.allSettled(closers.map((c) => c()))) };
}
