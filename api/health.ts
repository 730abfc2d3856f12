/**
 * GET /health: answers within a bound whatever is down, and names what is wrong.
 *
 * Always: the database answers, the application's connection pool is not exhausted, Temporal
 * answers. With ?deep=1 also: a worker polls the task queue (workflow and activity pollers, from
 * DescribeTaskQueue), no task has waited for a worker beyond the threshold, and a workflow runs
 * end to end. Every probe has its own timeout and the whole answer its own, so a hung database or
 * engine shows up as a named problem rather than as a request that never ends. 200 when every
 * check passes, else 503 with `problems`, one sentence per failing check.
 */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import type { TemporalTarget } from '../infra/temporalClient';

export interface Check {
  ok: boolean;
  latencyMs: number;
  /** What is wrong, in one sentence naming the part (set when !ok). */
  problem?: string;
  error?: string;
  [detail: string]: unknown;
}

/** What the pool reports of itself (pg's Pool counters). */
export interface PoolCounters {
  totalCount: number;
  idleCount: number;
  waitingCount: number;
  options: { max?: number };
}

export interface HealthLimits {
  /** Each probe's own timeout. */
  probeMs: number;
  /** The whole answer's bound. */
  totalMs: number;
  /** A poller not seen for this long is gone (a live long poll is renewed within about a minute). */
  pollerStaleMs: number;
  /** A task waiting this long for a worker is stuck. */
  stuckTaskMs: number;
}

export const DEFAULT_HEALTH_LIMITS: HealthLimits = { probeMs: 3_000, totalMs: 5_000, pollerStaleMs: 90_000, stuckTaskMs: 120_000 };

export interface HealthDeps {
  /** A small pool of its own, so an exhausted application pool cannot hide the database's state. */
  pool: Pool;
  /** The application's pool, whose exhaustion is reported. */
  appPool?: PoolCounters;
  client: Client;
  target: TemporalTarget;
  taskQueue: string;
  limits?: Partial<HealthLimits>;
}

/** HEALTH_STUCK_TASK_SECONDS and HEALTH_POLLER_STALE_SECONDS, else the defaults. */
export function healthLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): Partial<HealthLimits> {
  const seconds = (name: string) => {
    const raw = env[name];
    if (!raw) return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number of seconds, not "${raw}"`);
    return n * 1000;
  };
  const limits: Partial<HealthLimits> = {};
  const stuck = seconds('HEALTH_STUCK_TASK_SECONDS');
  const stale = seconds('HEALTH_POLLER_STALE_SECONDS');
  if (stuck !== undefined) limits.stuckTaskMs = stuck;
  if (stale !== undefined) limits.pollerStaleMs = stale;
  return limits;
}

class ProbeTimeout extends Error {}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ProbeTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs a probe under its timeout; `problem` words the failure for the list of problems. The probe's
 * Temporal calls are cancelled when it gives up (the signal), so none keeps polling behind it.
 */
async function probe(ms: number, problem: (error: string) => string, fn: (signal: AbortSignal) => Promise<Record<string, unknown> & { problem?: string }>): Promise<Check> {
  const started = Date.now();
  const abort = new AbortController();
  try {
    const details = await withTimeout(fn(abort.signal), ms).finally(() => abort.abort());
    return { ok: details.problem === undefined, latencyMs: Date.now() - started, ...details };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    return { ok: false, latencyMs: Date.now() - started, error, problem: problem(error) };
  }
}

const { TaskQueueType } = temporal.api.enums.v1;

function seconds(d: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  if (!d) return 0;
  return Number(d.seconds ?? 0) + (d.nanos ?? 0) / 1e9;
}

/** Pollers seen within the stale bound, and how long the oldest task has waited, for one kind of task. */
async function queueState(deps: HealthDeps, type: temporal.api.enums.v1.TaskQueueType, limits: HealthLimits) {
  const res = await deps.client.workflowService.describeTaskQueue({
    namespace: deps.target.namespace,
    taskQueue: { name: deps.taskQueue },
    taskQueueType: type,
    reportStats: true,
  });
  const now = Date.now();
  const live = (res.pollers ?? []).filter((p) => now - seconds(p.lastAccessTime) * 1000 <= limits.pollerStaleMs);
  const oldestWaitingMs = Math.round(seconds(res.stats?.approximateBacklogAge) * 1000);
  return { pollers: live.length, backlog: Number(res.stats?.approximateBacklogCount ?? 0), oldestWaitingMs };
}

export function healthRouter(deps: HealthDeps): Router {
  const limits: HealthLimits = { ...DEFAULT_HEALTH_LIMITS, ...deps.limits };
  const router = Router();
  router.get('/health', async (req, res) => {
    const deep = req.query.deep === '1' || req.query.deep === 'true';
    const probes: Record<string, Promise<Check>> = {
      database: probe(limits.probeMs, (e) => `database unreachable: ${e}`, async () => {
        const r = await deps.pool.query<{ version: string }>('select version()');
        return { server: r.rows[0]!.version.split(' on ')[0] };
      }),
      temporal: probe(limits.probeMs, (e) => `engine unreachable at ${deps.target.address}: ${e}`, async (signal) => {
        const info = await deps.client.withAbortSignal(signal, () => deps.client.workflowService.getSystemInfo({}));
        return { address: deps.target.address, namespace: deps.target.namespace, embedded: deps.target.embedded, serverVersion: info.serverVersion };
      }),
    };
    if (deps.appPool) {
      const pool = deps.appPool;
      probes.pool = probe(limits.probeMs, (e) => `connection pool: ${e}`, async () => {
        const max = pool.options.max ?? 10;
        const counters = { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max };
        const exhausted = pool.waitingCount > 0 && pool.totalCount >= max && pool.idleCount === 0;
        return exhausted ? { ...counters, problem: `connection pool exhausted: ${pool.waitingCount} requests waiting, all ${max} connections busy` } : counters;
      });
    }
    if (deep) {
      probes.worker = probe(limits.probeMs, (e) => `worker state unknown (task queue ${deps.taskQueue}): ${e}`, async (signal) => {
        const [workflow, activity] = await deps.client.withAbortSignal(signal, () =>
          Promise.all([queueState(deps, TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW, limits), queueState(deps, TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY, limits)]),
        );
        const problems: string[] = [];
        if (workflow.pollers === 0 || activity.pollers === 0) {
          problems.push(`worker not polling task queue ${deps.taskQueue} (no ${workflow.pollers === 0 ? 'workflow' : 'activity'} poller in the last ${Math.round(limits.pollerStaleMs / 1000)} s)`);
        }
        for (const [kind, q] of [['workflow', workflow], ['activity', activity]] as const) {
          if (q.oldestWaitingMs > limits.stuckTaskMs) {
            problems.push(`oldest ${kind} task on ${deps.taskQueue} has waited ${Math.round(q.oldestWaitingMs / 1000)} s for a worker (${q.backlog} waiting)`);
          }
        }
        return { taskQueue: deps.taskQueue, workflow, activity, ...(problems.length ? { problem: problems.join('; ') } : {}) };
      });
      probes.endToEnd = probe(limits.probeMs, (e) => `a check workflow did not run through the worker: ${e}`, async (signal) => {
        const result = await deps.client.withAbortSignal(signal, () => deps.client.workflow.execute('systemCheck', {
          taskQueue: deps.taskQueue,
          workflowId: `system-check-${randomUUID()}`,
          // Ends by itself when no worker takes it, long after this probe gave up.
          workflowExecutionTimeout: '30 seconds',
        }));
        return { ...(result as Record<string, unknown>), taskQueue: deps.taskQueue };
      });
    }
    const names = Object.keys(probes);
    // The whole answer's bound: a probe still running then is reported as not answering.
    const settled = await withTimeout(Promise.all(Object.values(probes)), limits.totalMs).catch(() => undefined);
    const checks: Record<string, Check> = {};
    if (settled) {
      names.forEach((n, i) => (checks[n] = settled[i]!));
    } else {
      for (const n of names) {
        const done = await Promise.race([probes[n]!, Promise.resolve(undefined)]);
        checks[n] = done ?? { ok: false, latencyMs: limits.totalMs, problem: `${n}: no answer within ${limits.totalMs} ms` };
      }
    }
    const problems = Object.values(checks).filter((c) => !c.ok).map((c) => c.problem ?? c.error ?? 'failed');
    const ok = problems.length === 0;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', ...(ok ? {} : { problems }), checks });
  });
  return router;
}
