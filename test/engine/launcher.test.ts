/** The launcher is started by @temporalio/testing both ways, and behaves like one well-mannered process. */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { defineSearchAttributeKey } from '@temporalio/common';
import { ENGINE_LAUNCHER, external, fixtureBundle, installQuietRuntime, uniqueId } from './harness';
import * as activities from './fixtures/activities';

function runLauncher(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(ENGINE_LAUNCHER, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let signalled = false;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!signalled && stderr.includes('listening on')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.on('exit', (code, signal) => resolve({ code, stderr: signal ? `${stderr}\n(killed by ${signal})` : stderr }));
  });
}

describe('engine: launcher', function () {
  before(function () {
    if (external) this.skip();
  });

  it('serves createLocal (dev-server arguments) with registered search attributes', async () => {
    installQuietRuntime();
    const caseCode = defineSearchAttributeKey('CaseCode', 'KEYWORD');
    const env = await TestWorkflowEnvironment.createLocal({
      server: { executable: { type: 'existing-path', path: ENGINE_LAUNCHER }, searchAttributes: [caseCode], extraArgs: ['--dynamic-config-value', 'x=1'] },
    });
    try {
      expect(env.supportsTimeSkipping).to.equal(false);
      const taskQueue = uniqueId('local');
      const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle: await fixtureBundle(), activities });
      const result = await worker.runUntil(
        env.client.workflow.execute('hello', { args: ['dev server'], taskQueue, workflowId: uniqueId('local'), typedSearchAttributes: [{ key: caseCode, value: 'HS-001' }] }),
      );
      expect(result).to.equal('Hello, dev server!');
      const attrs = await env.client.workflowService.getSearchAttributes({});
      expect(Object.keys(attrs.keys ?? {})).to.include('CaseCode');
    } finally {
      await env.teardown();
    }
  });

  it('stops cleanly on SIGTERM', async () => {
    const { code, stderr } = await runLauncher(['server', 'start-dev', '--port', '0', '--headless']);
    expect(stderr).to.contain('shutting down');
    expect(code).to.equal(0);
  });

  it('rejects a malformed argument with a message and exit code 2', async () => {
    const { code, stderr } = await runLauncher(['server', 'start-dev', '--search-attribute', 'Broken']);
    expect(code).to.equal(2);
    expect(stderr).to.match(/expected name=Type/);
  });
});
