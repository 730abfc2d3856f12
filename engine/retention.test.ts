import { expect } from 'chai';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startEngineServer, type RunningEngine } from './server';
import { sweepRetention } from './retention';

describe('engine: retention', function () {
  let running: RunningEngine;
  let client: Client;
  before(async () => {
    running = await startEngineServer({ port: 0 });
    client = new Client({ connection: await Connection.connect({ address: running.address }) });
  });
  after(async () => {
    await client?.connection.close();
    await running?.stop();
  });

  async function completedRun(workflowId: string): Promise<void> {
    const taskQueue = `ret-${randomUUID()}`;
    await client.workflowService.startWorkflowExecution({ namespace: 'default', workflowId, workflowType: { name: 'T' }, taskQueue: { name: taskQueue }, requestId: randomUUID() });
    const task = await client.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } });
    await client.workflowService.respondWorkflowTaskCompleted({
      namespace: 'default',
      taskToken: task.taskToken,
      commands: [{ commandType: temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} }],
    });
  }

  it('deletes closed runs past the namespace retention, and keeps open and recent ones', async () => {
    const old = `old-${randomUUID()}`;
    const open = `open-${randomUUID()}`;
    await completedRun(old);
    await client.workflowService.startWorkflowExecution({ namespace: 'default', workflowId: open, workflowType: { name: 'T' }, taskQueue: { name: 'nobody' }, requestId: randomUUID() });
    const retentionMs = running.engine.namespaces.get('default').retentionMs;

    expect(await sweepRetention(running.engine, Date.now())).to.equal(0);
    const deleted = await sweepRetention(running.engine, Date.now() + retentionMs + 1000);
    expect(deleted).to.equal(1);
    const gone = await client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: old } }).then(() => 'found', (e: { code?: number }) => e.code);
    expect(gone).to.equal(5);
    const stillThere = await client.workflowService.describeWorkflowExecution({ namespace: 'default', execution: { workflowId: open } });
    expect(stillThere.workflowExecutionInfo?.status).to.equal(temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    // The id is free again.
    await completedRun(old);
  });
});
