/**
 * The desk's payment link for a certification case's fee (Phí chứng thực): the officer who would
 * collect it at the counter (CERT_CREATE, the case in his units) issues an order of the case's fee
 * instead; the citizen pays it on the gateway, and the case's fee receipt is issued by the payment's
 * workflow with that officer as collector. An open link of the case is handed back, not doubled.
 */
import { paymentRedirect } from '../../infra/payment/paymentGateway';
import { alreadyCollected, caseInScope, receiptOf } from '../cases/feeReceipt';
import { CodeParams } from '../cases/inputs';
import { ApiError, parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { openOrder } from './orders';
import { CaseFeeLinkBody } from './inputs';
import { landOf } from './services';
import { paymentOut, type PaymentRow } from './view';

export const CASE_FEE_CONTENT = 'Phí chứng thực bản sao điện tử từ bản chính';

export async function caseFeePaymentLink(call: Call): Promise<Reply> {
  const { ctx } = call;
  const { code } = parseInput(CodeParams, call.req.params);
  parseInput(CaseFeeLinkBody, call.req.body ?? {});
  call.audit.target = `case:${code}`;
  const land = landOf(ctx);
  const view = await caseInScope(call, code);
  if (view.status === 'refused' || view.status === 'withdrawn') {
    throw new ApiError(409, 'CASE_CLOSED', `Hồ sơ ${code} đã kết thúc không có kết quả, không thu phí.`, `Case ${code} is ${view.status}; no fee is collected for it.`, { status: view.status });
  }
  const existing = await receiptOf(ctx.db, code);
  if (existing) throw alreadyCollected(existing);
  const amountVnd = view.fee.totalVnd;
  if (!(amountVnd > 0)) throw new ApiError(409, 'NO_FEE_DUE', `Hồ sơ ${code} không có phí phải nộp.`, `Case ${code} has no fee due.`);
  const description = `Phi chung thuc ho so ${code}`;
  const open: PaymentRow[] = await ctx.db.query(
    `select * from land_payments where purpose = 'case_fee' and dossier_code = $1 and status = 'created' and expires_at > $2 and amount_vnd = $3 order by created_at desc limit 1`,
    [code, ctx.clock.now(), amountVnd],
  );
  const row =
    open[0] ??
    (await openOrder(ctx, {
      purpose: 'case_fee',
      dossierCode: code,
      idNumber: view.citizen.citizenId,
      notice: { noticeNumber: `PHI-${code}`, taxpayer: view.citizen.fullName, items: [{ content: CASE_FEE_CONTENT, amountVnd }], totalVnd: amountVnd },
      property: { address: view.unit.name },
      unit: view.unit,
      localityName: view.unit.name,
      holderId: view.citizen.citizenId,
      payerPhone: view.citizen.phone ?? null,
      caseCode: code,
      issuedBy: call.principal!.officerId,
    }));
  call.audit.details = { orderId: row.order_id, amountVnd, reused: open[0] !== undefined };
  return {
    status: open[0] ? 200 : 201,
    body: { ...paymentOut(row, 'officer'), payUrl: paymentRedirect(land.gateway, { orderId: row.order_id, amountVnd, description, expiresAt: row.expires_at.toISOString() }) },
  };
}
