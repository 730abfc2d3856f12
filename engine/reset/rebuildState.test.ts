import { expect } from 'chai';
import type { HistoryEvent } from '../proto';
import { rebuildFromHistory } from './rebuildState';

const t = (s: number) => ({ seconds: s, nanos: 0 });
const e = (eventId: number, attrs: Partial<HistoryEvent>): HistoryEvent => ({ eventId, eventTime: t(1000 + eventId), ...attrs });

const history: HistoryEvent[] = [
  e(1, { workflowExecutionStartedEventAttributes: { workflowType: { name: 'W' } } }),
  e(2, { workflowTaskScheduledEventAttributes: { attempt: 1 } }),
  e(3, { workflowTaskStartedEventAttributes: { scheduledEventId: 2, identity: 'w1' } }),
  e(4, { workflowTaskCompletedEventAttributes: { scheduledEventId: 2, startedEventId: 3 } }),
  e(5, { activityTaskScheduledEventAttributes: { activityId: 'a1', activityType: { name: 'A' }, taskQueue: { name: 'q' }, startToCloseTimeout: t(10) } }),
  e(6, { activityTaskScheduledEventAttributes: { activityId: 'a2', activityType: { name: 'A' }, taskQueue: { name: 'q' }, startToCloseTimeout: t(10) } }),
  e(7, { timerStartedEventAttributes: { timerId: 't1', startToFireTimeout: t(60) } }),
  e(8, { startChildWorkflowExecutionInitiatedEventAttributes: { namespace: 'default', workflowId: 'child', workflowType: { name: 'C' }, parentClosePolicy: 1 } }),
  e(9, { signalExternalWorkflowExecutionInitiatedEventAttributes: { signalName: 's' } }),
  e(10, { activityTaskCompletedEventAttributes: { scheduledEventId: 5 } }),
  e(11, { childWorkflowExecutionStartedEventAttributes: { initiatedEventId: 8, workflowExecution: { workflowId: 'child', runId: 'child-run' } } }),
  e(12, { workflowExecutionSignaledEventAttributes: { signalName: 'go', requestId: 'sig-1' } }),
  e(13, { workflowTaskScheduledEventAttributes: { attempt: 1 } }),
  e(14, { workflowTaskStartedEventAttributes: { scheduledEventId: 13, identity: 'w1' } }),
];

describe('rebuilding pending work from history', () => {
  const rebuilt = rebuildFromHistory(history, 'base-run');

  it('keeps what was scheduled and not yet resolved', () => {
    expect(Object.keys(rebuilt.activities)).to.deep.equal(['6']);
    expect(rebuilt.activities[6]).to.include({ activityId: 'a2', phase: 'scheduled', attempt: 1, startToCloseMs: 10_000 });
    expect(rebuilt.timers.t1).to.deep.equal({ timerId: 't1', startedEventId: 7, fireAt: (1000 + 7 + 60) * 1000 });
    expect(rebuilt.children[8]).to.include({ workflowId: 'child', runId: 'child-run', startedEventId: 11, requestId: 'base-run:child:8' });
    expect(rebuilt.signalsOut[9]).to.deep.equal({ initiatedEventId: 9, requestId: 'base-run:signal:9' });
    expect(rebuilt.signalRequestIds).to.deep.equal(['sig-1']);
  });

  it('knows the task in flight at the end and the last completed one', () => {
    expect(rebuilt.wft).to.include({ scheduledEventId: 13, startedEventId: 14, identity: 'w1' });
    expect(rebuilt.lastCompletedWftStartedEventId).to.equal(3);
  });

  it('drops what was resolved later in the prefix', () => {
    const upToTimerFired = rebuildFromHistory([...history, e(15, { timerFiredEventAttributes: { timerId: 't1', startedEventId: 7 } })], 'base-run');
    expect(upToTimerFired.timers).to.deep.equal({});
  });
});
