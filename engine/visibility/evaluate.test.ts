import { expect } from 'chai';
import { compileVisibilityQuery, type VisibilityRecord } from './index';
import { CUSTOM, record, T0 } from './testFixtures';

const matches = (q: string, r: VisibilityRecord): boolean => compileVisibilityQuery(q, CUSTOM).matches(r);

const base = record();
const closed = record({ status: 'Completed', closeTime: T0 + 60_000 });
const bare = record({ searchAttributes: {}, historyLength: undefined });

describe('engine visibility: matching', () => {
  const cases: Array<[string, VisibilityRecord, boolean]> = [
    ['', base, true],
    ['ORDER BY StartTime', base, true],
    // Keyword
    ["WorkflowId = 'case-1'", base, true],
    ["WorkflowId = 'CASE-1'", base, false],
    ["WorkflowId != 'case-1'", base, false],
    ["WorkflowId != 'case-2'", base, true],
    ["WorkflowId IN ('x', 'case-1')", base, true],
    ["WorkflowId IN ('x', 'y')", base, false],
    ["WorkflowId NOT IN ('x', 'y')", base, true],
    ["WorkflowId NOT IN ('case-1')", base, false],
    ["WorkflowId STARTS_WITH 'case-'", base, true],
    ["WorkflowId STARTS_WITH 'Case-'", base, false],
    ["WorkflowId STARTS_WITH ''", base, true],
    ["WorkflowId NOT STARTS_WITH 'case-'", base, false],
    ["WorkflowId > 'case-0'", base, true],
    ["WorkflowId >= 'case-1'", base, true],
    ["WorkflowId < 'case-1'", base, false],
    ["WorkflowId <= 'case-1'", base, true],
    ["WorkflowId BETWEEN 'case-0' AND 'case-2'", base, true],
    ["WorkflowId BETWEEN 'case-2' AND 'case-3'", base, false],
    ["WorkflowId NOT BETWEEN 'case-2' AND 'case-3'", base, true],
    ["RunId = 'run-1' AND WorkflowType = 'CertifyCopy' AND TaskQueue = 'cases'", base, true],
    ["CustomKeywordField = 'commune-7'", base, true],
    ["`Custom Field` = 'spaced'", base, true],
    ['`Custom Field` = "spaced"', base, true],
    // ExecutionStatus
    ["ExecutionStatus = 'Running'", base, true],
    ["ExecutionStatus = 'Running'", closed, false],
    ["ExecutionStatus != 'Running'", closed, true],
    ["ExecutionStatus IN ('Completed', 'Failed')", closed, true],
    ['ExecutionStatus = 1', base, true],
    // Int / Double
    ['HistoryLength = 12', base, true],
    ['HistoryLength != 12', base, false],
    ['HistoryLength > 11 AND HistoryLength < 13', base, true],
    ['HistoryLength >= 12 AND HistoryLength <= 12', base, true],
    ['HistoryLength > 12.5', base, false],
    ['HistoryLength < 12.5', base, true],
    ['HistoryLength IN (1, 12)', base, true],
    ['HistoryLength NOT IN (1, 12)', base, false],
    ['HistoryLength BETWEEN 12 AND 20', base, true],
    ['HistoryLength BETWEEN 13 AND 20', base, false],
    ['CustomIntField = 42', base, true],
    ['CustomIntField > -1', base, true],
    ['CustomDoubleField = 2.5', base, true],
    ['CustomDoubleField > 2', base, true],
    ['CustomDoubleField BETWEEN 2.4 AND 2.6', base, true],
    // Bool
    ['CustomBoolField = true', base, true],
    ['CustomBoolField = false', base, false],
    ['CustomBoolField != false', base, true],
    ['CustomBoolField IN (false)', base, false],
    // Datetime (T0 = 2026-11-23T10:00:00Z)
    ["StartTime = '2026-11-23T10:00:00Z'", base, true],
    ["StartTime = '2026-11-23T17:00:00+07:00'", base, true],
    ["StartTime >= '2026-11-23T17:00:00+07:00'", base, true],
    ["StartTime > '2026-11-23T10:00:00Z'", base, false],
    ["StartTime < '2026-11-23T10:00:00.000000001Z'", base, true],
    ["StartTime >= '2026-11-23T10:00:00.000000001Z'", base, false],
    ["StartTime = '2026-11-23T10:00:00.000000001Z'", base, false],
    ["StartTime BETWEEN '2026-11-23T00:00:00Z' AND '2026-11-23T23:59:59Z'", base, true],
    ["ExecutionTime <= '2026-11-23T10:00:00Z'", base, true],
    [`StartTime = ${T0}000000`, base, true],
    [`StartTime > ${T0}000000`, base, false],
    [`StartTime < ${T0}000001`, base, true],
    // An integer is nanoseconds: milliseconds would be a moment in January 1970.
    [`StartTime > ${T0}`, base, true],
    ["CustomDatetimeField = '2026-11-23T11:00:00Z'", base, true],
    ["CloseTime > '2026-11-23T10:00:00Z'", closed, true],
    // Text: every word of the literal, any order, ignoring case
    ["CustomTextField = 'khai sinh'", base, true],
    ["CustomTextField = 'SINH KHAI'", base, true],
    ["CustomTextField = 'Giấy'", base, true],
    ["CustomTextField = 'giấy hộ chiếu'", base, false],
    ["CustomTextField = 'khai-sinh!'", base, true],
    ["CustomTextField = 'sin'", base, false],
    ["CustomTextField = '  '", base, false],
    ["CustomTextField != 'hộ chiếu'", base, true],
    ["CustomTextField != 'khai sinh'", base, false],
    // Decomposed (NFD) spelling of the same words.
    [`CustomTextField = '${'giấy'.normalize('NFD')}'`, base, true],
    // KeywordList: = is membership
    ["Tags = 'urgent'", base, true],
    ["Tags = 'URGENT'", base, false],
    ["Tags != 'urgent'", base, false],
    ["Tags != 'late'", base, true],
    ["Tags IN ('late', 'paper')", base, true],
    ["Tags IN ('late')", base, false],
    ["Tags NOT IN ('late')", base, true],
    ["Tags NOT IN ('late', 'paper')", base, false],
    ["Tags = 'solo'", record({ searchAttributes: { Tags: 'solo' } }), true],
    // Boolean structure
    ["WorkflowId = 'x' OR RunId = 'run-1' AND TaskQueue = 'cases'", base, true],
    ["(WorkflowId = 'x' OR RunId = 'run-1') AND TaskQueue = 'nope'", base, false],
    ["WorkflowId = 'case-1' OR RunId = 'x' AND TaskQueue = 'nope'", base, true],
    ["NOT WorkflowId = 'x'", base, true],
    ["NOT (WorkflowId = 'case-1' AND RunId = 'run-1')", base, false],
    ["NOT NOT WorkflowId = 'case-1'", base, true],
  ];
  for (const [q, r, expected] of cases) {
    it(`${expected ? 'matches' : 'rejects'} ${q || '(empty)'}${r === closed ? ' [closed]' : ''}`, () => expect(matches(q, r)).to.equal(expected));
  }

  describe('missing values follow SQL NULL semantics', () => {
    const nullCases: Array<[string, boolean]> = [
      ['CustomKeywordField IS NULL', true],
      ['CustomKeywordField IS NOT NULL', false],
      ["CustomKeywordField = 'x'", false],
      ["CustomKeywordField != 'x'", false],
      ["CustomKeywordField NOT IN ('x')", false],
      ["CustomKeywordField NOT STARTS_WITH 'x'", false],
      ["CustomKeywordField NOT BETWEEN 'a' AND 'b'", false],
      ["NOT CustomKeywordField = 'x'", false],
      ["NOT (CustomKeywordField = 'x')", false],
      ["CustomKeywordField = 'x' OR WorkflowId = 'case-1'", true],
      ["NOT (CustomKeywordField = 'x' AND WorkflowId = 'other')", true],
      ["NOT (CustomKeywordField = 'x' OR WorkflowId = 'other')", false],
      ["Tags = 'x'", false],
      ["Tags != 'x'", false],
      ['Tags IS NULL', true],
      ["CustomTextField != 'x'", false],
      ['CustomIntField != 1', false],
      ['CustomBoolField != true', false],
      ['HistoryLength IS NULL', true],
      ['HistoryLength >= 0', false],
      ['CloseTime IS NULL', true],
      ["CloseTime < '2100-01-01T00:00:00Z'", false],
      ['WorkflowId IS NULL', false],
      ['WorkflowId IS NOT NULL', true],
    ];
    for (const [q, expected] of nullCases) {
      it(`${expected ? 'matches' : 'rejects'} ${q} on a record without it`, () => expect(matches(q, bare)).to.equal(expected));
    }

    it('treats an explicit null, an empty list and a value of the wrong type as missing', () => {
      const odd = record({ searchAttributes: { CustomKeywordField: null, Tags: [], CustomIntField: 'forty-two', CustomBoolField: 1 } });
      for (const q of ['CustomKeywordField IS NULL', 'Tags IS NULL', 'CustomIntField IS NULL', 'CustomBoolField IS NULL']) {
        expect(matches(q, odd), q).to.equal(true);
      }
      expect(matches('CustomIntField != 1', odd)).to.equal(false);
    });

    it('does not find Object.prototype members for attributes named like them', () => {
      const custom = new Map(CUSTOM).set('constructor', 'Keyword').set('__proto__', 'Keyword');
      const q = compileVisibilityQuery('constructor IS NULL AND `__proto__` IS NULL', custom);
      expect(q.matches(record())).to.equal(true);
    });
  });
});
