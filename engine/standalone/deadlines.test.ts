import { expect } from 'chai';
import type { StandaloneActivityRecord } from './activityRecord';
import { standaloneDeadlines } from './deadlines';

const T0 = Date.UTC(2026, 11, 7, 8);

function record(activity: Partial<StandaloneActivityRecord['activity']>, extra: Partial<StandaloneActivityRecord> = {}): StandaloneActivityRecord {
  return {
    version: 1,
    namespace: 'default',
    runId: 'r',
    requestId: 'q',
    identity: '',
    status: 'Running',
    scheduleTime: T0,
    executionTime: T0,
    activity: {
      scheduledEventId: 0,
      activityId: 'a',
      activityType: 'echo',
      taskQueue: 'tq',
      phase: 'scheduled',
      attempt: 1,
      scheduledAt: T0,
      attemptScheduledAt: T0,
      scheduleToCloseMs: 0,
      scheduleToStartMs: 0,
      startToCloseMs: 10_000,
      heartbeatMs: 0,
      retry: { initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 100_000, maximumAttempts: 0, nonRetryableErrorTypes: [] },
      cancelRequested: false,
      ...activity,
    },
    ...extra,
  };
}

const view = (r: StandaloneActivityRecord) => standaloneDeadlines(r).map((d) => [d.key, d.at - T0]);

describe('engine standalone activities: deadlines', () => {
  it('waits out a start delay before the first attempt, with schedule-to-close counted from its end', () => {
    const r = record({ scheduledAt: T0 + 5000, attemptScheduledAt: T0 + 5000, scheduleToCloseMs: 60_000 }, { executionTime: T0 + 5000 });
    expect(view(r)).to.deep.equal([
      ['delay:1', 5000],
      ['scheduleToClose:1', 65_000],
    ]);
  });

  it('arms schedule-to-start only when it is shorter than schedule-to-close', () => {
    expect(view(record({ scheduleToCloseMs: 60_000, scheduleToStartMs: 60_000 }))).to.deep.equal([['scheduleToClose:1', 60_000]]);
    expect(view(record({ scheduleToStartMs: 2000 }))).to.deep.equal([['scheduleToStart:1', 2000]]);
  });

  it('arms start-to-close and the heartbeat of a started attempt from its last heartbeat', () => {
    const r = record({ phase: 'started', attempt: 2, startedAt: T0 + 100, heartbeatMs: 3000, lastHeartbeatAt: T0 + 2000 });
    expect(view(r)).to.deep.equal([
      ['startToClose:2', 10_100],
      ['heartbeat:2', 5000],
    ]);
  });

  it('arms the end of a backoff, and nothing for a closed run', () => {
    expect(view(record({ phase: 'backoff', attempt: 3, backoffUntil: T0 + 4000 }))).to.deep.equal([['retry:3', 4000]]);
    expect(view(record({}, { status: 'Completed', closeTime: T0 }))).to.deep.equal([]);
  });
});
