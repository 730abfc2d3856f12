import { expect } from 'chai';
import { temporal } from '@temporalio/proto';
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { startWorker, testEnv, uniqueId } from './harness';
import { eventually } from './chainRuns';

const STATE = temporal.api.enums.v1.BatchOperationState;
const TYPE = temporal.api.enums.v1.BatchOperationType;
type StartRequest = temporal.api.workflowservice.v1.IStartBatchOperationRequest;

describe('engine: batch operations', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  async function startBatch(request: Omit<StartRequest, 'namespace'>): Promise<void> {
    const env = await testEnv();
    await env.client.workflowService.startBatchOperation({ namespace: env.client.options.namespace, reason: 'batch test', ...request });
  }

  async function describe(jobId: string) {
    const env = await testEnv();
    return env.client.workflowService.describeBatchOperation({ namespace: env.client.options.namespace, jobId });
  }

  async function finished(jobId: string) {
    return eventually(async () => {
      const d = await describe(jobId);
      return d.state === STATE.BATCH_OPERATION_STATE_RUNNING ? undefined : d;
    }, `batch ${jobId} to finish`);
  }

  /** `n` workflows of `type` on a task queue of their own (so a query finds exactly them), visible to List. */
  async function started(type: string, n: number, taskQueue = worker.taskQueue): Promise<WorkflowHandleWithFirstExecutionRunId[]> {
    const env = await testEnv();
    const handles = await Promise.all(Array.from({ length: n }, () => env.client.workflow.start(type, { taskQueue, workflowId: uniqueId(`batch-${type}`) })));
    return handles;
  }

  async function visibleRunning(query: string, n: number): Promise<void> {
    const env = await testEnv();
    await eventually(async () => ((await env.client.workflow.count(query)).count === n ? true : undefined), `${n} runs visible for ${query}`);
  }

  it('terminates every execution a visibility query matches, and reports the counts', async () => {
    const env = await testEnv();
    const queue = uniqueId('batch-q');
    const handles = await started('waitForever', 5, queue);
    const query = `TaskQueue = '${queue}' AND ExecutionStatus = 'Running'`;
    await visibleRunning(query, 5);
    const jobId = uniqueId('job-terminate');
    await startBatch({ jobId, visibilityQuery: query, terminationOperation: { identity: 'operator' } });
    const done = await finished(jobId);
    expect(done.state).to.equal(STATE.BATCH_OPERATION_STATE_COMPLETED);
    expect(done.operationType).to.equal(TYPE.BATCH_OPERATION_TYPE_TERMINATE);
    expect(Number(done.totalOperationCount)).to.equal(5);
    expect(Number(done.completeOperationCount)).to.equal(5);
    expect(Number(done.failureOperationCount)).to.equal(0);
    expect(done.reason).to.equal('batch test');
    for (const h of handles) expect((await h.describe()).status.name).to.equal('TERMINATED');
    const listed = await env.client.workflowService.listBatchOperations({ namespace: env.client.options.namespace, pageSize: 1000 });
    expect(listed.operationInfo?.some((o) => o.jobId === jobId && o.state === STATE.BATCH_OPERATION_STATE_COMPLETED)).to.equal(true);
  });

  it('signals a list of executions', async () => {
    const handles = await started('counter', 3);
    const input = { payloads: [defaultPayloadConverter.toPayload(5)] };
    const executions = handles.map((h) => ({ workflowId: h.workflowId, runId: h.firstExecutionRunId }));
    const jobId = uniqueId('job-signal');
    await startBatch({ jobId, executions, signalOperation: { signal: 'increment', input, identity: 'operator' } });
    expect((await finished(jobId)).state).to.equal(STATE.BATCH_OPERATION_STATE_COMPLETED);
    const finish = uniqueId('job-finish');
    await startBatch({ jobId: finish, executions, signalOperation: { signal: 'finish', identity: 'operator' } });
    await finished(finish);
    for (const h of handles) expect(await h.result()).to.equal(5);
  });

  it('cancels, and counts an execution that already closed as done', async () => {
    const env = await testEnv();
    const closed = await env.client.workflow.start('hello', { args: ['x'], taskQueue: worker.taskQueue, workflowId: uniqueId('batch-closed') });
    await closed.result();
    const [open] = await started('waitForever', 1);
    const jobId = uniqueId('job-cancel');
    await startBatch({ jobId, executions: [{ workflowId: open.workflowId }, { workflowId: closed.workflowId }], cancellationOperation: { identity: 'operator' } });
    const done = await finished(jobId);
    expect([Number(done.completeOperationCount), Number(done.failureOperationCount)]).to.deep.equal([2, 0]);
    await eventually(async () => ((await open.describe()).status.name === 'CANCELLED' ? true : undefined), 'the open run to be cancelled');
  });

  it('resets each execution to its first workflow task, reapplying what it received', async () => {
    const env = await testEnv();
    const handles = await started('counter', 2);
    for (const h of handles) await h.signal('increment', 3);
    for (const h of handles) await eventually(async () => ((await h.query<number>('count')) === 3 ? true : undefined), 'count 3');
    const jobId = uniqueId('job-reset');
    await startBatch({
      jobId,
      executions: handles.map((h) => ({ workflowId: h.workflowId, runId: h.firstExecutionRunId })),
      resetOperation: { identity: 'operator', options: { firstWorkflowTask: {} } },
    });
    const done = await finished(jobId);
    expect([Number(done.completeOperationCount), Number(done.failureOperationCount)]).to.deep.equal([2, 0]);
    for (const h of handles) {
      const current = env.client.workflow.getHandle(h.workflowId);
      expect((await current.describe()).runId).to.not.equal(h.firstExecutionRunId);
      await current.signal('finish');
      expect(await current.result()).to.equal(3);
    }
  });

  it('stops a running job: it ends FAILED with what it had done', async () => {
    const handles = await started('waitForever', 4);
    const jobId = uniqueId('job-stop');
    // One execution per second: the job is still running when the stop arrives.
    await startBatch({ jobId, executions: handles.map((h) => ({ workflowId: h.workflowId })), terminationOperation: {}, maxOperationsPerSecond: 1 });
    const env = await testEnv();
    await env.client.workflowService.stopBatchOperation({ namespace: env.client.options.namespace, jobId, reason: 'enough', identity: 'operator' });
    const done = await finished(jobId);
    expect(done.state).to.equal(STATE.BATCH_OPERATION_STATE_FAILED);
    expect(Number(done.completeOperationCount)).to.be.below(4);
    for (const h of handles) await h.terminate('cleanup').catch(() => undefined);
  });

  it('refuses incomplete or conflicting requests, and a job id used twice', async () => {
    const env = await testEnv();
    const namespace = env.client.options.namespace;
    const codeOf = (p: Promise<unknown>) => p.then(() => 0, (e: { code?: number }) => e.code ?? -1);
    const jobId = uniqueId('job-bad');
    const terminationOperation = {};
    expect(await codeOf(env.client.workflowService.startBatchOperation({ namespace, jobId, reason: 'r', terminationOperation }))).to.equal(3);
    expect(await codeOf(env.client.workflowService.startBatchOperation({ namespace, jobId, visibilityQuery: "WorkflowId = 'x'", terminationOperation }))).to.equal(3);
    expect(await codeOf(env.client.workflowService.startBatchOperation({ namespace, jobId, reason: 'r', visibilityQuery: "WorkflowId = 'x'" }))).to.equal(3);
    await env.client.workflowService.startBatchOperation({ namespace, jobId, reason: 'r', visibilityQuery: "WorkflowId = 'nothing-matches-this'", terminationOperation });
    expect(await codeOf(env.client.workflowService.startBatchOperation({ namespace, jobId, reason: 'r', visibilityQuery: "WorkflowId = 'x'", terminationOperation }))).to.equal(6);
    expect(await codeOf(env.client.workflowService.describeBatchOperation({ namespace, jobId: uniqueId('never') }))).to.equal(5);
  });
});
