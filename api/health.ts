/** GET /health: is the database reachable, is Temporal reachable, and (with ?deep=1) does a workflow run end to end. */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { randomUUID } from 'node:crypto';
import type { TemporalTarget } from '../infra/temporalClient';

interface Check {
  ok: boolean;
  latencyMs: number;
  error?: string;
  [detail: string]: unknown;
}

async function timed(fn: () => Promise<Record<string, unknown>>): Promise<Check> {
  const started = Date.now();
  try {
    const details = await fn();
    return { ok: true, latencyMs: Date.now() - started, ...details };
  } catch (err) {
    return { ok: false, latencyMs: Date.now() - started, error: err instanceof Error ? err.message : String(err) };
  }
}

export function healthRouter(deps: { pool: Pool; client: Client; target: TemporalTarget; taskQueue: string }): Router {
  const router = Router();
  router.get('/health', async (req, res) => {
    const deep = req.query.deep === '1' || req.query.deep === 'true';
    const [database, temporal] = await Promise.all([
      timed(async () => {
        const r = await deps.pool.query<{ version: string }>('select version()');
        return { server: r.rows[0].version.split(' on ')[0] };
      }),
      timed(async () => {
        const info = await deps.client.workflowService.getSystemInfo({});
        return { address: deps.target.address, namespace: deps.target.namespace, embedded: deps.target.embedded, serverVersion: info.serverVersion };
      }),
    ]);
    const checks: Record<string, Check> = { database, temporal };
    if (deep) {
      checks.worker = await timed(async () => {
        const result = await deps.client.workflow.execute('systemCheck', {
          taskQueue: deps.taskQueue,
          workflowId: `system-check-${randomUUID()}`,
          workflowExecutionTimeout: '15 seconds',
        });
        return { ...(result as Record<string, unknown>), taskQueue: deps.taskQueue };
      });
    }
    const ok = Object.values(checks).every((c) => c.ok);
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks });
  });
  return router;
}
