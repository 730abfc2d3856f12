/**
 * The papers a case produces, as plain UTF-8 text for now: the certification wording (lời chứng),
 * the apology and re-appointment slip, the refusal notice. Kept behind `CaseDocumentWriter` so the
 * PDF versions (with signatures and seal) replace them without touching the workflow.
 */
import { formatLocalDate, formatLocalDateTime, formatLocalTime, formatViDate } from '../../domain/calendar';
import { REFUSAL_GROUNDS, type RefusalGround } from '../../domain/certification/refusalGrounds';
import type { CitizenData, OfficerRef, UnitRef } from '../../workflows/certification/types';

export interface CertificationTextInput {
  caseCode: string;
  unit: UnitRef;
  certificationNumber: string;
  sealedAt: string;
  signer: OfficerRef;
  sealer: OfficerRef;
  documents: Array<{ type: string; issuer: string; pages: number; copies: number }>;
}

export interface ApologySlipInput {
  caseCode: string;
  unit: UnitRef;
  citizen: CitizenData;
  receivedAt: string;
  missedDueAt: string;
  newAppointmentAt: string;
  issuedAt: string;
  /** The step the case was stuck at, in Vietnamese. */
  stuckAt: string;
}

export interface RefusalNoticeInput {
  caseCode: string;
  unit: UnitRef;
  citizen: CitizenData;
  ground: RefusalGround;
  note: string;
  refusedBy: OfficerRef;
  refusedAt: string;
}

export interface CaseDocumentWriter {
  certificationText(input: CertificationTextInput): string;
  apologySlip(input: ApologySlipInput): string;
  refusalNotice(input: RefusalNoticeInput): string;
}

const when = (isoInstant: string) => {
  const t = Date.parse(isoInstant);
  return `${formatLocalTime(t)} ngày ${formatViDate(formatLocalDate(t))}`;
};

const longDate = (isoInstant: string) => {
  const [y, m, d] = formatLocalDate(Date.parse(isoInstant)).split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
};

export const textDocuments: CaseDocumentWriter = {
  certificationText: (i) =>
    [
      i.unit.name.toUpperCase(),
      '',
      'CHỨNG THỰC BẢN SAO ĐÚNG VỚI BẢN CHÍNH',
      '',
      `Số chứng thực: ${i.certificationNumber}`,
      `Mã hồ sơ: ${i.caseCode}`,
      ...i.documents.map((d, n) => `Bản chính ${n + 1}: ${d.type} do ${d.issuer} cấp, ${d.pages} trang, ${d.copies} bản sao`),
      `${i.unit.name}, ${longDate(i.sealedAt)}`,
      '',
      `Người ký: ${i.signer.fullName}`,
      `Người đóng dấu, cấp số: ${i.sealer.fullName}`,
      `Thời điểm đóng dấu: ${formatLocalDateTime(Date.parse(i.sealedAt))}`,
      '',
    ].join('\n'),

  apologySlip: (i) =>
    [
      i.unit.name.toUpperCase(),
      '',
      'PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ',
      '',
      `Kính gửi: Ông/Bà ${i.citizen.fullName} (số định danh ${i.citizen.citizenId})`,
      '',
      `Ngày ${formatViDate(formatLocalDate(Date.parse(i.receivedAt)))}, ${i.unit.name} tiếp nhận hồ sơ chứng thực bản sao từ bản chính, mã hồ sơ ${i.caseCode},`,
      `hẹn trả kết quả lúc ${when(i.missedDueAt)}.`,
      `Đến nay hồ sơ chưa giải quyết xong (đang ở bước: ${i.stuckAt}), quá hạn trả kết quả.`,
      '',
      `${i.unit.name} xin lỗi Ông/Bà vì sự chậm trễ này và hẹn trả kết quả lúc ${when(i.newAppointmentAt)}.`,
      '',
      `${i.unit.name}, ${longDate(i.issuedAt)}`,
      '',
    ].join('\n'),

  refusalNotice: (i) =>
    [
      i.unit.name.toUpperCase(),
      '',
      'PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ CHỨNG THỰC',
      '',
      `Kính gửi: Ông/Bà ${i.citizen.fullName} (số định danh ${i.citizen.citizenId})`,
      '',
      `${i.unit.name} không chứng thực bản sao từ bản chính cho hồ sơ ${i.caseCode} vì lý do:`,
      REFUSAL_GROUNDS[i.ground],
      `Ghi chú của cán bộ: ${i.note}`,
      '',
      `Cán bộ tiếp nhận: ${i.refusedBy.fullName}, lúc ${when(i.refusedAt)}`,
      '',
    ].join('\n'),
};
