/**
 * What the screens call each input field, in Vietnamese and English, so a refusal names a field
 * the way the officer (or citizen) saw it — "Người được ủy quyền", not "toOfficerId". One shared
 * dictionary by field name, with a few entries by path where one name means different things;
 * `test/api/fieldLabels.test.ts` checks that every field of every route's declared input has one.
 */

export interface FieldLabel {
  vi: string;
  en: string;
  /** For a list: what one of its items is called ("bản chính 2"). */
  item?: { vi: string; en: string };
}

const L = (vi: string, en: string, item?: FieldLabel['item']): FieldLabel => (item ? { vi, en, item } : { vi, en });

/** By path, indices left out ("documents.type"): where the last name alone would mislead. */
const BY_PATH: Readonly<Record<string, FieldLabel>> = {
  'citizen.fullName': L('Họ và tên người yêu cầu', 'Applicant’s full name'),
  'citizen.citizenId': L('Số CCCD người yêu cầu', 'Applicant’s ID number'),
  'citizen.birthDate': L('Ngày sinh', 'Date of birth'),
  'citizen.phone': L('Số điện thoại', 'Phone'),
  'citizen.email': L('Thư điện tử', 'E-mail'),
  'documents.type': L('Loại giấy tờ', 'Kind of paper'),
  'documents.issuer': L('Cơ quan cấp', 'Issued by'),
  'documents.pages': L('Số trang', 'Pages'),
  'documents.copies': L('Số bản sao', 'Copies'),
  'rungs.id': L('Mã bậc', 'Rung id'),
  'rungs.trigger.kind': L('Khi nào', 'When'),
  'rungs.trigger.percent': L('Phần trăm thời hạn', 'Share of the time'),
  'rungs.trigger.workingMinutes': L('Phút làm việc sau hạn', 'Working minutes after'),
  'rungs.scope': L('Thời hạn', 'Deadline'),
  'rungs.notify': L('Báo cho', 'Tell'),
  'rungs.channels': L('Kênh báo', 'Channels'),
  'hours.start': L('Giờ bắt đầu', 'Start time'),
  'hours.end': L('Giờ kết thúc', 'End time'),
};

/** By the field's own name. */
const BY_NAME: Readonly<Record<string, FieldLabel>> = {
  // people and accounts
  username: L('Tên đăng nhập', 'Username'),
  password: L('Mật khẩu', 'Password'),
  currentPassword: L('Mật khẩu hiện tại', 'Current password'),
  newPassword: L('Mật khẩu mới', 'New password'),
  passwordConfirm: L('Nhập lại mật khẩu', 'Repeat the password'),
  fullName: L('Họ và tên', 'Full name'),
  name: L('Tên', 'Name'),
  citizenId: L('Số CCCD', 'ID number'),
  idNumber: L('Số CCCD/CMND', 'ID number'),
  birthDate: L('Ngày sinh', 'Date of birth'),
  phone: L('Số điện thoại', 'Phone'),
  email: L('Thư điện tử', 'E-mail'),
  jobTitle: L('Chức danh', 'Job title'),
  status: L('Trạng thái', 'Status'),
  citizen: L('Thông tin người yêu cầu', 'Applicant'),
  socialInsuranceNumber: L('Số sổ bảo hiểm xã hội', 'Social insurance number'),
  taxCode: L('Mã số thuế', 'Tax code'),
  businessName: L('Tên doanh nghiệp', 'Business name'),
  representativeIdNumber: L('Số CCCD người đại diện', 'Representative’s ID number'),
  representativeName: L('Họ và tên người đại diện', 'Representative’s name'),
  representativeBirthDate: L('Ngày sinh người đại diện', 'Representative’s date of birth'),
  // units, rights, officers
  unitId: L('Đơn vị', 'Unit'),
  unitIds: L('Đơn vị', 'Units', { vi: 'đơn vị', en: 'unit' }),
  parentId: L('Đơn vị cấp trên', 'Parent unit'),
  level: L('Cấp', 'Level'),
  right: L('Quyền', 'Right'),
  rights: L('Quyền', 'Rights', { vi: 'quyền', en: 'right' }),
  officerId: L('Cán bộ', 'Officer'),
  toOfficerId: L('Người được ủy quyền', 'Delegate'),
  headOfficerId: L('Thủ trưởng đơn vị', 'Head of the unit'),
  actorId: L('Người thực hiện', 'Done by'),
  // login and codes
  challengeToken: L('Phiên đăng nhập', 'Login session'),
  code: L('Mã', 'Code'),
  otp: L('Mã OTP', 'One-time code'),
  captcha: L('Mã xác thực', 'Captcha'),
  captchaId: L('Mã xác thực', 'Captcha'),
  flowToken: L('Phiên đăng ký', 'Registration session'),
  purpose: L('Mục đích', 'Purpose'),
  certificate: L('Chứng thư số', 'Certificate'),
  challengeId: L('Phiên ký số', 'Signing session'),
  signature: L('Chữ ký số', 'Signature'),
  // cases
  caseCode: L('Mã hồ sơ', 'Case code'),
  documents: L('Bản chính', 'Originals', { vi: 'bản chính', en: 'original' }),
  type: L('Loại', 'Kind'),
  issuer: L('Cơ quan cấp', 'Issued by'),
  pages: L('Số trang', 'Pages'),
  copies: L('Số bản sao', 'Copies'),
  complex: L('Hồ sơ phức tạp', 'Complex case'),
  scanFileId: L('Bản quét bản chính', 'Scan of the original'),
  fileId: L('Bản quét', 'Scan'),
  moreFileIds: L('Bản quét tiếp theo', 'Further scans', { vi: 'tệp', en: 'file' }),
  idScanFileId: L('Đính kèm CCCD/CMND', 'ID card scan'),
  broughtByCitizen: L('Bản quét do công dân mang đến', 'Scan brought by the citizen'),
  fileOriginals: L('Bản chính của từng tệp quét', 'Original of each scan file', { vi: 'tệp', en: 'file' }),
  complexReason: L('Lý do hồ sơ phức tạp', 'Why the case is complex'),
  lang: L('Ngôn ngữ', 'Language'),
  reason: L('Lý do', 'Reason'),
  reapply: L('Gửi lại tín hiệu và cập nhật sau điểm đặt lại', 'What is delivered again after the reset point'),
  ground: L('Căn cứ từ chối', 'Ground'),
  note: L('Ghi chú', 'Note'),
  workingDays: L('Số ngày làm việc', 'Working days'),
  writtenAgreementFileId: L('Văn bản thỏa thuận', 'Written agreement'),
  method: L('Hình thức nộp', 'Payment method'),
  payerName: L('Người nộp', 'Payer'),
  step: L('Bước', 'Step'),
  overdue: L('Quá hạn', 'Overdue'),
  dueBefore: L('Hạn trước', 'Due before'),
  q: L('Từ khóa', 'Search'),
  book: L('Sổ chứng thực', 'Register book'),
  year: L('Năm', 'Year'),
  number: L('Số chứng thực', 'Certification number'),
  serial: L('Số sê-ri chứng thư', 'Certificate serial'),
  // dates and periods
  from: L('Từ ngày', 'From'),
  to: L('Đến ngày', 'To'),
  validFrom: L('Từ', 'From'),
  validTo: L('Đến', 'Until'),
  date: L('Ngày', 'Date'),
  start: L('Thời điểm nhận', 'Received at'),
  hours: L('Giờ làm việc', 'Hours'),
  kind: L('Loại', 'Kind'),
  provisional: L('Dự kiến', 'Provisional'),
  rule: L('Cách tính hạn', 'Rule'),
  granularity: L('Biểu đồ theo', 'Trend by'),
  groupBy: L('Chia theo tháng', 'By month'),
  closedWithinDays: L('Số ngày đã đóng', 'Days since closing'),
  format: L('Định dạng tệp', 'File format'),
  // appointments
  appointmentCode: L('Mã lịch hẹn', 'Appointment code'),
  procedure: L('Thủ tục', 'Procedure'),
  paperType: L('Loại giấy tờ', 'Kind of paper'),
  slotStart: L('Khung giờ hẹn', 'Time slot'),
  toDate: L('Chuyển sang ngày', 'Move to day'),
  toSlotStart: L('Chuyển sang khung giờ', 'Move to slot'),
  slotMinutes: L('Độ dài mỗi khung giờ (phút)', 'Slot length (minutes)'),
  capacity: L('Số chỗ mỗi khung giờ', 'Places per slot'),
  offersVn: L('Nhận chứng thực giấy tờ do cơ quan Việt Nam cấp', 'Offers copies of Vietnamese papers'),
  offersForeign: L('Nhận chứng thực giấy tờ do cơ quan nước ngoài cấp', 'Offers copies of foreign papers'),
  names: L('Các loại giấy tờ', 'Kinds of paper', { vi: 'loại giấy tờ', en: 'kind of paper' }),
  // support requests
  serviceGroup: L('Nhóm dịch vụ', 'Service group'),
  service: L('Dịch vụ', 'Service'),
  requesterName: L('Người yêu cầu', 'Requester'),
  requesterPhone: L('Số điện thoại', 'Phone'),
  contactName: L('Người liên hệ (đầu mối phối hợp xử lý)', 'Coordination contact'),
  contactPhone: L('Số điện thoại người liên hệ', 'Contact’s phone'),
  feedbackEmail: L('Email phản hồi', 'Feedback e-mail'),
  notifyEachChange: L('Nhận email ở mỗi lần đổi trạng thái', 'E-mail at every change'),
  title: L('Tên yêu cầu', 'Request title'),
  description: L('Mô tả yêu cầu', 'Description'),
  attachmentFileIds: L('File đính kèm', 'Attachments', { vi: 'tệp đính kèm', en: 'attachment' }),
  requester: L('Người yêu cầu', 'Requester'),
  text: L('Nội dung', 'Text'),
  // land financial obligations
  dossierCode: L('Mã hồ sơ', 'Dossier code'),
  noticeNumber: L('Số thông báo thuế', 'Tax notice number'),
  orderId: L('Mã giao dịch', 'Order id'),
  merchant: L('Mã đơn vị nhận tiền', 'Merchant'),
  amount: L('Số tiền', 'Amount'),
  txnRef: L('Mã giao dịch của cổng thanh toán', 'Gateway transaction reference'),
  responseCode: L('Mã kết quả thanh toán', 'Response code'),
  payDate: L('Thời điểm thanh toán', 'Payment time'),
  secureHash: L('Chữ ký', 'Signature'),
  // escalation
  rungs: L('Bậc cảnh báo', 'Rungs', { vi: 'bậc', en: 'rung' }),
  trigger: L('Khi nào', 'When'),
  percent: L('Phần trăm thời hạn', 'Share of the time'),
  workingMinutes: L('Phút làm việc sau hạn', 'Working minutes after'),
  scope: L('Thời hạn', 'Deadline'),
  notify: L('Báo cho', 'Tell'),
  channels: L('Kênh báo', 'Channels'),
  // lists, mail, certificates, audit
  page: L('Trang', 'Page'),
  pageSize: L('Số dòng mỗi trang', 'Rows per page'),
  limit: L('Số dòng', 'Rows'),
  unread: L('Chưa đọc', 'Unread'),
  subject: L('Tiêu đề', 'Subject'),
  index: L('Tệp đính kèm', 'Attachment'),
  action: L('Thao tác', 'Action'),
  outcome: L('Kết quả', 'Outcome'),
  p12Base64: L('Tệp chứng thư', 'Certificate file'),
  id: L('Mã', 'Id'),
  t: L('Mã kiểm tra', 'Check code'),
  // error-alert subscriptions
  serviceType: L('Loại dịch vụ', 'Service type'),
  phones: L('Số điện thoại', 'Phones', { vi: 'số điện thoại', en: 'phone' }),
  emails: L('Email', 'E-mails', { vi: 'email', en: 'e-mail' }),
  addressId: L('Địa chỉ nhận cảnh báo', 'Alert address'),
  // API check console and configured APIs
  mode: L('Trường hợp kiểm tra', 'Kind of check'),
  url: L('URL API địa phương', 'Local API URL'),
  dstCode: L('DSTCODE', 'DST code'),
  apiType: L('Loại API', 'API type'),
  httpMethod: L('Phương thức', 'HTTP method'),
  body: L('Body API', 'API body'),
  endpointId: L('API đã cấu hình', 'Configured API'),
  sessionUrl: L('URL API lấy session', 'Session URL'),
  dataUrl: L('URL API lấy dữ liệu', 'Data URL'),
  bodyTemplate: L('Body mẫu', 'Body template'),
  sessionUsername: L('Tên đăng nhập lấy session', 'Session user'),
  sessionPassword: L('Mật khẩu lấy session', 'Session password'),
  clearSessionPassword: L('Xóa mật khẩu đã lưu', 'Remove the stored password'),
};

/** Said when nothing better is known (a malformed body, a field no screen shows). */
const WHOLE_INPUT: FieldLabel = L('Dữ liệu gửi lên', 'Request data');

/** "documents.1.type", "rungs[0].trigger.percent" → its named parts and the indices in order. */
function partsOf(path: string): { names: string[]; indices: Array<{ after: string; index: number }> } {
  const names: string[] = [];
  const indices: Array<{ after: string; index: number }> = [];
  for (const seg of path.split(/[.[\]]+/).filter(Boolean)) {
    if (/^\d+$/.test(seg)) indices.push({ after: names.join('.'), index: Number(seg) });
    else names.push(seg);
  }
  return { names, indices };
}

/** The label of a bare path, or undefined when the dictionary has none. */
export function knownLabel(path: string): FieldLabel | undefined {
  const { names } = partsOf(path);
  if (names.length === 0) return undefined;
  for (let i = 0; i < names.length; i++) {
    const byPath = BY_PATH[names.slice(i).join('.')];
    if (byPath) return byPath;
  }
  return BY_NAME[names[names.length - 1]!];
}

/**
 * The label of a field path as a person reads it, with the item of a list when the path names one:
 * "documents.1.type" → "Loại giấy tờ — bản chính 2".
 */
export function fieldLabel(path: string): { vi: string; en: string } {
  const base = knownLabel(path) ?? WHOLE_INPUT;
  const { names, indices } = partsOf(path);
  const last = indices[indices.length - 1];
  if (last && last.after === names.join('.') && indices.length === 1) {
    // The item itself ("unitIds.2"): "Đơn vị 3".
    const noun = base.item ?? { vi: base.vi, en: base.en };
    const cap = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
    return { vi: `${cap(noun.vi)} ${last.index + 1}`, en: `${cap(noun.en)} ${last.index + 1}` };
  }
  const items = indices.map(({ after, index }) => {
    const list = after ? knownLabel(after) : undefined;
    const noun = list?.item ?? { vi: 'mục', en: 'item' };
    return { vi: `${noun.vi} ${index + 1}`, en: `${noun.en} ${index + 1}` };
  });
  if (items.length === 0) return { vi: base.vi, en: base.en };
  return { vi: `${base.vi} — ${items.map((i) => i.vi).join(', ')}`, en: `${base.en} — ${items.map((i) => i.en).join(', ')}` };
}
