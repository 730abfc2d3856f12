import { expect } from 'chai';
import { findUnstorableText, MAX_BODY_DEPTH } from './storableText';

describe('api input: text PostgreSQL cannot store', () => {
  it('finds a NUL or a lone surrogate anywhere, naming the field', () => {
    expect(findUnstorableText({ citizen: { fullName: 'Giàng\u0000A Páo' } })).to.deep.equal({ field: 'citizen.fullName', kind: 'nul' });
    expect(findUnstorableText({ documents: [{ type: 'ok' }, { type: 'x\ud800y' }] })).to.deep.equal({ field: 'documents.1.type', kind: 'surrogate' });
    expect(findUnstorableText({ ['k\udc00']: 1 })).to.deep.include({ kind: 'surrogate' });
    expect(findUnstorableText('\u0000')).to.deep.equal({ field: '(body)', kind: 'nul' });
  });

  it('lets through every real character: accents composed or not, emoji, CJK', () => {
    expect(findUnstorableText({ a: 'Nguyễn', b: 'Nguye\u0302\u0303n', c: '😀 漢字', d: [1, true, null] })).to.equal(undefined);
    expect(findUnstorableText(undefined)).to.equal(undefined);
  });

  it('refuses nesting beyond the limit without overflowing the stack, however deep', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findUnstorableText(deep)).to.deep.include({ kind: 'depth' });
    let ok: unknown = 'x';
    for (let i = 0; i < MAX_BODY_DEPTH - 1; i++) ok = { a: ok };
    expect(findUnstorableText(ok)).to.equal(undefined);
  });
});
