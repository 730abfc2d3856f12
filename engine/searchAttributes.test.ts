import { expect } from 'chai';
import { decodeSearchAttribute } from './searchAttributes';

const payload = (value: unknown) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(value)) });

describe('engine: search attribute values', () => {
  it('accepts single values bare or wrapped in a one-element array, as SDKs send them', () => {
    expect(decodeSearchAttribute(payload([42]), 'Int')).to.equal(42);
    expect(decodeSearchAttribute(payload(42), 'Int')).to.equal(42);
    expect(decodeSearchAttribute(payload(['x']), 'Keyword')).to.equal('x');
    expect(decodeSearchAttribute(payload([true]), 'Bool')).to.equal(true);
    expect(decodeSearchAttribute(payload(['2026-11-23T10:00:00Z']), 'Datetime')).to.equal(Date.UTC(2026, 10, 23, 10));
    expect(decodeSearchAttribute(payload(['a', 'b']), 'KeywordList')).to.deep.equal(['a', 'b']);
  });

  it('refuses values of the wrong type, and reads an empty list as "unset"', () => {
    expect(decodeSearchAttribute(payload(['x']), 'Int')).to.equal(undefined);
    expect(decodeSearchAttribute(payload(1.5), 'Int')).to.equal(undefined);
    expect(decodeSearchAttribute(payload([1, 2]), 'Int')).to.equal(undefined);
    expect(decodeSearchAttribute(payload([]), 'Keyword')).to.equal(null);
  });
});
