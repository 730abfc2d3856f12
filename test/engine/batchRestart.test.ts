/**
 * A batch operation survives a restart of the engine with the PostgreSQL store: the job is
 * saved with its progress, and the engine that starts next on the same database carries it on
 * to the end. Runs the engine in-process (this is about the embedded engine's own store), so it
 * does not apply to an external cluster.
 */
import { expect } from 'chai';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { startEngineServer, type RunningEngine } from '../../engine/server';
import { external, uniqueId } from './harness';
import { eventually } from './chainRuns';

const STATE = temporal.api.enums.v1.BatchOperationState;

describe('engine: a batch operation across an engine restart (PostgreSQL store)', function () {
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
});
