import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import * as vm from 'node:vm';
import { DEFAULT_WORKFLOW_STACK_TRACE_LIMIT, limitWorkflowStackTraces, workflowStackTraceLimit } from './workflowStackTraces';

describe('workflow sandbox stack traces', () => {
  it('reads WORKFLOW_STACK_TRACE_LIMIT, 3 when unset, and refuses what is not a small whole number', () => {
    expect(workflowStackTraceLimit({})).to.equal(DEFAULT_WORKFLOW_STACK_TRACE_LIMIT).and.to.equal(3);
    expect(workflowStackTraceLimit({ WORKFLOW_STACK_TRACE_LIMIT: '' })).to.equal(3);
    expect(workflowStackTraceLimit({ WORKFLOW_STACK_TRACE_LIMIT: '0' })).to.equal(0);
    expect(workflowStackTraceLimit({ WORKFLOW_STACK_TRACE_LIMIT: '25' })).to.equal(25);
    for (const bad of ['-1', '2.5', 'ten', '101']) {
      expect(() => workflowStackTraceLimit({ WORKFLOW_STACK_TRACE_LIMIT: bad }), bad).to.throw(/WORKFLOW_STACK_TRACE_LIMIT/);
    }
  });

  it('limits contexts and threads created afterwards, not the current one', async () => {
    const own = Error.stackTraceLimit;
    const flag = vm.runInNewContext('Error.stackTraceLimit') as number;
    try {
      limitWorkflowStackTraces(4);
      expect(Error.stackTraceLimit).to.equal(own);
      expect(vm.runInNewContext('Error.stackTraceLimit')).to.equal(4);
      const inThread = await new Promise<unknown>((resolve, reject) => {
        const w = new Worker("require('node:worker_threads').parentPort.postMessage(require('node:vm').runInNewContext('Error.stackTraceLimit'))", { eval: true });
        w.once('message', resolve);
        w.once('error', reject);
      });
      expect(inThread).to.equal(4);
    } finally {
      limitWorkflowStackTraces(flag);
    }
    expect(vm.runInNewContext('Error.stackTraceLimit')).to.equal(flag);
  });
});
