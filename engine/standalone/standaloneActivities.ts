/**
 * Standalone activity executions: started by a client (StartActivityExecution), served by the
 * same activity workers and task queues as workflow activities, with the same timeouts, retry
 * policy and heartbeats, but owned by no workflow. Each run is one record, changed under a
 * per-id lock and saved before anyone sees the change; its effects (queued task, deadlines,
 * time-skipping lock) are derived from the record after every change and after a restart.
 */
import { randomUUID } from 'node:crypto';
import { timeoutFailure } from '../activities';
import { activityTimeouts, CommandError } from '../commands';
import type { Engine } from '../engine';
import { EngineError, GrpcStatus, invalidArgument, notFound } from '../errors';
import type { TaskRef } from '../matching';
import { durationMs, enums, msDuration, msTimestamp, packAny, temporal, type Failure, type Payloads, type Plain } from '../proto';
import { decideRetry, normalizeRetryPolicy, RetryState, retryPolicyMessage } from '../retry';
import { runKey, workflowKey, type ActivityState } from '../state';
import type { StandaloneActivityRecord, StandaloneStatus } from './activityRecord';
import { standaloneDeadlines } from './deadlines';
import { decodeStandaloneToken, encodeStandaloneToken, taskKey } from './token';
import { KeyedLock } from '../keyedLock';

import WS = temporal.api.workflowservice.v1;
type StartRequest = Plain<WS.StartActivityExecutionRequest.$Properties>;
type StartResponse = Plain<WS.StartActivityExecutionResponse.$Properties>;
type PollResponse = Plain<WS.PollActivityTaskQueueResponse.$Properties>;
type TaskRefStandalone = Extract<TaskRef, { type: 'standaloneActivity' }>;

const TT = enums.TimeoutType;
const REUSE = enums.ActivityIdReusePolicy;
const CONFLICT = enums.ActivityIdConflictPolicy;


interface Change {
  rec: StandaloneActivityRecord;
  now: number;
  changed: boolean;
}

export class StandaloneActivities {
  private readonly runs = new Map<string, StandaloneActivityRecord>();
  private readonly current = new Map<string, string>();
  private readonly locks = new KeyedLock();
  private readonly armed = new Map<string, Map<string, number>>();
  private readonly held = new Map<string, Set<string>>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(private readonly engine: Engine) {}

  async load(): Promise<void> {
    const all = (await this.engine.store.loadStandaloneActivities()).sort((a, b) => a.scheduleTime - b.scheduleTime);
    for (const r of all) this.remember(r);
    for (const r of all) if (r.status === 'Running') this.sync(r);
  }

  stop(): void {
    for (const set of this.waiters.values()) for (const w of set) w();
  }

  private remember(r: StandaloneActivityRecord): void {
    this.runs.set(runKey(r.namespace, r.activity.activityId, r.runId), r);
    this.current.set(workflowKey(r.namespace, r.activity.activityId), r.runId);
  }

  find(namespace: string, activityId: string, runId?: string | null): StandaloneActivityRecord | undefined {
    const rid = runId || this.current.get(workflowKey(namespace, activityId));
    return rid ? this.runs.get(runKey(namespace, activityId, rid)) : undefined;
  }

  get(namespace: string, activityId: string | null | undefined, runId?: string | null): StandaloneActivityRecord {
    if (!activityId) throw invalidArgument('ActivityId is not set on request.');
    const r = this.find(namespace, activityId, runId);
    if (!r) throw notFound(runId ? `activity execution not found for activity ID "${activityId}" and run ID "${runId}"` : `activity execution not found for ID: ${activityId}`);
    return r;
  }

  list(namespace: string): StandaloneActivityRecord[] {
    return [...this.runs.values()].filter((r) => r.namespace === namespace);
  }

  /** Deletes closed runs past their namespace's retention (called by the retention sweep). */
  async sweepExpired(now: number): Promise<number> {
    let deleted = 0;
    for (const r of [...this.runs.values()]) {
      const ns = this.engine.namespaces.find(r.namespace);
      if (r.status === 'Running' || r.closeTime === undefined || !ns || r.closeTime >= now - ns.retentionMs) continue;
      await this.withLock(r.namespace, r.activity.activityId, async () => {
        await this.engine.store.deleteStandaloneActivity(r.namespace, r.activity.activityId, r.runId);
        this.runs.delete(runKey(r.namespace, r.activity.activityId, r.runId));
        const idKey = workflowKey(r.namespace, r.activity.activityId);
        if (this.current.get(idKey) === r.runId) this.current.delete(idKey);
        deleted++;
      });
    }
    return deleted;
  }

  private async withLock<T>(namespace: string, activityId: string, fn: () => Promise<T>): Promise<T> {
    return this.locks.run(workflowKey(namespace, activityId), fn);
  }

  /** Changes one run under its id's lock; the change is saved before it is visible, or not at all. */
  private change<T>(namespace: string, activityId: string, runId: string | undefined, fn: (c: Change) => T): Promise<T> {
    if (this.engine.isClosing) throw new EngineError(GrpcStatus.UNAVAILABLE, 'the engine is shutting down');
    return this.engine.clock.locked(() =>
      this.withLock(namespace, activityId, async () => {
        const c: Change = { rec: structuredClone(this.get(namespace, activityId, runId)), now: this.engine.clock.now(), changed: false };
        const result = fn(c);
        if (c.changed) await this.commit(c.rec);
        return result;
      }),
    );
  }

  private async commit(rec: StandaloneActivityRecord): Promise<void> {
    rec.version += 1;
    await this.engine.store.saveStandaloneActivity(rec);
    this.remember(rec);
    this.sync(rec);
    const key = runKey(rec.namespace, rec.activity.activityId, rec.runId);
    const ws = this.waiters.get(key);
    this.waiters.delete(key);
    for (const w of ws ?? []) w();
  }

  // ---- start

  async start(req: StartRequest): Promise<StartResponse> {
    const ns = this.engine.namespaces.get(req.namespace);
    const activityId = req.activityId;
    if (!activityId) throw invalidArgument('ActivityId is not set on request.');
    if (!req.activityType?.name) throw invalidArgument('ActivityType is not set on request.');
    if (!req.taskQueue?.name) throw invalidArgument('TaskQueue is not set on request.');
    let t: ReturnType<typeof activityTimeouts>;
    let retry: ActivityState['retry'];
    try {
      t = activityTimeouts(req, 0);
      retry = normalizeRetryPolicy(req.retryPolicy);
    } catch (err) {
      throw invalidArgument(err instanceof CommandError ? err.message.replace('ScheduleActivityTaskCommand', 'StartActivityExecutionRequest') : (err as Error).message);
    }
    const startDelayMs = durationMs(req.startDelay);
    if (startDelayMs < 0) throw invalidArgument('Invalid StartDelay.');
    const requestId = req.requestId || randomUUID();
    return this.engine.clock.locked(() =>
      this.withLock(ns.name, activityId, async () => {
        const existing = this.find(ns.name, activityId);
        if (existing) {
          if (existing.requestId === requestId) return { runId: existing.runId, started: true };
          if (existing.status === 'Running') {
            if (req.idConflictPolicy === CONFLICT.ACTIVITY_ID_CONFLICT_POLICY_USE_EXISTING) return { runId: existing.runId, started: false };
            throw alreadyStarted(`Activity execution is already running. ActivityId: ${activityId}, RunId: ${existing.runId}.`, existing);
          }
          if (req.idReusePolicy === REUSE.ACTIVITY_ID_REUSE_POLICY_REJECT_DUPLICATE) {
            throw alreadyStarted(`Activity execution already finished and the ID reuse policy is REJECT_DUPLICATE. ActivityId: ${activityId}.`, existing);
          }
          if (req.idReusePolicy === REUSE.ACTIVITY_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY && existing.status === 'Completed') {
            throw alreadyStarted(`Activity execution already completed successfully and the ID reuse policy allows a duplicate only after a failure. ActivityId: ${activityId}.`, existing);
          }
        }
        const now = this.engine.clock.now();
        const executionTime = now + startDelayMs;
        const rec: StandaloneActivityRecord = {
          version: 0,
          namespace: ns.name,
          runId: randomUUID(),
          requestId,
          identity: req.identity ?? '',
          status: 'Running',
          scheduleTime: now,
          executionTime,
          input: req.input ?? null,
          header: req.header ?? null,
          userMetadata: req.userMetadata ?? null,
          priority: req.priority ?? null,
          searchAttributes: req.searchAttributes ?? null,
          activity: {
            scheduledEventId: 0,
            activityId,
            activityType: req.activityType!.name!,
            taskQueue: req.taskQueue!.name!,
            phase: 'scheduled',
            attempt: 1,
            scheduledAt: executionTime,
            attemptScheduledAt: executionTime,
            scheduleToCloseMs: t.s2c,
            scheduleToStartMs: t.s2s,
            startToCloseMs: t.s2cl,
            heartbeatMs: t.hb,
            retry,
            cancelRequested: false,
          },
        };
        await this.commit(rec);
        return { runId: rec.runId, started: true };
      }),
    );
  }

  // ---- derived effects

  private sync(r: StandaloneActivityRecord): void {
    const key = runKey(r.namespace, r.activity.activityId, r.runId);
    const a = r.activity;
    const waiting = r.status === 'Running' && a.phase === 'scheduled' && this.engine.clock.now() >= r.executionTime;
    if (waiting) {
      const task: TaskRefStandalone = { type: 'standaloneActivity', namespace: r.namespace, activityId: a.activityId, runId: r.runId, attempt: a.attempt };
      this.engine.matching.offer(r.namespace, 'activity', a.taskQueue, taskKey(task), task);
    }
    this.syncLocks(key, r.status === 'Running' && (waiting || a.phase === 'started') ? [`${a.phase}:${a.attempt}`] : []);
    // A start delay that is over has done its work: the task is offered above.
    const wanted = new Map(standaloneDeadlines(r).filter((d) => d.what !== 'delay' || d.at > this.engine.clock.now()).map((d) => [d.key, d]));
    const armed = this.armed.get(key) ?? new Map<string, number>();
    for (const k of [...armed.keys()]) {
      if (wanted.has(k)) continue;
      armed.delete(k);
      this.engine.clock.cancel(`standalone\u0000${key}\u0000${k}`);
    }
    for (const d of wanted.values()) {
      if (armed.get(d.key) === d.at) continue;
      armed.set(d.key, d.at);
      this.engine.clock.schedule(`standalone\u0000${key}\u0000${d.key}`, d.at, () => {
        armed.delete(d.key);
        return this.deadlinePassed(r.namespace, a.activityId, r.runId, d.key).catch((err: unknown) => {
          if (!this.engine.isClosing) this.engine.log.error(`deadline ${d.key} of standalone activity ${a.activityId} failed`, err);
        });
      });
    }
    if (armed.size > 0) this.armed.set(key, armed);
    else this.armed.delete(key);
  }

  private syncLocks(key: string, work: string[]): void {
    const held = this.held.get(key) ?? new Set<string>();
    for (const w of work) if (!held.has(w)) (held.add(w), this.engine.clock.lock());
    for (const w of [...held]) if (!work.includes(w)) (held.delete(w), this.engine.clock.unlock());
    if (held.size > 0) this.held.set(key, held);
    else this.held.delete(key);
  }

  private deadlinePassed(namespace: string, activityId: string, runId: string, key: string): Promise<void> {
    return this.change(namespace, activityId, runId, (c) => {
      const d = standaloneDeadlines(c.rec).find((x) => x.key === key);
      if (!d || d.at > c.now) return;
      const a = c.rec.activity;
      switch (d.what) {
        case 'delay':
          // Nothing changes in the record: re-deriving the effects offers the first attempt.
          this.sync(c.rec);
          return;
        case 'scheduleToClose':
          return this.close(c, 'TimedOut', { failure: timeoutFailure(TT.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE, a), retryState: RetryState.TIMEOUT });
        case 'scheduleToStart':
          return this.close(c, 'TimedOut', { failure: timeoutFailure(TT.TIMEOUT_TYPE_SCHEDULE_TO_START, a), retryState: RetryState.NON_RETRYABLE_FAILURE });
        case 'startToClose':
          return this.endAttempt(c, timeoutFailure(TT.TIMEOUT_TYPE_START_TO_CLOSE, a));
        case 'heartbeat':
          return this.endAttempt(c, timeoutFailure(TT.TIMEOUT_TYPE_HEARTBEAT, a));
        case 'retry':
          a.phase = 'scheduled';
          a.backoffUntil = undefined;
          a.attemptScheduledAt = c.now;
          c.changed = true;
          return;
      }
    });
  }

  // ---- outcomes

  private close(c: Change, status: StandaloneStatus, outcome: StandaloneActivityRecord['outcome']): void {
    c.rec.status = status;
    c.rec.closeTime = c.now;
    c.rec.outcome = outcome;
    c.changed = true;
  }

  /** A started attempt failed or timed out: retry under the policy, or close with the failure. */
  private endAttempt(c: Change, failure: Failure): void {
    const a = c.rec.activity;
    const expiresAt = a.scheduleToCloseMs > 0 ? a.scheduledAt + a.scheduleToCloseMs : undefined;
    const decision = decideRetry(a.retry, a.attempt, failure, c.now, expiresAt);
    a.lastFailure = failure;
    if (decision.retry) {
      a.phase = 'backoff';
      a.attempt += 1;
      a.backoffUntil = c.now + decision.backoffMs;
      a.startedAt = undefined;
      a.lastHeartbeatAt = undefined;
      c.changed = true;
      return;
    }
    this.close(c, failure.timeoutFailureInfo ? 'TimedOut' : 'Failed', { failure, retryState: decision.retryState });
  }

  // ---- the worker's side

  /** Hands an attempt to a poller; undefined when the task went stale. */
  startTask(ref: TaskRefStandalone, identity: string): Promise<PollResponse | undefined> {
    if (!this.find(ref.namespace, ref.activityId, ref.runId)) return Promise.resolve(undefined);
    return this.change(ref.namespace, ref.activityId, ref.runId, (c) => {
      const r = c.rec;
      const a = r.activity;
      if (r.status !== 'Running' || a.phase !== 'scheduled' || a.attempt !== ref.attempt || c.now < r.executionTime) return undefined;
      a.phase = 'started';
      a.startedAt = c.now;
      a.startedIdentity = identity;
      a.lastWorkerIdentity = identity;
      a.lastHeartbeatAt = undefined;
      c.changed = true;
      return {
        taskToken: encodeStandaloneToken({ k: 'sa', ns: r.namespace, aid: a.activityId, rid: r.runId, att: a.attempt }),
        workflowNamespace: r.namespace,
        activityType: { name: a.activityType },
        activityId: a.activityId,
        activityRunId: r.runId,
        header: r.header ?? null,
        input: r.input ?? null,
        heartbeatDetails: a.heartbeatDetails ?? null,
        scheduledTime: msTimestamp(a.scheduledAt),
        currentAttemptScheduledTime: msTimestamp(a.attemptScheduledAt),
        startedTime: msTimestamp(c.now),
        attempt: a.attempt,
        scheduleToCloseTimeout: msDuration(a.scheduleToCloseMs),
        startToCloseTimeout: msDuration(a.startToCloseMs),
        heartbeatTimeout: msDuration(a.heartbeatMs),
        retryPolicy: retryPolicyMessage(a.retry),
        priority: r.priority ?? null,
      };
    });
  }

  /** Runs `fn` on the started attempt a task token names, or answers NOT_FOUND like for a workflow activity. */
  private withAttempt<T>(taskToken: Uint8Array | null | undefined, fn: (c: Change, a: ActivityState) => T): Promise<T> {
    const t = decodeStandaloneToken(taskToken);
    if (!this.find(t.ns, t.aid, t.rid)) throw notFound('activity task not found');
    return this.change(t.ns, t.aid, t.rid, (c) => {
      const a = c.rec.activity;
      if (c.rec.status !== 'Running' || a.phase !== 'started' || a.attempt !== t.att) throw notFound('activity task not found: it completed, timed out, or was terminated');
      return fn(c, a);
    });
  }

  heartbeat(taskToken: Uint8Array | null | undefined, details: Payloads | null | undefined): Promise<{ cancelRequested: boolean }> {
    return this.withAttempt(taskToken, (c, a) => {
      a.lastHeartbeatAt = c.now;
      if (details) a.heartbeatDetails = details;
      c.changed = true;
      return { cancelRequested: a.cancelRequested };
    });
  }

  complete(taskToken: Uint8Array | null | undefined, result: Payloads | null | undefined): Promise<object> {
    return this.withAttempt(taskToken, (c) => (this.close(c, 'Completed', { result: result ?? null }), {}));
  }

  fail(taskToken: Uint8Array | null | undefined, failure: Failure | null | undefined, details: Payloads | null | undefined): Promise<{ failures: Failure[] }> {
    return this.withAttempt(taskToken, (c, a) => {
      if (details) a.heartbeatDetails = details;
      this.endAttempt(c, failure ?? { message: 'activity failed' });
      return { failures: [] };
    });
  }

  canceled(taskToken: Uint8Array | null | undefined, details: Payloads | null | undefined): Promise<object> {
    return this.withAttempt(taskToken, (c) => {
      this.close(c, 'Canceled', { failure: { message: c.rec.canceledReason || 'activity canceled', source: 'Server', canceledFailureInfo: { details: details ?? null } } });
      return {};
    });
  }

  // ---- the client's side

  requestCancel(namespace: string, activityId: string | null | undefined, runId: string | null | undefined, reason: string): Promise<object> {
    const r = this.get(namespace, activityId, runId);
    return this.change(namespace, r.activity.activityId, r.runId, (c) => {
      const a = c.rec.activity;
      if (c.rec.status !== 'Running') throw new EngineError(GrpcStatus.FAILED_PRECONDITION, 'activity execution already closed');
      if (a.cancelRequested) return {};
      a.cancelRequested = true;
      c.rec.canceledReason = reason;
      c.changed = true;
      // Not running on a worker: nothing to wait for.
      if (a.phase !== 'started') this.close(c, 'Canceled', { failure: { message: reason || 'activity canceled', source: 'Server', canceledFailureInfo: {} } });
      return {};
    });
  }

  terminate(namespace: string, activityId: string | null | undefined, runId: string | null | undefined, reason: string, identity: string): Promise<object> {
    const r = this.get(namespace, activityId, runId);
    return this.change(namespace, r.activity.activityId, r.runId, (c) => {
      if (c.rec.status !== 'Running') throw new EngineError(GrpcStatus.FAILED_PRECONDITION, 'activity execution already closed');
      this.close(c, 'Terminated', { failure: { message: reason || 'activity terminated', source: identity || 'Server', terminatedFailureInfo: {} } });
      return {};
    });
  }

  /** Waits until the run changes from `version` (or closes, for `untilClosed`), or `waitMs` passes. */
  async waitForChange(r: StandaloneActivityRecord, waitMs: number, signal: AbortSignal): Promise<void> {
    const key = runKey(r.namespace, r.activity.activityId, r.runId);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        this.waiters.get(key)?.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, waitMs));
      signal.addEventListener('abort', done);
      let set = this.waiters.get(key);
      if (!set) this.waiters.set(key, (set = new Set()));
      set.add(done);
    });
  }
}


function alreadyStarted(message: string, r: StandaloneActivityRecord): EngineError {
  return new EngineError(GrpcStatus.ALREADY_EXISTS, message, [
    packAny('temporal.api.errordetails.v1.ActivityExecutionAlreadyStartedFailure', { startRequestId: r.requestId, runId: r.runId }),
  ]);
}
