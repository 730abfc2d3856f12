/**
 * Vietnamese mobile numbers, for OTP and password SMS: the citizen's own mobile is required, so
 * landlines are refused rather than silently accepted.
 *
 * Since the 2018 conversion (Bộ TT&TT; 11-digit 012x/016x/018x/019x numbers moved to 03x/05x/07x/08x
 * between 15/09 and 14/11/2018) every mobile number has 10 digits: 0 + a 2-digit network code +
 * 7 digits. Landlines are 02x + 8 digits (area codes since the 2017 change).
 */
import { bilingual, failure, RuleFailure } from './messages';

export type MobileNetwork = 'Viettel' | 'VinaPhone' | 'MobiFone' | 'Vietnamobile' | 'Gmobile' | 'Itelecom' | 'Reddi';

/** 3-digit prefixes (with the leading 0) per network, after the 2018 conversion. */
export const MOBILE_PREFIXES: Readonly<Record<MobileNetwork, readonly string[]>> = {
  // 016[2-9] → 032–039
  Viettel: ['032', '033', '034', '035', '036', '037', '038', '039', '086', '096', '097', '098'],
  // 0123/0124/0125/0127/0129 → 083/084/085/081/082
  VinaPhone: ['081', '082', '083', '084', '085', '088', '091', '094'],
  // 0120/0121/0122/0126/0128 → 070/079/077/076/078
  MobiFone: ['070', '076', '077', '078', '079', '089', '090', '093'],
  // 0186/0188 → 056/058; 052 allocated later
  Vietnamobile: ['052', '056', '058', '092'],
  // 0199 → 059
  Gmobile: ['059', '099'],
  // Mobile virtual network operators with their own codes.
  Itelecom: ['087'],
  Reddi: ['055'],
};

const NETWORK_BY_PREFIX: ReadonlyMap<string, MobileNetwork> = new Map(
  (Object.keys(MOBILE_PREFIXES) as MobileNetwork[]).flatMap((n) => MOBILE_PREFIXES[n].map((p) => [p, n] as const)),
);

/** The 2018 conversion table: old 4-digit prefix → new 3-digit prefix. */
export const CONVERTED_2018_PREFIXES: Readonly<Record<string, string>> = {
  '0120': '070', '0121': '079', '0122': '077', '0126': '076', '0128': '078',
  '0123': '083', '0124': '084', '0125': '085', '0127': '081', '0129': '082',
  '0162': '032', '0163': '033', '0164': '034', '0165': '035', '0166': '036', '0167': '037', '0168': '038', '0169': '039',
  '0186': '056', '0188': '058',
  '0199': '059',
};

export interface MobileNumber {
  ok: true;
  /** 0xxxxxxxxx */
  normalized: string;
  /** +84xxxxxxxxx */
  e164: string;
  network: MobileNetwork;
}

export type MobileResult = MobileNumber | RuleFailure;

/**
 * Accepts 0xxxxxxxxx, +84xxxxxxxxx, 84xxxxxxxxx and 0084xxxxxxxxx, with spaces, dots, dashes or
 * parentheses anywhere (also the common "+84 (0) 912…"), and normalises to 0xxxxxxxxx.
 */
export function normalizeVietnameseMobile(input: string): MobileResult {
  if (typeof input !== 'string' || input.trim() === '') {
    return failure('PHONE_EMPTY', bilingual('Chưa nhập số điện thoại', 'The phone number is empty'));
  }
  const compact = input.trim().replace(/[\s.\-()]/g, '');
  if (!/^\+?\d+$/.test(compact)) {
    return failure('PHONE_INVALID_CHARACTERS', bilingual('Số điện thoại chỉ gồm chữ số (có thể bắt đầu bằng +84)', 'A phone number may contain digits only (optionally starting with +84)'));
  }
  let national: string; // without the trunk 0
  let international = true;
  if (compact.startsWith('+')) {
    if (!compact.startsWith('+84')) {
      return failure('PHONE_NOT_VIETNAMESE', bilingual('Chỉ nhận số điện thoại di động Việt Nam (+84)', 'Only Vietnamese mobile numbers (+84) are accepted'));
    }
    national = compact.slice(3);
  } else if (compact.startsWith('0084')) {
    national = compact.slice(4);
  } else if (compact.startsWith('84') && compact.length >= 11) {
    national = compact.slice(2);
  } else if (compact.startsWith('0')) {
    national = compact.slice(1);
    international = false;
  } else {
    return failure('PHONE_MISSING_PREFIX', bilingual('Số điện thoại phải bắt đầu bằng 0 hoặc +84', 'The phone number must start with 0 or +84'));
  }
  // "+84 (0) 912 345 678": the trunk 0 written after the country code.
  if (international && national.length === 10 && national.startsWith('0')) national = national.slice(1);

  const old = CONVERTED_2018_PREFIXES[`0${national.slice(0, 3)}`];
  if (national.length === 10 && national.startsWith('1') && old !== undefined) {
    const suggestion = `${old}${national.slice(3)}`;
    return failure(
      'PHONE_OLD_11_DIGITS',
      bilingual(`Số 11 số đầu 0${national.slice(0, 3)} đã chuyển sang đầu ${old} từ năm 2018, hãy dùng ${suggestion}`, `11-digit numbers starting 0${national.slice(0, 3)} moved to ${old} in 2018; use ${suggestion}`),
    );
  }
  if (national.startsWith('2')) {
    return failure('PHONE_LANDLINE', bilingual('Đây là số điện thoại cố định; cần số di động để nhận SMS/OTP', 'This is a landline number; a mobile number is needed to receive SMS/OTP'));
  }
  if (national.length !== 9) {
    return failure(
      'PHONE_WRONG_LENGTH',
      bilingual(`Số di động phải có 10 chữ số (dạng 0xxxxxxxxx), nhập ${national.length + 1} chữ số`, `A mobile number has 10 digits (0xxxxxxxxx), got ${national.length + 1}`),
    );
  }
  const normalized = `0${national}`;
  const network = NETWORK_BY_PREFIX.get(normalized.slice(0, 3));
  if (network === undefined) {
    return failure(
      'PHONE_UNKNOWN_PREFIX',
      bilingual(`Đầu số ${normalized.slice(0, 3)} không phải đầu số di động của nhà mạng nào`, `Prefix ${normalized.slice(0, 3)} is not a mobile network prefix`),
    );
  }
  return { ok: true, normalized, e164: `+84${national}`, network };
}

export function isVietnameseMobile(input: string): boolean {
  return normalizeVietnameseMobile(input).ok;
}
