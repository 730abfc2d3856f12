import { expect } from 'chai';
import { Client } from '@temporalio/client';
import { startWorker, testEnv, uniqueId } from './harness';

describe('engine: eager workflow start', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  let client: Client;
  before(async () => {
    worker = await startWorker();
    const env = await testEnv();
    // Eager start needs the client to share the worker's connection.
    client = new Client({ connection: env.nativeConnection, namespace: env.client.options.namespace });
  });
  after(async () => worker?.stop());

  it('announces the capability', async () => {
    const env = await testEnv();
    const info = await env.client.workflowService.getSystemInfo({});
    expect(info.capabilities?.eagerWorkflowStart).to.equal(true);
    const ns = await env.client.workflowService.describeNamespace({ namespace: env.client.options.namespace });
    expect(ns.namespaceInfo?.capabilities?.eagerWorkflowStart).to.equal(true);
  });

  it('hands the first workflow task to the starting worker in the start answer', async () => {
    const handle = await client.workflow.start('hello', { args: ['eager'], taskQueue: worker.taskQueue, workflowId: uniqueId('eager'), requestEagerStart: true });
    expect(handle.eagerlyStarted).to.equal(true);
    expect(await handle.result()).to.equal('Hello, eager!');
    const events = (await handle.fetchHistory()).events ?? [];
    expect(events.slice(0, 4).map((e) => Object.keys(e).find((k) => k.endsWith('EventAttributes')))).to.deep.equal([
      'workflowExecutionStartedEventAttributes',
      'workflowTaskScheduledEventAttributes',
      'workflowTaskStartedEventAttributes',
      'workflowTaskCompletedEventAttributes',
    ]);
  });

  it('starts normally when the start is delayed, or without the request', async () => {
    const delayed = await client.workflow.start('hello', { args: ['later'], taskQueue: worker.taskQueue, workflowId: uniqueId('eager-delay'), requestEagerStart: true, startDelay: '1s' });
    expect(delayed.eagerlyStarted).to.equal(false);
    await delayed.terminate('not needed');
    const plain = await client.workflow.start('hello', { args: ['plain'], taskQueue: worker.taskQueue, workflowId: uniqueId('eager-no') });
    expect(plain.eagerlyStarted).to.equal(false);
    expect(await plain.result()).to.equal('Hello, plain!');
  });
});
