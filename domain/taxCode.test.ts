import { expect } from 'chai';
import { taxCodeCheckDigit, validateTaxCode } from './taxCode';

describe('domain/taxCode (mã số thuế)', () => {
  it('accepts published enterprise codes whose check digit is right', () => {
    // Vinamilk, FPT: codes printed on their invoices.
    expect(validateTaxCode('0300588569')).to.deep.equal({ ok: true, normalized: '0300588569', enterprise: '0300588569' });
    expect(validateTaxCode(' 0101 248 141 ')).to.include({ ok: true, normalized: '0101248141' });
    expect(taxCodeCheckDigit('010124814')).to.equal(1);
  });

  it('keeps the 13-digit code of a branch with its dash, however it was typed', () => {
    expect(validateTaxCode('0101248141-001')).to.deep.equal({ ok: true, normalized: '0101248141-001', enterprise: '0101248141', branch: '001' });
    expect(validateTaxCode('0101248141001')).to.include({ normalized: '0101248141-001' });
    expect(validateTaxCode('0101248141-000')).to.include({ ok: false, code: 'TAX_CODE_BRANCH' });
  });

  it('refuses a wrong check digit, a wrong length and letters with a message saying which', () => {
    expect(validateTaxCode('0300588568')).to.include({ ok: false, code: 'TAX_CODE_CHECKSUM' });
    const short = validateTaxCode('030058856');
    expect(short).to.include({ ok: false, code: 'TAX_CODE_WRONG_LENGTH' });
    if (!short.ok) expect(short.messages.vi).to.include('nhập 9 chữ số');
    expect(validateTaxCode('03005885AB')).to.include({ ok: false, code: 'TAX_CODE_NOT_DIGITS' });
    expect(validateTaxCode('')).to.include({ ok: false, code: 'TAX_CODE_EMPTY' });
  });

  it('knows that nine digits whose weighted sum is 0 mod 11 make no code', () => {
    expect(taxCodeCheckDigit('100000000')).to.equal(10 - (31 % 11));
    // 1·5 + 2·3 = 11: the check digit would be 10, so every code starting 000000012 is refused.
    expect(taxCodeCheckDigit('000000012')).to.equal(undefined);
    for (let d = 0; d <= 9; d++) expect(validateTaxCode(`000000012${d}`)).to.include({ ok: false, code: 'TAX_CODE_CHECKSUM' });
  });
});
