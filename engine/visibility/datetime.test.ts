import { expect } from 'chai';
import { instantFromEpochNanos, parseRfc3339 } from './datetime';

describe('engine visibility: datetime literals', () => {
  const valid: Array<[string, number, number]> = [
    ['2026-11-23T10:00:00Z', Date.parse('2026-11-23T10:00:00Z'), 0],
    ['2026-11-23T17:00:00+07:00', Date.parse('2026-11-23T10:00:00Z'), 0],
    ['2026-11-23T05:30:00-04:30', Date.parse('2026-11-23T10:00:00Z'), 0],
    ['2026-11-23t10:00:00z', Date.parse('2026-11-23T10:00:00Z'), 0],
    ['2026-11-23T10:00:00.5Z', Date.parse('2026-11-23T10:00:00.500Z'), 0],
    ['2026-11-23T10:00:00.123456789Z', Date.parse('2026-11-23T10:00:00.123Z'), 456_789],
    ['2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z'), 0],
    ['1970-01-01T00:00:00Z', 0, 0],
    ['1969-12-31T23:59:59.999999999Z', -1, 999_999],
    ['0001-01-01T00:00:00Z', Date.parse('0001-01-01T00:00:00Z'), 0],
    ['9999-12-31T23:59:59Z', Date.parse('9999-12-31T23:59:59Z'), 0],
  ];
  for (const [text, epochMs, nanos] of valid) {
    it(`parses ${text}`, () => expect(parseRfc3339(text)).to.deep.equal({ epochMs, nanos }));
  }

  const invalid = [
    '2026-11-23',
    '2026-11-23 10:00:00Z',
    '2026-11-23T10:00:00',
    '2026-13-01T00:00:00Z',
    '2026-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-11-23T24:00:00Z',
    '2026-11-23T10:60:00Z',
    '2026-11-23T10:00:60Z',
    '2026-11-23T10:00:00+24:00',
    '2026-11-23T10:00:00.1234567890Z',
    '2026-11-23T10:00:00.Z',
    'yesterday',
    '',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => expect(parseRfc3339(text)).to.equal(undefined));
  }

  it('reads integers as epoch nanoseconds, flooring to milliseconds', () => {
    expect(instantFromEpochNanos('1795428000000000000')).to.deep.equal({ epochMs: 1_795_428_000_000, nanos: 0 });
    expect(instantFromEpochNanos('1795428000000000001')).to.deep.equal({ epochMs: 1_795_428_000_000, nanos: 1 });
    expect(instantFromEpochNanos('0')).to.deep.equal({ epochMs: 0, nanos: 0 });
    expect(instantFromEpochNanos('-1')).to.deep.equal({ epochMs: -1, nanos: 999_999 });
    expect(instantFromEpochNanos('+2000000')).to.deep.equal({ epochMs: 2, nanos: 0 });
  });

  it('rejects integers outside the Date range and non-integers', () => {
    expect(instantFromEpochNanos('9'.repeat(40))).to.equal(undefined);
    expect(instantFromEpochNanos('1.5')).to.equal(undefined);
    expect(instantFromEpochNanos('1e9')).to.equal(undefined);
  });
});
