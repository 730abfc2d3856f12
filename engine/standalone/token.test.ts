import { expect } from 'chai';
import { encodeToken } from '../tokens';
import { decodeStandaloneToken, encodeStandaloneToken, isStandaloneToken } from './token';

describe('engine standalone activities: task tokens', () => {
  it('tells a standalone attempt token from a workflow activity token, and reads it back', () => {
    const token = encodeStandaloneToken({ k: 'sa', ns: 'default', aid: 'hồ-sơ-1', rid: 'r', att: 2 });
    expect(isStandaloneToken(token)).to.equal(true);
    expect(decodeStandaloneToken(token)).to.deep.equal({ k: 'sa', ns: 'default', aid: 'hồ-sơ-1', rid: 'r', att: 2 });
    expect(isStandaloneToken(encodeToken({ k: 'a', ns: 'default', wid: 'w', rid: 'r', sid: 5, att: 1, aid: 'a' }))).to.equal(false);
    expect(isStandaloneToken(undefined)).to.equal(false);
  });

  it('refuses bytes that are not a standalone token', () => {
    expect(() => decodeStandaloneToken(Buffer.from('not json'))).to.throw('Error deserializing task token');
  });
});
