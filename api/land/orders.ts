/**
 * Opening a payment order: its row (what the portal and the desk read at once) and its
 * `landPayment` workflow; a workflow that cannot start takes its row away again.
 */
import { randomBytes } from 'node:crypto';
import { formatLocalDate } from '../../domain/calendar';
import type { LandNotice, LandProperty } from '../../domain/landObligations';
import { LAND_PAYMENT_WORKFLOW_TYPE, landPaymentWorkflowId } from '../../workflows/landPayment/messages';
import type { LandPaymentInput } from '../../workflows/landPayment/types';
import { engineOf, engineUnavailable } from '../cases/engine';
import type { AppContext } from '../context';
import { ApiError } from '../errors';
import { landOf } from './services';
import type { PaymentRow } from './view';

export interface NewOrder {
  purpose: 'land' | 'case_fee';
  dossierCode: string;
  idNumber: string;
  notice: LandNotice;
  property: LandProperty;
  unit: { id: string; code: string; name: string };
  localityName: string;
  /** Whose portal documents the receipt joins (holderKey: ID number or tax code). */
  holderId: string;
  payerPhone: string | null;
  caseCode: string | null;
  issuedBy: string | null;
}

/** DD<yymmdd>-<8 letters of Crockford's base 32>: short enough for a gateway's order field. */
export function newOrderId(at: Date): string {
  const alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
  const bytes = randomBytes(8);
  return `DD${formatLocalDate(at.getTime()).slice(2).replace(/-/g, '')}-${[...bytes].map((b) => alphabet[b % 32]).join('')}`;
}

export async function openOrder(ctx: AppContext, o: NewOrder): Promise<PaymentRow> {
  const land = landOf(ctx);
  const now = ctx.clock.now();
  const orderId = newOrderId(now);
  const expiresAt = new Date(now.getTime() + land.expiryMs);
  await ctx.db.query(
    `insert into land_payments (order_id, dossier_code, id_number, notice_number, taxpayer, items, amount_vnd, property, unit_id, locality_name, holder_id, payer_phone, status, created_at, expires_at, case_code, purpose, issued_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'created', $13, $14, $15, $16, $17)`,
    [orderId, o.dossierCode, o.idNumber, o.notice.noticeNumber, o.notice.taxpayer, JSON.stringify(o.notice.items), o.notice.totalVnd, JSON.stringify(o.property), o.unit.id, o.localityName, o.holderId, o.payerPhone, now, expiresAt, o.caseCode, o.purpose, o.issuedBy],
  );
  const input: LandPaymentInput = {
    orderId,
    purpose: o.purpose,
    dossierCode: o.dossierCode,
    notice: o.notice,
    unit: o.unit,
    createdAt: now.toISOString(),
    expiresAt: expiresAt.toISOString(),
    ...land.workflow,
  };
  try {
    const engine = engineOf(ctx);
    await engine.client.workflow.start(LAND_PAYMENT_WORKFLOW_TYPE, { args: [input], taskQueue: engine.taskQueue, workflowId: landPaymentWorkflowId(orderId) });
  } catch (err) {
    await ctx.db.query('delete from land_payments where order_id = $1', [orderId]);
    if (err instanceof ApiError) throw err;
    console.error(`payment ${orderId}: could not start`, err);
    throw engineUnavailable();
  }
  const rows: PaymentRow[] = await ctx.db.query('select * from land_payments where order_id = $1', [orderId]);
  return rows[0]!;
}
