import { expect } from 'chai';
import { certificationFee, certificationFeePerCopy } from './fees';

describe('domain/fees (phí chứng thực bản sao)', () => {
  it('charges 2,000 VND per page for pages 1–2', () => {
    expect(certificationFeePerCopy(1)).to.equal(2_000);
    expect(certificationFeePerCopy(2)).to.equal(4_000);
  });

  it('charges 1,000 VND per page from page 3', () => {
    expect(certificationFeePerCopy(3)).to.equal(5_000);
    expect(certificationFeePerCopy(10)).to.equal(12_000);
    expect(certificationFeePerCopy(197)).to.equal(199_000);
  });

  it('caps one copy at 200,000 VND (reached at page 198)', () => {
    expect(certificationFeePerCopy(198)).to.equal(200_000);
    expect(certificationFeePerCopy(199)).to.equal(200_000);
    expect(certificationFeePerCopy(5_000)).to.equal(200_000);
  });

  it('multiplies by the number of copies, pages counted on the original', () => {
    expect(certificationFee({ pages: 3, copies: 4 })).to.deep.equal({ pages: 3, copies: 4, perCopyVnd: 5_000, totalVnd: 20_000, capped: false });
    expect(certificationFee({ pages: 300, copies: 2 })).to.include({ perCopyVnd: 200_000, totalVnd: 400_000, capped: true });
  });

  it('always returns integer VND', () => {
    for (let pages = 1; pages <= 250; pages++) {
      for (const copies of [1, 2, 7]) expect(Number.isInteger(certificationFee({ pages, copies }).totalVnd)).to.equal(true);
    }
  });

  it('rejects non-positive or non-integer inputs with a bilingual message', () => {
    expect(() => certificationFeePerCopy(0)).to.throw('Số trang của bản chính phải là số nguyên dương, nhận 0 / The number of pages of the original must be a positive integer, got 0');
    expect(() => certificationFeePerCopy(-3)).to.throw().with.property('code', 'INVALID_PAGE_COUNT');
    expect(() => certificationFeePerCopy(2.5)).to.throw().with.property('code', 'INVALID_PAGE_COUNT');
    expect(() => certificationFeePerCopy(Number.NaN)).to.throw().with.property('code', 'INVALID_PAGE_COUNT');
    expect(() => certificationFee({ pages: 2, copies: 0 })).to.throw(/^Số bản sao phải là số nguyên dương/).with.property('code', 'INVALID_COPY_COUNT');
    expect(() => certificationFee({ pages: 2, copies: 1.5 })).to.throw().with.property('code', 'INVALID_COPY_COUNT');
    expect(() => certificationFee({ pages: 2, copies: '3' as unknown as number })).to.throw().with.property('code', 'INVALID_COPY_COUNT');
  });
});
