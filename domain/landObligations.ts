/**
 * Land financial obligations (nghĩa vụ tài chính về đất đai, seed 003 Phụ lục 1 step d): what the
 * tax authority answers for a land dossier code (Mã hồ sơ of the locality's land procedure) and
 * the taxpayer's ID number — the property and the tax notices (thông báo thuế), each a list of
 * payments to the state budget with its total. A citizen pays one notice at a time.
 */

export interface LandObligationItem {
  /** "Lệ phí trước bạ nhà đất", "Thuế thu nhập từ chuyển nhượng bất động sản", … */
  content: string;
  amountVnd: number;
}

export interface LandNotice {
  /** Số thông báo thuế, unique within the dossier. */
  noticeNumber: string;
  taxpayer: string;
  items: LandObligationItem[];
  totalVnd: number;
}

export interface LandProperty {
  /** Địa chỉ thửa đất / tài sản. */
  address: string;
  parcel?: string;
  mapSheet?: string;
  areaM2?: number;
  purpose?: string;
}

export interface LandDossier {
  dossierCode: string;
  idNumber: string;
  taxpayer: string;
  property: LandProperty;
  /** The locality whose land office filed the dossier: the code of the unit (our units.code) and its name. */
  locality: { unitCode: string; name: string };
  notices: LandNotice[];
}

/** CCCD (12 digits) or CMND (9 digits). */
export const LAND_ID_NUMBER = /^(\d{9}|\d{12})$/;
/** A land dossier code as localities write them: letters, digits, dots, dashes, slashes. */
export const LAND_DOSSIER_CODE = /^[A-Za-z0-9][A-Za-z0-9.\-/_]{2,59}$/;

export type LandPaymentStatus = 'created' | 'paid' | 'declined' | 'expired';

export const LAND_PAYMENT_STATUS_VI: Readonly<Record<LandPaymentStatus, string>> = {
  created: 'Chờ thanh toán',
  paid: 'Đã thanh toán',
  declined: 'Thanh toán không thành công',
  expired: 'Hết hạn thanh toán',
};

/** The sum of a notice's items; the tax authority's own total must agree. */
export function noticeTotal(items: readonly LandObligationItem[]): number {
  return items.reduce((s, i) => s + i.amountVnd, 0);
}

/** The gateway's response code of a successful payment (VNPay's "00"). */
export const PAID_CODE = '00';
