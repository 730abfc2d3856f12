import { expect } from 'chai';
import { bilingual, DomainError, failure, formatBilingual } from './messages';

describe('domain/messages', () => {
  it('puts Vietnamese first, English after " / "', () => {
    expect(formatBilingual(bilingual('Sai', 'Wrong'))).to.equal('Sai / Wrong');
  });

  it('DomainError carries a stable code and both languages', () => {
    const err = new DomainError('X_BAD', bilingual('Hỏng', 'Broken'));
    expect(err).to.be.instanceOf(Error);
    expect(err.code).to.equal('X_BAD');
    expect(err.message).to.equal('Hỏng / Broken');
    expect(err.messages.en).to.equal('Broken');
    expect(err.name).to.equal('DomainError');
  });

  it('failure() builds the failing half of a discriminated result', () => {
    const f = failure('X', bilingual('a', 'b'));
    expect(f).to.deep.equal({ ok: false, code: 'X', message: 'a / b', messages: { vi: 'a', en: 'b' } });
  });
});
