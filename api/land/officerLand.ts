/**
 * The desk's view of land payments (seed 003: "màn hình trên phần mềm 1 cửa ghi nhận kết quả
 * thanh toán và xem được biên lai"): the payments whose locality is in the officer's scope, one
 * with its events, and its receipt. Payments of a dossier code that is one of our cases show on
 * that case's screen through the dossierCode filter.
 */
import { stat } from 'node:fs/promises';
import { resolveInFiles } from '../../activities/certification/files';
import { ApiError, forbiddenUnit, notFound, parseInput } from '../errors';
import { filesOf } from '../files/store';
import type { Call, Reply } from '../route';
import { LandPaymentListQuery, OrderParams } from './inputs';
import { paymentOut, type PaymentRow } from './view';

/**
 * The localities whose payments an officer sees: his scope, and the commune a one-stop desk of his
 * serves (a desk is an office under its commune, and land dossiers name the commune).
 */
async function paymentScope(call: Call): Promise<Set<string>> {
  const p = call.principal!;
  const served: Array<{ parent_id: string }> = await call.ctx.db.query(`select parent_id from units where id = any($1::uuid[]) and level = 'office' and parent_id is not null`, [[...p.unitIds]]);
  return new Set([...p.scope, ...served.map((u) => u.parent_id)]);
}

async function inScope(call: Call, orderId: string): Promise<PaymentRow> {
  const rows: PaymentRow[] = await call.ctx.db.query('select * from land_payments where order_id = $1', [orderId]);
  const row = rows[0];
  // Out of scope answers as missing: the desk learns nothing of other localities' payments.
  if (!row || !(await paymentScope(call)).has(row.unit_id)) throw notFound('giao dịch thanh toán', 'Payment');
  call.audit.target = `land-payment:${orderId}`;
  call.audit.unitId = row.unit_id;
  return row;
}

export async function listLandPayments(call: Call): Promise<Reply> {
  const q = parseInput(LandPaymentListQuery, call.req.query);
  const allowed = await paymentScope(call);
  const scope = [...allowed];
  if (q.unitId && !allowed.has(q.unitId)) throw forbiddenUnit();
  const rows: Array<PaymentRow & { total: number; unit_name: string }> = await call.ctx.db.query(
    `select p.*, u.name as unit_name, count(*) over ()::int as total from land_payments p join units u on u.id = p.unit_id
     where p.unit_id = any($1::uuid[]) and ($2::text is null or p.status = $2) and ($3::text is null or upper(p.dossier_code) = upper($3) or upper(p.case_code) = upper($3))
       and ($4::uuid is null or p.unit_id = $4)
     order by p.created_at desc, p.order_id limit $5 offset $6`,
    [scope, q.status ?? null, q.dossierCode ?? null, q.unitId ?? null, q.pageSize, (q.page - 1) * q.pageSize],
  );
  return { body: { total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize, items: rows.map((r) => ({ ...paymentOut(r, 'officer'), unitName: r.unit_name })) } };
}

export async function landPaymentDetail(call: Call): Promise<Reply> {
  const { orderId } = parseInput(OrderParams, call.req.params);
  const row = await inScope(call, orderId);
  const events: Array<{ seq: number; at: Date; kind: string; data: Record<string, unknown> }> = await call.ctx.db.query(
    'select seq, at, kind, data from land_payment_events where order_id = $1 order by seq',
    [orderId],
  );
  return { body: { ...paymentOut(row, 'officer'), events: events.map((e) => ({ seq: e.seq, at: e.at.toISOString(), kind: e.kind, data: e.data })) } };
}

export async function landPaymentReceipt(call: Call): Promise<Reply> {
  const { orderId } = parseInput(OrderParams, call.req.params);
  const row = await inScope(call, orderId);
  if (!row.receipt_document_id) throw new ApiError(409, 'LAND_RECEIPT_NOT_ISSUED', 'Giao dịch này chưa có biên lai (chưa thanh toán thành công).', 'This payment has no receipt (not paid).');
  const docs: Array<{ path: string }> = await call.ctx.db.query('select path from case_documents where id = $1', [row.receipt_document_id]);
  const full = resolveInFiles(filesOf(call.ctx).config.dir, docs[0]!.path);
  if (!(await stat(full).catch(() => undefined))?.isFile()) throw new ApiError(410, 'DOCUMENT_FILE_MISSING', 'Tệp biên lai không còn trên máy chủ.', 'The receipt file is gone from the server.');
  return { stream: { contentType: 'application/pdf', filename: `bien-lai-${row.receipt_no}-${row.dossier_code}.pdf`, path: full, inline: true } };
}
