import { expect } from 'chai';
import { ActivityFailure, ApplicationFailure, TimeoutFailure, WorkflowFailedError } from '@temporalio/client';
import { TimeoutType } from '@temporalio/common';
import { startWorker, testEnv, uniqueId } from './harness';
import { attempts, cancellations } from './fixtures/activityState';

describe('engine: activities', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  it('runs an activity and returns its result', async () => {
    const env = await testEnv();
    const result = await env.client.workflow.execute('hello', { args: ['Temporal'], taskQueue: worker.taskQueue, workflowId: uniqueId('hello') });
    expect(result).to.equal('Hello, Temporal!');
  });

  it('retries a failing activity under the server retry policy (fails twice, then succeeds)', async () => {
    const env = await testEnv();
    const key = uniqueId('flaky');
    const workflowId = uniqueId('flaky-wf');
    const result = await env.client.workflow.execute('flakyActivity', { args: [key, 2], taskQueue: worker.taskQueue, workflowId });
    expect(result).to.deep.equal({ result: 'ok', attempt: 3 });
    expect(attempts.get(key)).to.deep.equal([1, 2, 3]);
    // Intermediate attempts leave no events: one ActivityTaskStarted, carrying the last failure.
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const started = history.events!.filter((e) => e.activityTaskStartedEventAttributes);
    expect(started).to.have.length(1);
    expect(started[0].activityTaskStartedEventAttributes!.attempt).to.equal(3);
    expect(started[0].activityTaskStartedEventAttributes!.lastFailure?.message).to.equal('failure number 2');
  });

  it('does not retry an error type the policy lists as non-retryable', async () => {
    const env = await testEnv();
    const err = await env.client.workflow
      .execute('nonRetryableActivity', { taskQueue: worker.taskQueue, workflowId: uniqueId('nonretry') })
      .then(() => undefined, (e: unknown) => e);
    expect(err).to.be.instanceOf(WorkflowFailedError);
    const activityFailure = (err as WorkflowFailedError).cause as ActivityFailure;
    expect(activityFailure).to.be.instanceOf(ActivityFailure);
    expect((activityFailure.cause as ApplicationFailure).type).to.equal('BadInput');
    expect(attempts.get('failWith:BadInput')).to.deep.equal([1]);
  });

  it('times out an activity that stops heartbeating', async () => {
    const env = await testEnv();
    const err = await env.client.workflow
      .execute('heartbeatTimeout', { taskQueue: worker.taskQueue, workflowId: uniqueId('hb-timeout') })
      .then(() => undefined, (e: unknown) => e);
    const activityFailure = (err as WorkflowFailedError).cause as ActivityFailure;
    expect(activityFailure).to.be.instanceOf(ActivityFailure);
    expect(activityFailure.cause).to.be.instanceOf(TimeoutFailure);
    expect((activityFailure.cause as TimeoutFailure).timeoutType).to.equal(TimeoutType.HEARTBEAT);
  });

  it('hands the last heartbeat details to the next attempt', async () => {
    const env = await testEnv();
    const key = uniqueId('progress');
    const steps = await env.client.workflow.execute('heartbeatResume', { args: [key], taskQueue: worker.taskQueue, workflowId: uniqueId('hb-resume') });
    // Attempt 1 did steps 1–2 and died; attempt 2 resumed after step 2.
    expect(steps).to.deep.equal([3, 4]);
  });

  it('delivers a cancellation to a heartbeating activity', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('cancel-act');
    const result = await env.client.workflow.execute('cancelActivity', { taskQueue: worker.taskQueue, workflowId });
    expect(result).to.equal('activity cancelled');
    expect(cancellations).to.include(workflowId);
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const types = history.events!.map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')));
    expect(types).to.include('activityTaskCancelRequestedEventAttributes');
    expect(types).to.include('activityTaskCanceledEventAttributes');
  });

  it('runs a local activity (recorded as a marker)', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('local');
    expect(await env.client.workflow.execute('withLocalActivity', { args: ['local hi'], taskQueue: worker.taskQueue, workflowId })).to.equal('local hi');
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    expect(history.events!.some((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity')).to.equal(true);
  });
});
