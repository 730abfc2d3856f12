import { expect } from 'chai';
import { isVietnameseMobile, MOBILE_PREFIXES, normalizeVietnameseMobile } from './phone';

describe('domain/phone (Vietnamese mobile numbers)', () => {
  it('normalises the usual ways of writing a number to 0xxxxxxxxx', () => {
    for (const input of ['0912345678', '+84912345678', '84912345678', '0084912345678', '091 234 5678', '0912.345.678', '0912-345-678', '+84 91 234 56 78', '+84 (0) 912 345 678', '(+84) 912345678']) {
      expect(normalizeVietnameseMobile(input), input).to.deep.equal({ ok: true, normalized: '0912345678', e164: '+84912345678', network: 'VinaPhone' });
    }
  });

  it('knows the networks of the post-2018 prefixes', () => {
    expect(normalizeVietnameseMobile('0321234567')).to.include({ network: 'Viettel' });
    expect(normalizeVietnameseMobile('0861234567')).to.include({ network: 'Viettel' });
    expect(normalizeVietnameseMobile('0701234567')).to.include({ network: 'MobiFone' });
    expect(normalizeVietnameseMobile('0891234567')).to.include({ network: 'MobiFone' });
    expect(normalizeVietnameseMobile('0561234567')).to.include({ network: 'Vietnamobile' });
    expect(normalizeVietnameseMobile('0591234567')).to.include({ network: 'Gmobile' });
    expect(normalizeVietnameseMobile('0871234567')).to.include({ network: 'Itelecom' });
    const all = Object.values(MOBILE_PREFIXES).flat();
    expect(new Set(all).size).to.equal(all.length);
    expect(all.every((p) => /^0[35789]\d$/.test(p))).to.equal(true);
    for (const p of all) expect(isVietnameseMobile(`${p}1234567`), p).to.equal(true);
  });

  it('rejects landlines with a clear message', () => {
    const r = normalizeVietnameseMobile('024 3825 1234');
    expect(r).to.include({ ok: false, code: 'PHONE_LANDLINE' });
    if (!r.ok) expect(r.message).to.equal('Đây là số điện thoại cố định; cần số di động để nhận SMS/OTP / This is a landline number; a mobile number is needed to receive SMS/OTP');
    expect(normalizeVietnameseMobile('+84 28 3822 1234')).to.include({ code: 'PHONE_LANDLINE' });
  });

  it('rejects wrong lengths and unknown prefixes', () => {
    const short = normalizeVietnameseMobile('091234567');
    expect(short).to.include({ ok: false, code: 'PHONE_WRONG_LENGTH' });
    if (!short.ok) expect(short.messages.vi).to.equal('Số di động phải có 10 chữ số (dạng 0xxxxxxxxx), nhập 9 chữ số');
    expect(normalizeVietnameseMobile('09123456789')).to.include({ code: 'PHONE_WRONG_LENGTH' });
    expect(normalizeVietnameseMobile('0951234567')).to.include({ code: 'PHONE_UNKNOWN_PREFIX' });
    expect(normalizeVietnameseMobile('0311234567')).to.include({ code: 'PHONE_UNKNOWN_PREFIX' });
    expect(normalizeVietnameseMobile('0612345678')).to.include({ code: 'PHONE_UNKNOWN_PREFIX' });
    expect(normalizeVietnameseMobile('00912345678')).to.include({ code: 'PHONE_WRONG_LENGTH' });
  });

  it('points old 11-digit numbers to their 2018 replacement', () => {
    const r = normalizeVietnameseMobile('0169 933 3999');
    expect(r).to.include({ ok: false, code: 'PHONE_OLD_11_DIGITS' });
    if (!r.ok) expect(r.messages.vi).to.contain('hãy dùng 0399333999');
    expect(normalizeVietnameseMobile('+84 128 787 8888')).to.include({ code: 'PHONE_OLD_11_DIGITS' });
  });

  it('rejects empty input, letters, foreign numbers and numbers without 0/+84', () => {
    expect(normalizeVietnameseMobile('  ')).to.include({ code: 'PHONE_EMPTY' });
    expect(normalizeVietnameseMobile('09l2345678')).to.include({ code: 'PHONE_INVALID_CHARACTERS' });
    expect(normalizeVietnameseMobile('+14155550123')).to.include({ code: 'PHONE_NOT_VIETNAMESE' });
    expect(normalizeVietnameseMobile('912345678')).to.include({ code: 'PHONE_MISSING_PREFIX' });
    expect(isVietnameseMobile('hello')).to.equal(false);
  });
});
