/**
 * One online payment of a land-obligation notice (seed 003 Phụ lục 1 step d):
 *
 *   created   the order waits for the gateway's signed result, at most until it expires (15 min)
 *   paid      response code "00" → receipt (biên lai, PDF) in the citizen's portal documents,
 *             SMS notice, the receipt sent back to the locality's system until it accepts it
 *   declined  any other response code
 *   expired   no result in time
 *
 * The callback arrives as an update; one transaction reference records one payment (a callback
 * delivered twice answers "duplicate"), and the first result settles the order.
 *
 * A certification case's fee goes the same way (purpose 'case_fee'): once paid, the case's fee
 * receipt is issued and the citizen told; nothing goes to a locality.
 */
import { ApplicationFailure, allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import type { LandPaymentActivities } from '../activities/landPayment';
import { PAID_CODE } from '../domain/landObligations';
import { landCallbackUpdate, landPaymentViewQuery, type LandPaymentErrorCode } from './landPayment/messages';
import type { LandCallback, LandPaymentEvent, LandPaymentInput, LandPaymentView } from './landPayment/types';

const background = proxyActivities<LandPaymentActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

function refusal(code: LandPaymentErrorCode, vi: string, en: string): ApplicationFailure {
  return ApplicationFailure.create({ type: code, message: `${vi} / ${en}`, details: [{ code, vi, en }], nonRetryable: true });
}

export async function landPayment(input: LandPaymentInput): Promise<LandPaymentView> {
  const offset = typeof input.clockOffsetMs === 'number' && Number.isSafeInteger(input.clockOffsetMs) ? input.clockOffsetMs : 0;
  const now = () => Date.now() + offset;
  const iso = (ms: number) => new Date(ms).toISOString();
  const retry = input.deliveryRetry ?? { initialIntervalMs: 10_000, maximumIntervalMs: 600_000 };
  // Until the locality accepts: no attempt limit, backing off to the longest wait.
  const delivery = proxyActivities<LandPaymentActivities>({
    startToCloseTimeout: '1 minute',
    retry: { initialInterval: retry.initialIntervalMs, maximumInterval: retry.maximumIntervalMs, backoffCoefficient: 2 },
  });
  const view: LandPaymentView = { orderId: input.orderId, status: 'created', amountVnd: input.notice.totalVnd, delivery: 'none', version: 0 };
  const unsaved: LandPaymentEvent[] = [];
  let seq = 0;

  function record(kind: string, data: Record<string, unknown> = {}): void {
    view.version += 1;
    unsaved.push({ seq: ++seq, at: iso(now()), kind, data });
  }
  async function persist(): Promise<void> {
    const events = unsaved.splice(0);
    await background.projectLandPayment({ view: { ...view }, events });
  }

  function check(cb: LandCallback | undefined): void {
    if (!cb || typeof cb.txnRef !== 'string' || cb.txnRef.length === 0 || typeof cb.responseCode !== 'string') {
      throw refusal('INVALID_CALLBACK', 'Kết quả thanh toán thiếu thông tin', 'The payment result is incomplete');
    }
    if (cb.orderId !== input.orderId) throw refusal('ORDER_MISMATCH', 'Kết quả thanh toán không thuộc giao dịch này', 'The result is about another order');
    if (cb.amountVnd !== input.notice.totalVnd) {
      throw refusal('AMOUNT_MISMATCH', `Số tiền thanh toán (${cb.amountVnd}) khác số tiền phải nộp (${input.notice.totalVnd})`, 'The amount differs from the order');
    }
  }

  setHandler(
    landCallbackUpdate,
    async (cb) => {
      if (view.txnRef === cb.txnRef) return { outcome: 'duplicate', status: view.status };
      if (view.status !== 'created') {
        // A result after the order ended is kept for reconciliation, not applied.
        record('callback.late', { txnRef: cb.txnRef, responseCode: cb.responseCode, status: view.status });
        await persist();
        return { outcome: 'late', status: view.status };
      }
      view.txnRef = cb.txnRef;
      view.responseCode = cb.responseCode;
      if (cb.responseCode === PAID_CODE) {
        view.status = 'paid';
        // Our time of record (the gateway's own clock is kept beside it for reconciliation).
        view.paidAt = iso(now());
        record('paid', { txnRef: cb.txnRef, amountVnd: cb.amountVnd, gatewayPayDate: cb.payDate });
      } else {
        view.status = 'declined';
        view.endedAt = iso(now());
        record('declined', { txnRef: cb.txnRef, responseCode: cb.responseCode });
      }
      await persist();
      return { outcome: 'recorded', status: view.status };
    },
    { validator: check },
  );
  setHandler(landPaymentViewQuery, () => view);

  record('created', { amountVnd: view.amountVnd, noticeNumber: input.notice.noticeNumber, expiresAt: input.expiresAt });
  await persist();
  // The order's lifetime as a duration: the API's clock and the engine's need not agree to the minute.
  const lifetimeMs = Math.max(0, Date.parse(input.expiresAt) - Date.parse(input.createdAt));
  const settled = await condition(() => view.status !== 'created', lifetimeMs);
  if (!settled) {
    view.status = 'expired';
    view.endedAt = iso(now());
    record('expired');
    await persist();
  }

  if (view.status === 'paid' && input.purpose === 'case_fee') {
    const fee = await background.makeCaseFeeReceipt({ orderId: input.orderId });
    view.receiptNo = fee.receiptNo;
    // Collected at the counter meanwhile: that receipt stands, this payment is to be refunded.
    record(fee.alreadyCollected ? 'fee.already_collected' : 'receipt.issued', { receiptNo: fee.receiptNo });
    await persist();
    if (!fee.alreadyCollected) {
      const sms = await background.smsLandReceipt({ orderId: input.orderId });
      record('citizen.sms', { status: sms.status });
    }
    view.endedAt = iso(now());
    await persist();
  } else if (view.status === 'paid') {
    const receipt = await background.makeLandReceipt({ orderId: input.orderId });
    view.receiptNo = receipt.receiptNo;
    record('receipt.issued', { receiptNo: receipt.receiptNo });
    await persist();
    const sms = await background.smsLandReceipt({ orderId: input.orderId });
    record('citizen.sms', { status: sms.status });
    view.delivery = 'pending';
    await persist();
    const delivered = await delivery.deliverLandReceipt({ orderId: input.orderId, alertAfterAttempts: input.alertAfterAttempts ?? 3 });
    view.delivery = 'delivered';
    view.endedAt = iso(now());
    record('locality.delivered', { attempts: delivered.attempts, ...(delivered.reference ? { reference: delivered.reference } : {}) });
    await persist();
  }
  await condition(allHandlersFinished);
  return view;
}
