import { expect } from 'chai';
import { delegatedSignatureOf, delegationFormFor, formLabel, headTitleFrom, positionOf, signatureBlockLines } from './signatureBlock';

describe('domain/signatureBlock (KT. / TUQ., Nghị định 30/2020/NĐ-CP)', () => {
  it('signs KT. for a deputy leader and TUQ. for anyone else', () => {
    expect(delegationFormFor('Phó Chủ tịch UBND xã')).to.equal('KT');
    expect(delegationFormFor('PHÓ CHỦ TỊCH')).to.equal('KT');
    expect(delegationFormFor('Công chức Tư pháp – Hộ tịch')).to.equal('TUQ');
    expect(delegationFormFor('Phòng Tư pháp')).to.equal('TUQ');
    expect(delegationFormFor(null)).to.equal('TUQ');
  });

  it('names the head the delegation speaks for, even when a deputy gives it', () => {
    expect(headTitleFrom('Chủ tịch UBND xã')).to.equal('Chủ tịch');
    expect(headTitleFrom('Phó Chủ tịch Ủy ban nhân dân xã Nùng Năng')).to.equal('Chủ tịch');
    expect(headTitleFrom(null)).to.equal('Chủ tịch');
    expect(positionOf('  Phó Chủ tịch   UBND xã ')).to.equal('Phó Chủ tịch');
  });

  it('writes the two lines above the signature in capitals', () => {
    expect(signatureBlockLines(delegatedSignatureOf('Chủ tịch UBND xã', 'Phó Chủ tịch UBND xã'))).to.deep.equal(['KT. CHỦ TỊCH', 'PHÓ CHỦ TỊCH']);
    expect(signatureBlockLines(delegatedSignatureOf('Chủ tịch UBND xã', null))).to.deep.equal(['TUQ. CHỦ TỊCH', 'CÔNG CHỨC TƯ PHÁP – HỘ TỊCH']);
    expect(formLabel(delegatedSignatureOf('Phó Chủ tịch UBND xã', 'Văn thư'))).to.equal('TUQ. Chủ tịch');
  });
});
