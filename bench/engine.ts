/**
 * `npm run bench:engine`: one-activity workflows started and run to completion against the
 * embedded engine, with the worker in its own process on the same machine, once with the in-memory store and once
 * with the PostgreSQL store. Next to them, the raw commit rate of the same PostgreSQL (a loop of
 * single-row INSERT transactions, on one connection and on as many as the engine uses), so the
 * overhead shows as a ratio. Commits per workflow are counted at the store.
 *
 *   BENCH_WORKFLOWS   workflows per round (default 2000)
 *   BENCH_CONCURRENCY workflows in flight at once (default 100)
 */
import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { bundleWorkflowCode, DefaultLogger, NativeConnection } from '@temporalio/worker';
import * as path from 'node:path';
import { Pool } from 'pg';
import { startEngineServer } from '../engine/server';
import { PostgresStore } from '../engine/store/postgresStore';
import type { CommitBatch, EngineStore } from '../engine/store/store';
import { startEmbeddedPostgres } from '../db/embeddedPostgres';
import { cpuSeconds, cpuSecondsWithChildren } from './cpu';
import { percentile, printTable } from './stats';

const TOTAL = Number(process.env.BENCH_WORKFLOWS ?? 2000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);

interface RoundResult {
  label: string;
  workflows: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p95: number;
  /** CPU milliseconds per workflow: this process (engine and client), the worker, PostgreSQL */
  cpu: { engine: number; worker: number; postgres: number };
}

async function round(label: string, address: string, bundlePath: string, postgresPid?: number): Promise<RoundResult> {
  // The client rides on the SDK's native connection (the worker's Rust gRPC client), which the
  // SDK offers for clients too: the grpc-js one costs this process about 2 ms of CPU per
  // workflow more, CPU the engine beside it would otherwise have.
  const connection = await NativeConnection.connect({ address, grpcCompression: { codec: 'none' } });
  const client = new Client({ connection });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'worker.ts'), address, taskQueue, bundlePath], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    worker.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    worker.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
  });
  const latencies: number[] = [];
  let next = 0;
  const cpuBefore = { engine: process.cpuUsage(), worker: cpuSeconds(worker.pid!), postgres: postgresPid ? cpuSecondsWithChildren(postgresPid) : undefined };
  const started = Date.now();
  const lane = async () => {
    while (next < TOTAL) {
      const n = next++;
      const t0 = performance.now();
      await client.workflow.execute('oneActivity', { args: [n], taskQueue, workflowId: `${taskQueue}-${n}` });
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  const seconds = (Date.now() - started) / 1000;
  const perWorkflowMs = (before: number | undefined, after: number | undefined) => (before === undefined || after === undefined ? NaN : ((after - before) * 1000) / TOTAL);
  const engineUsage = process.cpuUsage(cpuBefore.engine);
  const cpu = {
    engine: (engineUsage.user + engineUsage.system) / 1000 / TOTAL,
    worker: perWorkflowMs(cpuBefore.worker, cpuSeconds(worker.pid!)),
    postgres: postgresPid ? perWorkflowMs(cpuBefore.postgres, cpuSecondsWithChildren(postgresPid)) : 0,
  };
  worker.kill('SIGTERM');
  await new Promise((resolve) => worker.once('exit', resolve));
  await connection.close();
  latencies.sort((a, b) => a - b);
  return { label, workflows: TOTAL, seconds, perSecond: TOTAL / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95), cpu };
}

const ENGINE_POOL = 16;

/** Counts commits without changing behaviour. */
function counting(store: PostgresStore): { store: EngineStore; commits: () => number } {
  let commits = 0;
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'commit') {
        return (batch: CommitBatch) => {
          commits++;
          return target.commit(batch);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { store: proxy, commits: () => commits };
}

/** A backend reports its transaction counts when it exits: give closed connections a moment. */
function backendsReported(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000));
}

/** Transactions PostgreSQL has committed in the database so far (read-only ones included). */
async function transactionsCommitted(url: string): Promise<number> {
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  try {
    const r = await pool.query<{ n: string }>('select xact_commit::text as n from pg_stat_database where datname = current_database()');
    return Number(r.rows[0].n);
  } finally {
    await pool.end();
  }
}

/** Single-row INSERT transactions per second, for `seconds`, over `connections` connections. */
async function rawCommitRate(url: string, connections: number, seconds: number): Promise<number> {
  const pool = new Pool({ connectionString: url, max: connections });
  // pool.end() resolves before the server has seen every connection close; stopping the server
  // right after must not surface as an unhandled error on a connection being closed anyway.
  pool.on('error', () => undefined);
  await pool.query('create table if not exists bench_raw (id bigserial primary key, payload bytea not null)');
  const payload = Buffer.alloc(300, 7);
  let count = 0;
  const stopAt = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (Date.now() < stopAt) {
        await pool.query('insert into bench_raw (payload) values ($1)', [payload]);
        count++;
      }
    }),
  );
  await pool.end();
  return count / seconds;
}

async function main(): Promise<void> {
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/workflows'), logger: new DefaultLogger('ERROR') });
  const workflowBundle = path.join(__dirname, '..', '.data', `bench-bundle-${process.pid}.js`);
  fs.mkdirSync(path.dirname(workflowBundle), { recursive: true });
  fs.writeFileSync(workflowBundle, bundle.code);
  const results: RoundResult[] = [];
  const memory = await startEngineServer({ port: 0 });
  try {
    // A short warm-up so JIT and connection set-up are not measured.
    await round('warm-up', memory.address, workflowBundle);
    results.push(await round('in-memory', memory.address, workflowBundle));
  } finally {
    await memory.stop();
  }

  // A PostgreSQL with fsync on, like the run command's, in its own data directory.
  const pg = await startEmbeddedPostgres({ dataDir: path.join(__dirname, '..', '.data', 'bench-pg'), fresh: true, database: 'bench' });
  try {
    // The disk's commit rate drifts over a minute on a shared machine: sampled before and after
    // the persisted round, and the ratio taken against their mean.
    const rawBefore = await rawCommitRate(pg.url, 1, 3);
    const counted = counting(new PostgresStore({ connectionString: pg.url, poolSize: ENGINE_POOL }));
    const persisted = await startEngineServer({ port: 0, store: counted.store });
    let commitsPerWorkflow: number;
    let transactionsBefore: number;
    try {
      await backendsReported();
      transactionsBefore = await transactionsCommitted(pg.url);
      const before = counted.commits();
      results.push(await round('PostgreSQL', persisted.address, workflowBundle, pg.pid));
      commitsPerWorkflow = (counted.commits() - before) / TOTAL;
    } finally {
      await persisted.stop();
    }
    await backendsReported();
    const transactionsPerWorkflow = (await transactionsCommitted(pg.url) - transactionsBefore - 1) / TOTAL;
    const rawAfter = await rawCommitRate(pg.url, 1, 3);
    const rawSingle = (rawBefore + rawAfter) / 2;
    const rawPool = await rawCommitRate(pg.url, ENGINE_POOL, 3);
    printTable(
      `Engine throughput: ${TOTAL} one-activity workflows, ${CONCURRENCY} in flight, worker in its own process`,
      ['store', 'workflows', 'seconds', 'workflows/s', 'p50 ms', 'p95 ms', 'CPU ms/wf: engine+client', 'worker', 'PostgreSQL'],
      results.map((r) => [r.label, r.workflows, r.seconds, r.perSecond, r.p50, r.p95, r.cpu.engine, r.cpu.worker, r.cpu.postgres]),
    );
    const persistedRate = results.find((r) => r.label === 'PostgreSQL')!.perSecond;
    printTable(
      `PostgreSQL overhead (${commitsPerWorkflow.toFixed(2)} commits per workflow, counted at the store; ` +
        `${transactionsPerWorkflow.toFixed(2)} PostgreSQL transactions per workflow, reads included, as group commit writes concurrent commits together)`,
      ['raw commits measured on', 'commits/s', 'workflows/s if commits were all', 'engine workflows/s', 'ratio'],
      (
        [
          ['1 connection, before the round', rawBefore],
          ['1 connection, after the round', rawAfter],
          ['1 connection, mean (the criterion)', rawSingle],
          [`${ENGINE_POOL} connections`, rawPool],
        ] as const
      ).map(([on, raw]) => [on, raw, raw / commitsPerWorkflow, persistedRate, `${((100 * persistedRate * commitsPerWorkflow) / raw).toFixed(0)}%`]),
    );
  } finally {
    await pg.stop();
    fs.rmSync(workflowBundle, { force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
