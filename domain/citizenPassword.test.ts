import { expect } from 'chai';
import { checkCitizenPassword, missingPasswordRequirements } from './citizenPassword';

describe('domain/citizenPassword (the portal password rule)', () => {
  it('accepts 8 characters with lower case, upper case, digit and special character, typed twice', () => {
    expect(checkCitizenPassword('Abcdef1!', 'Abcdef1!')).to.deep.equal({ ok: true });
    // Vietnamese letters count as letters, a space is not a special character but "." is.
    expect(checkCitizenPassword('Đường số 7.', 'Đường số 7.')).to.deep.equal({ ok: true });
  });

  it('names every missing requirement, in Vietnamese first', () => {
    expect(missingPasswordRequirements('abc')).to.deep.equal(['length', 'upper', 'digit', 'special']);
    expect(missingPasswordRequirements('ABCDEFGH1!')).to.deep.equal(['lower']);
    expect(missingPasswordRequirements('Abcdefgh 1')).to.deep.equal(['special']);
    const r = checkCitizenPassword('matkhau1', 'matkhau1');
    expect(r).to.include({ ok: false, code: 'PASSWORD_WEAK' });
    if (r.ok) throw new Error('unreachable');
    expect(r.missing).to.deep.equal(['upper', 'special']);
    expect(r.messages.vi).to.match(/^Mật khẩu chưa đạt yêu cầu, còn thiếu: chữ hoa, ký tự đặc biệt/);
    expect(r.messages.en).to.include('an upper-case letter, a special character');
  });

  it('counts characters, not code units: a decomposed letter is one character', () => {
    // "Ă" typed as A + combining breve is one letter: 8 code units here, but 7 characters.
    expect('A\u0306bcd1!x').to.have.length(8);
    expect(missingPasswordRequirements('A\u0306bcd1!x')).to.deep.equal(['length']);
    expect(missingPasswordRequirements('A\u0306bcde1!x')).to.deep.equal([]);
  });

  it('refuses two different passwords once the rule is met', () => {
    const r = checkCitizenPassword('Abcdef1!', 'Abcdef1?');
    expect(r).to.include({ ok: false, code: 'PASSWORD_MISMATCH' });
    if (!r.ok) expect(r.messages.vi).to.equal('Mật khẩu nhập lại không khớp với mật khẩu đã nhập.');
    // A weak password is reported as weak even when the copies differ: that is the first thing to fix.
    expect(checkCitizenPassword('abc', 'xyz')).to.include({ code: 'PASSWORD_WEAK' });
  });
});
