import { expect } from 'chai';
import { viAmountInWords, viNumberWords } from './viNumberWords';

describe('domain/viNumberWords (số tiền bằng chữ)', () => {
  it('reads the fees a receipt carries', () => {
    expect(viAmountInWords(2_000)).to.equal('Hai nghìn đồng');
    expect(viAmountInWords(10_000)).to.equal('Mười nghìn đồng');
    expect(viAmountInWords(15_000)).to.equal('Mười lăm nghìn đồng');
    expect(viAmountInWords(21_000)).to.equal('Hai mươi mốt nghìn đồng');
    expect(viAmountInWords(200_000)).to.equal('Hai trăm nghìn đồng');
  });

  it('says "lẻ" for an empty tens place and "không trăm" inside a number', () => {
    expect(viNumberWords(105)).to.equal('một trăm lẻ năm');
    expect(viNumberWords(105_000)).to.equal('một trăm lẻ năm nghìn');
    expect(viNumberWords(1_002_000)).to.equal('một triệu không trăm lẻ hai nghìn');
    expect(viNumberWords(1_250_000)).to.equal('một triệu hai trăm năm mươi nghìn');
    expect(viNumberWords(3_000_000_015)).to.equal('ba tỷ không trăm mười lăm');
    expect(viNumberWords(0)).to.equal('không');
  });

  it('refuses what is not a whole amount', () => {
    expect(() => viNumberWords(-1)).to.throw(RangeError);
    expect(() => viNumberWords(1.5)).to.throw(RangeError);
  });
});
