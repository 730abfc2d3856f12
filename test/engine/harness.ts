/**
 * One Temporal environment for the whole engine suite: the embedded engine in time-skipping
 * mode, launched by @temporalio/testing exactly as it launches Temporal's own test server — or,
 * with TEMPORAL_ADDRESS set, an external cluster (tests that need time skipping then skip and
 * say so).
 */
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { externalTemporal } from '../../infra/temporalConfig';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { startEngineServer, type EngineServerOptions, type RunningEngine } from '../../engine/server';
import * as activities from './fixtures/activities';

export const ROOT = path.resolve(__dirname, '../..');
export const ENGINE_LAUNCHER = path.join(ROOT, 'bin/temporal-engine');

let envPromise: Promise<TestWorkflowEnvironment> | undefined;
let bundlePromise: Promise<{ code: string }> | undefined;
let runtimeInstalled = false;

export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
}

export const external = externalTemporal();

export function testEnv(): Promise<TestWorkflowEnvironment> {
  installQuietRuntime();
  envPromise ??= external
    ? TestWorkflowEnvironment.createFromExistingServer({
        address: external.address,
        namespace: external.namespace,
        connectionOptions: { tls: external.tls, apiKey: external.apiKey },
      })
    : TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: ENGINE_LAUNCHER } } });
  return envPromise;
}

export async function teardownTestEnv(): Promise<void> {
  if (!envPromise) return;
  const env = await envPromise;
  envPromise = undefined;
  await env.teardown();
}

/** Skips the current test with a visible reason when the server cannot skip time. */
export async function requireTimeSkipping(ctx: Mocha.Context): Promise<void> {
  const env = await testEnv();
  if (!env.supportsTimeSkipping) {
    console.log(`      (skipped: ${ctx.test?.title} needs time skipping, which ${external?.address ?? 'this server'} does not offer)`);
    ctx.skip();
  }
}

export function uniqueId(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The fixture workflows, bundled once for every worker of the suite. */
export function fixtureBundle(): Promise<{ code: string }> {
  installQuietRuntime();
  bundlePromise ??= bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/workflows'), logger: new DefaultLogger('WARN') });
  return bundlePromise;
}

/** A worker on its own task queue, running in the background until `stop()`. */
export async function startWorker(options: Partial<WorkerOptions> = {}): Promise<{ taskQueue: string; worker: Worker; stop(): Promise<void> }> {
  const env = await testEnv();
  const taskQueue = options.taskQueue ?? uniqueId('tq');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.client.options.namespace,
    taskQueue,
    workflowBundle: await fixtureBundle(),
    activities,
    ...options,
  });
  const running = worker.run();
  return {
    taskQueue,
    worker,
    stop: async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
  };
}

/**
 * For a suite that restarts the embedded engine on a PostgreSQL store of its own: skips it, saying
 * why, against an external cluster; `start()` runs an engine on that store, stopped after the suite.
 */
export function enginesOnOwnStore(): { start(options?: Partial<EngineServerOptions>): Promise<RunningEngine>; databaseUrl(): string } {
  let db: TestDatabase | undefined;
  const engines: RunningEngine[] = [];
  before(async function () {
    if (external) {
      console.log('      (skipped: restarts the embedded engine on its own database, which a TEMPORAL_ADDRESS cluster is not)');
      this.skip();
    }
    installQuietRuntime();
    db = await resolveDatabase({ purpose: 'test' });
  });
  after(async () => {
    for (const e of engines) await e.stop();
    await db?.drop();
  });
  return {
    async start(options = {}) {
      const engine = await startEngineServer({ port: 0, databaseUrl: db!.url, ...options });
      // A test stops its engine to restart it; the suite's end stops what is still running, once.
      let stopped: Promise<void> | undefined;
      const once = { ...engine, stop: () => (stopped ??= engine.stop()) };
      engines.push(once);
      return once;
    },
    databaseUrl: () => db!.url,
  };
}
