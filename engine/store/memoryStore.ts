import type { HistoryEvent } from '../proto';
import { runKey, workflowKey, WorkflowStatus, type ExecutionState } from '../state';
import {
  VersionConflictError,
  type CommitBatch,
  type EngineStore,
  type NamespaceRecord,
  type StoredSchedule,
  type VisibilityEntry,
  type VisibilityPage, type VisibilityQuery,
} from './store';
import type { NexusEndpointRecord } from '../nexus/endpointRecord';
import type { StandaloneActivityRecord } from '../standalone/activityRecord';

interface StoredRun {
  state: ExecutionState;
  events: HistoryEvent[];
  visibility: VisibilityEntry;
}

/** Keeps everything in process memory: fast, and gone when the process ends. */
export class MemoryStore implements EngineStore {
  readonly kind = 'memory' as const;
  private readonly namespaces = new Map<string, NamespaceRecord>();
  private readonly runs = new Map<string, StoredRun>();
  private readonly current = new Map<string, string>();
  private readonly schedules = new Map<string, StoredSchedule>();

  async init(): Promise<void> {}
  async close(): Promise<void> {}

  async listNamespaces(): Promise<NamespaceRecord[]> {
    return [...this.namespaces.values()];
  }

  async saveNamespace(ns: NamespaceRecord): Promise<void> {
    this.namespaces.set(ns.name, ns);
  }

  private readonly nexusEndpoints = new Map<string, NexusEndpointRecord>();

  async listNexusEndpoints(): Promise<NexusEndpointRecord[]> {
    return [...this.nexusEndpoints.values()];
  }

  async saveNexusEndpoint(record: NexusEndpointRecord): Promise<void> {
    this.nexusEndpoints.set(record.id, record);
  }

  async deleteNexusEndpoint(id: string): Promise<void> {
    this.nexusEndpoints.delete(id);
  }

  private readonly standaloneActivities = new Map<string, StandaloneActivityRecord>();

  async loadStandaloneActivities(): Promise<StandaloneActivityRecord[]> {
    return [...this.standaloneActivities.values()].map((r) => structuredClone(r));
  }

  async saveStandaloneActivity(record: StandaloneActivityRecord): Promise<void> {
    this.standaloneActivities.set(runKey(record.namespace, record.activity.activityId, record.runId), structuredClone(record));
  }

  async deleteStandaloneActivity(namespace: string, activityId: string, runId: string): Promise<void> {
    this.standaloneActivities.delete(runKey(namespace, activityId, runId));
  }

  async commit(batch: CommitBatch): Promise<void> {
    for (const run of batch.runs) {
      const key = runKey(run.state.namespace, run.state.workflowId, run.state.runId);
      const existing = this.runs.get(key);
      const version = existing?.state.version ?? 0;
      if (version !== run.expectedVersion) throw new VersionConflictError(run.state.runId);
    }
    for (const run of batch.runs) {
      const key = runKey(run.state.namespace, run.state.workflowId, run.state.runId);
      const existing = this.runs.get(key);
      const events = existing?.events ?? [];
      for (const e of run.newEvents) events.push(e);
      this.runs.set(key, { state: run.state, events, visibility: run.visibility ?? existing!.visibility });
    }
    for (const c of batch.currentRuns) this.current.set(workflowKey(c.namespace, c.workflowId), c.runId);
  }

  async currentRunId(namespace: string, workflowId: string): Promise<string | undefined> {
    return this.current.get(workflowKey(namespace, workflowId));
  }

  async loadRun(namespace: string, workflowId: string, runId: string): Promise<ExecutionState | undefined> {
    return this.runs.get(runKey(namespace, workflowId, runId))?.state;
  }

  async readEvents(namespace: string, workflowId: string, runId: string, fromEventId: number, toEventId: number): Promise<HistoryEvent[]> {
    const run = this.runs.get(runKey(namespace, workflowId, runId));
    if (!run) return [];
    return run.events.slice(Math.max(0, fromEventId - 1), Math.max(0, toEventId - 1));
  }

  async openRuns(): Promise<ExecutionState[]> {
    return [...this.runs.values()].filter((r) => r.state.status === WorkflowStatus.Running).map((r) => r.state);
  }

  async deleteRun(namespace: string, workflowId: string, runId: string): Promise<void> {
    this.runs.delete(runKey(namespace, workflowId, runId));
    const wk = workflowKey(namespace, workflowId);
    if (this.current.get(wk) === runId) this.current.delete(wk);
  }

  async expiredRuns(namespace: string, closedBefore: number, limit: number): Promise<Array<{ workflowId: string; runId: string }>> {
    return [...this.runs.values()]
      .filter((r) => r.state.namespace === namespace && r.state.closeTime !== undefined && r.state.closeTime < closedBefore)
      .sort((a, b) => (a.state.closeTime ?? 0) - (b.state.closeTime ?? 0))
      .slice(0, limit)
      .map((r) => ({ workflowId: r.state.workflowId, runId: r.state.runId }));
  }

  async listVisibility(namespace: string, query: VisibilityQuery, page: VisibilityPage, limit: number): Promise<VisibilityEntry[]> {
    return this.matching(namespace, query)
      .sort((a, b) => query.compare(a.record, b.record))
      .slice(page.offset, page.offset + limit);
  }

  async countVisibility(namespace: string, query: VisibilityQuery): Promise<number> {
    return this.matching(namespace, query).length;
  }

  private matching(namespace: string, query: VisibilityQuery): VisibilityEntry[] {
    const out: VisibilityEntry[] = [];
    for (const run of this.runs.values()) {
      if (run.visibility.namespace === namespace && query.matches(run.visibility.record)) out.push(run.visibility);
    }
    return out;
  }

  async listSchedules(): Promise<StoredSchedule[]> {
    return [...this.schedules.values()];
  }

  async saveSchedule(schedule: StoredSchedule): Promise<void> {
    this.schedules.set(`${schedule.namespace}\u0000${schedule.scheduleId}`, { ...schedule });
  }

  async deleteSchedule(namespace: string, scheduleId: string): Promise<void> {
    this.schedules.delete(`${namespace}\u0000${scheduleId}`);
  }
}
