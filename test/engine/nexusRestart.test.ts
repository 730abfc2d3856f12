/**
 * Nexus state is durable with the PostgreSQL store: an endpoint, and an operation that was
 * scheduled while no handler worker polled, are both still there after the engine restarts, and
 * the operation completes once a handler worker arrives.
 */
import { expect } from 'chai';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { RunningEngine } from '../../engine/server';
import { enginesOnOwnStore, fixtureBundle, uniqueId } from './harness';
import { greetingHandler } from './fixtures/nexusHandlers';
import * as activities from './fixtures/activities';

describe('engine: Nexus state across a restart (PostgreSQL store)', function () {
  this.timeout(180_000);
  const store = enginesOnOwnStore();
  let engine: RunningEngine;

  async function connect(running: RunningEngine) {
    const connection = await Connection.connect({ address: running.address });
    const nativeConnection = await NativeConnection.connect({ address: running.address });
    return { connection, nativeConnection, client: new Client({ connection }) };
  }

  it('keeps endpoints and scheduled operations, and completes the operation after the restart', async () => {
    const taskQueue = uniqueId('nexus-restart');
    const workflowId = uniqueId('nexus-restart-caller');
    engine = await store.start();
    let c = await connect(engine);
    const { endpoint } = await c.connection.operatorService.createNexusEndpoint({
      spec: { name: 'restart-endpoint', target: { worker: { namespace: 'default', taskQueue } } },
    });

    // A worker that runs the caller but serves no Nexus: the operation is scheduled and waits.
    const callerOnly = await Worker.create({ connection: c.nativeConnection, taskQueue, workflowBundle: await fixtureBundle(), activities });
    const running = callerOnly.run();
    const handle = await c.client.workflow.start('nexusCaller', { args: ['restart-endpoint', 'echo', 'sau khởi động lại'], taskQueue, workflowId });
    for (;;) {
      const history = await handle.fetchHistory();
      if (history.events!.some((e) => e.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const pending = (await handle.describe()).raw.pendingNexusOperations!;
    expect(pending.map((p) => [p.endpoint, p.operation, p.state])).to.deep.equal([
      ['restart-endpoint', 'echo', temporal.api.enums.v1.PendingNexusOperationState.PENDING_NEXUS_OPERATION_STATE_SCHEDULED],
    ]);
    callerOnly.shutdown();
    await running;
    await c.nativeConnection.close();
    await c.connection.close();
    await engine.stop();

    engine = await store.start();
    c = await connect(engine);
    const again = await c.connection.operatorService.getNexusEndpoint({ id: endpoint!.id });
    expect(again.endpoint!.spec!.name).to.equal('restart-endpoint');
    expect(again.endpoint!.spec!.target!.worker!.taskQueue).to.equal(taskQueue);

    const handler = await Worker.create({ connection: c.nativeConnection, taskQueue, workflowBundle: await fixtureBundle(), activities, nexusServices: [greetingHandler] });
    try {
      const result = await handler.runUntil(c.client.workflow.getHandle(workflowId).result());
      expect(result).to.deep.equal({ result: 'sau khởi động lại' });
    } finally {
      await c.nativeConnection.close();
      await c.connection.close();
    }
  });
});
