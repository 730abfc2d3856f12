/**
 * A certification fee paid online: the case's fee receipt (biên lai thu phí chứng thực) is issued
 * as the desk would issue it — the commune's next number, method "chuyển khoản", the officer who
 * issued the payment link as collector, the gateway's reference in the note — and its PDF joins
 * the citizen's documents. Safe to run again: the order keeps the receipt number, and a case whose
 * fee was meanwhile collected at the counter keeps that receipt (the payment is then flagged for
 * refund instead of a second receipt).
 */
import type { DataSource } from 'typeorm';
import { isUniqueViolation, issueFeeReceipt, receiptOf } from '../api/cases/feeReceipt';
import { renderFeeReceipt } from '../infra/pdf/slips';
import type { CaseView } from '../workflows/certification/types';
import { sha256, writeFileIn } from './certification/files';

export interface CaseFeeOrder {
  order_id: string;
  dossier_code: string;
  taxpayer: string;
  amount_vnd: string;
  txn_ref: string | null;
  paid_at: Date | null;
  holder_id: string;
  issued_by: string | null;
  receipt_no: string | null;
}

export async function recordCaseFeeReceipt(db: DataSource, filesDir: string, folder: string, orderId: string): Promise<{ receiptNo: string; alreadyCollected: boolean }> {
  const rows: CaseFeeOrder[] = await db.query('select * from land_payments where order_id = $1', [orderId]);
  const order = rows[0];
  if (!order || !order.paid_at || !order.issued_by) throw new Error(`no paid case-fee order ${orderId}`);
  const caseCode = order.dossier_code;
  const cases: Array<{ unit_id: string; view: CaseView }> = await db.query('select unit_id, view from certification_cases where case_code = $1', [caseCode]);
  const kase = cases[0];
  if (!kase) throw new Error(`no case ${caseCode} for fee order ${orderId}`);
  const mark = `(đơn ${orderId})`;
  let receipt = await receiptOf(db, caseCode);
  if (!receipt) {
    try {
      receipt = await issueFeeReceipt(db, {
        caseCode,
        unitId: kase.unit_id,
        amountVnd: Number(order.amount_vnd),
        method: 'transfer',
        payerName: order.taxpayer,
        collectedBy: order.issued_by,
        at: order.paid_at,
        note: `Thanh toán trực tuyến qua cổng thanh toán, mã giao dịch ${order.txn_ref} ${mark}`,
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      receipt = (await receiptOf(db, caseCode))!;
    }
  }
  const ours = receipt.note?.includes(mark) === true;
  await db.query('update land_payments set receipt_no = $2 where order_id = $1', [orderId, receipt.receiptNo]);
  if (!ours) return { receiptNo: receipt.receiptNo, alreadyCollected: true };
  const pdf = Buffer.from(await renderFeeReceipt({ ...receipt, unit: kase.view.unit, documents: kase.view.documents }));
  const relative = await writeFileIn(filesDir, folder, 'bien-lai-phi.pdf', pdf);
  await db.query(
    `insert into case_documents (case_code, unit_id, kind, holder_kind, holder_id, role, title, path, sha256, bytes, created_at)
     values ($1, $2, 'fee_receipt', 'citizen', $3, 'payer', $4, $5, $6, $7, $8)
     on conflict (case_code, kind, holder_kind, holder_id, path) do nothing`,
    [caseCode, kase.unit_id, order.holder_id, `Biên lai thu phí chứng thực ${receipt.receiptNo} — hồ sơ ${caseCode}`, relative, sha256(pdf), pdf.length, order.paid_at],
  );
  const docs: Array<{ id: string }> = await db.query(`select id from case_documents where case_code = $1 and kind = 'fee_receipt' and holder_kind = 'citizen' and holder_id = $2 and path = $3`, [caseCode, order.holder_id, relative]);
  await db.query('update land_payments set receipt_document_id = $2 where order_id = $1', [orderId, docs[0]!.id]);
  return { receiptNo: receipt.receiptNo, alreadyCollected: false };
}
