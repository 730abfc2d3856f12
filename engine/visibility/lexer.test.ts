import { expect } from 'chai';
import { tokenize } from './lexer';
import { VisibilityQueryError } from './types';

const kinds = (q: string): string[] => tokenize(q).map((t) => `${t.kind}:${t.value}`);

describe('engine visibility: lexer', () => {
  const cases: Array<[string, string[]]> = [
    ['', ['eof:']],
    ['  \t\n ', ['eof:']],
    ['\u00a0\ufeffa\u2003', ['ident:a', 'eof:']],
    ["WorkflowId = 'a'", ['ident:WorkflowId', 'op:=', 'string:a', 'eof:']],
    [`"dq"`, ['string:dq', 'eof:']],
    [`'it''s'`, ["string:it's", 'eof:']],
    [`"say ""hi"""`, ['string:say "hi"', 'eof:']],
    [`'a\\'b'`, ["string:a'b", 'eof:']],
    [`'tab\\tnl\\nback\\\\'`, ['string:tab\tnl\nback\\', 'eof:']],
    [`'\\q'`, ['string:q', 'eof:']],
    ['`Custom Field`', ['quotedIdent:Custom Field', 'eof:']],
    ['`a``b`', ['quotedIdent:a`b', 'eof:']],
    ['a!=b<>c<=d>=e<f>g', ['ident:a', 'op:!=', 'ident:b', 'op:!=', 'ident:c', 'op:<=', 'ident:d', 'op:>=', 'ident:e', 'op:<', 'ident:f', 'op:>', 'ident:g', 'eof:']],
    ['12 1.5 .5 3e2 4.E-1', ['number:12', 'number:1.5', 'number:.5', 'number:3e2', 'number:4.E-1', 'eof:']],
    ['-5 +6', ['-:-', 'number:5', '+:+', 'number:6', 'eof:']],
    ['(a, b)', ['(:(', 'ident:a', ',:,', 'ident:b', '):)', 'eof:']],
    ['Thời_gian', ['ident:Thời_gian', 'eof:']],
  ];
  for (const [q, expected] of cases) {
    it(`tokenizes ${JSON.stringify(q)}`, () => expect(kinds(q)).to.deep.equal(expected));
  }

  it('records 0-based positions and source text', () => {
    const t = tokenize("  A <> 'x'");
    expect(t.map((x) => [x.pos, x.text])).to.deep.equal([
      [2, 'A'],
      [4, '<>'],
      [7, "'x'"],
      [10, ''],
    ]);
  });

  const errors: Array<[string, string]> = [
    ["'abc", 'unterminated string starting at position 1'],
    ["a = 'abc\\", 'unterminated string starting at position 5'],
    ['`abc', 'unterminated backtick-quoted name starting at position 1'],
    ['``', 'empty backtick-quoted name at position 1'],
    ['*', "unexpected character '*' at position 1"],
    ['a ! b', "unexpected character '!' at position 3 (did you mean '!='?)"],
    ['a = 12abc', "invalid number '12abc' at position 5"],
    ['a ; b', "unexpected character ';' at position 3"],
    ['\u0001', "unexpected character '\\u0001' at position 1"],
  ];
  for (const [q, message] of errors) {
    it(`rejects ${JSON.stringify(q)}`, () => {
      expect(() => tokenize(q)).to.throw(VisibilityQueryError, message);
    });
  }
});
