/**
 * The engine's store at a province's size: closed one-activity workflow histories cloned by SQL
 * from runs the real engine wrote, and the start/complete rate of new workflows measured through
 * the real SDK worker and client against that store and against an empty one.
 */
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection } from '@temporalio/worker';
import { Pool } from 'pg';
import { startEngineServer } from '../../engine/server';
import { ENGINE_SCHEMA } from '../../engine/store/postgresSchema';
import { PostgresStore } from '../../engine/store/postgresStore';
import { SPAN_DAYS } from './fillReadModel';

const S = ENGINE_SCHEMA;
/** Retention the filled namespace gets, so three years of closed runs stay (the sweep leaves them). */
const YEARS_OF_RETENTION_MS = 4 * 365 * 86_400_000;

export async function bundleBenchWorkflows(dir: string): Promise<string> {
  const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../fixtures/workflows'), logger: new DefaultLogger('ERROR') });
  const file = path.join(dir, `scale-bundle-${process.pid}.js`);
  fs.writeFileSync(file, bundle.code);
  return file;
}

export interface RateResult {
  workflows: number;
  seconds: number;
  perSecond: number;
}

/**
 * `total` one-activity workflows started and completed, `concurrency` at a time, against an engine
 * on `databaseUrl`. The retention sweep runs every `sweepMs` (by default not during the round:
 * the purge is timed apart); `afterRound` runs before the engine stops.
 */
export async function engineRate(
  databaseUrl: string,
  bundlePath: string,
  total: number,
  concurrency: number,
  sweepMs = 24 * 3_600_000,
  afterRound?: () => Promise<void>,
): Promise<RateResult> {
  const store = new PostgresStore({ connectionString: databaseUrl, poolSize: 16 });
  const engine = await startEngineServer({ port: 0, store, retentionSweepMs: sweepMs });
  const connection = await NativeConnection.connect({ address: engine.address, grpcCompression: { codec: 'none' } });
  const taskQueue = `scale-${randomUUID()}`;
  const worker = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'worker.ts'), engine.address, taskQueue, bundlePath], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      worker.once('exit', (code) => reject(new Error(`bench worker exited with ${code}`)));
    });
    const client = new Client({ connection });
    let next = 0;
    let wrong = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < total) {
          const n = next++;
          const result = await client.workflow.execute('oneActivity', { args: [n], taskQueue, workflowId: `${taskQueue}-${n}` });
          if (result !== n) wrong++;
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    if (wrong > 0) throw new Error(`${wrong} workflows returned a wrong result`);
    await afterRound?.();
    return { workflows: total, seconds, perSecond: total / seconds };
  } finally {
    worker.kill('SIGTERM');
    await new Promise((resolve) => (worker.exitCode === null ? worker.once('exit', resolve) : resolve(undefined)));
    await connection.close();
    await engine.stop();
  }
}

/**
 * `n` closed histories in the engine's store: a few real runs written by the engine, then copied
 * under new workflow and run ids with close times spread over the three years (history, execution
 * state, current run and visibility rows alike).
 */
export async function fillEngine(
  databaseUrl: string,
  bundlePath: string,
  n: number,
  now: Date,
  log: (s: string) => void,
  closing: { spanDays: number; retentionMs: number } = { spanDays: SPAN_DAYS, retentionMs: YEARS_OF_RETENTION_MS },
): Promise<void> {
  await engineRate(databaseUrl, bundlePath, 20, 5);
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  pool.on('error', () => undefined);
  try {
    const t0 = Date.now();
    const template = await pool.query<{ namespace: string; workflow_id: string; run_id: string }>(
      `select namespace, workflow_id, run_id from ${S}.executions where status <> 1 order by close_time desc limit 1`,
    );
    const t = template.rows[0];
    if (!t) throw new Error('the engine wrote no closed run to copy');
    const key = [t.namespace, t.workflow_id, t.run_id];
    const spanS = (closing.spanDays * 86_400_000) / 1000;
    // i-th copy: workflow id scale-<i>, a run id derived from i, closed at an instant of the span up to `now`.
    const ids = `select i, 'scale-' || i as wid, md5('scale-run-' || i)::uuid::text as rid,
                        date_trunc('milliseconds', to_timestamp(${now.getTime() / 1000 - spanS} + (i + 0.5) * ${spanS / n})) as closed
                 from generate_series(0, ${n - 1}) as i`;
    await pool.query(
      `insert into ${S}.executions (namespace, workflow_id, run_id, version, status, close_time, state)
       select e.namespace, g.wid, g.rid, e.version, e.status, g.closed,
              replace(replace(e.state::text, e.workflow_id, g.wid), e.run_id, g.rid)::jsonb
       from ${S}.executions e, (${ids}) g where e.namespace = $1 and e.workflow_id = $2 and e.run_id = $3`,
      key,
    );
    log(`  engine executions: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await pool.query(
      `insert into ${S}.current_runs (namespace, workflow_id, run_id) select $1, g.wid, g.rid from (${ids}) g`,
      [t.namespace],
    );
    await pool.query(
      `insert into ${S}.visibility (namespace, workflow_id, run_id, status, start_time, close_time, record, info)
       select v.namespace, g.wid, g.rid, v.status, g.closed - (v.close_time - v.start_time), g.closed,
              -- The record's instants are the columns' (in ms), as the engine writes them: listings order by the one and filter by the other.
              replace(replace(v.record::text, v.workflow_id, g.wid), v.run_id, g.rid)::jsonb || jsonb_build_object(
                'closeTime', (extract(epoch from g.closed) * 1000)::bigint,
                'startTime', (extract(epoch from g.closed - (v.close_time - v.start_time)) * 1000)::bigint,
                'executionTime', (extract(epoch from g.closed - (v.close_time - v.start_time)) * 1000)::bigint), v.info
       from ${S}.visibility v, (${ids}) g where v.namespace = $1 and v.workflow_id = $2 and v.run_id = $3`,
      key,
    );
    log(`  engine visibility: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await pool.query(
      `insert into ${S}.history (namespace, workflow_id, run_id, event_id, event)
       select h.namespace, g.wid, g.rid, h.event_id, h.event
       from (${ids}) g, ${S}.history h where h.namespace = $1 and h.workflow_id = $2 and h.run_id = $3`,
      key,
    );
    log(`  engine history: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    await pool.query(`update ${S}.namespaces set record = jsonb_set(record, '{retentionMs}', to_jsonb($2::bigint)) where name = $1`, [t.namespace, closing.retentionMs]);
  } finally {
    await pool.end();
  }
}

export interface PurgeResult {
  expired: number;
  purgedDuringRound: number;
  left: number;
  purgeSeconds: number;
  rate: RateResult;
}

const expiredCount = async (pool: Pool, retentionMs: number, now: number) =>
  Number((await pool.query<{ n: string }>(`select count(*)::text as n from ${S}.executions where status <> 1 and close_time < $1`, [new Date(now - retentionMs)])).rows[0].n);

/**
 * The retention sweep purging `n` expired closed runs while new workflows run: `n` histories
 * closed 10 to 40 days ago under a 7-day retention, in a database of their own, and a round of
 * workflows with the sweep every half second; then the sweep is waited for until nothing expired
 * is left (or `waitS` seconds pass).
 */
export async function purgeWhileWorking(adminUrl: string, url: string, bundlePath: string, n: number, workflows: number, log: (s: string) => void, waitS = 600): Promise<PurgeResult> {
  const admin = new Pool({ connectionString: adminUrl, max: 1 });
  admin.on('error', () => undefined);
  await admin.query('drop database if exists scale_purge');
  await admin.query('create database scale_purge');
  await admin.end();
  const retentionMs = 7 * 86_400_000;
  // Closed 10 to 40 days before now: every copy is past the 7-day retention.
  await fillEngine(url, bundlePath, n, new Date(Date.now() - 10 * 86_400_000), log, { spanDays: 30, retentionMs });
  const pool = new Pool({ connectionString: url, max: 1 });
  pool.on('error', () => undefined);
  try {
    const expired = await expiredCount(pool, retentionMs, Date.now());
    let purgedDuringRound = 0;
    let purgeSeconds = 0;
    const started = Date.now();
    const rate = await engineRate(url, bundlePath, workflows, 50, 500, async () => {
      purgedDuringRound = expired - (await expiredCount(pool, retentionMs, Date.now()));
      while ((await expiredCount(pool, retentionMs, Date.now())) > 0 && Date.now() - started < waitS * 1000) await new Promise((r) => setTimeout(r, 1000));
      purgeSeconds = (Date.now() - started) / 1000;
    });
    return { expired, purgedDuringRound, left: await expiredCount(pool, retentionMs, Date.now()), purgeSeconds, rate };
  } finally {
    await pool.end();
  }
}
