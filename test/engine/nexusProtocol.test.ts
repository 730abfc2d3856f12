/**
 * Nexus at the protocol level, with a bare-hands caller and handler: what a handler worker
 * receives, the older (pre-Temporal-failure) answers a handler may send, retries, the operation
 * token, and the cancel request.
 */
import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { commands, E, eventName, RawWorker, secs } from './rawProtocol';
import { external, testEnv, uniqueId } from './harness';

type NexusPoll = temporal.api.workflowservice.v1.IPollNexusTaskQueueResponse;

describe('engine: Nexus protocol', function () {
  let caller: RawWorker;
  let handlerQueue: string;
  let endpoint: { id: string; name: string };

  before(async () => {
    const env = await testEnv();
    caller = new RawWorker(env, uniqueId('nexus-raw-caller'));
    handlerQueue = uniqueId('nexus-raw-handler');
    const name = uniqueId('raw-ep');
    const { endpoint: created } = await env.connection.operatorService.createNexusEndpoint({
      spec: { name, target: { worker: { namespace: env.client.options.namespace, taskQueue: handlerQueue } } },
    });
    endpoint = { id: created!.id!, name };
  });
  afterEach(async () => caller.terminateAll());
  after(async () => {
    const env = await testEnv();
    await env.connection.operatorService.deleteNexusEndpoint({ id: endpoint.id, version: Long.fromNumber(1) }).catch(() => undefined);
  });

  const pollNexus = async (): Promise<NexusPoll> => {
    const res = await caller.service.pollNexusTaskQueue({ namespace: caller.namespace, taskQueue: { name: handlerQueue }, identity: 'raw-handler' });
    if (!res.taskToken?.length) throw new Error('no Nexus task');
    return res;
  };

  /** Starts a raw caller whose first task schedules one operation; returns its workflow id. */
  const scheduleOperation = async (): Promise<string> => {
    const workflowId = uniqueId('nexus-raw');
    await caller.start(workflowId);
    const task = await caller.poll();
    await caller.complete(task, [
      {
        commandType: E.CommandType.COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION,
        scheduleNexusOperationCommandAttributes: {
          endpoint: endpoint.name,
          service: 'hoSo',
          operation: 'kiemTra',
          input: defaultPayloadConverter.toPayload({ hoSo: 42 }),
          scheduleToCloseTimeout: secs(600),
          nexusHeader: { 'x-office': 'xa-1' },
        },
      },
    ]);
    return workflowId;
  };

  it('hands the handler the operation with its request id, callback, header and a link to the caller, and retries a retryable handler error', async () => {
    const workflowId = await scheduleOperation();
    const scheduled = (await caller.history(workflowId)).find((e) => e.nexusOperationScheduledEventAttributes)!;
    // A cluster's backlog statistics are refreshed periodically; the embedded engine's are exact.
    if (!external) {
      const queue = await caller.service.describeTaskQueue({
        namespace: caller.namespace,
        taskQueue: { name: handlerQueue },
        taskQueueType: E.TaskQueueType.TASK_QUEUE_TYPE_NEXUS,
        reportStats: true,
      });
      expect(Number(queue.stats?.approximateBacklogCount ?? 0)).to.equal(1);
    }
    const first = await pollNexus();
    const start = first.request!.startOperation!;
    expect([start.service, start.operation]).to.deep.equal(['hoSo', 'kiemTra']);
    expect(defaultPayloadConverter.fromPayload(start.payload!)).to.deep.equal({ hoSo: 42 });
    expect(start.requestId).to.equal(scheduled.nexusOperationScheduledEventAttributes!.requestId);
    expect(start.callback).to.be.a('string').and.not.equal('');
    expect(first.request!.header).to.include({ 'x-office': 'xa-1' });
    expect(first.request!.header).to.have.property('request-timeout');
    expect(start.links!.some((l) => l.url!.includes(encodeURIComponent(workflowId)))).to.equal(true);

    // An INTERNAL handler error is retryable: the same request comes again, as the next attempt.
    await caller.service.respondNexusTaskFailed({
      namespace: caller.namespace,
      taskToken: first.taskToken,
      error: { errorType: 'INTERNAL', failure: { message: 'thử lại sau' } },
    });
    const second = await pollNexus();
    expect(second.request!.startOperation!.requestId).to.equal(start.requestId);

    // An operation error ends it: the caller sees NexusOperationFailed wrapping the handler's message.
    await caller.service.respondNexusTaskCompleted({
      namespace: caller.namespace,
      taskToken: second.taskToken,
      response: { startOperation: { operationError: { operationState: 'failed', failure: { message: 'hồ sơ không hợp lệ' } } } },
    });
    const failed = (await caller.history(workflowId)).find((e) => e.nexusOperationFailedEventAttributes)!.nexusOperationFailedEventAttributes!;
    expect(failed.failure!.nexusOperationExecutionFailureInfo).to.deep.include({ endpoint: endpoint.name, service: 'hoSo', operation: 'kiemTra' });
    expect(failed.failure!.cause!.message).to.equal('hồ sơ không hợp lệ');

    // Answering a finished request again finds nothing.
    const again = await caller.service
      .respondNexusTaskCompleted({ namespace: caller.namespace, taskToken: second.taskToken, response: { startOperation: { syncSuccess: {} } } })
      .then(() => undefined, (e: { code?: number }) => e.code);
    expect(again).to.equal(status.NOT_FOUND);
  });

  it('records an asynchronous start with its token, then sends the cancel request with that token', async () => {
    const workflowId = await scheduleOperation();
    const startTask = await pollNexus();
    await caller.service.respondNexusTaskCompleted({
      namespace: caller.namespace,
      taskToken: startTask.taskToken,
      response: { startOperation: { asyncSuccess: { operationToken: 'token-ho-so-42' } } },
    });
    const afterStart = await caller.poll();
    const startedEvent = afterStart.history!.events!.find((e) => e.nexusOperationStartedEventAttributes)!;
    expect(startedEvent.nexusOperationStartedEventAttributes!.operationToken).to.equal('token-ho-so-42');
    const scheduledEventId = afterStart.history!.events!.find((e) => e.nexusOperationScheduledEventAttributes)!.eventId!;
    await caller.complete(afterStart, [
      { commandType: E.CommandType.COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION, requestCancelNexusOperationCommandAttributes: { scheduledEventId } },
    ]);

    const cancelTask = await pollNexus();
    expect(cancelTask.request!.cancelOperation).to.deep.include({ service: 'hoSo', operation: 'kiemTra', operationToken: 'token-ho-so-42' });
    await caller.service.respondNexusTaskCompleted({ namespace: caller.namespace, taskToken: cancelTask.taskToken, response: { cancelOperation: {} } });
    const names = (await caller.history(workflowId)).map(eventName);
    expect(names).to.include.members(['nexusOperationStarted', 'nexusOperationCancelRequested', 'nexusOperationCancelRequestCompleted']);
  });

  it('cancels an operation at once while its start request is out, and the late answer finds nothing', async () => {
    const workflowId = await scheduleOperation();
    const startTask = await pollNexus();
    // The workflow asks to cancel while the handler holds the start request.
    await caller.service.signalWorkflowExecution({ namespace: caller.namespace, workflowExecution: { workflowId }, signalName: 'wake', identity: 'test' });
    const task = await caller.poll();
    const scheduledEventId = task.history!.events!.find((e) => e.nexusOperationScheduledEventAttributes)!.eventId!;
    await caller.complete(task, [
      { commandType: E.CommandType.COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION, requestCancelNexusOperationCommandAttributes: { scheduledEventId } },
    ]);
    const names = (await caller.history(workflowId)).map(eventName);
    expect(names).to.include.members(['nexusOperationCancelRequested', 'nexusOperationCanceled']);
    expect(names).not.to.include('nexusOperationStarted');
    const late = await caller.service
      .respondNexusTaskCompleted({ namespace: caller.namespace, taskToken: startTask.taskToken, response: { startOperation: { asyncSuccess: { operationToken: 'muộn' } } } })
      .then(() => undefined, (e: { code?: number }) => e.code);
    expect(late).to.equal(status.NOT_FOUND);
  });

  it('completes the operation from the callback of the backing workflow even before the handler answered, then refuses the late answer', async () => {
    const workflowId = await scheduleOperation();
    const startTask = await pollNexus();
    const start = startTask.request!.startOperation!;
    // The handler starts a backing workflow carrying the callback it was given, and that workflow completes at once.
    const backing = new RawWorker(caller.env, uniqueId('nexus-raw-backing'));
    const backingId = uniqueId('nexus-raw-backing');
    await backing.start(backingId, {
      requestId: start.requestId!,
      completionCallbacks: [{ nexus: { url: start.callback!, header: { ...start.callbackHeader, 'nexus-operation-token': 'token-backing' } } }],
    });
    const backingTask = await backing.poll();
    await backing.complete(backingTask, [commands.complete('kết quả')]);
    let names: string[] = [];
    while (!names.includes('nexusOperationCompleted')) {
      await new Promise((r) => setTimeout(r, 50));
      names = (await caller.history(workflowId)).map(eventName);
    }
    const events = await caller.history(workflowId);
    expect(events.find((e) => e.nexusOperationStartedEventAttributes)!.nexusOperationStartedEventAttributes!.operationToken).to.equal('token-backing');
    const completed = events.find((e) => e.nexusOperationCompletedEventAttributes)!.nexusOperationCompletedEventAttributes!;
    expect(defaultPayloadConverter.fromPayload(completed.result!)).to.equal('kết quả');
    const late = await caller.service
      .respondNexusTaskCompleted({ namespace: caller.namespace, taskToken: startTask.taskToken, response: { startOperation: { asyncSuccess: { operationToken: 'token-backing' } } } })
      .then(() => undefined, (e: { code?: number }) => e.code);
    expect(late).to.equal(status.NOT_FOUND);
  });
});
