/**
 * Nexus conformance: endpoints through the OperatorService, and operations a workflow starts
 * through an endpoint, served by a handler worker written with @temporalio/nexus.
 */
import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import Long from 'long';
import { temporal } from '@temporalio/proto';
import { startWorker, testEnv, uniqueId } from './harness';
import { greetingHandler, flakyAttempts } from './fixtures/nexusHandlers';

const EventType = temporal.api.enums.v1.EventType;

async function createEndpoint(taskQueue: string, name = uniqueId('ep')): Promise<{ id: string; name: string; version: number }> {
  const env = await testEnv();
  const { endpoint } = await env.connection.operatorService.createNexusEndpoint({
    spec: { name, target: { worker: { namespace: env.client.options.namespace, taskQueue } } },
  });
  return { id: endpoint!.id!, name, version: Number(endpoint!.version) };
}

async function deleteEndpoint(id: string): Promise<void> {
  const env = await testEnv();
  const { endpoint } = await env.connection.operatorService.getNexusEndpoint({ id });
  await env.connection.operatorService.deleteNexusEndpoint({ id, version: endpoint!.version });
}

async function grpcCode(p: Promise<unknown>): Promise<number | undefined> {
  return p.then(
    () => undefined,
    (err: { code?: number }) => err.code,
  );
}

async function eventTypes(workflowId: string): Promise<number[]> {
  const env = await testEnv();
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return history.events!.map((e) => e.eventType!).filter((t) => t >= EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED);
}

describe('engine: Nexus endpoints', function () {
  it('announces Nexus in the system capabilities', async () => {
    const env = await testEnv();
    const { capabilities } = await env.connection.workflowService.getSystemInfo({});
    expect(capabilities?.nexus).to.equal(true);
  });

  it('creates, reads, lists, updates and deletes an endpoint, with version checks', async () => {
    const env = await testEnv();
    const ops = env.connection.operatorService;
    const ns = env.client.options.namespace;
    const created = await createEndpoint('nexus-crud-queue');

    const got = await ops.getNexusEndpoint({ id: created.id });
    expect(got.endpoint!.spec!.name).to.equal(created.name);
    expect(got.endpoint!.spec!.target!.worker).to.deep.include({ namespace: ns, taskQueue: 'nexus-crud-queue' });

    const byName = await ops.listNexusEndpoints({ name: created.name });
    expect(byName.endpoints!.map((e) => e.id)).to.deep.equal([created.id]);

    expect(await grpcCode(ops.createNexusEndpoint({ spec: { name: created.name, target: { worker: { namespace: ns, taskQueue: 'other' } } } }))).to.equal(status.ALREADY_EXISTS);

    const updated = await ops.updateNexusEndpoint({
      id: created.id,
      version: Long.fromNumber(created.version),
      spec: { name: created.name, target: { worker: { namespace: ns, taskQueue: 'nexus-crud-moved' } } },
    });
    expect(Number(updated.endpoint!.version)).to.be.greaterThan(created.version);
    expect(updated.endpoint!.spec!.target!.worker!.taskQueue).to.equal('nexus-crud-moved');

    // An update computed from an old read is refused.
    const stale = ops.updateNexusEndpoint({ id: created.id, version: Long.fromNumber(created.version), spec: { name: created.name, target: { worker: { namespace: ns, taskQueue: 'x' } } } });
    expect(await grpcCode(stale)).to.equal(status.FAILED_PRECONDITION);

    await ops.deleteNexusEndpoint({ id: created.id, version: updated.endpoint!.version });
    expect(await grpcCode(ops.getNexusEndpoint({ id: created.id }))).to.equal(status.NOT_FOUND);
    expect((await ops.listNexusEndpoints({ name: created.name })).endpoints).to.have.length(0);
  });

  it('refuses an endpoint whose name or target is invalid', async () => {
    const env = await testEnv();
    const ops = env.connection.operatorService;
    const ns = env.client.options.namespace;
    for (const name of ['has space', 'ends-with-dash-', '1starts-with-digit']) {
      expect(await grpcCode(ops.createNexusEndpoint({ spec: { name, target: { worker: { namespace: ns, taskQueue: 'q' } } } })), name).to.equal(status.INVALID_ARGUMENT);
    }
    expect(await grpcCode(ops.createNexusEndpoint({ spec: { name: uniqueId('ep') } }))).to.equal(status.INVALID_ARGUMENT);
    expect(await grpcCode(ops.createNexusEndpoint({ spec: { name: uniqueId('ep'), target: { worker: { namespace: 'no-such-namespace-here', taskQueue: 'q' } } } }))).to.be.oneOf([
      status.NOT_FOUND,
      status.INVALID_ARGUMENT,
    ]);
  });
});

describe('engine: Nexus operations', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let endpoint: { id: string; name: string };
  before(async () => {
    worker = await startWorker({ nexusServices: [greetingHandler] });
    endpoint = await createEndpoint(worker.taskQueue);
  });
  after(async () => {
    await worker?.stop();
    if (endpoint) await deleteEndpoint(endpoint.id);
  });

  const run = async (workflowType: string, args: unknown[], workflowId = uniqueId('nexus-caller')) => {
    const env = await testEnv();
    return { workflowId, result: await env.client.workflow.execute(workflowType, { args, taskQueue: worker.taskQueue, workflowId }) };
  };

  it('completes a synchronous operation with the handler result, without a started event', async () => {
    const { workflowId, result } = await run('nexusCaller', [endpoint.name, 'echo', 'xin chào']);
    expect(result).to.deep.equal({ result: 'xin chào' });
    expect(await eventTypes(workflowId)).to.include.members([EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED, EventType.EVENT_TYPE_NEXUS_OPERATION_COMPLETED]);
    expect(await eventTypes(workflowId)).not.to.include(EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED);
  });

  it('completes an asynchronous operation when the workflow backing it completes', async () => {
    const env = await testEnv();
    const { workflowId, result } = await run('nexusCaller', [endpoint.name, 'hello', 'Lan']);
    expect(result).to.deep.equal({ result: 'Hello from a workflow, Lan!' });
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    const startedEvent = history.events!.find((e) => e.nexusOperationStartedEventAttributes);
    expect(startedEvent?.nexusOperationStartedEventAttributes?.operationToken).to.be.a('string').and.not.equal('');
    const scheduled = history.events!.find((e) => e.nexusOperationScheduledEventAttributes)?.nexusOperationScheduledEventAttributes;
    // The started event links to the workflow the handler started.
    expect(startedEvent?.links?.map((l) => l.workflowEvent?.workflowId)).to.deep.equal([`nexus-hello-${scheduled!.requestId}`]);
    // The handler started the backing workflow with the operation's request id in its id.
    const backing = await env.client.workflow.getHandle(`nexus-hello-${scheduled!.requestId}`).describe();
    expect(backing.status.name).to.equal('COMPLETED');
    // The backing workflow carries the completion callback the handler attached to its start.
    expect(backing.raw.callbacks).to.have.length(1);
  });

  it('lets two operations share one backing workflow (USE_EXISTING), and completes both when it completes', async () => {
    const env = await testEnv();
    const sharedId = uniqueId('nexus-shared');
    const callers = [uniqueId('nexus-join'), uniqueId('nexus-join')];
    const handles = await Promise.all(
      callers.map((workflowId) => env.client.workflow.start('nexusCaller', { args: [endpoint.name, 'joinShared', sharedId], taskQueue: worker.taskQueue, workflowId })),
    );
    // Both operations are started (asynchronously) before the shared workflow is told to finish.
    for (const workflowId of callers) {
      while (!(await eventTypes(workflowId)).includes(EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED)) await new Promise((r) => setTimeout(r, 50));
    }
    await env.client.workflow.getHandle(sharedId).signal('finishShared', 'xong');
    for (const h of handles) expect(await h.result()).to.deep.equal({ result: 'xong' });
  });

  it('reports an operation error from the handler as a NexusOperationFailure with the application failure as cause', async () => {
    const { result } = await run('nexusCaller', [endpoint.name, 'refuse', 'đơn 42']);
    expect(result).to.deep.include({ error: 'NexusOperationFailure', cause: 'ApplicationFailure' });
    expect(result.causeMessage).to.contain('refused đơn 42');
  });

  it('fails at once on a non-retryable handler error (bad request)', async () => {
    const { workflowId, result } = await run('nexusCaller', [endpoint.name, 'reject', 'x']);
    expect(result).to.deep.include({ error: 'NexusOperationFailure', cause: 'HandlerError' });
    expect(result.causeMessage).to.contain('cannot accept x');
    expect(await eventTypes(workflowId)).to.include(EventType.EVENT_TYPE_NEXUS_OPERATION_FAILED);
  });

  it('retries a retryable handler error until the handler answers', async () => {
    const key = uniqueId('flaky');
    const { result } = await run('nexusFlakyCaller', [endpoint.name, key, 2]);
    expect(result).to.equal('attempt 3');
    expect(flakyAttempts.get(key)).to.equal(3);
  });

  it('fails the operation when the backing workflow fails, with the workflow failure as cause', async () => {
    const { result } = await run('nexusCaller', [endpoint.name, 'helloFails', 'Minh']);
    expect(result).to.deep.include({ error: 'NexusOperationFailure', cause: 'ApplicationFailure', causeMessage: 'no greeting for Minh' });
  });

  it('cancels a started operation: the handler cancels the backing workflow and the caller sees the cancellation', async () => {
    const env = await testEnv();
    const backingId = uniqueId('nexus-backing');
    const { workflowId, result } = await run('nexusCancelCaller', [endpoint.name, backingId]);
    expect(result).to.deep.include({ error: 'NexusOperationFailure', cause: 'CancelledFailure' });
    expect(result.token).to.be.a('string').and.not.equal('');
    expect((await env.client.workflow.getHandle(backingId).describe()).status.name).to.equal('CANCELLED');
    const types = await eventTypes(workflowId);
    expect(types).to.include.members([
      EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED,
      EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED,
      EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED,
      EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED,
    ]);
  });

  it('cancels an operation no handler has taken yet at once, without asking a handler', async () => {
    const unserved = await createEndpoint(uniqueId('nobody-polls'));
    try {
      const { workflowId, result } = await run('nexusCancelBeforeStart', [unserved.name]);
      expect(result).to.deep.include({ error: 'NexusOperationFailure', cause: 'CancelledFailure' });
      const types = await eventTypes(workflowId);
      expect(types).to.include.members([EventType.EVENT_TYPE_NEXUS_OPERATION_CANCEL_REQUESTED, EventType.EVENT_TYPE_NEXUS_OPERATION_CANCELED]);
      expect(types).not.to.include(EventType.EVENT_TYPE_NEXUS_OPERATION_STARTED);
    } finally {
      await deleteEndpoint(unserved.id);
    }
  });

  it('times out an operation that outlives its schedule-to-close timeout', async () => {
    const env = await testEnv();
    const backingId = uniqueId('nexus-slow');
    try {
      const { workflowId, result } = await run('nexusTimeoutCaller', [endpoint.name, backingId]);
      expect(result).to.deep.include({ error: 'NexusOperationFailure', cause: 'TimeoutFailure' });
      expect(await eventTypes(workflowId)).to.include(EventType.EVENT_TYPE_NEXUS_OPERATION_TIMED_OUT);
    } finally {
      await env.client.workflow
        .getHandle(backingId)
        .terminate('test over')
        .catch(() => undefined);
    }
  });

  it('fails the workflow task while the endpoint does not exist, and proceeds once it is created', async () => {
    const env = await testEnv();
    const name = uniqueId('late');
    const workflowId = uniqueId('nexus-late');
    const handle = await env.client.workflow.start('nexusCaller', { args: [name, 'echo', 'muộn'], taskQueue: worker.taskQueue, workflowId });
    for (;;) {
      const history = await handle.fetchHistory();
      const failedTask = history.events!.find((e) => e.workflowTaskFailedEventAttributes);
      if (failedTask) {
        expect(failedTask.workflowTaskFailedEventAttributes!.cause).to.equal(
          temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES,
        );
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const late = await createEndpoint(worker.taskQueue, name);
    try {
      expect(await handle.result()).to.deep.equal({ result: 'muộn' });
    } finally {
      await deleteEndpoint(late.id);
    }
  });

  it('serves an operation from a handler worker in another namespace', async () => {
    const env = await testEnv();
    const handlerNamespace = uniqueId('nexus-handlers');
    await env.connection.workflowService.registerNamespace({ namespace: handlerNamespace, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) } });
    // A cluster makes a new namespace visible after a moment; the embedded engine at once.
    while (await grpcCode(env.connection.workflowService.describeNamespace({ namespace: handlerNamespace }))) await new Promise((r) => setTimeout(r, 200));
    const handlerWorker = await startWorker({ namespace: handlerNamespace, nexusServices: [greetingHandler] });
    const { endpoint: created } = await env.connection.operatorService.createNexusEndpoint({
      spec: { name: uniqueId('ep-other-ns'), target: { worker: { namespace: handlerNamespace, taskQueue: handlerWorker.taskQueue } } },
    });
    try {
      const result = await env.client.workflow.execute('nexusCaller', {
        args: [created!.spec!.name!, 'hello', 'Hoa'],
        taskQueue: worker.taskQueue,
        workflowId: uniqueId('nexus-cross-ns'),
      });
      expect(result).to.deep.equal({ result: 'Hello from a workflow, Hoa!' });
    } finally {
      await handlerWorker.stop();
      await deleteEndpoint(created!.id!);
    }
  });
});
