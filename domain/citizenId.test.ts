import { expect } from 'chai';
import { CCCD_PROVINCE_CODES, checkBirthDateAgainstCitizenId, validateCitizenId } from './citizenId';

describe('domain/citizenId (CCCD / CMND)', () => {
  it('lists the 63 province codes between 001 and 096', () => {
    const codes = Object.keys(CCCD_PROVINCE_CODES);
    expect(codes).to.have.length(63);
    expect(codes.every((c) => /^0\d\d$/.test(c) && Number(c) >= 1 && Number(c) <= 96)).to.equal(true);
    expect(CCCD_PROVINCE_CODES['001']).to.equal('Hà Nội');
    expect(CCCD_PROVINCE_CODES['079']).to.equal('Hồ Chí Minh');
    expect(CCCD_PROVINCE_CODES['096']).to.equal('Cà Mau');
    expect(CCCD_PROVINCE_CODES['003']).to.equal(undefined);
  });

  it('decodes province, century, gender and birth year of a 12-digit number', () => {
    expect(validateCitizenId('001090123456')).to.deep.equal({
      ok: true,
      kind: 'CCCD',
      number: '001090123456',
      provinceCode: '001',
      provinceName: 'Hà Nội',
      gender: 'male',
      centuryStart: 1900,
      birthYear: 1990,
    });
    expect(validateCitizenId('037185000001')).to.include({ gender: 'female', birthYear: 1985, provinceName: 'Ninh Bình' });
    expect(validateCitizenId('079205000001')).to.include({ gender: 'male', birthYear: 2005 });
    expect(validateCitizenId('079305000001')).to.include({ gender: 'female', birthYear: 2005 });
    expect(validateCitizenId('079400000001')).to.include({ gender: 'male', centuryStart: 2100 });
    expect(validateCitizenId('079999000001')).to.include({ gender: 'female', centuryStart: 2300, birthYear: 2399 });
  });

  it('accepts spaces and dots between digit groups', () => {
    expect(validateCitizenId(' 001 090 123 456 ')).to.include({ ok: true, number: '001090123456' });
    expect(validateCitizenId('001.090.123.456')).to.include({ ok: true, number: '001090123456' });
  });

  it('recognises a legacy 9-digit CMND and flags it as expired', () => {
    const r = validateCitizenId('012345678');
    expect(r).to.include({ ok: true, kind: 'CMND', number: '012345678' });
    if (r.ok && r.kind === 'CMND') expect(r.notice.vi).to.contain('hết giá trị sử dụng từ 01/01/2025');
    expect(validateCitizenId('012345678', { allowLegacyCmnd: false })).to.include({ ok: false, code: 'CMND_NOT_ACCEPTED' });
    expect(validateCitizenId('000000000')).to.include({ ok: false, code: 'ID_ALL_ZERO' });
  });

  it('rejects wrong lengths, letters, unknown provinces and future birth years, Vietnamese first', () => {
    const short = validateCitizenId('00109012345');
    expect(short).to.include({ ok: false, code: 'ID_WRONG_LENGTH' });
    if (!short.ok) expect(short.message).to.equal('Số CCCD phải có 12 chữ số (hoặc CMND 9 số), nhập 11 chữ số / A citizen ID has 12 digits (or a CMND 9), got 11');
    expect(validateCitizenId('')).to.include({ ok: false, code: 'ID_EMPTY' });
    expect(validateCitizenId('00109012345A')).to.include({ ok: false, code: 'ID_NOT_DIGITS' });
    expect(validateCitizenId('003090123456')).to.include({ ok: false, code: 'ID_UNKNOWN_PROVINCE' });
    expect(validateCitizenId('097090123456')).to.include({ ok: false, code: 'ID_UNKNOWN_PROVINCE' });
    expect(validateCitizenId('001230123456', { referenceYear: 2026 })).to.include({ ok: false, code: 'ID_BIRTH_YEAR_IN_FUTURE' });
    expect(validateCitizenId('001226123456', { referenceYear: 2026 })).to.include({ ok: true, birthYear: 2026 });
  });

  it('checks a date of birth against the century and year digits', () => {
    expect(checkBirthDateAgainstCitizenId('001090123456', '1990-05-17')).to.deep.equal({ ok: true });
    expect(checkBirthDateAgainstCitizenId('001305123456', 2005)).to.deep.equal({ ok: true });
    const wrongYear = checkBirthDateAgainstCitizenId('001090123456', '1991-05-17');
    expect(wrongYear).to.include({ ok: false, code: 'BIRTH_YEAR_MISMATCH' });
    if (!wrongYear.ok) expect(wrongYear.message).to.match(/^Năm sinh 1991 không khớp .*chữ số thứ 5–6 là "90"/);
    const wrongCentury = checkBirthDateAgainstCitizenId('001290123456', '1990-05-17');
    if (!wrongCentury.ok) expect(wrongCentury.messages.vi).to.contain('chữ số thứ 4 là "2", tức sinh từ năm 2000 đến 2099');
    expect(wrongCentury.ok).to.equal(false);
    expect(checkBirthDateAgainstCitizenId('001090123456', '17/05/1990')).to.include({ ok: false, code: 'BIRTH_DATE_INVALID' });
    expect(checkBirthDateAgainstCitizenId('001090123456', '1990-02-30')).to.include({ ok: false, code: 'BIRTH_DATE_INVALID' });
    expect(checkBirthDateAgainstCitizenId('012345678', '1990-05-17')).to.deep.equal({ ok: true });
    expect(checkBirthDateAgainstCitizenId('12', '1990-05-17')).to.include({ ok: false, code: 'ID_WRONG_LENGTH' });
  });
});
