import { expect } from 'chai';
import { compileVisibilityQuery, VisibilityQueryError, type VisibilityRecord } from './index';
import { CUSTOM, record, T0 } from './testFixtures';

/** Seeded, so a failure names an input that reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  'WorkflowId', 'RunId', 'ExecutionStatus', 'StartTime', 'CloseTime', 'HistoryLength', 'CustomIntField', 'CustomTextField',
  'CustomBoolField', 'CustomDoubleField', 'CustomDatetimeField', 'Tags', '`Custom Field`', '`', 'Unknown',
  'AND', 'OR', 'NOT', 'IN', 'BETWEEN', 'STARTS_WITH', 'IS', 'NULL', 'ORDER', 'BY', 'ASC', 'DESC', 'GROUP', 'LIMIT', 'LIKE',
  'true', 'false', '=', '!=', '<>', '<', '<=', '>', '>=', '!', '(', ')', ',', '-', '+', '*', '.', ';',
  "'", '"', '\\', "'a'", '"b"', "'Running'", "'2026-11-23T10:00:00Z'", "'2026-11-23T17:00:00+07:00'", "'x\\'y'", "''''",
  '0', '12', '-3', '1.5', '1e3', '99999999999999999999', '1795428000000000000', ' ', '  ', '\n', '\t', 'é', '\u0000',
];

const RECORDS: VisibilityRecord[] = [
  record(),
  record({ status: 'Completed', closeTime: T0 + 1, searchAttributes: {} }),
  record({ historyLength: undefined, searchAttributes: { CustomIntField: 'wrong', Tags: [], CustomTextField: null } }),
];

function check(q: string): void {
  let compiled;
  try {
    compiled = compileVisibilityQuery(q, CUSTOM);
  } catch (err) {
    if (!(err instanceof VisibilityQueryError)) throw new Error(`query ${JSON.stringify(q)} threw ${String(err)}`);
    expect(err.message, JSON.stringify(q)).to.match(/ (at position \d+|at end of query)( \(.*\))?$/s);
    return;
  }
  for (const a of RECORDS) {
    expect(compiled.matches(a)).to.be.a('boolean');
    for (const b of RECORDS) expect(compiled.compare(a, b)).to.be.a('number').and.not.NaN;
  }
}

describe('engine visibility: robustness', () => {
  it('throws only VisibilityQueryError (with a location) for random token sequences', () => {
    const random = prng(20261123);
    let accepted = 0;
    for (let n = 0; n < 4000; n++) {
      const length = Math.floor(random() * 14);
      const parts = Array.from({ length }, () => PIECES[Math.floor(random() * PIECES.length)]);
      const q = parts.join(random() < 0.7 ? ' ' : '');
      check(q);
      try {
        compileVisibilityQuery(q, CUSTOM);
        accepted++;
      } catch {
        // counted above
      }
    }
    // The generator must also reach the success path, or the test would prove little.
    expect(accepted).to.be.greaterThan(20);
  });

  it('throws only VisibilityQueryError for mutations of valid queries', () => {
    const random = prng(7);
    const valid = [
      "WorkflowId = 'a' AND (StartTime > '2026-11-23T10:00:00Z' OR `Custom Field` IN ('x', \"y\")) ORDER BY StartTime DESC",
      "ExecutionStatus NOT IN ('Running') AND HistoryLength BETWEEN 1 AND 5 AND CustomTextField = 'khai sinh'",
      "NOT (Tags = 'urgent' OR CustomBoolField = true) AND CloseTime IS NOT NULL ORDER BY CloseTime, RunId ASC",
    ];
    for (let n = 0; n < 3000; n++) {
      let q = valid[n % valid.length];
      for (let k = 1 + Math.floor(random() * 3); k > 0; k--) {
        const at = Math.floor(random() * (q.length + 1));
        const op = random();
        if (op < 0.4) q = q.slice(0, at) + q.slice(at + 1);
        else if (op < 0.8) q = q.slice(0, at) + PIECES[Math.floor(random() * PIECES.length)] + q.slice(at);
        else q = q.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + q.slice(at);
      }
      check(q);
    }
  });

  it('stays linear on long and adversarial inputs', () => {
    const inputs = [
      `WorkflowId IN (${Array.from({ length: 20_000 }, (_, i) => `'w${i}'`).join(', ')})`,
      `'${'\\'.repeat(200_000)}`,
      `StartTime = '${'2026-11-23T10:00:00'.repeat(10_000)}Z'`,
      `StartTime = '2026-11-23T10:00:00.${'1'.repeat(100_000)}Z'`,
      `CustomTextField = '${'a '.repeat(100_000)}'`,
      `${'('.repeat(50_000)}`,
      `${'a'.repeat(200_000)} = 'x'`,
      `${'1'.repeat(200_000)}x`,
    ];
    for (const q of inputs) {
      const started = Date.now();
      check(q);
      expect(Date.now() - started, q.slice(0, 40)).to.be.lessThan(2000);
    }
  });
});
