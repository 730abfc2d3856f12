import { expect } from 'chai';
import Long from 'long';
import { parseResetTarget, resetEventId, ResetPointError } from './workflowReset';

const ev = (id: number, kind: 'scheduled' | 'started' | 'completed' | 'failed' | 'signal') => ({
  eventId: Long.fromNumber(id),
  ...(kind === 'completed' ? { workflowTaskCompletedEventAttributes: {} } : {}),
  ...(kind === 'failed' ? { workflowTaskFailedEventAttributes: {} } : {}),
  ...(kind === 'scheduled' ? { workflowTaskScheduledEventAttributes: {} } : {}),
  ...(kind === 'started' ? { workflowTaskStartedEventAttributes: {} } : {}),
  ...(kind === 'signal' ? { workflowExecutionSignaledEventAttributes: {} } : {}),
});

const history = [ev(1, 'signal'), ev(2, 'scheduled'), ev(3, 'started'), ev(4, 'completed'), ev(5, 'signal'), ev(6, 'scheduled'), ev(7, 'started'), ev(8, 'failed'), ev(9, 'scheduled'), ev(10, 'started'), ev(11, 'completed')];

describe('workflow reset points', () => {
  it('picks the first and the last completed workflow task', () => {
    expect(resetEventId(history, 'first')).to.equal(4);
    expect(resetEventId(history, 'last')).to.equal(11);
  });

  it('accepts an explicit event that ends a workflow task, and refuses any other', () => {
    expect(resetEventId(history, 8)).to.equal(8);
    expect(() => resetEventId(history, 5)).to.throw(ResetPointError, /reset points: 4, 11/);
    expect(() => resetEventId(history, 99)).to.throw(ResetPointError);
  });

  it('has nothing to reset to before the first task completes', () => {
    expect(() => resetEventId(history.slice(0, 3), 'first')).to.throw(ResetPointError);
  });

  it('reads first, last and whole event ids only', () => {
    expect(parseResetTarget('first')).to.equal('first');
    expect(parseResetTarget('12')).to.equal(12);
    for (const bad of ['0', '-3', '1.5', 'latest', '']) expect(parseResetTarget(bad), bad).to.equal(undefined);
  });
});
