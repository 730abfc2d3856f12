/**
 * The schedule loop on an engine whose wall clock the test moves by hand: what happens to the
 * action times that passed while the engine was not running them (catch-up window), and after
 * a restart on the same store.
 */
import { expect } from 'chai';
import { EngineClock } from '../clock';
import { Engine } from '../engine';
import { createLogger } from '../logger';
import { MemoryStore } from '../store/memoryStore';
import type { Plain, temporal } from '../proto';
import { Schedules } from './scheduler';
import { scheduleHandlers } from './service';

const HOUR = 3600_000;
const T0 = Date.parse('2026-12-07T00:10:00Z');

type Describe = Plain<temporal.api.workflowservice.v1.DescribeScheduleResponse.$Properties>;

async function bootEngine(store: MemoryStore, now: { ms: number }) {
  const clock = new EngineClock({ timeSkipping: false, startLocked: false, realNow: () => now.ms });
  const engine = new Engine({ store, clock, log: createLogger('error'), namespaces: ['default'], defaultSearchAttributes: {} });
  await engine.start();
  const schedules = new Schedules(engine);
  engine.runClosedListeners.push((s) => schedules.onRunClosed(s));
  await schedules.start();
  const api = scheduleHandlers(schedules);
  const call = async <T>(method: string, req: object) => (await api[method](req, { deadline: Infinity, signal: new AbortController().signal } as never)) as T;
  return { engine, schedules, call, stop: () => (schedules.stop(), engine.stop()) };
}

const createRequest = (scheduleId: string, catchupSeconds: number) => ({
  namespace: 'default',
  scheduleId,
  requestId: `create-${scheduleId}`,
  schedule: {
    spec: { interval: [{ interval: { seconds: 3600 } }] },
    action: { startWorkflow: { workflowId: `${scheduleId}-wf`, workflowType: { name: 'anything' }, taskQueue: { name: 'nobody' } } },
    policies: { overlapPolicy: 6, catchupWindow: { seconds: catchupSeconds } },
  },
});

/** Waits for the passes the engine started on its own (after a restart) to finish. */
async function settle(schedules: Schedules, namespace: string, scheduleId: string): Promise<void> {
  await schedules.withSchedule(namespace, scheduleId, async () => undefined);
}

describe('schedules: catch-up window and restart', () => {
  it('takes the missed actions within the catch-up window and counts the older ones as missed', async () => {
    const now = { ms: T0 };
    const e = await bootEngine(new MemoryStore(), now);
    try {
      await e.call('CreateSchedule', createRequest('cw', 2.5 * 3600));
      // Five hour marks pass while nothing runs the schedule (e.g. the process was stopped).
      now.ms = T0 + 5 * HOUR;
      await e.call('PatchSchedule', { namespace: 'default', scheduleId: 'cw', patch: {} });
      const d = await e.call<Describe>('DescribeSchedule', { namespace: 'default', scheduleId: 'cw' });
      // 01:00 … 05:00 passed; at 05:10 the window of 2.5 h reaches back to 02:40: 03:00, 04:00, 05:00 run.
      expect(d.info?.actionCount).to.equal(3);
      expect(d.info?.missedCatchupWindow).to.equal(2);
      expect(d.info?.recentActions?.map((a) => a.startWorkflowResult?.workflowId)).to.deep.equal(['cw-wf-2026-12-07T03:00:00Z', 'cw-wf-2026-12-07T04:00:00Z', 'cw-wf-2026-12-07T05:00:00Z']);
      expect(new Date(Number(d.info?.futureActionTimes?.[0].seconds) * 1000).toISOString()).to.equal('2026-12-07T06:00:00.000Z');
    } finally {
      await e.stop();
    }
  });

  it('catches up on start with what the store holds', async () => {
    // Closing a memory store keeps its contents: one store serves both lives of the engine.
    const store = new MemoryStore();
    const now = { ms: T0 };
    const first = await bootEngine(store, now);
    await first.call('CreateSchedule', createRequest('restart', 90 * 60));
    await first.stop();

    now.ms = T0 + 3 * HOUR;
    const second = await bootEngine(store, now);
    try {
      await settle(second.schedules, 'default', 'restart');
      const d = await second.call<Describe>('DescribeSchedule', { namespace: 'default', scheduleId: 'restart' });
      // Down from 00:10 to 03:10 with a window of 1.5 h: 02:00 and 03:00 run, 01:00 is missed.
      expect(d.info?.actionCount).to.equal(2);
      expect(d.info?.missedCatchupWindow).to.equal(1);
      const state = await second.engine.load('default', 'restart-wf-2026-12-07T03:00:00Z');
      expect(state?.state.workflowType).to.equal('anything');
    } finally {
      await second.stop();
    }
  });
});
