/**
 * Standalone activities are durable with the PostgreSQL store: one that finished and one still
 * waiting for a worker are both there after the engine restarts, and the waiting one runs.
 */
import { expect } from 'chai';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { RunningEngine } from '../../engine/server';
import { enginesOnOwnStore, fixtureBundle, uniqueId } from './harness';
import * as activities from './fixtures/activities';

describe('engine: standalone activities across a restart (PostgreSQL store)', function () {
  this.timeout(180_000);
  const store = enginesOnOwnStore();
  let engine: RunningEngine;

  it('keeps finished and waiting activities, and runs the waiting one after the restart', async () => {
    const taskQueue = uniqueId('sa-restart');
    engine = await store.start();
    let connection = await Connection.connect({ address: engine.address });
    let client = new Client({ connection });
    const done = uniqueId('sa-done');
    const native1 = await NativeConnection.connect({ address: engine.address });
    const worker1 = await Worker.create({ connection: native1, taskQueue, workflowBundle: await fixtureBundle(), activities });
    await worker1.runUntil(client.activity.execute('echo', { id: done, taskQueue, args: ['trước'], startToCloseTimeout: '10s' }));
    await native1.close();
    const waiting = uniqueId('sa-waiting');
    const handle = await client.activity.start('echo', { id: waiting, taskQueue, args: ['sau'], startToCloseTimeout: '10s' });
    await connection.close();
    await engine.stop();

    engine = await store.start();
    connection = await Connection.connect({ address: engine.address });
    client = new Client({ connection });
    const native2 = await NativeConnection.connect({ address: engine.address });
    try {
      const before = await client.activity.getHandle(done).describe();
      expect([before.status, before.activityType]).to.deep.equal(['COMPLETED', 'echo']);
      expect((await client.activity.getHandle(waiting).describe()).status).to.equal('RUNNING');
      const worker2 = await Worker.create({ connection: native2, taskQueue, workflowBundle: await fixtureBundle(), activities });
      const result = await worker2.runUntil(client.activity.getHandle(waiting, handle.runId).result());
      expect(result).to.equal('sau');
    } finally {
      await native2.close();
      await connection.close();
    }
  });
});
