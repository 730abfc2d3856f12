/**
 * Deletes closed runs older than their namespace's retention, in small batches in the
 * background: each run is deleted under its workflow's lock, and the sweep yields between
 * runs so live traffic is never held up behind it.
 */
import type { Engine } from './engine';
import { isRunning } from './state';

const BATCH = 200;

export async function sweepRetention(engine: Engine, now: number): Promise<number> {
  let deleted = 0;
  for (const ns of engine.namespaces.list()) {
    for (;;) {
      const expired = await engine.store.expiredRuns(ns.name, now - ns.retentionMs, BATCH);
      for (const { workflowId, runId } of expired) {
        await engine.withWorkflowLock(ns.name, workflowId, async () => {
          const state = await engine.store.loadRun(ns.name, workflowId, runId);
          if (!state || isRunning(state)) return;
          await engine.store.deleteRun(ns.name, workflowId, runId);
          engine.forget(ns.name, workflowId, runId);
          deleted++;
        });
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (expired.length < BATCH) break;
    }
  }
  deleted += await engine.standaloneActivities.sweepExpired(now);
  return deleted;
}

/** Runs the sweep every `intervalMs` (real time) until the engine stops. */
export function scheduleRetention(engine: Engine, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running || engine.isClosing) return;
    running = true;
    sweepRetention(engine, engine.clock.now())
      .then((n) => n > 0 && engine.log.info(`retention: deleted ${n} closed runs`))
      .catch((err: unknown) => engine.log.warn('retention sweep failed', err))
      .finally(() => (running = false));
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
