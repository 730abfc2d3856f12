/**
 * The password rule of the national public-service portal (seed 001: "Nhập mật khẩu theo quy tắc
 * và xác nhận lại mật khẩu"): at least 8 characters with a lower-case letter, an upper-case
 * letter, a digit and a special character, typed twice. Letters count with their diacritics
 * ("ă", "Đ"), so a Vietnamese phrase is as good as an English one. The refusal names exactly
 * what is missing, so the citizen fixes it in one try.
 */
import { bilingual, failure, type RuleFailure } from './messages';

export const CITIZEN_PASSWORD_MIN_LENGTH = 8;

export type PasswordRequirement = 'length' | 'lower' | 'upper' | 'digit' | 'special';

const REQUIREMENT_TEXT: Readonly<Record<PasswordRequirement, { vi: string; en: string }>> = {
  length: { vi: `ít nhất ${CITIZEN_PASSWORD_MIN_LENGTH} ký tự`, en: `at least ${CITIZEN_PASSWORD_MIN_LENGTH} characters` },
  lower: { vi: 'chữ thường', en: 'a lower-case letter' },
  upper: { vi: 'chữ hoa', en: 'an upper-case letter' },
  digit: { vi: 'chữ số', en: 'a digit' },
  special: { vi: 'ký tự đặc biệt (ví dụ ! @ # $ % & *)', en: 'a special character (e.g. ! @ # $ % & *)' },
};

/** What a password lacks, in the order the rule is written. */
export function missingPasswordRequirements(password: string): PasswordRequirement[] {
  const missing: PasswordRequirement[] = [];
  // Characters, not UTF-16 units: an emoji or a combining mark is not two characters to the citizen.
  if ([...password.normalize('NFC')].length < CITIZEN_PASSWORD_MIN_LENGTH) missing.push('length');
  if (!/\p{Ll}/u.test(password)) missing.push('lower');
  if (!/\p{Lu}/u.test(password)) missing.push('upper');
  if (!/\p{Nd}/u.test(password)) missing.push('digit');
  // Anything that is neither a letter, a digit nor blank space; combining marks belong to their letter.
  if (!/[^\p{L}\p{M}\p{N}\s]/u.test(password)) missing.push('special');
  return missing;
}

export type CitizenPasswordCheck = { ok: true } | (RuleFailure & { missing: PasswordRequirement[] });

/** The password and its confirmation as typed: the rule first, then that both are the same. */
export function checkCitizenPassword(password: string, confirmation: string): CitizenPasswordCheck {
  const missing = missingPasswordRequirements(password);
  if (missing.length > 0) {
    const vi = missing.map((m) => REQUIREMENT_TEXT[m].vi).join(', ');
    const en = missing.map((m) => REQUIREMENT_TEXT[m].en).join(', ');
    return {
      ...failure(
        'PASSWORD_WEAK',
        bilingual(
          `Mật khẩu chưa đạt yêu cầu, còn thiếu: ${vi}. Mật khẩu cần có ít nhất ${CITIZEN_PASSWORD_MIN_LENGTH} ký tự, gồm chữ thường, chữ hoa, chữ số và ký tự đặc biệt.`,
          `The password is too weak; it lacks ${en}. It needs at least ${CITIZEN_PASSWORD_MIN_LENGTH} characters with lower case, upper case, a digit and a special character.`,
        ),
      ),
      missing,
    };
  }
  if (password !== confirmation) {
    return {
      ...failure('PASSWORD_MISMATCH', bilingual('Mật khẩu nhập lại không khớp với mật khẩu đã nhập.', 'The two passwords typed differ.')),
      missing: [],
    };
  }
  return { ok: true };
}
