/**
 * The payment gateway's callback (IPN): public, trusted only through its signature (HMAC-SHA256
 * with the merchant secret), then checked against the order — same order, same amount — before the
 * order's workflow records it. One transaction reference records one payment: the same callback
 * again answers "duplicate" and changes nothing.
 */
import { verifyPaymentResult } from '../../infra/payment/paymentGateway';
import { landCallbackUpdate, LAND_PAYMENT_ERRORS, landPaymentWorkflowId } from '../../workflows/landPayment/messages';
import type { LandCallbackAnswer } from '../../workflows/landPayment/types';
import { engineOf, updateErrorOf } from '../cases/engine';
import { ApiError, parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { GatewayCallbackBody } from './inputs';
import { landOf } from './services';

export async function gatewayCallback(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const result = parseInput(GatewayCallbackBody, call.req.body);
  audit.target = `land-payment:${result.orderId}`;
  audit.details = { txnRef: result.txnRef, responseCode: result.responseCode, amount: result.amount };
  if (!verifyPaymentResult(landOf(ctx).gateway, result)) {
    throw new ApiError(400, 'INVALID_SIGNATURE', 'Chữ ký của kết quả thanh toán không đúng; kết quả không được ghi nhận.', 'The payment result’s signature does not verify; nothing was recorded.');
  }
  const rows: Array<{ unit_id: string; amount_vnd: string; status: string; txn_ref: string | null }> = await ctx.db.query(
    'select unit_id, amount_vnd, status, txn_ref from land_payments where order_id = $1',
    [result.orderId],
  );
  const order = rows[0];
  if (!order) throw new ApiError(404, 'UNKNOWN_ORDER', `Không có giao dịch ${result.orderId}.`, `No order ${result.orderId}.`);
  audit.unitId = order.unit_id;
  const amount = /^\d{1,15}$/.test(result.amount) ? Number(result.amount) : NaN;
  if (amount !== Number(order.amount_vnd)) {
    throw new ApiError(400, 'AMOUNT_MISMATCH', `Số tiền của kết quả thanh toán (${result.amount}) khác số tiền của giao dịch; kết quả không được ghi nhận.`, 'The amount differs from the order; nothing was recorded.');
  }
  let answer: LandCallbackAnswer;
  try {
    answer = await engineOf(ctx)
      .client.workflow.getHandle(landPaymentWorkflowId(result.orderId))
      .executeUpdate(landCallbackUpdate, { args: [{ orderId: result.orderId, amountVnd: amount, txnRef: result.txnRef, responseCode: result.responseCode, payDate: result.payDate }] });
  } catch (err) {
    const refusal = updateErrorOf(err, LAND_PAYMENT_ERRORS);
    if (refusal) throw refusal;
    // The workflow of a declined or expired order has ended: answer from its record.
    const now: Array<{ status: string; txn_ref: string | null }> = await ctx.db.query('select status, txn_ref from land_payments where order_id = $1', [result.orderId]);
    const row = now[0]!;
    if (row.status === 'created') {
      if (err instanceof ApiError) throw err;
      console.error(`land payment ${result.orderId}: callback not recorded`, err);
      throw new ApiError(503, 'ENGINE_UNAVAILABLE', 'Chưa ghi nhận được kết quả thanh toán, vui lòng gửi lại.', 'The result could not be recorded yet; send it again.');
    }
    answer = { outcome: row.txn_ref === result.txnRef ? 'duplicate' : 'late', status: row.status as LandCallbackAnswer['status'] };
  }
  audit.details = { ...audit.details, outcome: answer.outcome, status: answer.status };
  return { body: answer };
}
