import { expect } from 'chai';
import { compileVisibilityQuery, type VisibilityRecord } from './index';
import { CUSTOM, record, T0 } from './testFixtures';

const MIN = 60_000;

function sorted(q: string, records: VisibilityRecord[]): string[] {
  const { compare } = compileVisibilityQuery(q, CUSTOM);
  return [...records].sort(compare).map((r) => r.runId);
}

describe('engine visibility: ordering', () => {
  const runs: VisibilityRecord[] = [
    record({ runId: 'closed-early', status: 'Completed', startTime: T0, closeTime: T0 + 1 * MIN }),
    record({ runId: 'open-old', status: 'Running', startTime: T0 }),
    record({ runId: 'closed-late', status: 'Failed', startTime: T0 + 1 * MIN, closeTime: T0 + 5 * MIN }),
    record({ runId: 'open-new', status: 'Running', startTime: T0 + 2 * MIN }),
    record({ runId: 'closed-late-b', status: 'Terminated', startTime: T0 + 1 * MIN, closeTime: T0 + 5 * MIN }),
    record({ runId: 'closed-late-a', status: 'Canceled', startTime: T0 + 1 * MIN, closeTime: T0 + 5 * MIN }),
    record({ runId: 'closed-late-newer-start', status: 'TimedOut', startTime: T0 + 3 * MIN, closeTime: T0 + 5 * MIN }),
  ];

  it('defaults to open runs first, then CloseTime desc, StartTime desc, RunId', () => {
    const expected = ['open-new', 'open-old', 'closed-late-newer-start', 'closed-late', 'closed-late-a', 'closed-late-b', 'closed-early'];
    expect(sorted('', runs)).to.deep.equal(expected);
    expect(sorted("WorkflowId = 'case-1'", runs)).to.deep.equal(expected);
    expect(sorted('', [...runs].reverse())).to.deep.equal(expected);
  });

  const explicit: Array<[string, VisibilityRecord[], string[]]> = [
    [
      'ORDER BY StartTime',
      [record({ runId: 'b', startTime: T0 + 2 }), record({ runId: 'a', startTime: T0 + 1 }), record({ runId: 'c', startTime: T0 + 3 })],
      ['a', 'b', 'c'],
    ],
    [
      'ORDER BY StartTime DESC',
      [record({ runId: 'b', startTime: T0 + 2 }), record({ runId: 'a', startTime: T0 + 1 }), record({ runId: 'c', startTime: T0 + 3 })],
      ['c', 'b', 'a'],
    ],
    [
      'ORDER BY WorkflowId ASC, StartTime DESC',
      [
        record({ runId: 'y1', workflowId: 'y', startTime: T0 + 1 }),
        record({ runId: 'x1', workflowId: 'x', startTime: T0 + 1 }),
        record({ runId: 'x2', workflowId: 'x', startTime: T0 + 2 }),
      ],
      ['x2', 'x1', 'y1'],
    ],
    [
      'ORDER BY CustomIntField',
      [
        record({ runId: 'none', searchAttributes: {} }),
        record({ runId: 'ten', searchAttributes: { CustomIntField: 10 } }),
        record({ runId: 'two', searchAttributes: { CustomIntField: 2 } }),
      ],
      ['two', 'ten', 'none'],
    ],
    [
      'ORDER BY CustomIntField DESC',
      [
        record({ runId: 'none', searchAttributes: {} }),
        record({ runId: 'two', searchAttributes: { CustomIntField: 2 } }),
        record({ runId: 'ten', searchAttributes: { CustomIntField: 10 } }),
      ],
      ['ten', 'two', 'none'],
    ],
    [
      'ORDER BY CloseTime',
      [
        record({ runId: 'open', status: 'Running' }),
        record({ runId: 'late', status: 'Completed', closeTime: T0 + 9 }),
        record({ runId: 'early', status: 'Completed', closeTime: T0 + 1 }),
      ],
      ['early', 'late', 'open'],
    ],
    [
      'ORDER BY ExecutionStatus',
      [
        record({ runId: 'timed-out', status: 'TimedOut', closeTime: T0 }),
        record({ runId: 'completed', status: 'Completed', closeTime: T0 }),
        record({ runId: 'running', status: 'Running' }),
        record({ runId: 'failed', status: 'Failed', closeTime: T0 }),
      ],
      ['running', 'completed', 'failed', 'timed-out'],
    ],
    [
      'ORDER BY CustomBoolField DESC',
      [
        record({ runId: 'f', searchAttributes: { CustomBoolField: false } }),
        record({ runId: 't', searchAttributes: { CustomBoolField: true } }),
      ],
      ['t', 'f'],
    ],
    [
      'ORDER BY CustomKeywordField',
      [
        record({ runId: 'b', searchAttributes: { CustomKeywordField: 'b' } }),
        record({ runId: 'B', searchAttributes: { CustomKeywordField: 'B' } }),
        record({ runId: 'a', searchAttributes: { CustomKeywordField: 'a' } }),
      ],
      ['B', 'a', 'b'],
    ],
    [
      // Ties fall back to the default order, so pages are stable.
      'ORDER BY TaskQueue',
      [
        record({ runId: 'closed', status: 'Completed', closeTime: T0 }),
        record({ runId: 'open-b', status: 'Running' }),
        record({ runId: 'open-a', status: 'Running' }),
      ],
      ['open-a', 'open-b', 'closed'],
    ],
  ];
  for (const [q, records, expected] of explicit) {
    it(`sorts ${q}`, () => expect(sorted(q, records)).to.deep.equal(expected));
  }

  it('is a consistent total order (antisymmetric, zero only for identical keys)', () => {
    const { compare } = compileVisibilityQuery('ORDER BY CustomIntField DESC', CUSTOM);
    for (const a of runs) {
      for (const b of runs) {
        expect(Math.sign(compare(a, b))).to.equal(-Math.sign(compare(b, a)));
        if (a !== b) expect(compare(a, b)).not.to.equal(0);
      }
    }
  });
});
