/**
 * Exact protocol semantics, driven by a bare-hands worker: workflow task attempts, buffered
 * events, sticky queues, history paging and long polls.
 */
import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { commands, E, eventName, fromPayloads, payloads, RawWorker, secs } from './rawProtocol';
import { external, testEnv, uniqueId } from './harness';

const workers: RawWorker[] = [];
async function rawWorker(): Promise<RawWorker> {
  const w = new RawWorker(await testEnv(), uniqueId('raw-tq'));
  workers.push(w);
  return w;
}

function grpcCode(err: unknown): number | undefined {
  return (err as { code?: number }).code;
}

describe('engine: protocol semantics', function () {
  // A workflow task nobody will poll would hold the time-skipping lock for every later test.
  afterEach(async () => {
    for (const w of workers.splice(0)) await w.terminateAll();
  });

  it('numbers events from 1 and hands the first task the whole history', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-first');
    await w.start(workflowId, { input: payloads('x') });
    const task = await w.poll();
    expect(task.history!.events!.map(eventName)).to.deep.equal(['workflowExecutionStarted', 'workflowTaskScheduled', 'workflowTaskStarted']);
    expect(task.history!.events!.map((e) => Number(e.eventId))).to.deep.equal([1, 2, 3]);
    expect(Number(task.startedEventId)).to.equal(3);
    expect(Number(task.previousStartedEventId)).to.equal(0);
    expect(task.attempt).to.equal(1);
    await w.complete(task, [commands.complete('done')]);
    const history = await w.history(workflowId);
    expect(history.map(eventName).slice(-2)).to.deep.equal(['workflowTaskCompleted', 'workflowExecutionCompleted']);
    expect(fromPayloads(history.at(-1)!.workflowExecutionCompletedEventAttributes!.result)).to.deep.equal(['done']);
  });

  it('retries a failed workflow task with the next attempt number', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-wft-fail');
    await w.start(workflowId);
    await w.fail(await w.poll(), 'bug in workflow code');
    const second = await w.poll();
    expect(second.attempt).to.equal(2);
    const names = second.history!.events!.map(eventName);
    expect(names).to.include('workflowTaskFailed');
    const failed = second.history!.events!.find((e) => e.workflowTaskFailedEventAttributes)!;
    expect(failed.workflowTaskFailedEventAttributes!.failure!.message).to.equal('bug in workflow code');
    await w.complete(second, [commands.complete()]);
  });

  it('drops a failure reported for a later attempt: the task times out instead of spinning, and only the first failure is recorded', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-wft-refail');
    await w.start(workflowId, { workflowTaskTimeout: secs(1) });
    await w.fail(await w.poll(), 'bug in workflow code');
    const second = await w.poll();
    expect(second.attempt).to.equal(2);
    const dropped = await w.fail(second, 'the same bug').then(() => undefined, (e: unknown) => e);
    expect(grpcCode(dropped)).to.equal(status.NOT_FOUND);
    // Still the same task in flight until its timeout.
    const d = await w.service.describeWorkflowExecution({ namespace: w.namespace, execution: { workflowId } });
    expect(d.pendingWorkflowTask!.attempt).to.equal(2);
    expect(d.pendingWorkflowTask!.state).to.equal(E.PendingWorkflowTaskState.PENDING_WORKFLOW_TASK_STATE_STARTED);
    const third = await w.poll();
    expect(third.attempt).to.equal(3);
    const names = third.history!.events!.map(eventName);
    expect(names.filter((n) => n === 'workflowTaskFailed')).to.have.length(1);
    // The engine writes the timed-out attempt; the real server keeps attempts after the first out of history.
    if (!external) expect(names.filter((n) => n === 'workflowTaskTimedOut')).to.have.length(1);
    await w.complete(third, [commands.complete()]);
  });

  it('drops a refused command of a later attempt too, and gives attempts after the third 5 s more', async function () {
    if (external) {
      console.log('      (skipped: the real server adds jitter to the longer timeouts)');
      this.skip();
    }
    const w = await rawWorker();
    const workflowId = uniqueId('raw-bad-again');
    await w.start(workflowId, { workflowTaskTimeout: { nanos: 200_000_000 } });
    const bad = [commands.activity('a1', { startToCloseTimeout: null })];
    await w.complete(await w.poll(), bad);
    let task = await w.poll();
    const timeouts: number[] = [];
    while (task.attempt! < 4) {
      // Answered as a completion, recorded as nothing: the attempt ends at its timeout.
      await w.complete(task, bad);
      task = await w.poll();
      const scheduled = task.history!.events!.filter((e) => e.workflowTaskScheduledEventAttributes).at(-1)!.workflowTaskScheduledEventAttributes!;
      expect(scheduled.attempt).to.equal(task.attempt);
      timeouts.push(Number(scheduled.startToCloseTimeout!.seconds ?? 0) * 1000 + (scheduled.startToCloseTimeout!.nanos ?? 0) / 1e6);
    }
    // Attempts 3 and 4: the task's 200 ms, then 5 s more (doubling from there, see workflowTaskAttempts.test.ts).
    expect(timeouts).to.deep.equal([200, 5_200]);
    const names = (await w.history(workflowId)).map(eventName);
    expect(names.filter((n) => n === 'workflowTaskFailed')).to.have.length(1);
    expect(names.filter((n) => n === 'workflowTaskTimedOut')).to.have.length(2);
    expect(names).to.not.include('activityTaskScheduled');
    await w.complete(task, [commands.complete()]);
  });

  it('times out a workflow task nobody completes and offers it again', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-wft-timeout');
    await w.start(workflowId, { workflowTaskTimeout: secs(1) });
    const first = await w.poll();
    const second = await w.poll();
    expect(second.attempt).to.equal(2);
    expect(second.history!.events!.map(eventName)).to.include('workflowTaskTimedOut');
    // The stale token is refused.
    const stale = await w.complete(first, [commands.complete()]).then(() => undefined, (e: unknown) => e);
    expect(grpcCode(stale)).to.equal(status.NOT_FOUND);
    await w.complete(second, [commands.complete()]);
  });

  it('buffers a signal that arrives during a task and refuses to complete over it (UNHANDLED_COMMAND)', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-buffer');
    await w.start(workflowId);
    const task = await w.poll();
    await w.service.signalWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId }, signalName: 'late', input: payloads(1) });
    // The signal is not in history yet: it waits behind the task in flight.
    expect((await w.history(workflowId)).map(eventName)).to.not.include('workflowExecutionSignaled');
    await w.complete(task, [commands.complete()]);
    const next = await w.poll();
    const names = next.history!.events!.map(eventName);
    expect(names).to.include('workflowTaskFailed');
    expect(next.history!.events!.find((e) => e.workflowTaskFailedEventAttributes)!.workflowTaskFailedEventAttributes!.cause).to.equal(
      E.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
    );
    expect(names).to.include('workflowExecutionSignaled');
    await w.complete(next, [commands.complete()]);
  });

  it('writes buffered events after the completed task, then schedules a new task for them', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-buffer2');
    await w.start(workflowId);
    const task = await w.poll();
    await w.service.signalWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId }, signalName: 's', input: payloads(1) });
    await w.complete(task, [commands.timer('t1', 3600)]);
    const history = (await w.history(workflowId)).map(eventName);
    expect(history.slice(3)).to.deep.equal(['workflowTaskCompleted', 'timerStarted', 'workflowExecutionSignaled', 'workflowTaskScheduled']);
    await w.complete(await w.poll(), [commands.complete()]);
  });

  it('sends later tasks to the sticky queue with partial history, and falls back to the normal queue', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-sticky');
    const sticky = { name: `${w.taskQueue}-sticky`, kind: E.TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: w.taskQueue };
    await w.start(workflowId);
    const first = await w.poll();
    await w.complete(first, [commands.timer('t', 3600)], { stickyAttributes: { workerTaskQueue: sticky, scheduleToStartTimeout: secs(1) } });
    await w.service.signalWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId }, signalName: 's1' });
    const onSticky = await w.poll(sticky);
    expect(Number(onSticky.previousStartedEventId)).to.equal(3);
    expect(Number(onSticky.history!.events![0].eventId)).to.equal(4);
    await w.complete(onSticky, [], { stickyAttributes: { workerTaskQueue: sticky, scheduleToStartTimeout: secs(1) } });
    // Nobody polls the sticky queue now: after its schedule-to-start timeout the task moves to the normal queue, with full history.
    await w.service.signalWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId }, signalName: 's2' });
    const fallback = await w.poll();
    expect(Number(fallback.history!.events![0].eventId)).to.equal(1);
    await w.complete(fallback, [commands.complete()]);
  });

  it('pages history, long-polls for new events, and reads it in reverse', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-history');
    await w.start(workflowId);
    const task = await w.poll();
    await w.complete(task, [commands.timer('t', 3600)]);
    const page1 = await w.service.getWorkflowExecutionHistory({ namespace: w.namespace, execution: { workflowId }, maximumPageSize: 2 });
    expect(page1.history!.events!.map((e) => Number(e.eventId))).to.deep.equal([1, 2]);
    expect(page1.nextPageToken?.length).to.be.greaterThan(0);
    const page2 = await w.service.getWorkflowExecutionHistory({ namespace: w.namespace, execution: { workflowId }, maximumPageSize: 100, nextPageToken: page1.nextPageToken });
    expect(page2.history!.events!.map((e) => Number(e.eventId))).to.deep.equal([3, 4, 5]);

    // A long poll first returns what exists, with a token to wait for more.
    const all = await w.service.getWorkflowExecutionHistory({ namespace: w.namespace, execution: { workflowId }, waitNewEvent: true });
    expect(all.history!.events).to.have.length(5);
    const waiting = w.service.getWorkflowExecutionHistory({ namespace: w.namespace, execution: { workflowId }, nextPageToken: all.nextPageToken, waitNewEvent: true });
    await w.service.signalWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId }, signalName: 'wake' });
    const woke = await waiting;
    expect(woke.history!.events!.map(eventName)[0]).to.equal('workflowExecutionSignaled');

    const reverse = await w.service.getWorkflowExecutionHistoryReverse({ namespace: w.namespace, execution: { workflowId }, maximumPageSize: 3 });
    const ids = reverse.history!.events!.map((e) => Number(e.eventId));
    expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
    expect(ids[0]).to.be.greaterThan(5);
    await w.service.terminateWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId } });
    const close = await w.service.getWorkflowExecutionHistory({
      namespace: w.namespace,
      execution: { workflowId },
      historyEventFilterType: E.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    });
    expect(close.history!.events!.map(eventName)).to.deep.equal(['workflowExecutionTerminated']);
  });

  it('describes pending activities and the pending workflow task', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-describe');
    await w.start(workflowId);
    await w.complete(await w.poll(), [commands.activity('a1', { taskQueue: { name: `${w.taskQueue}-nobody` } })]);
    const d = await w.service.describeWorkflowExecution({ namespace: w.namespace, execution: { workflowId } });
    expect(d.pendingActivities!.map((a) => a.activityId)).to.deep.equal(['a1']);
    expect(d.pendingActivities![0].state).to.equal(E.PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED);
    expect(d.workflowExecutionInfo!.status).to.equal(E.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    expect(d.pendingWorkflowTask).to.equal(null);
    await w.service.terminateWorkflowExecution({ namespace: w.namespace, workflowExecution: { workflowId } });
  });

  it('refuses a command with bad attributes by failing the workflow task with its cause', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-bad-command');
    await w.start(workflowId);
    await w.complete(await w.poll(), [commands.activity('a1', { startToCloseTimeout: null })]);
    const next = await w.poll();
    const failed = next.history!.events!.find((e) => e.workflowTaskFailedEventAttributes)!.workflowTaskFailedEventAttributes!;
    expect(failed.cause).to.equal(E.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_ACTIVITY_ATTRIBUTES);
    expect(failed.failure!.message).to.match(/StartToClose or ScheduleToCloseTimeout/);
    // Nothing the bad task asked for was written.
    expect(next.history!.events!.map(eventName)).to.not.include('activityTaskScheduled');
    await w.complete(next, [commands.complete()]);
  });

  it('answers a query that arrives while a workflow task is in flight, once that task completes', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-query-inflight');
    await w.start(workflowId);
    const task = await w.poll();
    const query = w.service.queryWorkflow({ namespace: w.namespace, execution: { workflowId }, query: { queryType: 'status' } });
    await new Promise((r) => setTimeout(r, 100));
    await w.complete(task, [commands.timer('t', 3600)]);
    // No new task was needed, so the query comes as a query task with the full history.
    const queryTask = await w.poll();
    expect(queryTask.query?.queryType).to.equal('status');
    expect(Number(queryTask.startedEventId)).to.equal(0);
    expect(queryTask.history!.events!.map(eventName).at(-1)).to.equal('timerStarted');
    await w.service.respondQueryTaskCompleted({
      namespace: w.namespace,
      taskToken: queryTask.taskToken,
      completedType: E.QueryResultType.QUERY_RESULT_TYPE_ANSWERED,
      queryResult: payloads('waiting for timer'),
    });
    expect(fromPayloads((await query).queryResult)).to.deep.equal(['waiting for timer']);
  });

  it('carries a query on a pending workflow task and takes the answer from its completion', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-query-wft');
    await w.start(workflowId);
    const query = w.service.queryWorkflow({ namespace: w.namespace, execution: { workflowId }, query: { queryType: 'early' } });
    await new Promise((r) => setTimeout(r, 100));
    const task = await w.poll();
    const [queryId] = Object.keys(task.queries ?? {});
    expect(task.queries![queryId].queryType).to.equal('early');
    await w.complete(task, [commands.timer('t', 3600)], {
      queryResults: { [queryId]: { resultType: E.QueryResultType.QUERY_RESULT_TYPE_ANSWERED, answer: payloads(42) } },
    });
    expect(fromPayloads((await query).queryResult)).to.deep.equal([42]);
  });

  it('completes, heartbeats and fails activities addressed by workflow and activity id', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-byid');
    await w.start(workflowId);
    await w.complete(await w.poll(), [commands.activity('a1')]);
    const act = await w.service.pollActivityTaskQueue({ namespace: w.namespace, taskQueue: { name: w.taskQueue }, identity: w.identity });
    expect(act.activityId).to.equal('a1');
    const hb = await w.service.recordActivityTaskHeartbeatById({ namespace: w.namespace, workflowId, activityId: 'a1', details: payloads('half') });
    expect(hb.cancelRequested).to.equal(false);
    await w.service.respondActivityTaskCompletedById({ namespace: w.namespace, workflowId, activityId: 'a1', result: payloads('by id') });
    const next = await w.poll();
    const completed = next.history!.events!.find((e) => e.activityTaskCompletedEventAttributes)!;
    expect(fromPayloads(completed.activityTaskCompletedEventAttributes!.result)).to.deep.equal(['by id']);
    const again = await w.service.respondActivityTaskCompletedById({ namespace: w.namespace, workflowId, activityId: 'a1' }).then(() => undefined, (e: unknown) => e);
    expect(grpcCode(again)).to.equal(status.NOT_FOUND);
    await w.complete(next, [commands.complete()]);
  });

  it('times out an activity nobody picks up at its schedule-to-start timeout, without retrying', async () => {
    const w = await rawWorker();
    const workflowId = uniqueId('raw-s2s');
    await w.start(workflowId);
    await w.complete(await w.poll(), [commands.activity('a1', { taskQueue: { name: `${w.taskQueue}-nobody` }, scheduleToStartTimeout: secs(1) })]);
    const next = await w.poll();
    const timedOut = next.history!.events!.find((e) => e.activityTaskTimedOutEventAttributes)!.activityTaskTimedOutEventAttributes!;
    expect(timedOut.failure!.timeoutFailureInfo!.timeoutType).to.equal(E.TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_START);
    expect(Number(timedOut.startedEventId)).to.equal(0);
    await w.complete(next, [commands.complete()]);
  });
});
