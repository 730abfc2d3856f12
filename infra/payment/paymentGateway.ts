/**
 * The payment gateway (cổng thanh toán) behind one shape: we send the citizen's browser to the
 * gateway with signed parameters (merchant, order, amount, description, return and callback
 * addresses, expiry); the gateway calls our callback with its signed result (order, amount,
 * transaction reference, response code "00" = paid) and sends the browser back to the return
 * address. PAYMENT_GATEWAY_URL, PAYMENT_MERCHANT and PAYMENT_SECRET configure a real one; unset,
 * the local payment page of `npm start` (localPaymentPage.ts) approves or declines.
 */
import { signed, verify } from './signing';

export interface PaymentGatewayConfig {
  /** The gateway's payment page. */
  payUrl: string;
  merchant: string;
  secret: string;
  /** Where the gateway posts its result: our public callback route. */
  callbackUrl: string;
  /** The portal page the citizen comes back to (the order id is appended). */
  returnUrl: string;
}

export interface PaymentOrder {
  orderId: string;
  amountVnd: number;
  description: string;
  expiresAt: string;
}

/** The gateway's result, as our callback receives it. */
export interface PaymentResult {
  merchant: string;
  orderId: string;
  amount: string;
  txnRef: string;
  responseCode: string;
  payDate: string;
  secureHash: string;
}

export { PAID_CODE } from '../../domain/landObligations';
/** The code the local page (like VNPay) gives an order the citizen cancelled. */
export const CANCELLED_CODE = '24';

export function paymentRedirect(config: PaymentGatewayConfig, order: PaymentOrder): string {
  const params = signed(
    {
      merchant: config.merchant,
      orderId: order.orderId,
      amount: String(order.amountVnd),
      description: order.description,
      expiresAt: order.expiresAt,
      callbackUrl: config.callbackUrl,
      returnUrl: `${config.returnUrl}${encodeURIComponent(order.orderId)}`,
    },
    config.secret,
  );
  const url = new URL(config.payUrl);
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export function verifyPaymentResult(config: Pick<PaymentGatewayConfig, 'secret' | 'merchant'>, result: PaymentResult): boolean {
  return result.merchant === config.merchant && verify({ ...result }, config.secret);
}
