/**
 * The reception receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả) the officer prints for the
 * citizen: rendered from the case as it stands, so a deadline extended later shows on a reprint.
 * Its QR code opens the case's public page, which tells the citizen how far the case has come.
 */
import { renderReceptionReceipt } from '../../infra/pdf/slips';
import { parseInput } from '../errors';
import type { RouteSpec } from '../route';
import { caseInScope } from './feeReceipt';
import { CodeParams } from './inputs';
import { READERS } from './readers';
import { caseFileName } from '../documents/fileNames';

export const receptionReceiptRoute: RouteSpec = {
  method: 'get',
  path: '/api/cases/:code/reception-receipt',
  access: READERS,
  action: 'case.receipt.print',
  summary: 'The reception receipt and appointment slip of a case of the caller’s units (PDF, inline): citizen, originals, fee, received at, due at, QR code of the case’s public page',
  input: { params: CodeParams },
  handler: async (call) => {
    const { code } = parseInput(CodeParams, call.req.params);
    call.audit.target = `case:${code}`;
    const view = await caseInScope(call, code);
    const pdf = await renderReceptionReceipt({
      caseCode: view.caseCode,
      unit: view.unit,
      citizen: view.citizen,
      documents: view.documents,
      fee: view.fee,
      receivedAt: view.receivedAt,
      dueAt: view.overallDueAt,
      receivedBy: view.receivedBy,
      trackingUrl: call.ctx.links?.verifyUrl(view.caseCode) ?? `/verify/${encodeURIComponent(view.caseCode)}`,
    });
    return { file: { contentType: 'application/pdf', filename: caseFileName(view.caseCode, 'reception_receipt'), data: Buffer.from(pdf), inline: true } };
  },
};
