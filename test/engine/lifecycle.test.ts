import { expect } from 'chai';
import {
  ChildWorkflowFailure,
  TerminatedFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowFailedError,
} from '@temporalio/client';
import { requireTimeSkipping, startWorker, testEnv, uniqueId } from './harness';
import { hooks } from './fixtures/activityState';

describe('engine: workflow lifecycle', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  it('sleeps 30 days in well under a second under time skipping, and the timer fires at its instant', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const thirtyDays = 30 * 24 * 3600_000;
    const before = Date.now();
    const elapsedInWorkflow = await env.client.workflow.execute('sleeper', { args: [thirtyDays], taskQueue: worker.taskQueue, workflowId: uniqueId('sleep30d') });
    expect(Date.now() - before).to.be.below(1000);
    expect(elapsedInWorkflow).to.be.at.least(thirtyDays);
    expect(elapsedInWorkflow).to.be.below(thirtyDays + 1000);
  });

  it('lets a test sleep in server time (UnlockTimeSkippingWithSleep)', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const before = env.currentTimeMs ? await env.currentTimeMs() : Date.now();
    await env.sleep('2 hours');
    const after = await env.currentTimeMs();
    expect(after - before).to.be.at.least(2 * 3600_000);
  });

  it('cancels a workflow on request', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('cancellable', { taskQueue: worker.taskQueue, workflowId: uniqueId('cancel') });
    await handle.cancel();
    expect(await handle.result()).to.equal('cancelled');
    const history = await handle.fetchHistory();
    expect(history.events!.some((e) => e.workflowExecutionCancelRequestedEventAttributes)).to.equal(true);
  });

  it('terminates a workflow, failing an in-flight task first', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('waitForever', { taskQueue: worker.taskQueue, workflowId: uniqueId('terminate') });
    await handle.terminate('enough');
    const err = await handle.result().then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).to.be.instanceOf(TerminatedFailure);
    const description = await handle.describe();
    expect(description.status.name).to.equal('TERMINATED');
  });

  it('continues as new and the client follows the chain to the last run', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('countdown', { args: [3], taskQueue: worker.taskQueue, workflowId: uniqueId('can') });
    expect(await handle.result()).to.equal(4);
    const last = await env.client.workflow.getHandle(handle.workflowId).describe();
    expect(last.runId).to.not.equal(handle.firstExecutionRunId);
    const first = await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe();
    expect(first.status.name).to.equal('CONTINUED_AS_NEW');
  });

  it('runs a child workflow and gets its result', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('parent');
    expect(await env.client.workflow.execute('parent', { args: ['kid'], taskQueue: worker.taskQueue, workflowId })).to.equal('child said: Hello, kid!');
    const child = await env.client.workflow.getHandle(`${workflowId}-child`).describe();
    expect(child.status.name).to.equal('COMPLETED');
    expect(child.parentExecution?.workflowId).to.equal(workflowId);
  });

  it('reports a failed child to its parent', async () => {
    const env = await testEnv();
    const result = await env.client.workflow.execute('failingChildParent', { taskQueue: worker.taskQueue, workflowId: uniqueId('failing-parent') });
    expect(result).to.equal('caught: child failed');
  });

  it('applies the parent close policy: TERMINATE ends the child, ABANDON leaves it running', async () => {
    const env = await testEnv();
    const terminating = uniqueId('pcp-term');
    await env.client.workflow.execute('abandoningParent', { args: ['TERMINATE'], taskQueue: worker.taskQueue, workflowId: terminating });
    const child1 = env.client.workflow.getHandle(`${terminating}-child`);
    const err = await child1.result().then(() => undefined, (e: unknown) => e);
    expect((err as WorkflowFailedError).cause).to.be.instanceOf(TerminatedFailure);

    const abandoning = uniqueId('pcp-abandon');
    await env.client.workflow.execute('abandoningParent', { args: ['ABANDON'], taskQueue: worker.taskQueue, workflowId: abandoning });
    const child2 = env.client.workflow.getHandle(`${abandoning}-child`);
    expect((await child2.describe()).status.name).to.equal('RUNNING');
    await child2.signal('finish');
    expect(await child2.result()).to.equal(0);
  });

  it('signals another workflow from a workflow', async () => {
    const env = await testEnv();
    const target = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('sig-target') });
    await env.client.workflow.execute('signaller', { args: [target.workflowId], taskQueue: worker.taskQueue, workflowId: uniqueId('sig-source') });
    expect(await target.result()).to.equal(5);
  });

  it('retries a failed workflow under its retry policy', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('retriedWorkflow', {
      args: [3],
      taskQueue: worker.taskQueue,
      workflowId: uniqueId('wf-retry'),
      retry: { initialInterval: '1s', maximumAttempts: 5 },
    });
    expect(await handle.result()).to.equal(3);
  });

  it('times a workflow out at its run timeout', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const handle = await env.client.workflow.start('waitForever', { taskQueue: worker.taskQueue, workflowId: uniqueId('run-timeout'), workflowRunTimeout: '1 hour' });
    const err = await handle.result().then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(WorkflowFailedError);
    expect((await handle.describe()).status.name).to.equal('TIMED_OUT');
  });

  it('refuses a second start of a running workflow id, or returns the running one with USE_EXISTING', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('conflict');
    const first = await env.client.workflow.start('waitForever', { taskQueue: worker.taskQueue, workflowId });
    const err = await env.client.workflow.start('waitForever', { taskQueue: worker.taskQueue, workflowId }).then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(WorkflowExecutionAlreadyStartedError);
    const existing = await env.client.workflow.start('waitForever', { taskQueue: worker.taskQueue, workflowId, workflowIdConflictPolicy: 'USE_EXISTING' });
    expect(existing.firstExecutionRunId).to.equal(first.firstExecutionRunId);
    const replaced = await env.client.workflow.start('waitForever', { taskQueue: worker.taskQueue, workflowId, workflowIdConflictPolicy: 'TERMINATE_EXISTING' });
    expect(replaced.firstExecutionRunId).to.not.equal(first.firstExecutionRunId);
    expect((await env.client.workflow.getHandle(workflowId, first.firstExecutionRunId).describe()).status.name).to.equal('TERMINATED');
    await replaced.terminate();
  });

  it('applies the id reuse policy to closed runs', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('reuse');
    await env.client.workflow.execute('hello', { args: ['a'], taskQueue: worker.taskQueue, workflowId });
    const rejected = await env.client.workflow
      .start('hello', { args: ['b'], taskQueue: worker.taskQueue, workflowId, workflowIdReusePolicy: 'REJECT_DUPLICATE' })
      .then(() => undefined, (e: unknown) => e);
    expect(rejected).to.be.instanceOf(WorkflowExecutionAlreadyStartedError);
    const failedOnly = await env.client.workflow
      .start('hello', { args: ['b'], taskQueue: worker.taskQueue, workflowId, workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' })
      .then(() => undefined, (e: unknown) => e);
    expect(failedOnly).to.be.instanceOf(WorkflowExecutionAlreadyStartedError);
    expect(await env.client.workflow.execute('hello', { args: ['c'], taskQueue: worker.taskQueue, workflowId })).to.equal('Hello, c!');
  });

  it('records patches (the SDK upserts TemporalChangeVersion)', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('patched');
    expect(await env.client.workflow.execute('patchedWorkflow', { taskQueue: worker.taskQueue, workflowId })).to.equal('new');
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events!.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')).to.equal(true);
  });

  it('fails a workflow with an application failure and reports it to the client', async () => {
    const env = await testEnv();
    const err = await env.client.workflow
      .execute('failer', { args: ['boom'], taskQueue: worker.taskQueue, workflowId: uniqueId('failer') })
      .then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause?.message).to.equal('boom');
    expect(ChildWorkflowFailure).to.be.a('function');
  });

  it('cancels another workflow from a workflow', async () => {
    const env = await testEnv();
    const target = await env.client.workflow.start('cancellable', { taskQueue: worker.taskQueue, workflowId: uniqueId('cancel-target') });
    expect(await env.client.workflow.execute('canceller', { args: [target.workflowId], taskQueue: worker.taskQueue, workflowId: uniqueId('canceller') })).to.equal('cancel requested');
    expect(await target.result()).to.equal('cancelled');
  });

  it('upserts the memo from the workflow', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('memoWriter', { taskQueue: worker.taskQueue, workflowId: uniqueId('memo'), memo: { initial: 1, removeMe: 'x' } });
    for (let i = 0; i < 50; i++) {
      const d = await handle.describe();
      if (d.memo?.note) {
        expect(d.memo).to.deep.equal({ initial: 1, note: 'written by the workflow' });
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
      if (i === 49) throw new Error('memo never updated');
    }
    await handle.terminate();
  });

  it('describes a pending child workflow', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('parentWithPendingChild', { taskQueue: worker.taskQueue, workflowId: uniqueId('pending-child') });
    let children: unknown[] = [];
    for (let i = 0; i < 50 && children.length === 0; i++) {
      const raw = await env.client.workflowService.describeWorkflowExecution({ namespace: env.client.options.namespace, execution: { workflowId: handle.workflowId } });
      children = raw.pendingChildren ?? [];
      if (children.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(children).to.have.length(1);
    expect((children[0] as { workflowId: string }).workflowId).to.equal(`${handle.workflowId}-child`);
    await handle.terminate();
  });

  it('retries an activity that exceeds its start-to-close timeout, then reports the timeout', async () => {
    const env = await testEnv();
    const err = await env.client.workflow.execute('slowActivity', { taskQueue: worker.taskQueue, workflowId: uniqueId('s2c') }).then(() => undefined, (e: unknown) => e);
    const cause = ((err as WorkflowFailedError).cause as Error & { cause?: { timeoutType?: string } }).cause;
    expect(cause?.timeoutType).to.equal('START_TO_CLOSE');
  });

  it('stops skipping time at a workflow task the timer scheduled, even while a client sleeps in server time', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    hooks.serverSleep = (duration) => env.sleep(duration);
    const workflowId = uniqueId('race');
    expect(await env.client.workflow.execute('raceTimer', { taskQueue: worker.taskQueue, workflowId })).to.equal('timer');
    const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events!;
    expect(events.some((e) => e.workflowTaskTimedOutEventAttributes)).to.equal(false);
    const startedAt = Number(events[0].eventTime!.seconds);
    const reminder = events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'echo')!;
    const offset = Number(reminder.eventTime!.seconds) - startedAt;
    expect(offset).to.be.within(24 * 3600, 24 * 3600 + 60);
  });
});
