import { expect } from 'chai';
import { ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription, type ScheduleHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import Long from 'long';
import { requireTimeSkipping, startWorker, testEnv, uniqueId } from './harness';

const HOUR = 3600_000;

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

/** Polls until `check` passes: a real cluster applies schedule changes asynchronously. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  for (let i = 0; i < 200; i++) {
    last = await read();
    if (check(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

describe('engine: schedules', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  const handles: ScheduleHandle[] = [];
  const startedIds: string[] = [];

  before(async () => {
    worker = await startWorker();
  });
  afterEach(async () => {
    const env = await testEnv();
    for (const h of handles.splice(0)) {
      const d = await h.describe().catch(() => undefined);
      for (const a of d?.info.recentActions ?? []) startedIds.push(a.action.workflow.workflowId);
      await h.delete().catch(() => undefined);
    }
    for (const id of startedIds.splice(0)) await env.client.workflow.getHandle(id).terminate('test cleanup').catch(() => undefined);
  });
  after(async () => worker?.stop());

  async function create(options: Omit<Parameters<Awaited<ReturnType<typeof testEnv>>['client']['schedule']['create']>[0], 'scheduleId'> & { scheduleId?: string }): Promise<ScheduleHandle> {
    const env = await testEnv();
    const handle = await env.client.schedule.create({ scheduleId: uniqueId('sched'), ...options });
    handles.push(handle);
    return handle;
  }

  it('announces schedules in GetSystemInfo and DescribeNamespace', async () => {
    const env = await testEnv();
    const info = await env.client.workflowService.getSystemInfo({});
    expect(info.capabilities?.supportsSchedules).to.equal(true);
    const ns = await env.client.workflowService.describeNamespace({ namespace: env.client.options.namespace });
    expect(ns.namespaceInfo?.supportsSchedules).to.equal(true);
  });

  it('creates, describes, lists and deletes a schedule with its memo, search attributes and canonical spec', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('digest');
    const handle = await create({
      spec: { cronExpressions: ['30 7 * * 1-5'], timezone: 'Asia/Ho_Chi_Minh' },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['lịch'], taskQueue: worker.taskQueue, workflowId },
      state: { paused: true, note: 'tạm dừng khi tạo' },
      memo: { owner: 'phường 1' },
      searchAttributes: { CustomKeywordField: ['lich-sang'] },
    });
    const d = await handle.describe();
    expect(d.action.type).to.equal('startWorkflow');
    expect(d.action.workflowType).to.equal('hello');
    expect(d.action.workflowId).to.equal(workflowId);
    expect(d.state.paused).to.equal(true);
    expect(d.state.note).to.equal('tạm dừng khi tạo');
    expect(d.memo).to.deep.equal({ owner: 'phường 1' });
    expect(d.searchAttributes.CustomKeywordField).to.deep.equal(['lich-sang']);
    expect(d.spec.timezone).to.equal('Asia/Ho_Chi_Minh');
    // The cron string comes back compiled into a structured calendar.
    expect(d.spec.calendars).to.have.length(1);
    expect(d.spec.calendars?.[0].hour).to.deep.equal([{ start: 7, end: 7, step: 1 }]);
    expect(d.spec.calendars?.[0].minute).to.deep.equal([{ start: 30, end: 30, step: 1 }]);
    expect(d.spec.calendars?.[0].dayOfWeek).to.deep.equal([{ start: 'MONDAY', end: 'FRIDAY', step: 1 }]);
    // 07:30 in Hồ Chí Minh City is 00:30 UTC, on working days there.
    expect(d.info.nextActionTimes).to.have.length(10);
    for (const t of d.info.nextActionTimes) {
      expect(t.getUTCHours()).to.equal(0);
      expect(t.getUTCMinutes()).to.equal(30);
      expect([1, 2, 3, 4, 5]).to.include(t.getUTCDay());
    }

    const duplicate = await rejection(
      env.client.schedule.create({ scheduleId: handle.scheduleId, spec: {}, action: { type: 'startWorkflow', workflowType: 'hello', taskQueue: worker.taskQueue } }),
    );
    expect(duplicate).to.be.instanceOf(ScheduleAlreadyRunning);

    const listed = await eventually(
      async () => {
        const ids: string[] = [];
        for await (const s of env.client.schedule.list()) ids.push(s.scheduleId);
        return ids;
      },
      (ids) => ids.includes(handle.scheduleId),
      'the schedule in the list',
    );
    expect(listed).to.include(handle.scheduleId);

    await handle.delete();
    expect(await rejection(handle.describe())).to.be.instanceOf(ScheduleNotFoundError);
  });

  it('lists the matching times of a calendar in a time zone, and rejects an unknown zone', async () => {
    const env = await testEnv();
    const handle = await create({
      spec: { calendars: [{ hour: 7, minute: 30, dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'] }], timezone: 'Asia/Ho_Chi_Minh' },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['x'], taskQueue: worker.taskQueue },
      state: { paused: true },
    });
    const res: temporal.api.workflowservice.v1.IListScheduleMatchingTimesResponse = await env.client.workflowService.listScheduleMatchingTimes({
      namespace: env.client.options.namespace,
      scheduleId: handle.scheduleId,
      startTime: { seconds: Long.fromNumber(Date.UTC(2026, 11, 4, 0, 0, 0) / 1000) },
      endTime: { seconds: Long.fromNumber(Date.UTC(2026, 11, 11, 0, 0, 0) / 1000) },
    });
    const times = (res.startTime ?? []).map((t) => new Date(Number(t.seconds) * 1000).toISOString());
    // Friday 4 December 2026 to Friday 11 December: the weekend is skipped.
    expect(times).to.deep.equal(['2026-12-04T00:30:00.000Z', '2026-12-07T00:30:00.000Z', '2026-12-08T00:30:00.000Z', '2026-12-09T00:30:00.000Z', '2026-12-10T00:30:00.000Z']);

    const badZone = await rejection(
      env.client.schedule.create({
        scheduleId: uniqueId('bad-tz'),
        spec: { intervals: [{ every: '1h' }], timezone: 'Asia/Not_A_City' },
        action: { type: 'startWorkflow', workflowType: 'hello', taskQueue: worker.taskQueue },
      }),
    );
    expect(badZone).to.be.instanceOf(Error);
  });

  it('triggers immediately, with the scheduled id suffix and the TemporalScheduledById / TemporalScheduledStartTime attributes', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('trig');
    const handle = await create({
      spec: { intervals: [{ every: '365 days' }] },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['trigger'], taskQueue: worker.taskQueue, workflowId, memo: { from: 'lịch' } },
      state: { paused: true },
    });
    await handle.trigger();
    const d = await eventually(() => handle.describe(), (x) => x.info.recentActions.length === 1, 'one action');
    expect(d.info.numActionsTaken).to.equal(1);
    const startedId = d.info.recentActions[0].action.workflow.workflowId;
    expect(startedId).to.match(new RegExp(`^${workflowId}-\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ$`));
    const result = await env.client.workflow.getHandle(startedId).result();
    expect(result).to.equal('Hello, trigger!');
    const described = await env.client.workflow.getHandle(startedId).describe();
    expect(described.searchAttributes.TemporalScheduledById).to.deep.equal([handle.scheduleId]);
    expect(described.memo).to.deep.equal({ from: 'lịch' });
    const scheduledStart = described.searchAttributes.TemporalScheduledStartTime?.[0] as Date;
    expect(scheduledStart.toISOString().replace('.000Z', 'Z')).to.equal(startedId.slice(workflowId.length + 1));
  });

  it('SKIP starts one of several overlapping actions and counts the others as skipped', async () => {
    const handle = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'waitForever', taskQueue: worker.taskQueue, workflowId: uniqueId('skip') },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      state: { paused: true },
    });
    const start = new Date(Date.UTC(2026, 0, 1, 0, 30));
    await handle.backfill({ start, end: new Date(start.getTime() + 3 * HOUR) });
    const d = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken + x.info.numActionsSkippedOverlap === 3, 'three backfilled times');
    expect(d.info.numActionsTaken).to.equal(1);
    expect(d.info.numActionsSkippedOverlap).to.equal(2);
    expect(d.info.runningActions).to.have.length(1);
    expect(d.info.runningActions[0].workflow.workflowId).to.match(/-2026-01-01T01:00:00Z$/);
  });

  it('BUFFER_ALL keeps overlapping actions and starts each when the previous one closes', async () => {
    const env = await testEnv();
    const handle = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'waitForever', taskQueue: worker.taskQueue, workflowId: uniqueId('buffer') },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ALL },
      state: { paused: true },
    });
    const start = new Date(Date.UTC(2026, 0, 1, 0, 30));
    await handle.backfill({ start, end: new Date(start.getTime() + 3 * HOUR) });
    let d = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 1 && x.raw.info?.bufferSize?.toString() === '2', 'one running, two buffered');
    const first = d.info.runningActions[0].workflow.workflowId;
    await env.client.workflow.getHandle(first).terminate('next one');
    d = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 2, 'the second buffered action');
    expect(d.info.runningActions).to.have.length(1);
    expect(d.info.runningActions[0].workflow.workflowId).to.match(/-2026-01-01T02:00:00Z$/);
    expect(d.info.recentActions.map((a) => a.action.workflow.workflowId)).to.include(first);
  });

  it('ALLOW_ALL runs every backfilled action at once, BUFFER_ONE keeps just one waiting', async () => {
    const allowAll = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'waitForever', taskQueue: worker.taskQueue, workflowId: uniqueId('all') },
      policies: { overlap: ScheduleOverlapPolicy.ALLOW_ALL },
      state: { paused: true },
    });
    const start = new Date(Date.UTC(2026, 0, 1, 0, 30));
    await allowAll.backfill({ start, end: new Date(start.getTime() + 3 * HOUR) });
    const a = await eventually(() => allowAll.describe(), (x) => x.info.numActionsTaken === 3, 'three actions');
    expect(a.info.numActionsSkippedOverlap).to.equal(0);

    const bufferOne = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'waitForever', taskQueue: worker.taskQueue, workflowId: uniqueId('one') },
      policies: { overlap: ScheduleOverlapPolicy.BUFFER_ONE },
      state: { paused: true },
    });
    await bufferOne.backfill({ start, end: new Date(start.getTime() + 3 * HOUR) });
    const b = await eventually(() => bufferOne.describe(), (x) => x.info.numActionsTaken === 1 && x.info.numActionsSkippedOverlap === 1, 'one running, one skipped');
    expect(b.raw.info?.bufferSize?.toString()).to.equal('1');
  });

  /**
   * Two hourly actions backfilled one after the other under `overlap`: the first is running when
   * the second comes. Answers the first's workflow id and the describe once the second runs.
   */
  async function secondActionOverTheFirst(workflowType: string, overlap: ScheduleOverlapPolicy) {
    const handle = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType, taskQueue: worker.taskQueue, workflowId: uniqueId(workflowType) },
      policies: { overlap },
      state: { paused: true },
    });
    const start = new Date(Date.UTC(2026, 0, 1, 0, 30));
    await handle.backfill({ start, end: new Date(start.getTime() + HOUR) });
    const first = (await eventually(() => handle.describe(), (x) => x.info.runningActions.length === 1, 'the first action')).info.runningActions[0].workflow.workflowId;
    await handle.backfill({ start: new Date(start.getTime() + HOUR), end: new Date(start.getTime() + 2 * HOUR) });
    const second = await eventually(() => handle.describe(), (x) => x.info.numActionsTaken === 2 && x.info.runningActions.length === 1, 'the second action running');
    return { first, second };
  }

  it('TERMINATE_OTHER ends the running workflow and starts the new one', async () => {
    const env = await testEnv();
    const { first, second } = await secondActionOverTheFirst('waitForever', ScheduleOverlapPolicy.TERMINATE_OTHER);
    expect(second.info.runningActions[0].workflow.workflowId).to.not.equal(first);
    const firstState = await env.client.workflow.getHandle(first).describe();
    expect(firstState.status.name).to.equal('TERMINATED');
  });

  it('CANCEL_OTHER asks the running workflow to cancel and starts the new one once it has closed', async () => {
    const env = await testEnv();
    const { first, second } = await secondActionOverTheFirst('cancellable', ScheduleOverlapPolicy.CANCEL_OTHER);
    expect(second.info.runningActions[0].workflow.workflowId).to.match(/-2026-01-01T02:00:00Z$/);
    expect(await env.client.workflow.getHandle(first).result()).to.equal('cancelled');
  });

  it('lists schedules matching a query on their search attributes and pause state', async () => {
    const env = await testEnv();
    const tag = uniqueId('tag');
    const paused = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['x'], taskQueue: worker.taskQueue },
      searchAttributes: { CustomKeywordField: [tag] },
      state: { paused: true },
    });
    await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['x'], taskQueue: worker.taskQueue },
      searchAttributes: { CustomKeywordField: [tag] },
      state: { paused: false },
    });
    const ids = await eventually(
      async () => {
        const out: string[] = [];
        for await (const s of env.client.schedule.list({ query: `CustomKeywordField = '${tag}' AND TemporalSchedulePaused = true` })) out.push(s.scheduleId);
        return out;
      },
      (list) => list.length === 1,
      'one paused schedule with the tag',
    );
    expect(ids).to.deep.equal([paused.scheduleId]);
  });

  it('pauses itself when a started workflow fails (pause on failure)', async () => {
    const handle = await create({
      spec: { intervals: [{ every: '365 days' }] },
      action: { type: 'startWorkflow', workflowType: 'failer', args: ['hỏng'], taskQueue: worker.taskQueue, workflowId: uniqueId('pof') },
      policies: { pauseOnFailure: true },
    });
    await handle.trigger(ScheduleOverlapPolicy.SKIP);
    const d = await eventually(() => handle.describe(), (x) => x.state.paused, 'the schedule paused');
    expect(d.state.note).to.match(/^paused due to workflow failure: .*: hỏng$/);
    expect(d.info.recentActions[0].action.workflow.workflowId).to.be.a('string');
  });

  it('pauses, unpauses and updates through the handle', async () => {
    const handle = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['x'], taskQueue: worker.taskQueue },
    });
    await handle.pause('bảo trì');
    let d = await eventually(() => handle.describe(), (x) => x.state.paused, 'paused');
    expect(d.state.note).to.equal('bảo trì');
    await handle.unpause('xong');
    d = await eventually(() => handle.describe(), (x) => !x.state.paused, 'unpaused');
    expect(d.state.note).to.equal('xong');
    await handle.update((prev: ScheduleDescription) => ({ ...prev, spec: { intervals: [{ every: '2h', offset: '15m' }] }, state: { ...prev.state, remainingActions: 4 } }));
    d = await eventually(() => handle.describe(), (x) => x.spec.intervals?.[0]?.every === 2 * HOUR, 'the new spec');
    expect(d.spec.intervals?.[0].offset).to.equal(15 * 60_000);
    expect(d.state.remainingActions).to.equal(4);
    expect(d.info.lastUpdatedAt).to.be.instanceOf(Date);
    expect(d.info.nextActionTimes).to.have.length(4);
    for (const t of d.info.nextActionTimes) expect(t.getTime() % (2 * HOUR)).to.equal(15 * 60_000);
  });

  it('takes its actions as the clock passes them, hands each run the previous result, and stops after its remaining actions', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const handle = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'scheduledCounter', taskQueue: worker.taskQueue, workflowId: uniqueId('count') },
      state: { remainingActions: 3 },
    });
    await env.sleep('5 hours');
    const d = await eventually(() => handle.describe(), (x) => x.info.runningActions.length === 0, 'the last run closed');
    expect(d.info.numActionsTaken).to.equal(3);
    expect(d.state.remainingActions).to.equal(0);
    expect(d.info.nextActionTimes).to.deep.equal([]);
    const ids = d.info.recentActions.map((a) => a.action.workflow.workflowId);
    // One at a time: each result() unlocks and relocks the test server's clock.
    const results: unknown[] = [];
    for (const id of ids) results.push(await env.client.workflow.getHandle(id).result());
    expect(results).to.deep.equal([1, 2, 3]);
    // Each action ran on an hour boundary of the engine's clock.
    for (const a of d.info.recentActions) expect(a.scheduledAt.getTime() % HOUR).to.equal(0);
  });

  it('skips the time it spent paused instead of catching up', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const handle = await create({
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'hello', args: ['x'], taskQueue: worker.taskQueue, workflowId: uniqueId('paused') },
      state: { paused: true },
    });
    await env.sleep('3 hours');
    await handle.unpause();
    await env.sleep('1 hour');
    const d = await handle.describe();
    expect(d.info.numActionsTaken).to.equal(1);
    expect(d.info.numActionsMissedCatchupWindow).to.equal(0);
  });
});
