/** List and Count with Temporal's query language, over system and custom search attributes. */
import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { startWorker, testEnv, uniqueId } from './harness';

describe('engine: visibility (List / Count)', function () {
  let worker: Awaited<ReturnType<typeof startWorker>>;
  before(async () => {
    worker = await startWorker();
  });
  after(async () => worker?.stop());

  async function listIds(query: string): Promise<string[]> {
    const env = await testEnv();
    const ids: string[] = [];
    for await (const wf of env.client.workflow.list({ query, pageSize: 2 })) ids.push(wf.workflowId);
    return ids;
  }

  it('finds workflows by a custom keyword set at start and an attribute the workflow upserted', async () => {
    const env = await testEnv();
    const tag = uniqueId('tag');
    const handles = await Promise.all(
      [0, 1, 2].map((i) =>
        env.client.workflow.start('searchable', {
          taskQueue: worker.taskQueue,
          workflowId: `${tag}-${i}`,
          searchAttributes: { CustomTextField: [`${tag} case ${i}`] },
        }),
      ),
    );
    // The workflow upserts CustomIntField = 42 and CustomKeywordField = 'upserted' in its first task.
    for (let i = 0; i < 100; i++) {
      if ((await listIds(`CustomTextField = '${tag}' AND CustomIntField = 42`)).length === 3) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await listIds(`CustomTextField = '${tag}' AND CustomIntField = 42`)).sort()).to.deep.equal(handles.map((h) => h.workflowId).sort());
    expect(await listIds(`CustomTextField = '${tag} case 1'`)).to.deep.equal([`${tag}-1`]);
    expect(await listIds(`CustomTextField = '${tag}' AND CustomKeywordField = 'upserted' AND WorkflowId STARTS_WITH '${tag}-2'`)).to.deep.equal([`${tag}-2`]);
    const count = await env.client.workflow.count(`CustomTextField = '${tag}' AND ExecutionStatus = 'Running'`);
    expect(count.count).to.equal(3);
    await handles[0].terminate();
    expect((await env.client.workflow.count(`CustomTextField = '${tag}' AND ExecutionStatus = 'Running'`)).count).to.equal(2);
    expect(await listIds(`CustomTextField = '${tag}' AND ExecutionStatus IN ('Terminated', 'Failed')`)).to.deep.equal([`${tag}-0`]);
    for (const h of handles.slice(1)) await h.terminate();
  });

  it('filters on type and start time and orders results', async () => {
    const env = await testEnv();
    const prefix = uniqueId('ordered');
    const since = new Date(Date.now() - 60_000).toISOString();
    for (let i = 0; i < 3; i++) {
      await env.client.workflow.execute('hello', { args: [String(i)], taskQueue: worker.taskQueue, workflowId: `${prefix}-${i}` });
    }
    const query = `WorkflowType = 'hello' AND WorkflowId STARTS_WITH '${prefix}' AND StartTime > '${since}'`;
    expect(await listIds(`${query} ORDER BY WorkflowId DESC`)).to.deep.equal([`${prefix}-2`, `${prefix}-1`, `${prefix}-0`]);
    expect(await listIds(`${query} ORDER BY WorkflowId ASC`)).to.deep.equal([`${prefix}-0`, `${prefix}-1`, `${prefix}-2`]);
  });

  it('answers INVALID_ARGUMENT, with the position, for a query it cannot run', async () => {
    const env = await testEnv();
    for (const query of ["WorkflowId LIKE 'x%'", 'NoSuchAttribute = 1', "ExecutionStatus = 'Sleeping'"]) {
      const err = (await env.client.workflowService
        .listWorkflowExecutions({ namespace: env.client.options.namespace, query })
        .then(() => undefined, (e: unknown) => e)) as { code?: number; details?: string } | undefined;
      expect(err?.code, query).to.equal(status.INVALID_ARGUMENT);
      expect(err?.details, query).to.match(/invalid query/);
    }
  });
});
