/**
 * GET /health tells the truth within its bound: green with a polling worker, and naming the part
 * that is wrong — worker not polling, a task waiting for a worker, a database that does not
 * answer, an exhausted pool — with 503 and no longer than its bound.
 */
import { expect } from 'chai';
import express from 'express';
import type { AddressInfo } from 'node:net';
import * as net from 'node:net';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { healthRouter, type HealthDeps } from '../../api/health';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { installQuietRuntime } from '../engine/harness';
import * as activities from '../../activities';

const ENGINE = path.resolve(__dirname, '../../bin/temporal-engine');

interface Health {
  status: string;
  problems?: string[];
  checks: Record<string, { ok: boolean; problem?: string }>;
}

describe('GET /health', function () {
  this.timeout(120_000);
  let env: TestWorkflowEnvironment;
  let db: TestDatabase;
  let pool: Pool;
  const closers: Array<() => Promise<unknown>> = [];

  before(async function () {
    if (process.env.TEMPORAL_ADDRESS) this.skip();
    installQuietRuntime();
    [env, db] = await Promise.all([
      TestWorkflowEnvironment.createLocal({ server: { executable: { type: 'existing-path', path: ENGINE } } }),
      resolveDatabase({ purpose: 'test' }),
    ]);
    pool = new Pool({ connectionString: db.url, max: 2 });
  });
  after(async () => {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await pool?.end();
    await env?.teardown();
    await db?.drop();
  });

  /** An app with only the health route, answering on a free port. */
  async function healthOf(overrides: Partial<HealthDeps> = {}): Promise<(query?: string) => Promise<{ status: number; body: Health; ms: number }>> {
    const app = express();
    app.use(
      healthRouter({
        pool,
        client: env.client,
        target: { address: 'embedded', namespace: 'default', embedded: true },
        taskQueue: overrides.taskQueue ?? `health-${randomUUID()}`,
        limits: { pollerStaleMs: 1_500, stuckTaskMs: 1_000 },
        ...overrides,
      }),
    );
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    closers.push(() => new Promise((r) => {
      server.close(r);
      server.closeAllConnections();
    }));
    const port = (server.address() as AddressInfo).port;
    return async (query = '') => {
      const started = Date.now();
      const res = await fetch(`http://127.0.0.1:${port}/health${query}`);
      return { status: res.status, body: (await res.json()) as Health, ms: Date.now() - started };
    };
  }

  async function startWorker(taskQueue: string): Promise<{ stop(): Promise<void> }> {
    const worker = await Worker.create({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      workflowsPath: require.resolve('../../workflows/systemCheck'),
      activities: { ping: activities.ping },
    });
    const running = worker.run();
    return {
      stop: async () => {
        worker.shutdown();
        await running;
      },
    };
  }

  it('is green with a worker polling, and names the missing worker and the waiting task once it is gone', async () => {
    const taskQueue = `health-${randomUUID()}`;
    const get = await healthOf({ taskQueue });
    const worker = await startWorker(taskQueue);
    const green = await get('?deep=1');
    expect(green.status, JSON.stringify(green.body)).to.equal(200);
    expect(green.body.problems).to.equal(undefined);
    expect(green.body.checks.worker!.ok).to.equal(true);
    expect(green.body.checks.endToEnd!.ok).to.equal(true);

    await worker.stop();
    // A case's workflow task that nobody takes.
    await env.client.workflow.start('systemCheck', { taskQueue, workflowId: `stuck-${randomUUID()}`, workflowExecutionTimeout: '1 minute' });
    await new Promise((r) => setTimeout(r, 2_000));
    const red = await get('?deep=1');
    expect(red.status).to.equal(503);
    expect(red.body.status).to.equal('degraded');
    const problems = red.body.problems!.join('\n');
    expect(problems).to.match(/worker not polling task queue/);
    expect(problems).to.match(/oldest workflow task .* has waited \d+ s for a worker/);
    expect(problems).to.match(/check workflow did not run/);
    expect(red.ms).to.be.below(6_000);
    // Without ?deep=1 the database and the engine are what is asked, and they are fine.
    expect((await get()).status).to.equal(200);
  });

  it('answers within its bound and names the database when it does not answer', async () => {
    // A "database" that accepts connections and never says a word: the worst case for a probe.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => void sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    closers.push(() => new Promise((r) => {
      silent.close(r);
      for (const s of sockets) s.destroy();
    }));
    const hung = new Pool({ connectionString: `postgres://x:y@127.0.0.1:${(silent.address() as AddressInfo).port}/x`, max: 1 });
    hung.on('error', () => undefined);
    // Not awaited: ending a pool whose connection never completed would wait for it.
    closers.push(async () => void hung.end().catch(() => undefined));
    const get = await healthOf({ pool: hung, limits: { probeMs: 1_000, totalMs: 2_000 } });
    const res = await get();
    expect(res.status).to.equal(503);
    expect(res.body.problems).to.have.length(1);
    expect(res.body.problems![0]).to.match(/^database unreachable: no answer within 1000 ms/);
    expect(res.body.checks.temporal!.ok).to.equal(true);
    expect(res.ms).to.be.below(2_500);
  });

  it('names an exhausted connection pool', async () => {
    const get = await healthOf({ appPool: { totalCount: 10, idleCount: 0, waitingCount: 7, options: { max: 10 } } });
    const res = await get();
    expect(res.status).to.equal(503);
    expect(res.body.problems).to.deep.equal(['connection pool exhausted: 7 requests waiting, all 10 connections busy']);
    const fine = await (await healthOf({ appPool: { totalCount: 4, idleCount: 2, waitingCount: 0, options: { max: 10 } } }))();
    expect(fine.status).to.equal(200);
  });
});
