/**
 * Standalone activities (`client.activity`, StartActivityExecution and the calls around it):
 * activities a client runs without a workflow, on the same workers and task queues.
 */
import { expect } from 'chai';
import { ActivityExecutionAlreadyStartedError, ActivityExecutionFailedError } from '@temporalio/client';
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure, TimeoutType } from '@temporalio/common';
import { requireTimeSkipping, startWorker, testEnv, uniqueId } from './harness';
import { attempts, release, started } from './fixtures/activityState';

async function failureOf(p: Promise<unknown>): Promise<ActivityExecutionFailedError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(ActivityExecutionFailedError);
  return err as ActivityExecutionFailedError;
}

async function waitUntilStarted(key: string): Promise<void> {
  while (!started.has(key)) await new Promise((r) => setTimeout(r, 20));
}

describe('engine: standalone activities', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  it('is announced as a namespace capability', async () => {
    const env = await testEnv();
    const { namespaceInfo } = await env.connection.workflowService.describeNamespace({ namespace: env.client.options.namespace });
    expect(namespaceInfo?.capabilities?.standaloneActivities).to.equal(true);
  });

  it('runs an activity for a client and returns its result', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-echo');
    const result = await env.client.activity.execute('echo', { id, taskQueue: worker.taskQueue, args: ['hồ sơ 7'], startToCloseTimeout: '10s' });
    expect(result).to.equal('hồ sơ 7');
    const d = await env.client.activity.getHandle(id).describe();
    expect(d.status).to.equal('COMPLETED');
    expect(d.activityType).to.equal('echo');
    expect(d.taskQueue).to.equal(worker.taskQueue);
  });

  it('retries a failing attempt under the retry policy', async () => {
    const env = await testEnv();
    const key = uniqueId('sa-flaky');
    const result = await env.client.activity.execute('flaky', {
      id: key,
      taskQueue: worker.taskQueue,
      args: [key, 2],
      startToCloseTimeout: '10s',
      retry: { initialInterval: '1s' },
    });
    expect(result).to.deep.equal({ result: 'ok', attempt: 3 });
    expect(attempts.get(key)).to.deep.equal([1, 2, 3]);
  });

  it('fails with the activity failure when the error type is not retryable', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-fatal');
    const err = await failureOf(
      env.client.activity.execute('failWith', {
        id,
        taskQueue: worker.taskQueue,
        args: ['SaFatal', 'hồ sơ thiếu chữ ký'],
        startToCloseTimeout: '10s',
        retry: { nonRetryableErrorTypes: ['SaFatal'] },
      }),
    );
    expect(err.cause).to.be.instanceOf(ApplicationFailure);
    expect((err.cause as ApplicationFailure).type).to.equal('SaFatal');
    expect(attempts.get('failWith:SaFatal')).to.deep.equal([1]);
    expect((await env.client.activity.getHandle(id).describe()).status).to.equal('FAILED');
  });

  it('refuses a second start of a running id, or attaches to it with USE_EXISTING', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-conflict');
    const first = await env.client.activity.start('waitForRelease', { id, taskQueue: worker.taskQueue, args: [id], startToCloseTimeout: '1 hour' });
    const again = await env.client.activity
      .start('waitForRelease', { id, taskQueue: worker.taskQueue, args: [id], startToCloseTimeout: '1 hour' })
      .then(() => undefined, (e: unknown) => e);
    expect(again).to.be.instanceOf(ActivityExecutionAlreadyStartedError);
    const attached = await env.client.activity.start('waitForRelease', { id, taskQueue: worker.taskQueue, args: [id], startToCloseTimeout: '1 hour', idConflictPolicy: 'USE_EXISTING' });
    expect(attached.runId).to.equal(first.runId);
    await waitUntilStarted(id);
    release(id);
    expect(await first.result()).to.equal('released');
    // Closed: a new run may reuse the id (the default policy allows duplicates), unless REJECT_DUPLICATE.
    const rejected = await env.client.activity
      .start('echo', { id, taskQueue: worker.taskQueue, args: ['x'], startToCloseTimeout: '10s', idReusePolicy: 'REJECT_DUPLICATE' })
      .then(() => undefined, (e: unknown) => e);
    expect(rejected).to.be.instanceOf(ActivityExecutionAlreadyStartedError);
    const second = await env.client.activity.start('echo', { id, taskQueue: worker.taskQueue, args: ['lần hai'], startToCloseTimeout: '10s' });
    expect(second.runId).not.to.equal(first.runId);
    expect(await second.result()).to.equal('lần hai');
  });

  it('cancels a running activity: the worker sees the cancellation at its next heartbeat', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-cancel');
    const handle = await env.client.activity.start('waitForCancel', { id, taskQueue: worker.taskQueue, startToCloseTimeout: '1 hour', heartbeatTimeout: '2s' });
    while ((await handle.describe()).runState !== 'STARTED') await new Promise((r) => setTimeout(r, 20));
    await handle.cancel('không cần nữa');
    const err = await failureOf(handle.result());
    expect(err.cause).to.be.instanceOf(CancelledFailure);
    expect((await handle.describe()).status).to.equal('CANCELED');
  });

  it('terminates a running activity', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-terminate');
    const handle = await env.client.activity.start('waitForRelease', { id, taskQueue: worker.taskQueue, args: [id], startToCloseTimeout: '1 hour' });
    await waitUntilStarted(id);
    await handle.terminate('thao tác của quản trị viên');
    const err = await failureOf(handle.result());
    expect(err.cause).to.be.instanceOf(TerminatedFailure);
    expect((await handle.describe()).status).to.equal('TERMINATED');
    release(id);
  });

  it('times out an activity nobody picks up within its schedule-to-start timeout', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-unpolled');
    const err = await failureOf(
      env.client.activity.execute('echo', { id, taskQueue: uniqueId('nobody-polls'), args: ['x'], startToCloseTimeout: '10s', scheduleToStartTimeout: '1s' }),
    );
    expect(err.cause).to.be.instanceOf(TimeoutFailure);
    expect((err.cause as TimeoutFailure).timeoutType).to.equal(TimeoutType.SCHEDULE_TO_START);
    expect((await env.client.activity.getHandle(id).describe()).status).to.equal('TIMED_OUT');
  });

  it('offers the first attempt only after the start delay (time skipping)', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const id = uniqueId('sa-delayed');
    const handle = await env.client.activity.start('echo', { id, taskQueue: worker.taskQueue, args: ['muộn'], startToCloseTimeout: '10s', startDelay: '1 hour' });
    expect((await handle.describe()).lastStartedTime).to.equal(undefined);
    await env.sleep('1 hour');
    expect(await handle.result()).to.equal('muộn');
    const d = await handle.describe();
    expect(d.lastStartedTime!.getTime() - d.scheduleTime!.getTime()).to.be.at.least(3_600_000);
  });

  it('lists and counts standalone activities with the visibility query language', async () => {
    const env = await testEnv();
    const id = uniqueId('sa-listed');
    await env.client.activity.execute('echo', { id, taskQueue: worker.taskQueue, args: ['x'], startToCloseTimeout: '10s' });
    const listed = [];
    for await (const a of env.client.activity.list(`ActivityId = '${id}'`)) listed.push(a);
    expect(listed.map((a) => [a.activityId, a.activityType, a.status])).to.deep.equal([[id, 'echo', 'COMPLETED']]);
    expect((await env.client.activity.count(`ActivityId = '${id}' AND ExecutionStatus = 'Completed'`)).count).to.equal(1);
    expect((await env.client.activity.count(`ActivityId = '${id}' AND ExecutionStatus = 'Running'`)).count).to.equal(0);
  });
});
