import { expect } from 'chai';
import { QueryNotRegisteredError, WithStartWorkflowOperation, WorkflowUpdateFailedError, WorkflowNotFoundError } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { startWorker, testEnv, uniqueId } from './harness';
import { release, started } from './fixtures/activityState';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine: signals, queries and updates', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  it('delivers signals and answers queries on a running workflow', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('counter') });
    await handle.signal('increment', 2);
    await handle.signal('increment', 3);
    expect(await handle.query('count')).to.equal(5);
    await handle.signal('finish');
    expect(await handle.result()).to.equal(5);
  });

  it('deduplicates a signal retried with the same request id', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('counter-dedup');
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId });
    const request = {
      namespace: env.client.options.namespace,
      workflowExecution: { workflowId },
      signalName: 'increment',
      input: { payloads: [defaultPayloadConverter.toPayload(7)] },
      requestId: 'same-request',
    };
    await env.client.workflowService.signalWorkflowExecution(request);
    await env.client.workflowService.signalWorkflowExecution(request);
    expect(await handle.query('count')).to.equal(7);
    await handle.signal('finish');
    await handle.result();
  });

  it('applies an update and returns its result; a validator rejection writes nothing', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('counter-upd');
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId });
    expect(await handle.executeUpdate('add', { args: [4] })).to.equal(4);
    const rejected = await handle.executeUpdate('add', { args: [-1] }).then(() => undefined, (e: unknown) => e);
    expect(rejected).to.be.instanceOf(WorkflowUpdateFailedError);
    expect((rejected as WorkflowUpdateFailedError).cause?.message).to.equal('only positive numbers may be added');
    expect(await handle.executeUpdate('add', { args: [6] })).to.equal(10);
    await handle.signal('finish');
    expect(await handle.result()).to.equal(10);
    const history = await handle.fetchHistory();
    const accepted = history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
    const completed = history.events!.filter((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    expect(accepted).to.have.length(2);
    expect(completed).to.have.length(2);
  });

  it('schedules no further workflow task for an update the task accepted and answered', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('counter-upd-one-task') });
    expect(await handle.executeUpdate('add', { args: [4] })).to.equal(4);
    await handle.signal('finish');
    expect(await handle.result()).to.equal(4);
    const events = (await handle.fetchHistory()).events!;
    const completedAt = events.findIndex((e) => e.workflowExecutionUpdateCompletedEventAttributes);
    const next = events.slice(completedAt + 1).find((e) => e.workflowTaskScheduledEventAttributes || e.workflowExecutionSignaledEventAttributes);
    expect(completedAt).to.be.greaterThan(0);
    // The next task is the one the signal brings, not an empty one after the update.
    expect(Boolean(next?.workflowExecutionSignaledEventAttributes), 'a workflow task was scheduled between the update and the signal').to.equal(true);
  });

  it('returns the same outcome when an update id is reused', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('counter-upd-id') });
    expect(await handle.executeUpdate('add', { args: [3], updateId: 'once' })).to.equal(3);
    expect(await handle.executeUpdate('add', { args: [3], updateId: 'once' })).to.equal(3);
    expect(await handle.query('count')).to.equal(3);
    await handle.signal('finish');
    await handle.result();
  });

  it('starts a workflow and updates it in one call (update-with-start)', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('uws');
    const op = new WithStartWorkflowOperation('counter', { workflowId, taskQueue: worker.taskQueue, workflowIdConflictPolicy: 'USE_EXISTING' });
    expect(await env.client.workflow.executeUpdateWithStart('add', { args: [5], startWorkflowOperation: op })).to.equal(5);
    const handle = await op.workflowHandle();
    const op2 = new WithStartWorkflowOperation('counter', { workflowId, taskQueue: worker.taskQueue, workflowIdConflictPolicy: 'USE_EXISTING' });
    expect(await env.client.workflow.executeUpdateWithStart('add', { args: [1], startWorkflowOperation: op2 })).to.equal(6);
    expect((await (await op2.workflowHandle()).describe()).runId).to.equal((await handle.describe()).runId);
    await handle.signal('finish');
    expect(await handle.result()).to.equal(6);
  });

  it('answers a query while an activity is running', async () => {
    const env = await testEnv();
    const key = uniqueId('release');
    const handle = await env.client.workflow.start('queryDuringActivity', { args: [key], taskQueue: worker.taskQueue, workflowId: uniqueId('q-act') });
    while (!started.has(key)) await sleep(20);
    expect(await handle.query('state')).to.equal('running activity');
    release(key);
    expect(await handle.result()).to.equal('done');
  });

  it('answers a query on a closed workflow by replaying it', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('q-closed') });
    await handle.signal('increment', 9);
    await handle.signal('finish');
    await handle.result();
    expect(await handle.query('count')).to.equal(9);
  });

  it('reports an unknown query type as an error', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('q-unknown') });
    const err = await handle.query('nope').then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(QueryNotRegisteredError);
    await handle.signal('finish');
    await handle.result();
  });

  it('refuses to signal a workflow that does not exist', async () => {
    const env = await testEnv();
    const err = await env.client.workflow.getHandle(uniqueId('missing')).signal('increment', 1).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(WorkflowNotFoundError);
  });
});
