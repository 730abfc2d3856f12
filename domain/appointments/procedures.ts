/**
 * The two procedures a citizen books an appointment for (seed 001 part II): certifying copies of
 * papers issued by Vietnamese agencies, which the communes do, and of papers issued by foreign
 * agencies (or Vietnamese ones jointly with foreign ones), which the district's Justice office
 * does (Nghị định 23/2015/NĐ-CP, art. 5). A unit's administrator may change what it offers.
 */
export type AppointmentProcedure = 'vn' | 'foreign';

export const APPOINTMENT_PROCEDURES: Readonly<Record<AppointmentProcedure, { vi: string; en: string }>> = {
  vn: {
    vi: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận',
    en: 'Certified copies of papers issued or certified by Vietnamese authorities',
  },
  foreign: {
    vi: 'Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền của nước ngoài; cơ quan, tổ chức có thẩm quyền của Việt Nam liên kết với cơ quan, tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận',
    en: 'Certified copies of papers issued or certified by foreign authorities, or by Vietnamese ones jointly with foreign ones',
  },
};

export const PROCEDURE_CODES = Object.keys(APPOINTMENT_PROCEDURES) as AppointmentProcedure[];

/** What a unit offers when its administrator has not said: communes the first, districts both. */
export function defaultOffers(level: string): Record<AppointmentProcedure, boolean> {
  return { vn: level === 'commune' || level === 'district', foreign: level === 'district' };
}

/** The paper types a unit lists until its administrator keeps its own. */
export const DEFAULT_PAPER_TYPES: readonly string[] = [
  'Giấy khai sinh',
  'Căn cước công dân / Chứng minh nhân dân',
  'Sổ hộ khẩu',
  'Bằng tốt nghiệp, chứng chỉ',
  'Học bạ',
  'Giấy chứng nhận quyền sử dụng đất',
  'Giấy đăng ký kết hôn',
  'Giấy tờ khác',
];
