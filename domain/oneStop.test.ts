import { expect } from 'chai';
import { isOneStopUnitName, looksLikeMisnamedOneStop } from './oneStop';

describe('domain: one-stop units', () => {
  const nfc = 'Bộ phận Một cửa UBND xã Nùng Năng'.normalize('NFC');
  const nfd = nfc.normalize('NFD');

  it('recognises both phrases in any letter case', () => {
    expect(isOneStopUnitName('BỘ PHẬN MỘT CỬA xã A')).to.equal(true);
    expect(isOneStopUnitName('Trung tâm Phục vụ hành chính công - tỉnh Quảng Ngãi')).to.equal(true);
    expect(isOneStopUnitName('trung tâm phục vụ hành chính công tỉnh Lào Cai')).to.equal(true);
    expect(isOneStopUnitName('UBND Xã Nùng Năng')).to.equal(false);
  });

  it('gives the same answer for NFC and NFD input', () => {
    expect(nfd).to.not.equal(nfc);
    expect(isOneStopUnitName(nfc)).to.equal(true);
    expect(isOneStopUnitName(nfd)).to.equal(true);
    expect(isOneStopUnitName('TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG'.normalize('NFD'))).to.equal(true);
  });

  it('tells a misnamed desk from an unrelated unit', () => {
    expect(looksLikeMisnamedOneStop('Bo phan mot cua xa A')).to.equal(true);
    expect(looksLikeMisnamedOneStop('Bộ phận 1 cửa xã A')).to.equal(true);
    expect(looksLikeMisnamedOneStop('Một cửa liên thông xã B')).to.equal(true);
    expect(looksLikeMisnamedOneStop(nfd)).to.equal(false);
    expect(looksLikeMisnamedOneStop('UBND Xã Nùng Năng')).to.equal(false);
  });
});
