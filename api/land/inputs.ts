/** What the land-obligation endpoints accept, each problem told in Vietnamese. */
import { z } from 'zod';
import { LAND_DOSSIER_CODE, LAND_ID_NUMBER } from '../../domain/landObligations';
import { optionalQuery, pageField, pageSizeField, required, uuidOf } from '../admin/inputs';

const dossierCode = z
  .string({ error: required('thiếu mã hồ sơ', 'mã hồ sơ phải là chuỗi ký tự') })
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(LAND_DOSSIER_CODE, { error: 'mã hồ sơ không đúng dạng (chữ, số, dấu chấm, gạch ngang; 3–60 ký tự), ví dụ H35.15-DD-2026-000123' }));
const idNumber = z
  .string({ error: required('thiếu số CCCD/CMND', 'số CCCD/CMND phải là chuỗi ký tự') })
  .transform((s) => s.replace(/\s+/g, ''))
  .pipe(z.string().regex(LAND_ID_NUMBER, { error: 'số CCCD gồm 12 chữ số, số CMND gồm 9 chữ số' }));

export const LandLookupBody = z.object({ dossierCode, idNumber }, { error: 'nội dung gửi lên phải là một đối tượng JSON' });
export const LandPayBody = LandLookupBody.extend({
  noticeNumber: z.string({ error: required('chưa chọn thông báo thuế cần thanh toán', 'số thông báo phải là chuỗi ký tự') }).trim().min(1, { error: 'chưa chọn thông báo thuế cần thanh toán' }).max(60, { error: 'số thông báo dài tối đa 60 ký tự' }),
});

export const OrderParams = z.object({ orderId: z.string({ error: 'thiếu mã giao dịch' }).regex(/^DD\d{6}-[0-9A-Z]{8}$/, { error: 'mã giao dịch có dạng DD261207-7K3Q9ABC' }) });

/** The gateway's result: every field a string, as gateways send them. */
const gatewayField = (label: string) => z.string({ error: required(`thiếu ${label}`, `${label} phải là chuỗi ký tự`) }).max(200, { error: `${label} dài tối đa 200 ký tự` });
export const GatewayCallbackBody = z.object({
  merchant: gatewayField('mã đơn vị nhận'),
  orderId: gatewayField('mã giao dịch'),
  amount: gatewayField('số tiền'),
  txnRef: gatewayField('mã giao dịch của cổng thanh toán'),
  responseCode: gatewayField('mã kết quả'),
  payDate: gatewayField('thời điểm thanh toán'),
  secureHash: gatewayField('chữ ký'),
});

export const LAND_PAYMENT_STATUSES = ['created', 'paid', 'declined', 'expired'] as const;

export const LandPaymentListQuery = z.object({
  status: optionalQuery(z.enum(LAND_PAYMENT_STATUSES, { error: 'trạng thái là một trong: created, paid, declined, expired' })),
  dossierCode: optionalQuery(z.string().trim().max(60, { error: 'mã hồ sơ dài tối đa 60 ký tự' })),
  unitId: optionalQuery(uuidOf('đơn vị')),
  page: pageField,
  pageSize: pageSizeField(100, 20),
});

export const CitizenLandListQuery = z.object({ page: pageField, pageSize: pageSizeField(50, 20) });

/** Nothing to choose: the amount is the case's fee, the payer its requester. */
export const CaseFeeLinkBody = z.object({}, { error: 'nội dung gửi lên phải là một đối tượng JSON' });
