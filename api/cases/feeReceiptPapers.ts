/**
 * The fee receipt on paper and in the register: the receipt the officer prints for the citizen
 * (PDF, rendered from the stored receipt and the case, so a reprint is the same paper), and the
 * commune's receipts of a year, in number order, beside its register of certification numbers.
 */
import { z } from 'zod';
import { formatLocalDate } from '../../domain/calendar';
import { renderFeeReceipt } from '../../infra/pdf/slips';
import { pageField, pageSizeField, uuidOf } from '../admin/inputs';
import { ApiError, parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { communeInScope } from './caseUnits';
import { caseInScope, receiptFromRow, receiptOf, type FeeReceipt, type ReceiptRow } from './feeReceipt';
import { bookYear, CodeParams } from './inputs';
import { READERS } from './readers';

const ReceiptListQuery = z.object({
  unitId: uuidOf('đơn vị'),
  year: bookYear,
  page: pageField,
  pageSize: pageSizeField(500, 50),
});

/** The file name a printed receipt is saved under: its number and its case, never an id. */
export const feeReceiptFileName = (r: Pick<FeeReceipt, 'receiptNo' | 'caseCode'>) => `bien-lai-${r.receiptNo}-${r.caseCode}.pdf`;

/** A receipt as the register lists it: all but its note. */
type ListedReceipt = Omit<FeeReceipt, 'note'>;

export const feeReceiptPaperRoutes: RouteSpec[] = [
  {
    method: 'get',
    path: '/api/cases/:code/fee-receipt/pdf',
    access: READERS,
    action: 'case.fee.print',
    summary: 'The fee receipt of a case of the caller’s units as the paper handed to the payer (PDF, inline, named bien-lai-<number>-<case>.pdf): number, payer, content, amount in figures and words, method, collector; 404 FEE_NOT_COLLECTED while none was made',
    input: { params: CodeParams },
    handler: async (call) => {
      const { code } = parseInput(CodeParams, call.req.params);
      call.audit.target = `case:${code}`;
      const view = await caseInScope(call, code);
      const receipt = await receiptOf(call.ctx.db, code);
      if (!receipt) {
        throw new ApiError(404, 'FEE_NOT_COLLECTED', `Hồ sơ ${code} chưa có biên lai thu lệ phí.`, `No fee has been collected for case ${code} yet.`);
      }
      const pdf = await renderFeeReceipt({ ...receipt, unit: view.unit, documents: view.documents });
      return { file: { contentType: 'application/pdf', filename: feeReceiptFileName(receipt), data: Buffer.from(pdf), inline: true } };
    },
  },
  {
    method: 'get',
    path: '/api/register/fee-receipts',
    access: { anyOf: ['CERT_SEAL', 'CERT_REPORT', 'AUDIT'] },
    summary:
      'The fee receipts of a commune ?unitId (the commune or its desk) &year (of the receipt number, default this year) &page &pageSize, in number order, with the total collected — beside the register of numbers, for the same readers',
    output: '{unit, year, years (with receipts), total, totalVnd, page, pageSize, items: [{receiptNo, caseCode, amountVnd, amountText, method, payerName, collectedBy {id, fullName}, collectedAt}]}',
    input: { query: ReceiptListQuery },
    handler: async ({ req, ctx, principal }) => {
      const q = parseInput(ReceiptListQuery, req.query);
      const units = principal!.caseUnits;
      const unit = await communeInScope(ctx.db, units, q.unitId);
      const year = q.year ?? Number(formatLocalDate(ctx.clock.now().getTime()).slice(0, 4));
      const sums: Array<{ n: number; vnd: string | null }> = await ctx.db.query(
        'select count(*)::int as n, sum(amount_vnd) as vnd from fee_receipts where unit_id = $1 and year = $2',
        [unit.id, year],
      );
      const rows: ReceiptRow[] =
        await ctx.db.query(
          `select r.receipt_no, r.case_code, r.amount_vnd, r.method, r.payer_name, r.note, r.collected_by, o.full_name, r.collected_at
             from fee_receipts r join officers o on o.id = r.collected_by
            where r.unit_id = $1 and r.year = $2 order by r.seq limit $3 offset $4`,
          [unit.id, year, q.pageSize, (q.page - 1) * q.pageSize],
        );
      // The years this commune has receipts in, so a reader can move between them.
      const years: Array<{ year: number }> = await ctx.db.query('select distinct year from fee_receipts where unit_id = $1 order by year desc', [unit.id]);
      const items: ListedReceipt[] = rows.map((r) => {
        const { note: _note, ...listed } = receiptFromRow(r);
        return listed;
      });
      return {
        body: { unit: { id: unit.id, code: unit.code, name: unit.name }, year, years: years.map((y) => y.year), total: sums[0].n, totalVnd: Number(sums[0].vnd ?? 0), page: q.page, pageSize: q.pageSize, items },
      };
    },
  },
];
