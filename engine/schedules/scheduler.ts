/**
 * Schedules, run by the engine itself on its clock. The Temporal server runs each schedule as a
 * system workflow; here the same loop (take the times that passed, apply the overlap policy,
 * start workflows, watch them close) runs in process, serialised per schedule, and every
 * change is saved to the store, so schedules survive a restart and follow time skipping.
 */
import type { Engine } from '../engine';
import { EngineError, GrpcStatus } from '../errors';
import { WorkflowStatus, type ExecutionState } from '../state';
import { processBuffer } from './buffer';
import { decodeRecord, encodeRecord, Overlap, type ScheduleRecord } from './record';
import { refreshRunning } from './running';
import { startScheduledWorkflow, stopRunning } from './startAction';
import { canonicalizeSpec, CompiledSpec, type ScheduledTime } from './spec';
import { KeyedLock } from '../keyedLock';

/** Defaults of the Temporal server's scheduler. */
export const DEFAULT_CATCHUP_WINDOW_MS = 365 * 86_400_000;
export const MIN_CATCHUP_WINDOW_MS = 10_000;
const RECENT_ACTIONS = 10;
const MAX_BUFFER = 1000;

export interface PatchInput {
  triggerImmediately?: { overlapPolicy: number; scheduledTime?: number };
  backfills: Array<{ startMs: number; endMs: number; overlapPolicy: number }>;
  pause?: string;
  unpause?: string;
}

export const scheduleKey = (namespace: string, scheduleId: string) => `${namespace}\u0000${scheduleId}`;

export class Schedules {
  private readonly records = new Map<string, ScheduleRecord>();
  /** Compiled specs, each with the spec object it was compiled from (an update replaces that object). */
  private readonly compiled = new Map<string, { from: ScheduleRecord['spec']; spec: CompiledSpec }>();
  private readonly locks = new KeyedLock();
  private closing = false;

  constructor(readonly engine: Engine) {}

  /** Loads every stored schedule and catches up with the time that passed while the engine was down. */
  async start(): Promise<void> {
    for (const row of await this.engine.store.listSchedules()) {
      try {
        const rec = decodeRecord(row.record);
        this.records.set(scheduleKey(rec.namespace, rec.scheduleId), rec);
      } catch (err) {
        this.engine.log.error(`schedule ${row.scheduleId} could not be read; it is ignored`, err);
      }
    }
    for (const key of this.records.keys()) this.kick(key);
  }

  stop(): void {
    this.closing = true;
    for (const key of this.records.keys()) this.engine.clock.cancel(timerKey(key));
  }

  get(namespace: string, scheduleId: string): ScheduleRecord | undefined {
    return this.records.get(scheduleKey(namespace, scheduleId));
  }

  list(namespace: string): ScheduleRecord[] {
    return [...this.records.values()].filter((r) => r.namespace === namespace).sort((a, b) => (a.scheduleId < b.scheduleId ? -1 : a.scheduleId > b.scheduleId ? 1 : 0));
  }

  specOf(rec: ScheduleRecord): CompiledSpec {
    const key = scheduleKey(rec.namespace, rec.scheduleId);
    const cached = this.compiled.get(key);
    if (cached && cached.from === rec.spec) return cached.spec;
    const spec = new CompiledSpec(canonicalizeSpec(rec.spec), `${rec.namespace}/${rec.scheduleId}`);
    this.compiled.set(key, { from: rec.spec, spec });
    return spec;
  }

  /** Runs `fn` alone on the schedule, with the engine's clock held so time cannot jump past it. */
  withSchedule<T>(namespace: string, scheduleId: string, fn: () => Promise<T>): Promise<T> {
    return this.engine.clock.locked(() => this.locks.run(scheduleKey(namespace, scheduleId), fn));
  }

  async create(rec: ScheduleRecord, patch: PatchInput | undefined): Promise<void> {
    const key = scheduleKey(rec.namespace, rec.scheduleId);
    await this.withSchedule(rec.namespace, rec.scheduleId, async () => {
      const existing = this.records.get(key);
      if (existing) {
        if (existing.createRequestId === rec.createRequestId) return;
        throw new EngineError(GrpcStatus.ALREADY_EXISTS, `Lịch ${rec.scheduleId} đã tồn tại / schedule with this ID is already registered`);
      }
      this.compiled.delete(key);
      this.records.set(key, rec);
      try {
        await this.iterate(rec, patch);
      } catch (err) {
        this.records.delete(key);
        throw err;
      }
    });
  }

  /** Applies a change under the schedule's lock after catching up with time, then saves and re-arms. */
  async change(namespace: string, scheduleId: string, fn: (rec: ScheduleRecord) => PatchInput | undefined | void): Promise<void> {
    await this.withSchedule(namespace, scheduleId, async () => {
      const rec = this.requireRecord(namespace, scheduleId);
      await this.iterate(rec, undefined, fn);
    });
  }

  async delete(namespace: string, scheduleId: string): Promise<void> {
    await this.withSchedule(namespace, scheduleId, async () => {
      const key = scheduleKey(namespace, scheduleId);
      this.requireRecord(namespace, scheduleId);
      await this.engine.store.deleteSchedule(namespace, scheduleId);
      this.records.delete(key);
      this.compiled.delete(key);
      this.engine.clock.cancel(timerKey(key));
    });
  }

  requireRecord(namespace: string, scheduleId: string): ScheduleRecord {
    const rec = this.records.get(scheduleKey(namespace, scheduleId));
    if (!rec) throw new EngineError(GrpcStatus.NOT_FOUND, `Không tìm thấy lịch ${scheduleId} / schedule not found: ${scheduleId}`);
    return rec;
  }

  /** A run closed somewhere: wake the schedules that started it. */
  onRunClosed(state: ExecutionState): void {
    for (const [key, rec] of this.records) {
      if (rec.namespace === state.namespace && rec.info.runningWorkflows.some((w) => w.workflowId === state.workflowId)) this.kick(key);
    }
  }

  private kick(key: string): void {
    if (this.closing) return;
    const rec = this.records.get(key);
    if (!rec) return;
    void this.withSchedule(rec.namespace, rec.scheduleId, async () => {
      const current = this.records.get(key);
      if (current && !this.closing) await this.iterate(current);
    }).catch((err: unknown) => this.retryLater(key, err));
  }

  private retryLater(key: string, err: unknown): void {
    if (this.closing) return;
    this.engine.log.warn(`schedule ${key.split('\u0000')[1]} could not run; retrying`, err);
    setTimeout(() => this.kick(key), 1000).unref();
  }

  /**
   * One pass of the schedule: take the times that passed since the last pass, apply a change
   * if any, start what the buffer allows, save, and arm the next wake-up.
   */
  private async iterate(rec: ScheduleRecord, patch?: PatchInput, change?: (rec: ScheduleRecord) => PatchInput | undefined | void): Promise<void> {
    const now = this.engine.clock.now();
    const t2 = Math.max(now, rec.lastProcessedTime);
    rec.lastProcessedTime = this.processTimeRange(rec, rec.lastProcessedTime, t2, Overlap.Unspecified, false);
    if (change) patch = change(rec) ?? undefined;
    if (patch) this.applyPatch(rec, patch, now);
    await refreshRunning(this.engine, rec);
    while (await this.runBuffer(rec)) {
      // Each round drops what it could not start, so this ends.
    }
    await this.save(rec);
    this.arm(rec);
  }

  private canTakeScheduledAction(rec: ScheduleRecord, manual: boolean, decrement: boolean): boolean {
    if (manual) return true;
    if (rec.state.paused) return false;
    if (!rec.state.limitedActions) return true;
    if (rec.state.remainingActions > 0) {
      if (decrement) rec.state.remainingActions--;
      return true;
    }
    return false;
  }

  /** Buffers the actions whose times fall in (start, end]; answers the last time it considered. */
  private processTimeRange(rec: ScheduleRecord, start: number, end: number, overlapPolicy: number, manual: boolean): number {
    if (!this.canTakeScheduledAction(rec, manual, false)) return end;
    const spec = this.specOf(rec);
    const catchup = rec.policies.catchupWindowMs;
    let considered = start;
    for (let next = spec.next(start); next && next.next <= end; next = spec.next(next.next)) {
      considered = next.next;
      if (!manual && rec.info.updateTime !== undefined && rec.info.updateTime > next.next) continue;
      if (!manual && end - next.next > catchup) {
        rec.info.missedCatchupWindow++;
        continue;
      }
      this.addStart(rec, next, overlapPolicy, manual);
    }
    return considered;
  }

  private addStart(rec: ScheduleRecord, t: ScheduledTime, overlapPolicy: number, manual: boolean): void {
    if (rec.buffer.length >= MAX_BUFFER) {
      rec.info.bufferDropped++;
      return;
    }
    rec.buffer.push({ nominal: t.nominal, actual: t.next, overlapPolicy, manual });
  }

  private applyPatch(rec: ScheduleRecord, patch: PatchInput, now: number): void {
    if (patch.triggerImmediately) {
      const at = patch.triggerImmediately.scheduledTime || now;
      this.addStart(rec, { nominal: at, next: at }, patch.triggerImmediately.overlapPolicy, true);
    }
    for (const b of patch.backfills) {
      // The start of a backfill is inclusive.
      this.processTimeRange(rec, b.startMs - 1, b.endMs, b.overlapPolicy, true);
    }
    if (patch.pause) {
      rec.state.paused = true;
      rec.state.notes = patch.pause;
      rec.conflictToken++;
    }
    if (patch.unpause) {
      rec.state.paused = false;
      rec.state.notes = patch.unpause;
      rec.conflictToken++;
    }
  }

  private resolveOverlap(rec: ScheduleRecord, policy: number): number {
    if (policy !== Overlap.Unspecified) return policy;
    return rec.policies.overlapPolicy || Overlap.Skip;
  }

  /** Starts what the overlap policy allows; answers whether another round could do more. */
  private async runBuffer(rec: ScheduleRecord): Promise<boolean> {
    if (rec.buffer.length === 0) return false;
    const decision = processBuffer(rec.buffer, rec.info.runningWorkflows.length > 0, (p) => this.resolveOverlap(rec, p));
    rec.buffer = decision.newBuffer;
    rec.info.overlapSkipped += decision.overlapSkipped;
    const starts = [...decision.overlapping];
    if (decision.nonOverlapping) starts.push(decision.nonOverlapping);
    let again = false;
    for (const start of starts) {
      if (!this.canTakeScheduledAction(rec, start.manual, true)) {
        again = true;
        continue;
      }
      try {
        const { workflowId, runId } = await startScheduledWorkflow(this.engine, rec, start, this.resolveOverlap(rec, start.overlapPolicy));
        rec.info.actionCount++;
        rec.info.recentActions.push({ scheduleTime: start.actual, actualTime: this.engine.clock.now(), workflowId, runId, status: WorkflowStatus.Running });
        rec.info.recentActions = rec.info.recentActions.slice(-RECENT_ACTIONS);
        if (start === decision.nonOverlapping) rec.info.runningWorkflows.push({ workflowId, runId });
      } catch (err) {
        this.engine.log.warn(`schedule ${rec.scheduleId} could not start its workflow: ${err instanceof Error ? err.message : String(err)}`);
        again = true;
      }
    }
    if (decision.needTerminate) await stopRunning(this.engine, rec, 'terminate');
    else if (decision.needCancel) await stopRunning(this.engine, rec, 'cancel');
    return again && rec.buffer.length > 0;
  }

  private async save(rec: ScheduleRecord): Promise<void> {
    if (!this.records.has(scheduleKey(rec.namespace, rec.scheduleId))) return;
    await this.engine.store.saveSchedule({ namespace: rec.namespace, scheduleId: rec.scheduleId, record: encodeRecord(rec) });
  }

  /** The next wake-up: the next action time, unless the schedule is paused or out of actions. */
  private arm(rec: ScheduleRecord): void {
    const key = scheduleKey(rec.namespace, rec.scheduleId);
    const next = this.canTakeScheduledAction(rec, false, false) ? this.specOf(rec).next(rec.lastProcessedTime) : undefined;
    if (!next || this.closing) {
      this.engine.clock.cancel(timerKey(key));
      return;
    }
    this.engine.clock.schedule(timerKey(key), next.next, () =>
      this.withSchedule(rec.namespace, rec.scheduleId, async () => {
        const current = this.records.get(key);
        if (current && !this.closing) await this.iterate(current);
      }).catch((err: unknown) => this.retryLater(key, err)),
    );
  }

  /** Up to `n` next action times after the last processed time (for Describe and List). */
  futureActionTimes(rec: ScheduleRecord, n: number): number[] {
    const spec = this.specOf(rec);
    const limit = rec.state.limitedActions ? Math.min(n, rec.state.remainingActions) : n;
    const out: number[] = [];
    let t = rec.lastProcessedTime;
    for (let guard = 0; out.length < limit && guard < 10 * n + 100; guard++) {
      const next = spec.next(t);
      if (!next) break;
      t = next.next;
      if (rec.info.updateTime !== undefined && rec.info.updateTime > t) continue;
      out.push(t);
    }
    return out;
  }
}

function timerKey(key: string): string {
  return `schedule\u0000${key}`;
}
