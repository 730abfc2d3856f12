/**
 * Listing and bulk replay over the filled engine store: every closed history listed page by page
 * through the SDK client, and the newest `replay` of them replayed as `npm run audit:replay` does
 * (infra/replay), with the resident memory of the process that hosts both the engine and the
 * replayer sampled as they go. Bounded memory shows as the same peak after a tenth of the work
 * and at its end.
 */
import * as fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { startEngineServer } from '../../engine/server';
import { PostgresStore } from '../../engine/store/postgresStore';
import { closedWorkflowsQuery, replayClosedWorkflows, type Period } from '../../infra/replay';

export interface MemoryCourse {
  /** Peak resident memory (MB) over the first tenth of the work. */
  atTenthMb: number;
  /** Peak resident memory (MB) over the first half. */
  atHalfMb: number;
  /** Peak resident memory (MB) over all of it. */
  atEndMb: number;
}

export interface ListAndReplayResult {
  listed: number;
  listSeconds: number;
  listMemory: MemoryCourse;
  counted: number;
  countSeconds: number;
  replayed: number;
  deterministic: number;
  replaySeconds: number;
  replayMemory: MemoryCourse;
}

/** Resident memory sampled every 100 ms, its peak split at the first tenth of `total` steps. */
function memoryWatch(total: number): { step(done: number): void; stop(): MemoryCourse } {
  const mb = () => process.memoryUsage.rss() / 1_048_576;
  let peak = mb();
  let atTenth: number | undefined;
  let atHalf: number | undefined;
  const timer = setInterval(() => (peak = Math.max(peak, mb())), 100);
  return {
    step(done) {
      peak = Math.max(peak, mb());
      if (atTenth === undefined && done >= total / 10) atTenth = peak;
      if (atHalf === undefined && done >= total / 2) atHalf = peak;
    },
    stop() {
      clearInterval(timer);
      return { atTenthMb: Math.round(atTenth ?? peak), atHalfMb: Math.round(atHalf ?? peak), atEndMb: Math.round(Math.max(peak, mb())) };
    },
  };
}

export async function listAndReplay(
  databaseUrl: string,
  bundlePath: string,
  workflowType: string,
  all: Period,
  newest: Period,
  expected: number,
  log: (s: string) => void,
): Promise<ListAndReplayResult> {
  const store = new PostgresStore({ connectionString: databaseUrl, poolSize: 8 });
  const engine = await startEngineServer({ port: 0, store, retentionSweepMs: 24 * 3_600_000 });
  const connection = await Connection.connect({ address: engine.address });
  const client = new Client({ connection });
  try {
    const query = closedWorkflowsQuery({ period: all, workflowType });
    let t = performance.now();
    const counted = (await client.workflow.count(query)).count;
    const countSeconds = (performance.now() - t) / 1000;
    log(`  counted ${counted} closed histories in ${countSeconds.toFixed(1)} s; listing them`);

    t = performance.now();
    const listing = memoryWatch(expected);
    let listed = 0;
    for await (const _ of client.workflow.list({ query, pageSize: 1000 })) listing.step(++listed);
    const listSeconds = (performance.now() - t) / 1000;
    const listMemory = listing.stop();
    log(`  listed ${listed} in ${listSeconds.toFixed(1)} s; replaying the newest`);

    const bundle = { code: fs.readFileSync(bundlePath, 'utf8') };
    t = performance.now();
    let replayWatch: ReturnType<typeof memoryWatch> | undefined;
    const summary = await replayClosedWorkflows({
      client,
      query: { period: newest, workflowType },
      bundle,
      onProgress: ({ done, total }) => (replayWatch ??= memoryWatch(total)).step(done),
    });
    const replayMemory = replayWatch?.stop() ?? { atTenthMb: 0, atHalfMb: 0, atEndMb: 0 };
    return {
      listed,
      listSeconds,
      listMemory,
      counted,
      countSeconds,
      replayed: summary.replayed,
      deterministic: summary.deterministic,
      replaySeconds: (performance.now() - t) / 1000,
      replayMemory,
    };
  } finally {
    await connection.close();
    await engine.stop();
  }
}
