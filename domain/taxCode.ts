/**
 * Vietnamese enterprise tax codes (mã số thuế), the username of a business account.
 *
 * 10 digits: the enterprise. The tenth is a check digit: N10 = 10 − (31·N1 + 29·N2 + 23·N3 +
 * 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11; a remainder of 0 would give 10, so no code
 * is issued with it.
 * 13 digits: a dependent unit (branch, representative office), written "NNNNNNNNNN-NNN": the
 * parent's 10 digits and a branch number 001–999.
 * The 13-digit form is kept with its dash, as it is printed on registration certificates, so the
 * same business is one username however it was typed.
 */
import { bilingual, failure, type RuleFailure } from './messages';

const WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3] as const;

export interface TaxCode {
  ok: true;
  /** "0101248141" or "0101248141-001". */
  normalized: string;
  /** The enterprise's 10 digits (the parent's, for a branch). */
  enterprise: string;
  /** "001"–"999" for a dependent unit. */
  branch?: string;
}

export type TaxCodeResult = TaxCode | RuleFailure;

/** The check digit of the first nine digits, or undefined when no code can carry them. */
export function taxCodeCheckDigit(firstNine: string): number | undefined {
  const sum = WEIGHTS.reduce((acc, w, i) => acc + w * Number(firstNine[i]), 0);
  const digit = 10 - (sum % 11);
  return digit === 10 ? undefined : digit;
}

export function validateTaxCode(input: string): TaxCodeResult {
  if (typeof input !== 'string' || input.trim() === '') {
    return failure('TAX_CODE_EMPTY', bilingual('Chưa nhập mã số thuế', 'The tax code is empty'));
  }
  const compact = input.trim().replace(/[\s.]/g, '');
  const m = /^(\d{10})(?:-?(\d{3}))?$/.exec(compact);
  if (!m) {
    const digits = compact.replace(/-/g, '');
    return /^\d+$/.test(digits)
      ? failure(
          'TAX_CODE_WRONG_LENGTH',
          bilingual(`Mã số thuế gồm 10 chữ số, hoặc 13 chữ số (dạng 0123456789-001) cho đơn vị phụ thuộc; nhập ${digits.length} chữ số`, `A tax code has 10 digits, or 13 (0123456789-001) for a branch; got ${digits.length}`),
        )
      : failure('TAX_CODE_NOT_DIGITS', bilingual('Mã số thuế chỉ gồm chữ số (và dấu "-" trước 3 số cuối của đơn vị phụ thuộc)', 'A tax code has digits only (and a "-" before a branch’s last 3)'));
  }
  const [, enterprise, branch] = m;
  const check = taxCodeCheckDigit(enterprise.slice(0, 9));
  if (check === undefined || check !== Number(enterprise[9])) {
    return failure('TAX_CODE_CHECKSUM', bilingual(`Mã số thuế ${enterprise} không hợp lệ (sai chữ số kiểm tra), vui lòng kiểm tra lại`, `Tax code ${enterprise} is invalid (wrong check digit)`));
  }
  if (branch === '000') {
    return failure('TAX_CODE_BRANCH', bilingual('Ba số cuối của mã số thuế đơn vị phụ thuộc phải từ 001 đến 999', 'A branch number runs from 001 to 999'));
  }
  return branch === undefined ? { ok: true, normalized: enterprise, enterprise } : { ok: true, normalized: `${enterprise}-${branch}`, enterprise, branch };
}
