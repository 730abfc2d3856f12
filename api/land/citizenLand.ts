/**
 * The portal's "Thanh toán nghĩa vụ tài chính về đất đai": a logged-in citizen looks a land dossier
 * up by its code + CCCD/CMND at the tax authority, sees the property and the notices (paid ones
 * marked), chooses one and is sent to the payment gateway. The amount always comes from the tax
 * authority at the moment of paying, never from the browser. Each order is a `landPayment`
 * workflow; an order still open for the same notice is handed back instead of a second one.
 */
import type { LandDossier } from '../../domain/landObligations';
import { TaxAuthorityUnavailable } from '../../infra/landTax/taxAuthority';
import { paymentRedirect } from '../../infra/payment/paymentGateway';
import { holderKey } from '../citizen/portal';
import type { AppContext } from '../context';
import { ApiError, notFound, parseInput } from '../errors';
import type { Call, Reply } from '../route';
import { CitizenLandListQuery, LandLookupBody, LandPayBody, OrderParams } from './inputs';
import { dossierNotFound, landOf, taxAuthorityDown } from './services';
import { paymentOut, type PaymentRow } from './view';
import { openOrder } from './orders';

async function lookupAt(ctx: AppContext, dossierCode: string, idNumber: string): Promise<LandDossier> {
  let dossier: LandDossier | undefined;
  try {
    dossier = await landOf(ctx).tax.lookup(dossierCode, idNumber);
  } catch (err) {
    if (err instanceof TaxAuthorityUnavailable) {
      console.error(`land lookup ${dossierCode}: ${err.message}`);
      throw taxAuthorityDown();
    }
    throw err;
  }
  if (!dossier) throw dossierNotFound(dossierCode);
  return dossier;
}

export async function lookupLandObligations(call: Call): Promise<Reply> {
  const { dossierCode, idNumber } = parseInput(LandLookupBody, call.req.body);
  call.audit.target = `land-dossier:${dossierCode}`;
  const dossier = await lookupAt(call.ctx, dossierCode, idNumber);
  const paid: Array<{ notice_number: string; order_id: string; receipt_no: string | null }> = await call.ctx.db.query(
    `select notice_number, order_id, receipt_no from land_payments where upper(dossier_code) = $1 and status = 'paid'`,
    [dossierCode],
  );
  const paidBy = new Map(paid.map((p) => [p.notice_number, p]));
  return {
    body: {
      dossierCode: dossier.dossierCode,
      taxpayer: dossier.taxpayer,
      property: dossier.property,
      locality: { name: dossier.locality.name },
      notices: dossier.notices.map((n) => ({ ...n, paid: paidBy.has(n.noticeNumber), ...(paidBy.get(n.noticeNumber)?.receipt_no ? { receiptNo: paidBy.get(n.noticeNumber)!.receipt_no } : {}) })),
    },
  };
}

export async function startLandPayment(call: Call): Promise<Reply> {
  const { ctx, audit } = call;
  const citizen = call.citizen!;
  const body = parseInput(LandPayBody, call.req.body);
  audit.target = `land-dossier:${body.dossierCode}`;
  const land = landOf(ctx);
  const dossier = await lookupAt(ctx, body.dossierCode, body.idNumber);
  const notice = dossier.notices.find((n) => n.noticeNumber === body.noticeNumber);
  if (!notice) throw new ApiError(404, 'LAND_NOTICE_NOT_FOUND', `Hồ sơ ${body.dossierCode} không có thông báo thuế số ${body.noticeNumber}.`, `Dossier ${body.dossierCode} has no notice ${body.noticeNumber}.`);
  const units: Array<{ id: string; code: string; name: string }> = await ctx.db.query('select id, code, name from units where code = $1', [dossier.locality.unitCode]);
  const unit = units[0];
  if (!unit) {
    throw new ApiError(409, 'LAND_LOCALITY_NOT_CONNECTED', `${dossier.locality.name} chưa kết nối thanh toán nghĩa vụ tài chính về đất đai trên hệ thống này.`, `${dossier.locality.name} is not connected for land-obligation payments.`);
  }
  audit.unitId = unit.id;
  const paid: unknown[] = await ctx.db.query(`select 1 from land_payments where upper(dossier_code) = $1 and notice_number = $2 and status = 'paid'`, [body.dossierCode, notice.noticeNumber]);
  if (paid.length > 0) throw new ApiError(409, 'LAND_NOTICE_ALREADY_PAID', `Thông báo thuế số ${notice.noticeNumber} đã được thanh toán.`, `Notice ${notice.noticeNumber} is already paid.`);
  const now = ctx.clock.now();
  const holder = holderKey(citizen);
  const open: PaymentRow[] = await ctx.db.query(
    `select * from land_payments where upper(dossier_code) = $1 and notice_number = $2 and holder_id = $3 and status = 'created' and expires_at > $4 order by created_at desc limit 1`,
    [body.dossierCode, notice.noticeNumber, holder, now],
  );
  const reuse = open[0] && Number(open[0].amount_vnd) === notice.totalVnd ? open[0] : undefined;
  const description = `Nop NVTC dat dai ho so ${dossier.dossierCode} TB ${notice.noticeNumber}`;
  if (reuse) {
    audit.details = { orderId: reuse.order_id, reused: true };
    return { status: 200, body: { ...paymentOut(reuse), payUrl: paymentRedirect(land.gateway, { orderId: reuse.order_id, amountVnd: notice.totalVnd, description, expiresAt: reuse.expires_at.toISOString() }) } };
  }
  const phones: Array<{ phone: string | null }> = await ctx.db.query('select phone from citizen_accounts where id = $1', [citizen.accountId]);
  const ours: Array<{ case_code: string }> = await ctx.db.query('select case_code from case_codes where upper(case_code) = $1', [body.dossierCode]);
  const row = await openOrder(ctx, {
    purpose: 'land',
    dossierCode: dossier.dossierCode,
    idNumber: dossier.idNumber,
    notice,
    property: dossier.property,
    unit,
    localityName: dossier.locality.name,
    holderId: holder,
    payerPhone: phones[0]?.phone ?? null,
    caseCode: ours[0]?.case_code ?? null,
    issuedBy: null,
  });
  audit.details = { orderId: row.order_id, noticeNumber: notice.noticeNumber, amountVnd: notice.totalVnd };
  return { status: 201, body: { ...paymentOut(row), payUrl: paymentRedirect(land.gateway, { orderId: row.order_id, amountVnd: notice.totalVnd, description, expiresAt: row.expires_at.toISOString() }) } };
}

export async function listMyLandPayments(call: Call): Promise<Reply> {
  const q = parseInput(CitizenLandListQuery, call.req.query);
  const rows: Array<PaymentRow & { total: number }> = await call.ctx.db.query(
    `select *, count(*) over ()::int as total from land_payments where holder_id = $1 order by created_at desc, order_id limit $2 offset $3`,
    [holderKey(call.citizen!), q.pageSize, (q.page - 1) * q.pageSize],
  );
  return { body: { total: rows[0]?.total ?? 0, page: q.page, pageSize: q.pageSize, items: rows.map((r) => paymentOut(r, 'citizen')) } };
}

export async function myLandPayment(call: Call): Promise<Reply> {
  const { orderId } = parseInput(OrderParams, call.req.params);
  const rows: PaymentRow[] = await call.ctx.db.query('select * from land_payments where order_id = $1 and holder_id = $2', [orderId, holderKey(call.citizen!)]);
  // Another citizen's order answers as a missing one.
  if (!rows[0]) throw notFound('giao dịch thanh toán', 'Payment');
  return { body: paymentOut(rows[0], 'citizen') };
}
