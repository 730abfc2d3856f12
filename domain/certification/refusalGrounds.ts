/** The grounds on which an original must not be certified (SPEC A, Decree 23/2015 art. 22). */
export const REFUSAL_GROUNDS = {
  ALTERED: 'Bản chính bị tẩy xóa, sửa chữa, thêm, bớt nội dung không hợp lệ',
  DAMAGED: 'Bản chính bị hư hỏng, cũ nát, không xác định được nội dung',
  SECRET: 'Bản chính đóng dấu mật của cơ quan có thẩm quyền hoặc ghi rõ không được sao chụp',
  UNLAWFUL_CONTENT: 'Bản chính có nội dung trái pháp luật, đạo đức xã hội; tuyên truyền, kích động chiến tranh, chống chế độ xã hội chủ nghĩa Việt Nam; xuyên tạc lịch sử; xúc phạm danh dự, nhân phẩm, uy tín của cá nhân, tổ chức; vi phạm quyền công dân',
  FOREIGN_NOT_LEGALISED: 'Bản chính do cơ quan, tổ chức có thẩm quyền của nước ngoài cấp, công chứng hoặc chứng nhận chưa được hợp pháp hóa lãnh sự',
  SELF_MADE: 'Giấy tờ, văn bản do cá nhân tự lập nhưng không có xác nhận và đóng dấu của cơ quan, tổ chức có thẩm quyền',
} as const;

export type RefusalGround = keyof typeof REFUSAL_GROUNDS;

export const REFUSAL_GROUND_CODES = Object.keys(REFUSAL_GROUNDS) as RefusalGround[];
