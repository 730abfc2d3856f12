/**
 * Land-obligation payments for tests: the local tax-authority service and payment page on free
 * ports, the API's land services pointed at them (delivery retried within a second), and a
 * locality endpoint the test engine's worker delivers receipts to.
 */
import { HttpLocalityReceipts, type LandReceiptDelivery, type LocalityReceipts } from '../../infra/landTax/localityReceipts';
import { startLocalTaxService, type LocalTaxService } from '../../infra/landTax/localTaxService';
import { HttpTaxAuthority } from '../../infra/landTax/taxAuthority';
import { startLocalPaymentPage, type LocalPaymentPage } from '../../infra/payment/localPaymentPage';
import type { TestApp } from './identityApp';

export const TEST_PAYMENT_SECRET = 'test-payment-secret-0123456789';
export const TEST_MERCHANT = 'MOTCUA-TEST';

/** Where the test worker delivers receipts: whichever locality the running test set. */
export const testLocality: LocalityReceipts & { target?: LocalityReceipts } = {
  async deliver(receipt: LandReceiptDelivery) {
    if (!testLocality.target) throw new Error('no locality endpoint in this test');
    return testLocality.target.deliver(receipt);
  },
};

export interface LandTestServices {
  tax: LocalTaxService;
  page: LocalPaymentPage;
  close(): Promise<void>;
}

export async function attachLandServices(app: TestApp, options: { alertAfterAttempts?: number } = {}): Promise<LandTestServices> {
  const tax = await startLocalTaxService();
  const page = await startLocalPaymentPage({ secret: TEST_PAYMENT_SECRET });
  app.ctx.land = {
    tax: new HttpTaxAuthority({ url: tax.url, timeoutMs: 3000 }),
    gateway: { payUrl: page.payUrl, merchant: TEST_MERCHANT, secret: TEST_PAYMENT_SECRET, callbackUrl: `${app.baseUrl}/api/land-payments/callback`, returnUrl: `${app.baseUrl}/#/portal/dat-dai/ket-qua/` },
    expiryMs: 15 * 60_000,
    workflow: { deliveryRetry: { initialIntervalMs: 200, maximumIntervalMs: 1000 }, alertAfterAttempts: options.alertAfterAttempts ?? 3 },
  };
  testLocality.target = new HttpLocalityReceipts({ defaultUrl: tax.receiptsUrl });
  return {
    tax,
    page,
    async close() {
      testLocality.target = undefined;
      await Promise.allSettled([tax.close(), page.close()]);
    },
  };
}

/** The gateway page's choice, as the citizen's browser makes it: answers where the browser is sent back. */
export async function answerOnPage(services: LandTestServices, payUrl: string, decision: 'approve' | 'cancel'): Promise<string> {
  const html = await (await fetch(payUrl)).text();
  const form = new URLSearchParams();
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) form.set(m[1]!, m[2]!.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))));
  form.set('decision', decision);
  const back = await fetch(`${services.page.url}/pay/local/result`, { method: 'POST', body: form, redirect: 'manual' });
  if (back.status !== 303) throw new Error(`the payment page answered ${back.status}: ${await back.text()}`);
  return back.headers.get('location')!;
}
