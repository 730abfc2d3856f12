import type { EngineClock } from './clock';
import { desiredTasks, desiredTimers, runnableWork, pendingTransfers, transferKey, type DesiredTimer, type Transfer } from './effects';
import { EngineError, GrpcStatus, workflowNotFound } from './errors';
import { Execution, Mutation } from './execution';
import type { Logger } from './logger';
import { Matching } from './matching';
import { Namespaces, type SearchAttributeTypeName } from './namespaces';
import { isRunning, runKey, workflowKey, type ExecutionState } from './state';
import type { EngineStore, CommitBatch } from './store/store';
import { visibilityEntry, visibilityFingerprint } from './visibilityEntry';
import { fireTimer } from './timeouts';
import { runTransfer } from './transfers';
import { dispatchPendingQueries } from './queries';
import { NexusEndpoints } from './nexus/endpoints';
import { StandaloneActivities } from './standalone/standaloneActivities';
import { KeyedLock } from './keyedLock';

export interface EngineOptions {
  store: EngineStore;
  clock: EngineClock;
  log: Logger;
  /** Namespaces that must exist (created with default settings when missing). */
  namespaces: string[];
  /** Custom search attributes every new namespace starts with. */
  defaultSearchAttributes: Record<string, SearchAttributeTypeName>;
  /** Longest time a long poll is held before answering empty. */
  longPollMs?: number;
  /** How many closed runs stay cached in memory. */
  closedCacheSize?: number;
}

/** A unit of work on one workflow id: every run it touches is committed in one batch. */
const CURRENT_RUN_CACHE = 50_000;

export class Tx {
  readonly mutations = new Map<string, Mutation>();
  readonly currentRuns: CommitBatch['currentRuns'] = [];

  constructor(
    readonly engine: Engine,
    readonly namespace: string,
    readonly workflowId: string,
    readonly now: number,
  ) {}

  /** The run `runId` (or the current one) ready for changes; throws NOT_FOUND when there is none. */
  async run(runId?: string | null): Promise<Mutation> {
    const exec = await this.engine.load(this.namespace, this.workflowId, runId || undefined);
    if (!exec) throw workflowNotFound(this.workflowId, runId);
    return this.track(exec);
  }

  /** Like `run`, but answers undefined instead of throwing. */
  async tryRun(runId?: string | null): Promise<Mutation | undefined> {
    const exec = await this.engine.load(this.namespace, this.workflowId, runId || undefined);
    return exec ? this.track(exec) : undefined;
  }

  track(exec: Execution): Mutation {
    const key = runKey(exec.namespace, exec.workflowId, exec.runId);
    let m = this.mutations.get(key);
    if (!m) {
      m = new Mutation(exec, this.now);
      this.mutations.set(key, m);
    }
    return m;
  }

  createRun(state: ExecutionState): Mutation {
    const exec = new Execution(state, []);
    const m = new Mutation(exec, this.now, true);
    this.mutations.set(runKey(state.namespace, state.workflowId, state.runId), m);
    this.currentRuns.push({ namespace: state.namespace, workflowId: state.workflowId, runId: state.runId });
    return m;
  }

  rollback(): void {
    for (const m of this.mutations.values()) if (!m.isNew) m.rollback();
  }
}

export class Engine {
  readonly matching = new Matching();
  readonly namespaces: Namespaces;
  readonly nexusEndpoints: NexusEndpoints;
  readonly standaloneActivities = new StandaloneActivities(this);
  readonly store: EngineStore;
  readonly clock: EngineClock;
  readonly log: Logger;
  readonly longPollMs: number;
  private readonly cache = new Map<string, Execution>();
  private readonly currentRuns = new Map<string, string>();
  private readonly locks = new KeyedLock();
  private readonly armedTimers = new Map<string, Map<string, number>>();
  /** Time-skipping locks held per run, one per item of runnable work. */
  private readonly runnableLocks = new Map<string, Set<string>>();
  private readonly transfersRunning = new Set<string>();
  /** Sticky queue → runs bound to it, so a worker's shutdown can release them at once. */
  readonly stickyRuns = new Map<string, Set<string>>();
  /** Told after a commit that left a run closed (schedules watch the workflows they started). */
  readonly runClosedListeners: Array<(state: ExecutionState) => void> = [];
  private readonly closedCacheSize: number;
  private closing = false;

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.log = options.log;
    this.longPollMs = options.longPollMs ?? 55_000;
    this.closedCacheSize = options.closedCacheSize ?? 2000;
    this.namespaces = new Namespaces(options.store, options.defaultSearchAttributes);
    this.nexusEndpoints = new NexusEndpoints(options.store, this.namespaces);
  }

  async start(): Promise<void> {
    await this.store.init();
    await this.namespaces.load(this.options.namespaces);
    await this.nexusEndpoints.load();
    await this.standaloneActivities.load();
    // Rebuild every derived effect of the runs that were open when the engine last stopped.
    for (const state of await this.store.openRuns()) {
      const exec = await this.load(state.namespace, state.workflowId, state.runId);
      if (exec) this.syncEffects(exec);
    }
  }

  async stop(): Promise<void> {
    this.closing = true;
    this.matching.releaseAll();
    this.standaloneActivities.stop();
    for (const exec of this.cache.values()) for (const w of exec.historyWaiters) w();
    this.clock.close();
    await this.store.close();
  }

  get isClosing(): boolean {
    return this.closing;
  }

  /** Serialises all work on one workflow id (all its runs). */
  async withWorkflowLock<T>(namespace: string, workflowId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(workflowKey(namespace, workflowId), fn);
  }

  /** Loads a run (the current one when runId is omitted) into the cache. */
  async load(namespace: string, workflowId: string, runId?: string): Promise<Execution | undefined> {
    const rid = runId ?? (await this.currentRunId(namespace, workflowId));
    if (!rid) return undefined;
    const key = runKey(namespace, workflowId, rid);
    const cached = this.cache.get(key);
    if (cached) {
      cached.lastAccess = Date.now();
      return cached;
    }
    const state = await this.store.loadRun(namespace, workflowId, rid);
    if (!state) return undefined;
    const again = this.cache.get(key);
    if (again) return again;
    const events = await this.store.readEvents(namespace, workflowId, rid, 1, state.nextEventId);
    const exec = new Execution(state, events);
    this.cache.set(key, exec);
    return exec;
  }

  /**
   * The current-run pointer, remembered after it is read or committed: this engine is the only
   * writer of its store, so the pointer changes only through `commit` (and retention's `forget`).
   */
  private async currentRunId(namespace: string, workflowId: string): Promise<string | undefined> {
    const key = workflowKey(namespace, workflowId);
    const known = this.currentRuns.get(key);
    if (known !== undefined) return known;
    const rid = await this.store.currentRunId(namespace, workflowId);
    if (rid !== undefined) this.rememberCurrentRun(key, rid);
    return rid;
  }

  private rememberCurrentRun(key: string, runId: string): void {
    this.currentRuns.delete(key);
    this.currentRuns.set(key, runId);
    if (this.currentRuns.size > CURRENT_RUN_CACHE) this.currentRuns.delete(this.currentRuns.keys().next().value as string);
  }

  /**
   * Runs `fn` under the workflow's lock, commits what it changed in one batch, then applies the
   * derived effects. If `fn` throws or the commit fails, every change is undone.
   */
  async transact<T>(namespace: string, workflowId: string, fn: (tx: Tx) => Promise<T> | T): Promise<T> {
    if (this.closing) throw new EngineError(GrpcStatus.UNAVAILABLE, 'the engine is shutting down');
    return this.clock.locked(() =>
      this.withWorkflowLock(namespace, workflowId, async () => {
        const tx = new Tx(this, namespace, workflowId, this.clock.now());
        let result: T;
        try {
          result = await fn(tx);
        } catch (err) {
          tx.rollback();
          throw err;
        }
        try {
          await this.commit(tx);
        } catch (err) {
          tx.rollback();
          this.recoverFromFailedCommit(tx, err);
          throw new EngineError(GrpcStatus.UNAVAILABLE, `the engine could not save the change, try again: ${err instanceof Error ? err.message : String(err)}`);
        }
        return result;
      }),
    );
  }

  private async commit(tx: Tx): Promise<void> {
    const changed = [...tx.mutations.values()].filter((m) => m.changed);
    const fingerprints = new Map(changed.map((m) => [m, visibilityFingerprint(m.state)]));
    if (changed.length > 0) {
      const batch: CommitBatch = {
        runs: changed.map((m) => ({
          state: { ...m.state, version: m.expectedVersion + 1 },
          expectedVersion: m.expectedVersion,
          newEvents: m.newEvents,
          visibility: m.exec.visibilityWrittenFrom === fingerprints.get(m) ? undefined : visibilityEntry(this.namespaces, m.state),
        })),
        currentRuns: tx.currentRuns,
      };
      await this.store.commit(batch);
      for (const c of tx.currentRuns) this.rememberCurrentRun(workflowKey(c.namespace, c.workflowId), c.runId);
      for (const m of changed) {
        m.state.version = m.expectedVersion + 1;
        m.exec.visibilityWrittenFrom = fingerprints.get(m);
        if (m.isNew) this.cache.set(runKey(m.state.namespace, m.state.workflowId, m.state.runId), m.exec);
      }
    }
    for (const m of tx.mutations.values()) {
      for (const cb of m.afterCommit) {
        try {
          cb();
        } catch (err) {
          this.log.error('after-commit callback failed', err);
        }
      }
      if (m.changed) this.syncEffects(m.exec);
      if (m.changed && !isRunning(m.state)) for (const listener of this.runClosedListeners) listener(m.state);
      if (m.newEvents.length > 0 || !isRunning(m.state)) this.wakeHistoryWaiters(m.exec);
    }
  }

  private wakeHistoryWaiters(exec: Execution): void {
    const waiters = [...exec.historyWaiters];
    exec.historyWaiters.clear();
    for (const w of waiters) w();
  }

  /**
   * A commit failed (database down, or the run changed behind our back): the store is the
   * truth, so drop the runs from memory and rebuild their effects from it once it answers.
   */
  private recoverFromFailedCommit(tx: Tx, err: unknown): void {
    this.log.warn(`commit failed for ${tx.workflowId}: ${err instanceof Error ? err.message : String(err)}`);
    const runs = [...tx.mutations.values()].map((m) => m.state);
    this.currentRuns.delete(workflowKey(tx.namespace, tx.workflowId));
    for (const s of runs) this.cache.delete(runKey(s.namespace, s.workflowId, s.runId));
    const retry = (attempt: number) => {
      if (this.closing) return;
      setTimeout(() => {
        void Promise.all(runs.map((s) => this.load(s.namespace, s.workflowId, s.runId)))
          .then((execs) => execs.forEach((e) => e && this.syncEffects(e)))
          .catch(() => retry(attempt + 1));
      }, Math.min(5000, 200 * 2 ** attempt)).unref();
    };
    retry(0);
  }

  /** Arms timers, queues tasks, launches deliveries and holds time-skipping locks to match the run's state. */
  syncEffects(exec: Execution): void {
    const s = exec.state;
    const key = runKey(s.namespace, s.workflowId, s.runId);
    this.syncTimers(key, exec, desiredTimers(s));
    for (const offer of desiredTasks(s)) {
      this.matching.offer(offer.namespace ?? s.namespace, offer.queueType, offer.queueName, offer.key, offer.task);
    }
    this.syncRunnableLocks(key, runnableWork(s));
    for (const t of pendingTransfers(s)) this.launchTransfer(exec, t);
    this.trackSticky(key, s);
    dispatchPendingQueries(this, exec);
    if (!isRunning(s)) this.trimCache();
  }

  private syncTimers(key: string, exec: Execution, desired: DesiredTimer[]): void {
    let armed = this.armedTimers.get(key);
    if (!armed) {
      if (desired.length === 0) return;
      armed = new Map();
      this.armedTimers.set(key, armed);
    }
    const wanted = new Set<string>();
    for (const d of desired) {
      wanted.add(d.key);
      if (armed.get(d.key) === d.at) continue;
      armed.set(d.key, d.at);
      const { namespace, workflowId, runId } = exec.state;
      this.clock.schedule(`${key}\u0000${d.key}`, d.at, () => {
        armed!.delete(d.key);
        return fireTimer(this, namespace, workflowId, runId, d.key).catch(async (err: unknown) => {
          if (this.closing) return;
          this.log.error(`timer ${d.key} of ${workflowId}/${runId} failed; re-arming`, err);
          // The deadline is still in the state: re-deriving effects arms it again.
          await new Promise((r) => setTimeout(r, 1000));
          const again = await this.load(namespace, workflowId, runId).catch(() => undefined);
          if (again) this.syncEffects(again);
        });
      });
    }
    for (const k of [...armed.keys()]) {
      if (wanted.has(k)) continue;
      armed.delete(k);
      this.clock.cancel(`${key}\u0000${k}`);
    }
    if (armed.size === 0) this.armedTimers.delete(key);
  }

  private syncRunnableLocks(key: string, work: string[]): void {
    const held = this.runnableLocks.get(key) ?? new Set<string>();
    const wanted = new Set(work);
    for (const item of wanted) {
      if (held.has(item)) continue;
      held.add(item);
      this.clock.lock();
    }
    for (const item of [...held]) {
      if (wanted.has(item)) continue;
      held.delete(item);
      this.clock.unlock();
    }
    if (held.size > 0) this.runnableLocks.set(key, held);
    else this.runnableLocks.delete(key);
  }

  private trackSticky(key: string, s: ExecutionState): void {
    for (const [queue, runs] of this.stickyRuns) {
      if (queue !== s.sticky?.queue && runs.delete(key) && runs.size === 0) this.stickyRuns.delete(queue);
    }
    if (s.sticky && isRunning(s)) {
      let runs = this.stickyRuns.get(s.sticky.queue);
      if (!runs) this.stickyRuns.set(s.sticky.queue, (runs = new Set()));
      runs.add(key);
    }
  }

  private launchTransfer(exec: Execution, t: Transfer): void {
    const key = `${runKey(exec.namespace, exec.workflowId, exec.runId)}\u0000${transferKey(t)}`;
    if (this.transfersRunning.has(key) || this.closing) return;
    this.transfersRunning.add(key);
    const { namespace, workflowId, runId } = exec.state;
    void this.clock
      .locked(() => runTransfer(this, namespace, workflowId, runId, t))
      .catch((err: unknown) => {
        if (this.closing) return;
        this.log.warn(`delivery ${transferKey(t)} of ${workflowId}/${runId} failed; retrying`, err);
        setTimeout(() => {
          this.transfersRunning.delete(key);
          void this.load(namespace, workflowId, runId).then((e) => e && this.syncEffects(e));
        }, 1000).unref();
        return 'retry';
      })
      .then((outcome) => {
        if (outcome !== 'retry') this.transfersRunning.delete(key);
      });
  }

  /** Keeps open runs and the most recently used closed runs in memory. */
  private trimCache(): void {
    if (this.cache.size <= this.closedCacheSize * 2) return;
    const closed = [...this.cache.entries()].filter(([, e]) => !isRunning(e.state) && e.historyWaiters.size === 0);
    closed.sort((a, b) => a[1].lastAccess - b[1].lastAccess);
    for (const [key] of closed.slice(0, Math.max(0, closed.length - this.closedCacheSize))) this.cache.delete(key);
  }

  /** Removes a run from memory (after deletion). */
  forget(namespace: string, workflowId: string, runId: string): void {
    const key = runKey(namespace, workflowId, runId);
    this.cache.delete(key);
    if (this.currentRuns.get(workflowKey(namespace, workflowId)) === runId) this.currentRuns.delete(workflowKey(namespace, workflowId));
    this.syncTimers(key, new Execution({ namespace, workflowId, runId } as ExecutionState, []), []);
    this.syncRunnableLocks(key, []);
  }

  /** Waits until the run gets new events or closes, or `waitMs` passes. */
  waitForHistory(exec: Execution, waitMs: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        exec.historyWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, waitMs));
      signal.addEventListener('abort', done);
      exec.historyWaiters.add(done);
    });
  }

  /** Long-polls until the run closes, or the poll window ends. */
  async waitForHistoryUntilClosed(exec: Execution, ctx: { deadline: number; signal: AbortSignal }): Promise<void> {
    const stopAt = Date.now() + this.pollWaitMs(ctx.deadline);
    while (isRunning(exec.state) && !ctx.signal.aborted && !this.closing) {
      const remaining = stopAt - Date.now();
      if (remaining <= 0) return;
      await this.waitForHistory(exec, remaining, ctx.signal);
    }
  }

  /** How long a long poll may wait given the caller's deadline. */
  pollWaitMs(deadline: number): number {
    return Math.max(0, Math.min(this.longPollMs, deadline - Date.now() - 1500));
  }
}
