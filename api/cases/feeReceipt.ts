/**
 * The fee receipt of a case (biên lai thu phí chứng thực): the officer records that the fee was
 * collected — cash or transfer, from whom — and the receipt gets its number. The amount is never
 * entered: it is the fee the case was received with (domain/fees.ts, pages counted on the
 * original, per copy, capped), so a receipt cannot disagree with the case. One receipt per case;
 * a refused or withdrawn case is not charged.
 */
import { z } from 'zod';
import { formatLocalDate } from '../../domain/calendar';
import type { AppContext } from '../context';
import { ApiError, parseInput } from '../errors';
import type { Call, RouteSpec } from '../route';
import { personName, required } from '../admin/inputs';
import { caseBeforeAction, caseNotFound } from './caseView';
import { READERS } from './readers';
import { CodeParams } from './inputs';

type Db = AppContext['db'];

export const FEE_METHODS = ['cash', 'transfer'] as const;

export const FeeReceiptBody = z.object(
  {
    method: z.enum(FEE_METHODS, { error: required('thiếu hình thức nộp', 'hình thức nộp phải là cash (tiền mặt) hoặc transfer (chuyển khoản)') }),
    payerName: z.preprocess((v) => (v === '' || v === null ? undefined : v), personName('tên người nộp').optional()),
    note: z.preprocess(
      (v) => (v === '' || v === null ? undefined : v),
      z
        .string({ error: 'ghi chú phải là chuỗi ký tự' })
        .transform((s) => s.normalize('NFC').trim())
        .pipe(z.string().max(500, { error: 'ghi chú dài tối đa 500 ký tự' }))
        .optional(),
    ),
  },
  { error: 'nội dung gửi lên phải là một đối tượng JSON' },
);

export interface FeeReceipt {
  receiptNo: string;
  caseCode: string;
  amountVnd: number;
  /** The amount as written on the receipt, e.g. "10.000 đồng". */
  amountText: string;
  method: (typeof FEE_METHODS)[number];
  payerName: string;
  note: string | null;
  collectedBy: { id: string; fullName: string };
  collectedAt: string;
}

/** Vietnamese thousands separators, independent of the runtime's locale data. */
export function amountText(vnd: number): string {
  return `${String(vnd).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} đồng`;
}

export function formatReceiptNo(year: number, seq: number): string {
  return `BL-${year}-${String(seq).padStart(6, '0')}`;
}

export interface ReceiptRow {
  receipt_no: string;
  case_code: string;
  amount_vnd: number;
  method: FeeReceipt['method'];
  payer_name: string;
  note: string | null;
  collected_by: string;
  full_name: string;
  collected_at: Date;
}

export async function receiptOf(db: Db, caseCode: string): Promise<FeeReceipt | undefined> {
  const rows: ReceiptRow[] = await db.query(
    `select r.receipt_no, r.case_code, r.amount_vnd, r.method, r.payer_name, r.note, r.collected_by, o.full_name, r.collected_at
     from fee_receipts r join officers o on o.id = r.collected_by where r.case_code = $1`,
    [caseCode],
  );
  return rows[0] ? receiptFromRow(rows[0]) : undefined;
}

export function receiptFromRow(r: ReceiptRow): FeeReceipt {
  return {
    receiptNo: r.receipt_no,
    caseCode: r.case_code,
    amountVnd: r.amount_vnd,
    amountText: amountText(r.amount_vnd),
    method: r.method,
    payerName: r.payer_name,
    note: r.note,
    collectedBy: { id: r.collected_by, fullName: r.full_name },
    collectedAt: r.collected_at.toISOString(),
  };
}

export interface FeeReceiptIssue {
  caseCode: string;
  unitId: string;
  amountVnd: number;
  method: FeeReceipt['method'];
  payerName: string;
  /** The officer who collected it (for an online payment: the one who issued the payment link). */
  collectedBy: string;
  at: Date;
  note: string | null;
}

/**
 * Writes the receipt with the commune's next number of the Hà Nội year and answers it, in one
 * statement with the counter (no gap when it fails); a second receipt of the case fails on its
 * unique key. The number is written as formatReceiptNo writes it.
 */
export async function issueFeeReceipt(db: Db, r: FeeReceiptIssue): Promise<FeeReceipt> {
  const year = Number(formatLocalDate(r.at.getTime()).slice(0, 4));
  const rows: ReceiptRow[] = await db.query(
    `with taken as (
       insert into fee_receipt_counters (unit_id, year, last_seq) values ($2, $3, 1)
       on conflict (unit_id, year) do update set last_seq = fee_receipt_counters.last_seq + 1
       returning last_seq as seq
     ), receipt as (
       insert into fee_receipts (case_code, unit_id, year, seq, receipt_no, amount_vnd, method, payer_name, collected_by, collected_at, note)
       select $1, $2, $3, seq, $10 || lpad(seq::text, greatest(6, length(seq::text)), '0'), $4, $5, $6, $7, $8, $9 from taken
       returning *
     )
     select r.receipt_no, r.case_code, r.amount_vnd, r.method, r.payer_name, r.note, r.collected_by, o.full_name, r.collected_at
     from receipt r join officers o on o.id = r.collected_by`,
    [r.caseCode, r.unitId, year, r.amountVnd, r.method, r.payerName, r.collectedBy, r.at, r.note, formatReceiptNo(year, 0).slice(0, -6)],
  );
  return receiptFromRow(rows[0]!);
}

export const alreadyCollected = (receipt: FeeReceipt) =>
  new ApiError(
    409,
    'FEE_ALREADY_COLLECTED',
    `Lệ phí của hồ sơ ${receipt.caseCode} đã được thu theo biên lai ${receipt.receiptNo} (${receipt.amountText}); mỗi hồ sơ chỉ lập một biên lai.`,
    `The fee of case ${receipt.caseCode} was already collected on receipt ${receipt.receiptNo}.`,
    { receipt },
  );

const NOT_CHARGED_VI: Record<string, string> = { refused: 'đã bị từ chối chứng thực', withdrawn: 'đã được công dân rút' };

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; driverError?: { code?: string } } | undefined;
  return e?.code === '23505' || e?.driverError?.code === '23505';
}

/** The case of the caller's units, or 404 as if missing. */
export async function caseInScope(call: Call, code: string) {
  const units = call.principal!.caseUnits;
  const loaded = await caseBeforeAction(call.ctx, code, true);
  if (!loaded || !units.has(loaded.view.unit.id)) throw caseNotFound(code);
  call.audit.unitId = loaded.view.unit.id;
  return loaded.view;
}

async function collectFee(call: Call) {
  const { req, ctx } = call;
  const p = call.principal!;
  const { code } = parseInput(CodeParams, req.params);
  call.audit.target = `case:${code}`;
  const body = parseInput(FeeReceiptBody, req.body ?? {});
  const view = await caseInScope(call, code);
  const notCharged = NOT_CHARGED_VI[view.status];
  if (notCharged) {
    throw new ApiError(
      409,
      'CASE_CLOSED',
      `Hồ sơ ${code} ${notCharged}, không thu lệ phí và không lập biên lai.`,
      `Case ${code} is ${view.status}; no fee is collected for it.`,
      { status: view.status },
    );
  }
  const existing = await receiptOf(ctx.db, code);
  if (existing) throw alreadyCollected(existing);

  const now = ctx.clock.now();
  const amountVnd = view.fee.totalVnd;
  const payerName = body.payerName ?? view.citizen.fullName;
  let receipt: FeeReceipt;
  try {
    receipt = await issueFeeReceipt(ctx.db, { caseCode: code, unitId: view.unit.id, amountVnd, method: body.method, payerName, collectedBy: p.officerId, at: now, note: body.note ?? null });
  } catch (err) {
    // Two officers collecting at once: the second waited on the counter, then met the first's
    // receipt; its transaction rolled back, so the counter did not move.
    if (isUniqueViolation(err)) {
      const winner = await receiptOf(ctx.db, code);
      if (winner) throw alreadyCollected(winner);
    }
    throw err;
  }
  call.audit.details = { receiptNo: receipt.receiptNo, amountVnd, method: body.method };
  return { status: 201, body: receipt, headers: { Location: `/api/cases/${encodeURIComponent(code)}/fee-receipt` } };
}

export const feeReceiptRoutes: RouteSpec[] = [
  {
    method: 'post',
    path: '/api/cases/:code/fee-receipt',
    access: { right: 'CERT_CREATE' },
    action: 'case.fee.collect',
    idempotency: 'required',
    summary:
      'Records that the case’s fee was collected {method: cash|transfer, payerName? (default the requester), note?}: the amount is the fee computed at reception, the receipt gets the next number BL-<year>-<sequence> of the commune; one receipt per case (409 FEE_ALREADY_COLLECTED with details.receipt), none for a refused or withdrawn case (409 CASE_CLOSED)',
    output: '201 {receiptNo, caseCode, amountVnd, amountText ("10.000 đồng"), method, payerName, note, collectedBy {id, fullName}, collectedAt}',
    input: { params: CodeParams, body: FeeReceiptBody },
    handler: collectFee,
  },
  {
    method: 'get',
    path: '/api/cases/:code/fee-receipt',
    access: READERS,
    // The receipt names the citizen who paid: who read it is kept, as for the case itself.
    action: 'case.fee.read',
    summary: 'The fee receipt of a case of the caller’s units; 404 FEE_NOT_COLLECTED while none was made, 404 CASE_NOT_FOUND for a case of another unit',
    output: '{receiptNo, caseCode, amountVnd, amountText, method, payerName, note, collectedBy {id, fullName}, collectedAt}',
    input: { params: CodeParams },
    handler: async (call) => {
      const { code } = parseInput(CodeParams, call.req.params);
      await caseInScope(call, code);
      const receipt = await receiptOf(call.ctx.db, code);
      if (!receipt) {
        throw new ApiError(404, 'FEE_NOT_COLLECTED', `Hồ sơ ${code} chưa có biên lai thu lệ phí.`, `No fee has been collected for case ${code} yet.`);
      }
      return { body: receipt };
    },
  },
];
