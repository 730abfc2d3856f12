import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import Long from 'long';
import { temporal } from '@temporalio/proto';
import { startWorker, testEnv, uniqueId } from './harness';
import { eventually, readRun } from './chainRuns';

const REAPPLY = temporal.api.enums.v1.ResetReapplyType;
const CAUSE = temporal.api.enums.v1.WorkflowTaskFailedCause;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const idOf = (e: HistoryEvent | undefined) => Number(e?.eventId?.toString() ?? 0);
const firstCompletedTask = (events: HistoryEvent[]) => idOf(events.find((e) => e.workflowTaskCompletedEventAttributes));
const errorText = (e: unknown) => `${(e as Error).message} ${(e as Error & { cause?: Error }).cause?.message ?? ''}`;

describe('engine: workflow reset', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  async function reset(
    workflowId: string,
    runId: string,
    eventId: number,
    extra: Partial<temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest> = {},
  ): Promise<temporal.api.workflowservice.v1.IResetWorkflowExecutionResponse> {
    const env = await testEnv();
    return await env.client.workflowService.resetWorkflowExecution({
      namespace: env.client.options.namespace,
      workflowExecution: { workflowId, runId },
      reason: 'bad deploy',
      workflowTaskFinishEventId: Long.fromNumber(eventId),
      requestId: randomUUID(),
      ...extra,
    });
  }

  /** A counter that received increment 1, update add 2 and increment 4 (count 7). */
  async function countedTo7() {
    const env = await testEnv();
    const handle = await env.client.workflow.start('counter', { taskQueue: worker.taskQueue, workflowId: uniqueId('reset') });
    await handle.signal('increment', 1);
    expect(await handle.executeUpdate('add', { args: [2] })).to.equal(3);
    await handle.signal('increment', 4);
    await eventually(async () => ((await handle.query<number>('count')) === 7 ? true : undefined), 'count 7');
    const history = await handle.fetchHistory();
    return { handle, firstCompleted: firstCompletedTask(history.events ?? []) };
  }

  it('resets to the first workflow task: the old run is terminated, the new one replays with signals and updates reapplied', async () => {
    const env = await testEnv();
    const { handle, firstCompleted } = await countedTo7();
    const oldRunId = handle.firstExecutionRunId;
    const described = await handle.describe();
    const points = described.raw.workflowExecutionInfo?.autoResetPoints?.points ?? [];
    expect(points.map((p) => idOf({ eventId: p.firstWorkflowTaskCompletedId }))).to.include(firstCompleted);

    const requestId = randomUUID();
    const { runId } = await reset(handle.workflowId, oldRunId, firstCompleted, { requestId });
    // The same request again answers the run it created.
    expect((await reset(handle.workflowId, oldRunId, firstCompleted, { requestId })).runId).to.equal(runId);

    const old = await readRun(env, handle.workflowId, oldRunId);
    expect(old.close?.workflowExecutionTerminatedEventAttributes?.reason).to.equal('bad deploy');
    const current = env.client.workflow.getHandle(handle.workflowId);
    expect((await current.describe()).runId).to.equal(runId);

    const fresh = await readRun(env, handle.workflowId, runId!);
    const copied = fresh.events.slice(0, firstCompleted - 1).map((e) => e.eventType);
    expect(copied).to.deep.equal(old.events.slice(0, firstCompleted - 1).map((e) => e.eventType));
    const failed = fresh.events[firstCompleted - 1].workflowTaskFailedEventAttributes;
    expect(failed?.cause).to.equal(CAUSE.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
    expect(failed?.baseRunId).to.equal(oldRunId);
    expect(failed?.newRunId).to.equal(runId);
    expect(failed?.failure?.message).to.equal('bad deploy');
    const after = fresh.events.slice(firstCompleted);
    expect(after.filter((e) => e.workflowExecutionSignaledEventAttributes).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName)).to.deep.equal(['increment', 'increment']);
    expect(after.filter((e) => e.workflowExecutionUpdateAdmittedEventAttributes)).to.have.length(1);

    await eventually(async () => ((await current.query<number>('count')) === 7 ? true : undefined), 'the reset run to count 7 again');
    await current.signal('finish');
    expect(await current.result()).to.equal(7);
  });

  for (const [name, type, expected] of [
    ['signals only (RESET_REAPPLY_TYPE_SIGNAL)', REAPPLY.RESET_REAPPLY_TYPE_SIGNAL, 5],
    ['nothing (RESET_REAPPLY_TYPE_NONE)', REAPPLY.RESET_REAPPLY_TYPE_NONE, 0],
  ] as const) {
    it(`reapplies ${name} when asked to`, async () => {
      const env = await testEnv();
      const { handle, firstCompleted } = await countedTo7();
      await reset(handle.workflowId, handle.firstExecutionRunId, firstCompleted, { resetReapplyType: type });
      const current = env.client.workflow.getHandle(handle.workflowId);
      await current.signal('finish');
      expect(await current.result()).to.equal(expected);
    });
  }

  it('resets a completed workflow: it runs again from the reset point, and the old run stays completed', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('hello', { args: ['reset'], taskQueue: worker.taskQueue, workflowId: uniqueId('reset-done') });
    expect(await handle.result()).to.equal('Hello, reset!');
    const history = await handle.fetchHistory();
    const { runId } = await reset(handle.workflowId, handle.firstExecutionRunId, firstCompletedTask(history.events ?? []));
    const again = env.client.workflow.getHandle(handle.workflowId, runId!);
    expect(await again.result()).to.equal('Hello, reset!');
    expect((await env.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId).describe()).status.name).to.equal('COMPLETED');
  });

  it('keeps a running child across the reset of its parent, and the child reports its end to the new run', async () => {
    const env = await testEnv();
    const parent = await env.client.workflow.start('parentWithPendingChild', { taskQueue: worker.taskQueue, workflowId: uniqueId('reset-parent') });
    const childId = `${parent.workflowId}-child`;
    const events = await eventually(async () => {
      const h = (await parent.fetchHistory()).events ?? [];
      const startedAt = h.findIndex((e) => e.childWorkflowExecutionStartedEventAttributes);
      return startedAt >= 0 && h.slice(startedAt).some((e) => e.workflowTaskCompletedEventAttributes) ? h : undefined;
    }, 'the parent to see its child started');
    const lastCompleted = idOf([...events].reverse().find((e) => e.workflowTaskCompletedEventAttributes));
    try {
      const { runId } = await reset(parent.workflowId, parent.firstExecutionRunId, lastCompleted);
      expect((await env.client.workflow.getHandle(childId).describe()).status.name).to.equal('RUNNING');
      await env.client.workflow.getHandle(childId).signal('finish');
      const completed = await eventually(async () => {
        const h = (await env.client.workflow.getHandle(parent.workflowId, runId!).fetchHistory()).events ?? [];
        return h.find((e) => e.childWorkflowExecutionCompletedEventAttributes);
      }, 'the child to report to the reset run');
      expect(completed.childWorkflowExecutionCompletedEventAttributes?.workflowExecution?.workflowId).to.equal(childId);
    } finally {
      await env.client.workflow.getHandle(parent.workflowId).terminate('test over').catch(() => undefined);
    }
  });

  it('refuses a reset point that is not a workflow task', async () => {
    const env = await testEnv();
    const handle = await env.client.workflow.start('hello', { args: ['x'], taskQueue: worker.taskQueue, workflowId: uniqueId('reset-bad') });
    await handle.result();
    const last = (await handle.fetchHistory()).events!.length;
    for (const eventId of [1, 2, last + 5]) {
      const err = await reset(handle.workflowId, handle.firstExecutionRunId, eventId).then(() => undefined, (e: unknown) => e as Error & { code?: number });
      expect(err?.code, `event ${eventId}: ${err ? errorText(err) : 'accepted'}`).to.equal(3); // INVALID_ARGUMENT
    }
  });
});
