import { expect } from 'chai';
import { temporal } from '@temporalio/proto';
import { requireTimeSkipping, startWorker, testEnv, uniqueId } from './harness';
import { decodePayloads, eventually, readChain } from './chainRuns';

const INITIATOR = temporal.api.enums.v1.ContinueAsNewInitiator;
const HOUR = 3600_000;

/** The client wraps the server's answer: its message is in the cause. */
const errorText = (e: unknown) => `${(e as Error).message} ${(e as Error & { cause?: Error }).cause?.message ?? ''}`;

describe('engine: cron workflows', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  /** Terminates whatever run of the chain is current, so no cron run is left waiting for a worker. */
  async function stopChain(workflowId: string): Promise<void> {
    const env = await testEnv();
    await env.client.workflow
      .getHandle(workflowId)
      .terminate('test over')
      .catch(() => undefined);
  }

  it('runs every second in real time, chaining runs with CRON_SCHEDULE and the last result, until terminated', async () => {
    const env = await testEnv();
    const workflowId = uniqueId('cron-every');
    const handle = await env.client.workflow.start('cronCounter', { taskQueue: worker.taskQueue, workflowId, cronSchedule: '@every 1s' });
    try {
      await eventually(async () => {
        const chain = await readChain(env, workflowId, handle.firstExecutionRunId);
        return chain.length >= 3 ? chain : undefined;
      }, 'a third cron run');
      await handle.terminate('enough runs');
      const chain = await readChain(env, workflowId, handle.firstExecutionRunId);
      const [first, second, third] = chain;
      expect(first.started.cronSchedule).to.equal('@every 1s');
      expect(Number(first.started.firstWorkflowTaskBackoff?.seconds ?? 0) * 1000 + (first.started.firstWorkflowTaskBackoff?.nanos ?? 0) / 1e6).to.be.greaterThan(0);
      expect(decodePayloads(first.close?.workflowExecutionCompletedEventAttributes?.result)).to.equal(1);
      expect(first.nextRunId).to.equal(second.runId);
      expect(second.started.initiator).to.equal(INITIATOR.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
      expect(second.started.continuedExecutionRunId).to.equal(first.runId);
      expect(second.started.firstExecutionRunId).to.equal(first.runId);
      expect(second.started.cronSchedule).to.equal('@every 1s');
      expect(decodePayloads(second.started.lastCompletionResult)).to.equal(1);
      expect(decodePayloads(third.started.lastCompletionResult)).to.equal(2);
      // Termination ends the chain: the terminated run names no next run and stays the current one.
      const last = chain[chain.length - 1];
      expect(last.close?.workflowExecutionTerminatedEventAttributes?.reason).to.equal('enough runs');
      const current = await env.client.workflow.getHandle(workflowId).describe();
      expect(current.runId).to.equal(last.runId);
      expect(current.status.name).to.equal('TERMINATED');
    } finally {
      await stopChain(workflowId);
    }
  });

  it('starts runs at 08:00 Asia/Ho_Chi_Minh with CRON_TZ, and hands a failed run over as the next run\'s last failure', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const workflowId = uniqueId('cron-tz');
    const handle = await env.client.workflow.start('cronCounter', {
      args: [2],
      taskQueue: worker.taskQueue,
      workflowId,
      cronSchedule: 'CRON_TZ=Asia/Ho_Chi_Minh 0 8 * * *',
    });
    try {
      const described = await handle.describe();
      const firstTime = described.executionTime!;
      // 08:00 in Ho Chi Minh City (UTC+7) is 01:00 UTC; as on the real server the backoff is
      // whole seconds from the start instant, so the sub-second part of the start remains.
      expect([firstTime.getUTCHours(), firstTime.getUTCMinutes(), firstTime.getUTCSeconds()]).to.deep.equal([1, 0, 0]);
      expect(firstTime.getTime() - described.startTime.getTime()).to.be.within(1, 24 * HOUR);
      await env.sleep('3 days');
      const chain = await readChain(env, workflowId, handle.firstExecutionRunId);
      expect(chain.length).to.be.at.least(4);
      const [first, second, third] = chain;
      expect(decodePayloads(first.close?.workflowExecutionCompletedEventAttributes?.result)).to.equal(1);
      expect(second.close?.workflowExecutionFailedEventAttributes?.failure?.message).to.equal('run 2 fails once');
      expect(second.close?.workflowExecutionFailedEventAttributes?.newExecutionRunId).to.equal(third.runId);
      expect(third.started.initiator).to.equal(INITIATOR.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
      expect(third.started.continuedFailure?.message).to.equal('run 2 fails once');
      // A failed run passes the last successful result on.
      expect(decodePayloads(third.started.lastCompletionResult)).to.equal(1);
      expect(decodePayloads(third.close?.workflowExecutionCompletedEventAttributes?.result)).to.equal(2);
      const times = await Promise.all(chain.slice(0, 3).map(async (r) => (await env.client.workflow.getHandle(workflowId, r.runId).describe()).executionTime!.getTime()));
      expect(times[1] - times[0]).to.be.closeTo(24 * HOUR, 1000);
      expect(times[2] - times[1]).to.be.closeTo(24 * HOUR, 1000);
    } finally {
      await stopChain(workflowId);
    }
  });

  it('runs a cron child until it is terminated, and the parent learns how it ended', async function () {
    await requireTimeSkipping(this);
    const env = await testEnv();
    const workflowId = uniqueId('cron-parent');
    const childId = `${workflowId}-cron`;
    const parent = await env.client.workflow.start('cronChildParent', { args: ['@hourly'], taskQueue: worker.taskQueue, workflowId });
    try {
      await env.sleep('3 hours');
      const child = await env.client.workflow.getHandle(childId).describe();
      expect(child.parentExecution?.workflowId).to.equal(workflowId);
      const parentHistory = await parent.fetchHistory();
      const childStarted = parentHistory.events?.find((e) => e.childWorkflowExecutionStartedEventAttributes)?.childWorkflowExecutionStartedEventAttributes;
      const chain = await readChain(env, childId, childStarted?.workflowExecution?.runId ?? '');
      expect(chain.length).to.be.at.least(3);
      expect(chain[0].started.cronSchedule).to.equal('@hourly');
      expect(chain[1].started.initiator).to.equal(INITIATOR.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE);
      await env.client.workflow.getHandle(childId).terminate('stop the child');
      expect(await parent.result()).to.equal('child ended: TerminatedFailure');
    } finally {
      await stopChain(childId);
      await stopChain(workflowId);
    }
  });

  it('refuses a malformed cron expression and a cron schedule with a start delay', async () => {
    const env = await testEnv();
    const bad = await env.client.workflow
      .start('cronCounter', { taskQueue: worker.taskQueue, workflowId: uniqueId('cron-bad'), cronSchedule: 'every tuesday' })
      .then(() => undefined, errorText);
    expect(bad).to.match(/invalid CronSchedule/i);
    const delayed = await env.client.workflow
      .start('cronCounter', { taskQueue: worker.taskQueue, workflowId: uniqueId('cron-delay'), cronSchedule: '@hourly', startDelay: '1 minute' })
      .then(() => undefined, errorText);
    expect(delayed).to.match(/CronSchedule and WorkflowStartDelay may not be used together/);
  });
});
