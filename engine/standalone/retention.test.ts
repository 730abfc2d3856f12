import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import Long from 'long';
import { Client, Connection } from '@temporalio/client';
import { startEngineServer, type RunningEngine } from '../server';
import { sweepRetention } from '../retention';

describe('engine: retention of standalone activities', function () {
  let running: RunningEngine;
  let client: Client;
  before(async () => {
    running = await startEngineServer({ port: 0 });
    client = new Client({ connection: await Connection.connect({ address: running.address }) });
  });
  after(async () => {
    await client?.connection.close();
    await running?.stop();
  });

  const start = (activityId: string, taskQueue: string) =>
    client.workflowService.startActivityExecution({
      namespace: 'default',
      activityId,
      activityType: { name: 'A' },
      taskQueue: { name: taskQueue },
      startToCloseTimeout: { seconds: Long.fromNumber(10) },
      requestId: randomUUID(),
    });

  it('deletes closed activity runs past the namespace retention, and keeps running ones', async () => {
    const taskQueue = `ret-${randomUUID()}`;
    const closed = `closed-${randomUUID()}`;
    const open = `open-${randomUUID()}`;
    await start(closed, taskQueue);
    const task = await client.workflowService.pollActivityTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } });
    expect(task.activityId).to.equal(closed);
    await client.workflowService.respondActivityTaskCompleted({ namespace: 'default', taskToken: task.taskToken });
    await start(open, `nobody-${randomUUID()}`);
    const retentionMs = running.engine.namespaces.get('default').retentionMs;

    expect(await sweepRetention(running.engine, Date.now())).to.equal(0);
    expect(await sweepRetention(running.engine, Date.now() + retentionMs + 1000)).to.equal(1);
    const gone = await client.workflowService.describeActivityExecution({ namespace: 'default', activityId: closed }).then(
      () => 'found',
      (e: { code?: number }) => e.code,
    );
    expect(gone).to.equal(5);
    const kept = await client.workflowService.describeActivityExecution({ namespace: 'default', activityId: open });
    expect(kept.info?.activityId).to.equal(open);
  });
});
