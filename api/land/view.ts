/** A land payment as the portal and the desk read it. */
import { LAND_PAYMENT_STATUS_VI, type LandObligationItem, type LandPaymentStatus, type LandProperty } from '../../domain/landObligations';

export interface PaymentRow {
  order_id: string;
  dossier_code: string;
  id_number: string;
  notice_number: string;
  taxpayer: string;
  items: LandObligationItem[];
  amount_vnd: string;
  property: LandProperty;
  unit_id: string;
  locality_name: string;
  status: LandPaymentStatus;
  txn_ref: string | null;
  response_code: string | null;
  created_at: Date;
  expires_at: Date;
  paid_at: Date | null;
  ended_at: Date | null;
  receipt_no: string | null;
  receipt_document_id: string | null;
  delivery: 'none' | 'pending' | 'delivered';
  delivery_attempts: number;
  delivery_error: string | null;
  delivered_at: Date | null;
  delivery_reference: string | null;
  case_code: string | null;
  purpose: 'land' | 'case_fee';
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function paymentOut(r: PaymentRow, audience: 'citizen' | 'officer' = 'citizen'): Record<string, unknown> {
  return {
    orderId: r.order_id,
    purpose: r.purpose,
    dossierCode: r.dossier_code,
    noticeNumber: r.notice_number,
    taxpayer: r.taxpayer,
    items: r.items,
    amountVnd: Number(r.amount_vnd),
    property: r.property,
    localityName: r.locality_name,
    status: r.status,
    statusText: LAND_PAYMENT_STATUS_VI[r.status],
    txnRef: r.txn_ref,
    createdAt: iso(r.created_at),
    expiresAt: iso(r.expires_at),
    paidAt: iso(r.paid_at),
    endedAt: iso(r.ended_at),
    receiptNo: r.receipt_no,
    receiptUrl: r.receipt_document_id ? (audience === 'citizen' ? `/api/citizen/documents/${r.receipt_document_id}` : `/api/land-payments/${r.order_id}/receipt`) : null,
    delivery: r.delivery,
    ...(audience === 'officer'
      ? { idNumber: r.id_number, unitId: r.unit_id, responseCode: r.response_code, deliveryAttempts: r.delivery_attempts, deliveryError: r.delivery_error, deliveredAt: iso(r.delivered_at), deliveryReference: r.delivery_reference, caseCode: r.case_code }
      : {}),
  };
}
