/**
 * Durability on the embedded default: the engine (PostgreSQL store) and the worker run as real
 * processes and are killed with SIGKILL at random points, PostgreSQL itself is crashed once
 * under load, and still every workflow completes, each activity side effect happens exactly
 * once, and no history has a gap or a duplicate event id.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { Pool } from 'pg';
import { resolveDatabase, type TestDatabase } from '../../db/databaseUrl';
import { findFreePort } from '../../db/embeddedPostgres';
import { crashProcess, startProcess, stopProcess, waitForPort, type Managed } from '../../scripts/lib/supervisor';
import { ENGINE_LAUNCHER, external, installQuietRuntime, ROOT } from './harness';

const WORKFLOWS = Number(process.env.CRASH_WORKFLOWS ?? 200);
const KILLS = Number(process.env.CRASH_KILLS ?? 3);
const TSX = `file://${ROOT}/node_modules/tsx/dist/loader.mjs`;

/** CRASH_DEBUG=1 narrates the chaos and keeps the engine's and worker's output in .data/crash-*.log. */
const debug = process.env.CRASH_DEBUG === '1';
const say = (text: string) => debug && console.log(`      [crash] ${new Date().toISOString()} ${text}`);

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (min: number, max: number) => min + Math.floor(Math.random() * (max - min));

/** Retries a call while the engine is down or restarting. */
async function persist<T>(fn: () => Promise<T>, what: string, deadline = Date.now() + 120_000): Promise<T> {
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      await pause(250);
    }
  }
}

describe('engine: crash recovery (real processes, PostgreSQL store)', function () {
  this.timeout(15 * 60_000);
  let db: TestDatabase;
  let pool: Pool;
  let enginePort: number;
  let engine: Managed | undefined;
  let worker: Managed | undefined;
  let bundlePath: string;
  const taskQueue = `crash-${process.pid}`;

  before(async function () {
    if (external) this.skip();
    installQuietRuntime();
    db = await resolveDatabase({ purpose: 'test' });
    pool = new Pool({ connectionString: db.url, max: 4 });
    pool.on('error', () => undefined);
    await pool.query(`
      create table crash_attempts (key text not null, attempt int not null, at timestamptz not null default now());
      create table crash_idempotency (key text primary key);
      create table crash_effects (key text not null, attempt int not null);`);
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./crash/workflows'), logger: new DefaultLogger('ERROR') });
    bundlePath = path.join(ROOT, '.data', `crash-bundle-${process.pid}.js`);
    fs.writeFileSync(bundlePath, bundle.code);
    enginePort = await findFreePort();
  });

  after(async () => {
    for (const p of [worker, engine]) if (p) await stopProcess(p, 3000);
    await pool?.end();
    await db?.drop();
    if (bundlePath) fs.rmSync(bundlePath, { force: true });
  });

  async function startEngine(): Promise<void> {
    say('starting engine');
    engine = startProcess('engine', ENGINE_LAUNCHER, ['server', 'start-dev', '--port', String(enginePort), '--db-url', db.url], { ...process.env, ENGINE_LOG_LEVEL: debug ? 'info' : 'warn' }, { quiet: !debug });
    await waitForPort('127.0.0.1', enginePort, 60_000, engine.exited).catch((err: Error) => {
      throw new Error(`${err.message}\n${engine?.tail()}`);
    });
  }

  function startWorker(): void {
    say('starting worker');
    worker = startProcess(
      'worker',
      process.execPath,
      ['--import', TSX, path.join(__dirname, 'crash/worker.ts')],
      { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${enginePort}`, DATABASE_URL: db.url, TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE: bundlePath },
      { quiet: !debug },
    );
  }

  it(`completes ${WORKFLOWS} in-flight workflows with each side effect exactly once across ${KILLS} kills of the engine and the worker, and a PostgreSQL crash`, async () => {
    await startEngine();
    startWorker();
    const connection = await Connection.connect({ address: `127.0.0.1:${enginePort}` });
    const client = new Client({ connection });
    const ids = Array.from({ length: WORKFLOWS }, (_, i) => `crash-${process.pid}-${i}`);
    await Promise.all(
      ids.map((workflowId, i) =>
        persist(() => client.workflow.start('crashWorkflow', { args: [i], taskQueue, workflowId, workflowTaskTimeout: '2 seconds' }), `start ${workflowId}`),
      ),
    );

    let engineKills = 0;
    let workerKills = 0;
    let postgresCrashes = 0;
    const signalled = new Set<string>();
    const sendSignals = async (share: number) => {
      const batch = ids.filter((id) => !signalled.has(id)).slice(0, Math.ceil(ids.length * share));
      await Promise.all(batch.map((id) => persist(() => client.workflow.getHandle(id).signal('proceed'), `signal ${id}`).then(() => signalled.add(id))));
    };

    for (let k = 0; k < KILLS; k++) {
      await pause(between(300, 2500));
      say('killing engine');
      await crashProcess(engine!);
      engineKills++;
      if (k % 2 === 0) {
        say('killing worker');
        await crashProcess(worker!);
        workerKills++;
      }
      await pause(between(100, 1000));
      await startEngine();
      if (worker!.child.exitCode !== null || worker!.child.signalCode !== null) startWorker();
      await sendSignals(1 / (KILLS + 1));
      if (k === 1 && db.embedded) {
        // PostgreSQL crashes under load; the engine must reconnect and carry on.
        say('crashing PostgreSQL');
        await db.embedded.kill('SIGKILL');
        postgresCrashes++;
        await pause(500);
        await db.embedded.start();
      }
      await pause(between(300, 1500));
      say('killing worker');
      await crashProcess(worker!);
      workerKills++;
      startWorker();
    }
    await sendSignals(1);
    say('chaos over, waiting for results');

    const results = await Promise.all(
      ids.map((id) => persist(() => client.workflow.getHandle(id).result(), `result of ${id}`, Date.now() + 300_000)),
    );
    expect(results).to.deep.equal(ids.map((_, i) => `done ${i}`));

    const effects = await pool.query<{ total: string; distinct_keys: string }>('select count(*) as total, count(distinct key) as distinct_keys from crash_effects');
    const attempts = await pool.query<{ total: string; retried: string }>("select count(*) as total, count(*) filter (where attempt > 1) as retried from crash_attempts");
    const expectedKeys = ids.flatMap((id) => [`${id}:first`, `${id}:second`]);
    const present = await pool.query<{ key: string }>('select key from crash_effects');
    const duplicates = Number(effects.rows[0].total) - Number(effects.rows[0].distinct_keys);

    let gaps = 0;
    for (const id of ids) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      const eventIds = history.events!.map((e) => Number(e.eventId));
      if (eventIds.some((eventId, i) => eventId !== i + 1)) gaps++;
    }

    console.log(
      `      crash test: ${WORKFLOWS} workflows, ${engineKills} engine kills, ${workerKills} worker kills, ${postgresCrashes} PostgreSQL crash(es), ` +
        `${attempts.rows[0].total} activity attempts (${attempts.rows[0].retried} retries), ${effects.rows[0].total} side effects, ${duplicates} duplicates, ${gaps} histories with gaps`,
    );
    expect(duplicates).to.equal(0);
    expect(new Set(present.rows.map((r) => r.key))).to.deep.equal(new Set(expectedKeys));
    expect(Number(attempts.rows[0].retried)).to.be.greaterThan(0);
    expect(gaps).to.equal(0);
    expect(engineKills).to.be.at.least(KILLS);
    await connection.close();
  });
});
