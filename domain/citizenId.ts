/**
 * Vietnamese personal ID numbers as typed at the one-stop desk.
 *
 * 12 digits — CCCD / thẻ căn cước, i.e. the personal identification number (số định danh cá
 * nhân), and the 12-digit CMND issued 2012–2016 with the same layout (Nghị định 137/2015/NĐ-CP
 * art. 7, Thông tư 07/2016/TT-BCA, kept by Luật Căn cước 2023 art. 12):
 *   PPP G YY RRRRRR — province of birth registration, century + gender, last two digits of the
 *   birth year, six random digits.
 * 9 digits — the legacy CMND. It stopped being a valid ID document on 01/01/2025 (Luật Căn cước
 * 2023 art. 46), but old records and accounts still carry such numbers, so it is recognised and
 * flagged rather than refused.
 */
import { isValidLocalDate } from './calendar/localTime';
import { bilingual, BilingualMessage, failure, RuleFailure } from './messages';

/**
 * Province codes of the place of birth registration (Thông tư 07/2016/TT-BCA, Phụ lục I): the 63
 * provinces before the 2025 merger. Numbers already issued keep these codes after the merger.
 */
export const CCCD_PROVINCE_CODES: Readonly<Record<string, string>> = {
  '001': 'Hà Nội',
  '002': 'Hà Giang',
  '004': 'Cao Bằng',
  '006': 'Bắc Kạn',
  '008': 'Tuyên Quang',
  '010': 'Lào Cai',
  '011': 'Điện Biên',
  '012': 'Lai Châu',
  '014': 'Sơn La',
  '015': 'Yên Bái',
  '017': 'Hòa Bình',
  '019': 'Thái Nguyên',
  '020': 'Lạng Sơn',
  '022': 'Quảng Ninh',
  '024': 'Bắc Giang',
  '025': 'Phú Thọ',
  '026': 'Vĩnh Phúc',
  '027': 'Bắc Ninh',
  '030': 'Hải Dương',
  '031': 'Hải Phòng',
  '033': 'Hưng Yên',
  '034': 'Thái Bình',
  '035': 'Hà Nam',
  '036': 'Nam Định',
  '037': 'Ninh Bình',
  '038': 'Thanh Hóa',
  '040': 'Nghệ An',
  '042': 'Hà Tĩnh',
  '044': 'Quảng Bình',
  '045': 'Quảng Trị',
  '046': 'Thừa Thiên Huế',
  '048': 'Đà Nẵng',
  '049': 'Quảng Nam',
  '051': 'Quảng Ngãi',
  '052': 'Bình Định',
  '054': 'Phú Yên',
  '056': 'Khánh Hòa',
  '058': 'Ninh Thuận',
  '060': 'Bình Thuận',
  '062': 'Kon Tum',
  '064': 'Gia Lai',
  '066': 'Đắk Lắk',
  '067': 'Đắk Nông',
  '068': 'Lâm Đồng',
  '070': 'Bình Phước',
  '072': 'Tây Ninh',
  '074': 'Bình Dương',
  '075': 'Đồng Nai',
  '077': 'Bà Rịa - Vũng Tàu',
  '079': 'Hồ Chí Minh',
  '080': 'Long An',
  '082': 'Tiền Giang',
  '083': 'Bến Tre',
  '084': 'Trà Vinh',
  '086': 'Vĩnh Long',
  '087': 'Đồng Tháp',
  '089': 'An Giang',
  '091': 'Kiên Giang',
  '092': 'Cần Thơ',
  '093': 'Hậu Giang',
  '094': 'Sóc Trăng',
  '095': 'Bạc Liêu',
  '096': 'Cà Mau',
};

export type Gender = 'male' | 'female';

export interface Cccd {
  ok: true;
  kind: 'CCCD';
  number: string;
  provinceCode: string;
  provinceName: string;
  gender: Gender;
  /** First year of the birth century: 1900, 2000, 2100, 2200 or 2300. */
  centuryStart: number;
  birthYear: number;
}

export interface LegacyCmnd {
  ok: true;
  kind: 'CMND';
  number: string;
  /** Shown to the officer: the number is recognised but the document has expired. */
  notice: BilingualMessage;
}

export type CitizenIdResult = Cccd | LegacyCmnd | RuleFailure;

export interface CitizenIdOptions {
  /** Accept 9-digit CMND numbers (default true, for looking up old records). */
  allowLegacyCmnd?: boolean;
  /** Reject birth years after this one; pass the current year in (no clock is read here). */
  referenceYear?: number;
}

const CMND_NOTICE = bilingual(
  'Số CMND 9 số: giấy CMND đã hết giá trị sử dụng từ 01/01/2025, đề nghị công dân dùng thẻ căn cước',
  '9-digit CMND number: CMND cards are no longer valid since 01/01/2025; ask for the citizen ID card',
);

/** Removes the spaces and dots people type between digit groups. */
export function normalizeCitizenId(input: string): string {
  return input.trim().replace(/[\s.]/g, '');
}

export function validateCitizenId(input: string, options: CitizenIdOptions = {}): CitizenIdResult {
  if (typeof input !== 'string' || input.trim() === '') {
    return failure('ID_EMPTY', bilingual('Chưa nhập số CCCD/CMND', 'The ID number is empty'));
  }
  const number = normalizeCitizenId(input);
  if (!/^\d+$/.test(number)) {
    return failure('ID_NOT_DIGITS', bilingual('Số CCCD/CMND chỉ gồm chữ số', 'The ID number may contain digits only'));
  }
  if (number.length === 9) {
    if (options.allowLegacyCmnd === false) {
      return failure('CMND_NOT_ACCEPTED', bilingual('Cần số CCCD 12 số, không nhận số CMND 9 số', 'A 12-digit citizen ID is required; 9-digit CMND numbers are not accepted'));
    }
    if (/^0+$/.test(number)) return failure('ID_ALL_ZERO', bilingual('Số CMND không hợp lệ', 'Invalid CMND number'));
    return { ok: true, kind: 'CMND', number, notice: CMND_NOTICE };
  }
  if (number.length !== 12) {
    return failure(
      'ID_WRONG_LENGTH',
      bilingual(`Số CCCD phải có 12 chữ số (hoặc CMND 9 số), nhập ${number.length} chữ số`, `A citizen ID has 12 digits (or a CMND 9), got ${number.length}`),
    );
  }
  const provinceCode = number.slice(0, 3);
  const provinceName = CCCD_PROVINCE_CODES[provinceCode];
  if (provinceName === undefined) {
    return failure(
      'ID_UNKNOWN_PROVINCE',
      bilingual(`Mã tỉnh nơi đăng ký khai sinh "${provinceCode}" không tồn tại (3 chữ số đầu của số CCCD)`, `Unknown province code "${provinceCode}" (first 3 digits of the citizen ID)`),
    );
  }
  const g = Number(number[3]);
  const centuryStart = 1900 + 100 * Math.floor(g / 2);
  const birthYear = centuryStart + Number(number.slice(4, 6));
  if (options.referenceYear !== undefined && birthYear > options.referenceYear) {
    return failure(
      'ID_BIRTH_YEAR_IN_FUTURE',
      bilingual(`Số CCCD chỉ năm sinh ${birthYear}, sau năm ${options.referenceYear}: kiểm tra chữ số thứ 4–6`, `The ID encodes birth year ${birthYear}, after ${options.referenceYear}: check digits 4–6`),
    );
  }
  return { ok: true, kind: 'CCCD', number, provinceCode, provinceName, gender: g % 2 === 0 ? 'male' : 'female', centuryStart, birthYear };
}

export type BirthDateCheck = { ok: true } | RuleFailure;

/**
 * Checks that a date of birth ('YYYY-MM-DD' or a year) agrees with the century digit and the two
 * year digits of a 12-digit number. 9-digit CMND numbers carry no birth year and always agree.
 */
export function checkBirthDateAgainstCitizenId(id: string, birthDate: string | number): BirthDateCheck {
  const parsed = validateCitizenId(id);
  if (!parsed.ok) return parsed;
  if (parsed.kind === 'CMND') return { ok: true };
  let year: number;
  if (typeof birthDate === 'number') {
    year = birthDate;
  } else {
    const date = birthDate.trim();
    if (!isValidLocalDate(date)) {
      return failure('BIRTH_DATE_INVALID', bilingual(`Ngày sinh "${birthDate}" không hợp lệ (định dạng YYYY-MM-DD)`, `Invalid date of birth "${birthDate}" (format YYYY-MM-DD)`));
    }
    year = Number(date.slice(0, 4));
  }
  if (!Number.isSafeInteger(year)) {
    return failure('BIRTH_DATE_INVALID', bilingual(`Năm sinh "${String(birthDate)}" không hợp lệ`, `Invalid birth year "${String(birthDate)}"`));
  }
  if (year !== parsed.birthYear) {
    const centuryDigitOk = Math.floor((year - 1900) / 100) === Math.floor(Number(parsed.number[3]) / 2);
    return failure(
      'BIRTH_YEAR_MISMATCH',
      centuryDigitOk
        ? bilingual(
            `Năm sinh ${year} không khớp với số CCCD (chữ số thứ 5–6 là "${parsed.number.slice(4, 6)}", tức năm ${parsed.birthYear})`,
            `Birth year ${year} does not match the ID (digits 5–6 are "${parsed.number.slice(4, 6)}", i.e. ${parsed.birthYear})`,
          )
        : bilingual(
            `Năm sinh ${year} không khớp với số CCCD (chữ số thứ 4 là "${parsed.number[3]}", tức sinh từ năm ${parsed.centuryStart} đến ${parsed.centuryStart + 99})`,
            `Birth year ${year} does not match the ID (digit 4 is "${parsed.number[3]}", i.e. born ${parsed.centuryStart}–${parsed.centuryStart + 99})`,
          ),
    );
  }
  return { ok: true };
}
