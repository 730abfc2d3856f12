/**
 * `npm run bench:engine`: one-activity workflows started and run to completion against the
 * embedded engine, with the worker in the same machine. Prints throughput and latency.
 *
 *   BENCH_WORKFLOWS   workflows per round (default 2000)
 *   BENCH_CONCURRENCY workflows in flight at once (default 100)
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { startEngineServer } from '../engine/server';
import * as activities from './fixtures/activities';
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
}

async function round(label: string, address: string, workflowBundle: { code: string }): Promise<RoundResult> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address });
  const taskQueue = `bench-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle,
    activities,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
  });
  const latencies: number[] = [];
  let next = 0;
  const started = Date.now();
  await worker.runUntil(async () => {
    const lane = async () => {
      while (next < TOTAL) {
        const n = next++;
        const t0 = performance.now();
        await client.workflow.execute('oneActivity', { args: [n], taskQueue, workflowId: `${taskQueue}-${n}` });
        latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, lane));
  });
  const seconds = (Date.now() - started) / 1000;
  await nativeConnection.close();
  await connection.close();
  latencies.sort((a, b) => a - b);
  return { label, workflows: TOTAL, seconds, perSecond: TOTAL / seconds, p50: percentile(latencies, 50), p95: percentile(latencies, 95) };
}

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  const workflowBundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./fixtures/workflows'), logger: new DefaultLogger('ERROR') });
  const results: RoundResult[] = [];
  const memory = await startEngineServer({ port: 0 });
  try {
    // A short warm-up so JIT and connection set-up are not measured.
    await round('warm-up', memory.address, workflowBundle);
    results.push(await round('in-memory engine', memory.address, workflowBundle));
  } finally {
    await memory.stop();
  }
  printTable(
    `Engine throughput: ${TOTAL} one-activity workflows, ${CONCURRENCY} in flight, worker in-process`,
    ['store', 'workflows', 'seconds', 'workflows/s', 'p50 ms', 'p95 ms'],
    results.map((r) => [r.label, r.workflows, r.seconds, r.perSecond, r.p50, r.p95]),
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
