/**
 * What the engine features keep in the PostgreSQL store survives a restart: a batch operation is
 * saved with its progress and the engine that starts next on the same database carries it on to
 * the end; a reset run (its copied history, the reset events, the base run's link to it) reads
 * back the same. Runs the engine in-process (this is about the embedded engine's own store), so
 * it does not apply to an external cluster.
 */
import { expect } from 'chai';
import Long from 'long';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { startEngineServer, type RunningEngine } from '../../engine/server';
import { NativeConnection, Worker } from '@temporalio/worker';
import { external, fixtureBundle, uniqueId } from './harness';
import * as activities from './fixtures/activities';
import { eventually } from './chainRuns';

const STATE = temporal.api.enums.v1.BatchOperationState;

describe('engine: batch operations and resets across an engine restart (PostgreSQL store)', function () {
  this.timeout(120_000);
  let db: TestDatabase | undefined;
  const engines: RunningEngine[] = [];

  before(async function () {
    if (external) {
      console.log('      (skipped: restarts the embedded engine on its own database, which an external cluster is not)');
      this.skip();
    }
    db = await resolveDatabase({ purpose: 'test' });
  });
  after(async () => {
    for (const e of engines) await e.stop();
    await db?.drop();
  });

  async function engineOn(url: string): Promise<{ engine: RunningEngine; client: Client; close(): Promise<void> }> {
    const engine = await startEngineServer({ databaseUrl: url, logLevel: 'error' });
    engines.push(engine);
    const connection = await Connection.connect({ address: engine.address });
    return { engine, client: new Client({ connection, namespace: 'default' }), close: () => connection.close() };
  }

  it('carries a job interrupted by a restart on to the end, each execution acted on once', async () => {
    const first = await engineOn(db!.url);
    const handles = await Promise.all(
      Array.from({ length: 6 }, () => first.client.workflow.start('anything', { taskQueue: uniqueId('no-worker'), workflowId: uniqueId('restart-batch') })),
    );
    const jobId = uniqueId('job-restart');
    const namespace = 'default';
    await first.client.workflowService.startBatchOperation({
      namespace,
      jobId,
      reason: 'restart test',
      executions: handles.map((h) => ({ workflowId: h.workflowId })),
      terminationOperation: { identity: 'operator' },
      maxOperationsPerSecond: 1,
    });
    const midway = await eventually(async () => {
      const d = await first.client.workflowService.describeBatchOperation({ namespace, jobId });
      return Number(d.completeOperationCount) >= 2 ? d : undefined;
    }, 'two executions terminated');
    // Paced at one a second, the job is still under way when the engine stops.
    expect(midway.state).to.equal(STATE.BATCH_OPERATION_STATE_RUNNING);
    await first.close();
    await first.engine.stop();

    const second = await engineOn(db!.url);
    try {
      const done = await eventually(async () => {
        const d = await second.client.workflowService.describeBatchOperation({ namespace, jobId });
        return d.state === STATE.BATCH_OPERATION_STATE_RUNNING ? undefined : d;
      }, 'the job to finish on the restarted engine');
      expect(done.state).to.equal(STATE.BATCH_OPERATION_STATE_COMPLETED);
      expect([Number(done.totalOperationCount), Number(done.completeOperationCount), Number(done.failureOperationCount)]).to.deep.equal([6, 6, 0]);
      for (const h of handles) {
        const history = await second.client.workflow.getHandle(h.workflowId).fetchHistory();
        const terminated = history.events?.filter((e) => e.workflowExecutionTerminatedEventAttributes) ?? [];
        expect(terminated).to.have.length(1);
        expect(terminated[0].workflowExecutionTerminatedEventAttributes?.reason).to.equal('restart test');
      }
      const listed = await second.client.workflowService.listBatchOperations({ namespace });
      expect(listed.operationInfo?.map((o) => o.jobId)).to.include(jobId);
    } finally {
      await second.close();
    }
  });

  it('keeps a reset run and its history across a restart', async () => {
    const first = await engineOn(db!.url);
    const workflowBundle = await fixtureBundle(); // installs the SDK runtime before the first native connection
    const native = await NativeConnection.connect({ address: first.engine.address });
    const taskQueue = uniqueId('pg-reset');
    const worker = await Worker.create({ connection: native, taskQueue, workflowBundle, activities });
    const running = worker.run();
    let resetRunId = '';
    let workflowId = '';
    try {
      const handle = await first.client.workflow.start('counter', { taskQueue, workflowId: uniqueId('pg-reset') });
      workflowId = handle.workflowId;
      await handle.signal('increment', 4);
      await eventually(async () => ((await handle.query<number>('count')) === 4 ? true : undefined), 'count 4');
      const events = (await handle.fetchHistory()).events ?? [];
      const firstCompleted = Number(events.find((e) => e.workflowTaskCompletedEventAttributes)?.eventId?.toString());
      const response = await first.client.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId, runId: handle.firstExecutionRunId },
        reason: 'store test',
        workflowTaskFinishEventId: Long.fromNumber(firstCompleted),
        requestId: uniqueId('req'),
      });
      resetRunId = response.runId ?? '';
      const current = first.client.workflow.getHandle(workflowId);
      await eventually(async () => ((await current.query<number>('count')) === 4 ? true : undefined), 'the reset run to count 4');
    } finally {
      worker.shutdown();
      await running;
      await native.close();
    }
    const before = (await first.client.workflow.getHandle(workflowId, resetRunId).fetchHistory()).events?.map((e) => e.eventType);
    await first.close();
    await first.engine.stop();

    const second = await engineOn(db!.url);
    try {
      expect((await second.client.workflow.getHandle(workflowId).describe()).runId).to.equal(resetRunId);
      const after = (await second.client.workflow.getHandle(workflowId, resetRunId).fetchHistory()).events ?? [];
      expect(after.map((e) => e.eventType)).to.deep.equal(before);
      expect(after.some((e) => e.workflowTaskFailedEventAttributes?.newRunId === resetRunId)).to.equal(true);
      await second.client.workflow.getHandle(workflowId).terminate('test over');
    } finally {
      await second.close();
    }
  });
});
