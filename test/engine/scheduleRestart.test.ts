import { expect } from 'chai';
import { Client, Connection, ScheduleOverlapPolicy } from '@temporalio/client';
import { startEngineServer, type RunningEngine } from '../../engine/server';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { external, uniqueId } from './harness';

const HOUR = 3600_000;

async function connect(engine: RunningEngine): Promise<{ client: Client; close(): Promise<void> }> {
  const connection = await Connection.connect({ address: engine.address });
  return { client: new Client({ connection }), close: () => connection.close() };
}

async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (check(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('engine: schedules survive a restart with the PostgreSQL store', function () {
  this.timeout(120_000);
  let db: FreshDatabase | undefined;
  const engines: RunningEngine[] = [];

  before(function () {
    // This test starts and stops the embedded engine itself; a real cluster is not restarted from here.
    if (external) this.skip();
  });
  after(async () => {
    for (const e of engines) await e.stop();
    await db?.close();
  });

  it('keeps spec, memo, counters and running workflows, and goes on taking actions on the restarted engine', async () => {
    db = await freshDatabase();
    const first = await startEngineServer({ databaseUrl: db.url, timeSkipping: true });
    engines.push(first);
    let c = await connect(first);
    const scheduleId = uniqueId('durable');
    const workflowId = uniqueId('durable-wf');
    // No worker polls this queue: started workflows stay running, and their pending task stops time skipping.
    const taskQueue = uniqueId('nobody');
    const handle = await c.client.schedule.create({
      scheduleId,
      spec: { intervals: [{ every: '1h' }] },
      action: { type: 'startWorkflow', workflowType: 'waitForever', taskQueue, workflowId },
      policies: { overlap: ScheduleOverlapPolicy.SKIP },
      memo: { purpose: 'nhắc việc' },
    });
    await handle.trigger(ScheduleOverlapPolicy.SKIP);
    const before = await eventually(() => handle.describe(), (d) => d.info.runningActions.length === 1, 'the triggered action');
    await c.close();
    await first.stop();

    const second = await startEngineServer({ databaseUrl: db.url, timeSkipping: true });
    engines.push(second);
    c = await connect(second);
    const again = c.client.schedule.getHandle(scheduleId);
    const after = await again.describe();
    expect(after.memo).to.deep.equal({ purpose: 'nhắc việc' });
    expect(after.spec.intervals).to.deep.equal([{ every: HOUR, offset: 0 }]);
    expect(after.info.numActionsTaken).to.equal(1);
    expect(after.info.runningActions.map((a) => a.workflow.workflowId)).to.deep.equal(before.info.runningActions.map((a) => a.workflow.workflowId));
    expect(after.info.createdAt.getTime()).to.equal(before.info.createdAt.getTime());

    // The workflow it started closes on the new engine; then the next hour's action starts another.
    await c.client.workflow.getHandle(before.info.runningActions[0].workflow.workflowId).terminate('make room');
    await eventually(() => again.describe(), (d) => d.info.runningActions.length === 0, 'the closed run dropped');
    const nextHour = after.info.nextActionTimes[0];
    second.engine.clock.unlock();
    const taken = await eventually(() => again.describe(), (d) => d.info.numActionsTaken === 2, 'the next scheduled action');
    second.engine.clock.lock();
    expect(taken.info.runningActions).to.have.length(1);
    expect(taken.info.runningActions[0].workflow.workflowId).to.equal(`${workflowId}-${nextHour.toISOString().replace('.000Z', 'Z')}`);
    await c.close();
  });
});
