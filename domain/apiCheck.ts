/**
 * "Kiểm tra API" (seed 003, Màn hình hỗ trợ): the kinds of local API a province integration
 * officer checks against the national portal's standard, each with the body the console
 * pre-fills. `{maDST}` in a template is replaced by the province's DST code chosen on the screen.
 */

export const API_CHECK_TYPES = ['land-obligation-lookup', 'payment-receipt', 'tax-notice', 'attachment', 'session'] as const;
export type ApiCheckType = (typeof API_CHECK_TYPES)[number];

export interface ApiCheckTypeInfo {
  vi: string;
  en: string;
  /** The method the type is called with on the national standard. */
  method: 'GET' | 'POST';
  template: Record<string, unknown>;
}

export const API_CHECK_TYPE_INFO: Readonly<Record<ApiCheckType, ApiCheckTypeInfo>> = {
  'land-obligation-lookup': {
    vi: 'Tra cứu nghĩa vụ tài chính',
    en: 'Land financial obligation lookup',
    method: 'POST',
    template: { maHoSo: '', soCCCD: '', maDST: '{maDST}' },
  },
  'payment-receipt': {
    vi: 'Gửi biên lai thanh toán',
    en: 'Payment receipt',
    method: 'POST',
    template: { maHoSo: '', soBienLai: '', soTien: 0, ngayNop: '', maDST: '{maDST}' },
  },
  'tax-notice': {
    vi: 'API BNDP nhận thông báo thuế đất',
    en: 'Land tax notice receiver',
    method: 'POST',
    template: { maHoSo: '', soThongBao: '', ngayThongBao: '', maDST: '{maDST}' },
  },
  attachment: {
    vi: 'API file đính kèm',
    en: 'Attachment file',
    method: 'POST',
    template: { maHoSo: '', tenFile: '', maDST: '{maDST}' },
  },
  session: {
    vi: 'Lấy phiên (token)',
    en: 'Session (token)',
    method: 'POST',
    template: { username: '', password: '' },
  },
};

/** The type's body, as the console shows it: pretty JSON with the province's DST code filled in. */
export function bodyTemplate(type: ApiCheckType, dstCode = ''): string {
  return JSON.stringify(API_CHECK_TYPE_INFO[type].template, null, 2).replaceAll('{maDST}', dstCode);
}
