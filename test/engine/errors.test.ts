/** The engine answers every bad call with a gRPC status and a message; it never hangs or crashes. */
import { expect } from 'chai';
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { external, testEnv, uniqueId } from './harness';
import { commands, RawWorker, secs } from './rawProtocol';

const WS = 'temporal.api.workflowservice.v1.WorkflowService';

async function address(): Promise<string> {
  const env = await testEnv();
  return external?.address ?? (env as unknown as { options: { address: string } }).options?.address ?? env.connection.options.address;
}

/** Sends raw bytes to any method path, the way a misbehaving client could. */
async function rawCall(
  method: string,
  body: Uint8Array,
  options: { gzip?: boolean; deadlineMs?: number } = {},
): Promise<{ code: number; details: string; response?: Buffer }> {
  const client = new grpc.Client(await address(), grpc.credentials.createInsecure(), options.gzip ? { 'grpc.default_compression_algorithm': 2 } : {});
  try {
    return await new Promise((resolve) => {
      client.makeUnaryRequest(
        `/${WS}/${method}`,
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.from(body),
        options.deadlineMs ? { deadline: Date.now() + options.deadlineMs } : {},
        (err, response) => resolve(err ? { code: err.code, details: err.details } : { code: grpc.status.OK, details: '', response }),
      );
    });
  } finally {
    client.close();
  }
}

async function codeOf(p: Promise<unknown>): Promise<{ code?: number; message: string }> {
  const err = (await p.then(() => undefined, (e: unknown) => e)) as { code?: number; details?: string; message?: string } | undefined;
  if (!err) throw new Error('expected the call to fail');
  return { code: err.code, message: err.details ?? err.message ?? '' };
}

describe('engine: errors', function () {
  before(function () {
    if (external) this.skip();
  });

  it('answers UNIMPLEMENTED for a method it does not know', async () => {
    const res = await rawCall('NoSuchMethod', new Uint8Array());
    expect(res.code).to.equal(grpc.status.UNIMPLEMENTED);
  });

  it('answers UNIMPLEMENTED, naming the method, for a Temporal method it does not offer', async () => {
    // Archival is left out on purpose (engine/README.md), so its calls stay unoffered.
    const res = await rawCall('ListArchivedWorkflowExecutions', temporal.api.workflowservice.v1.ListArchivedWorkflowExecutionsRequest.encode({ namespace: 'default' }).finish());
    expect(res.code).to.equal(grpc.status.UNIMPLEMENTED);
    expect(res.details).to.contain('ListArchivedWorkflowExecutions');
  });

  it('answers INVALID_ARGUMENT for bytes that are not the request message', async () => {
    const res = await rawCall('StartWorkflowExecution', Buffer.from([0xff, 0xff, 0xff, 0x0f, 0x01]));
    expect(res.code).to.equal(grpc.status.INVALID_ARGUMENT);
  });

  it('reads a gzip-compressed request', async () => {
    const WSM = temporal.api.workflowservice.v1;
    const res = await rawCall('DescribeNamespace', WSM.DescribeNamespaceRequest.encode({ namespace: 'default' }).finish(), { gzip: true });
    expect(res.code, res.details).to.equal(grpc.status.OK);
    expect(WSM.DescribeNamespaceResponse.decode(res.response!).namespaceInfo?.name).to.equal('default');
  });

  it('carries a non-ASCII error message to the caller unchanged', async () => {
    const res = await rawCall('DescribeNamespace', temporal.api.workflowservice.v1.DescribeNamespaceRequest.encode({ namespace: 'xã-Đống-Đa-100%' }).finish());
    expect(res.code).to.equal(grpc.status.NOT_FOUND);
    expect(res.details).to.equal('Namespace xã-Đống-Đa-100% is not found.');
  });

  it("ends a long poll within the caller's deadline, with an empty answer", async () => {
    const WSM = temporal.api.workflowservice.v1;
    const poll = WSM.PollWorkflowTaskQueueRequest.encode({ namespace: 'default', taskQueue: { name: `empty-${randomUUID()}` }, identity: 'deadline-test' }).finish();
    // Without the deadline the engine would hold the poll for its whole long-poll period and the test would time out.
    const res = await rawCall('PollWorkflowTaskQueue', poll, { deadlineMs: 1500 });
    expect(res.code, res.details).to.equal(grpc.status.OK);
    expect(WSM.PollWorkflowTaskQueueResponse.decode(res.response!).taskToken).to.have.length(0);
  });
});

describe('engine: errors through the SDK client', function () {
  it('answers INVALID_ARGUMENT for a start without a workflow type', async () => {
    const env = await testEnv();
    const res = await codeOf(
      env.client.workflowService.startWorkflowExecution({ namespace: env.client.options.namespace, workflowId: uniqueId('x'), taskQueue: { name: 'q' }, requestId: randomUUID() }),
    );
    expect(res.code).to.equal(grpc.status.INVALID_ARGUMENT);
    expect(res.message).to.match(/WorkflowType/);
  });

  it('answers NOT_FOUND for an unknown namespace', async () => {
    const env = await testEnv();
    const res = await codeOf(env.client.workflowService.describeNamespace({ namespace: `missing-${randomUUID()}` }));
    expect(res.code).to.equal(grpc.status.NOT_FOUND);
  });

  it('answers INVALID_ARGUMENT for a task token that is not one', async () => {
    const env = await testEnv();
    const res = await codeOf(
      env.client.workflowService.respondActivityTaskCompleted({ namespace: env.client.options.namespace, taskToken: Buffer.from('not a token') }),
    );
    expect(res.code).to.equal(grpc.status.INVALID_ARGUMENT);
  });

  it('answers NOT_FOUND for signals, cancellations and terminations of a closed workflow', async () => {
    const env = await testEnv();
    const w = new RawWorker(env, uniqueId('raw-closed'));
    const workflowId = uniqueId('closed');
    await w.start(workflowId);
    await w.complete(await w.poll(), [commands.complete()]);
    const ns = env.client.options.namespace;
    const exec = { workflowId };
    for (const call of [
      env.client.workflowService.signalWorkflowExecution({ namespace: ns, workflowExecution: exec, signalName: 's' }),
      env.client.workflowService.requestCancelWorkflowExecution({ namespace: ns, workflowExecution: exec }),
      env.client.workflowService.terminateWorkflowExecution({ namespace: ns, workflowExecution: exec }),
    ]) {
      expect((await codeOf(call)).code).to.equal(grpc.status.NOT_FOUND);
    }
  });

  it('answers NOT_FOUND for history of a workflow that never existed', async () => {
    const env = await testEnv();
    const res = await codeOf(
      env.client.workflowService.getWorkflowExecutionHistory({ namespace: env.client.options.namespace, execution: { workflowId: uniqueId('never') } }),
    );
    expect(res.code).to.equal(grpc.status.NOT_FOUND);
  });

  it('registers, describes and lists namespaces', async function () {
    if (external) this.skip();
    const env = await testEnv();
    const name = uniqueId('ns');
    await env.client.workflowService.registerNamespace({ namespace: name, workflowExecutionRetentionPeriod: secs(3 * 24 * 3600) });
    const d = await env.client.workflowService.describeNamespace({ namespace: name });
    expect(d.namespaceInfo?.name).to.equal(name);
    expect(Number(d.config?.workflowExecutionRetentionTtl?.seconds)).to.equal(3 * 24 * 3600);
    const list = await env.client.workflowService.listNamespaces({});
    expect(list.namespaces!.map((n) => n.namespaceInfo?.name)).to.include.members(['default', name]);
    const dup = await codeOf(env.client.workflowService.registerNamespace({ namespace: name }));
    expect(dup.code).to.equal(grpc.status.ALREADY_EXISTS);
  });

  it('advertises the capabilities the SDK relies on', async () => {
    const env = await testEnv();
    const info = await env.client.workflowService.getSystemInfo({});
    expect(info.capabilities?.signalAndQueryHeader).to.equal(true);
    expect(info.capabilities?.internalErrorDifferentiation).to.equal(true);
    expect(info.capabilities?.sdkMetadata).to.equal(true);
  });
});
