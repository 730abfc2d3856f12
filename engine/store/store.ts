/**
 * Storage behind the engine. The engine keeps open runs in memory and commits every change
 * through this interface before anyone can observe it; an implementation must apply a batch
 * atomically and refuse it when a run's version moved (optimistic concurrency).
 */
import type { HistoryEvent, WorkflowExecutionInfo } from '../proto';
import type { ExecutionState } from '../state';
import type { QueryAst } from '../visibility';
import type { NexusEndpointStore } from '../nexus/endpointRecord';
import type { StandaloneActivityStore } from '../standalone/activityRecord';

export interface NamespaceRecord {
  name: string;
  id: string;
  description: string;
  ownerEmail: string;
  retentionMs: number;
  data: Record<string, string>;
  /** Custom search attributes registered in this namespace: name → Temporal type name. */
  searchAttributes: Record<string, string>;
  createdAt: number;
}

export interface RunCommit {
  state: ExecutionState;
  /** The version this commit was computed from; 0 for a run that does not exist yet. */
  expectedVersion: number;
  newEvents: HistoryEvent[];
  /**
   * Present when what List/Count see changed (start, close, search attributes, memo); as on
   * Temporal, a running run's visibility row is not rewritten for every event.
   */
  visibility?: VisibilityEntry;
}

export interface CommitBatch {
  runs: RunCommit[];
  /** Moves the "current run" pointer of a workflow id (start, continue-as-new, retry). */
  currentRuns: Array<{ namespace: string; workflowId: string; runId: string }>;
}

/** What List/Count need about a run; `record` is what queries filter on. */
export interface VisibilityEntry {
  namespace: string;
  record: VisibilityRecordData;
  info: WorkflowExecutionInfo;
}

/** Mirrors `VisibilityRecord` of the query module; kept structural to avoid a cycle. */
export interface VisibilityRecordData {
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  status: string;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  historyLength?: number;
  searchAttributes: Record<string, string | number | boolean | string[] | null>;
}

/** An entry's place in Temporal's default List order (see engine/visibility/order.ts). */
export interface VisibilitySortKey {
  closeTime: number | null;
  startTime: number;
  runId: string;
}

/**
 * Where a page of a listing starts: after `offset` matching entries, or — in the default order,
 * for a store that can seek — right after the entry with the sort key `after`, which spares it
 * reading the entries before.
 */
export interface VisibilityPage {
  offset: number;
  after?: VisibilitySortKey;
}

export function sortKeyOf(r: VisibilityRecordData): VisibilitySortKey {
  return { closeTime: r.closeTime ?? null, startTime: r.startTime, runId: r.runId };
}

export interface VisibilityQuery {
  matches(record: VisibilityRecordData): boolean;
  compare(a: VisibilityRecordData, b: VisibilityRecordData): number;
  /** The parsed query, for stores that can narrow it in their own query language. */
  ast?: QueryAst;
}

/** A schedule as stored: its record is opaque JSON owned by `engine/schedules`. */
export interface StoredSchedule {
  namespace: string;
  scheduleId: string;
  record: string;
}

export class VersionConflictError extends Error {
  constructor(readonly runId: string) {
    super(`concurrent modification of run ${runId}`);
  }
}

export interface EngineStore extends NexusEndpointStore, StandaloneActivityStore {
  readonly kind: 'memory' | 'postgres';
  init(): Promise<void>;
  close(): Promise<void>;

  listNamespaces(): Promise<NamespaceRecord[]>;
  saveNamespace(ns: NamespaceRecord): Promise<void>;

  commit(batch: CommitBatch): Promise<void>;
  currentRunId(namespace: string, workflowId: string): Promise<string | undefined>;
  loadRun(namespace: string, workflowId: string, runId: string): Promise<ExecutionState | undefined>;
  /** Events with fromEventId <= id < toEventId, in order. */
  readEvents(namespace: string, workflowId: string, runId: string, fromEventId: number, toEventId: number): Promise<HistoryEvent[]>;
  /** Every run that is still open, for recovery after a restart. */
  openRuns(): Promise<ExecutionState[]>;
  deleteRun(namespace: string, workflowId: string, runId: string): Promise<void>;
  /** Closed runs that closed before `closedBefore`, oldest first (retention). */
  expiredRuns(namespace: string, closedBefore: number, limit: number): Promise<Array<{ workflowId: string; runId: string }>>;

  listVisibility(namespace: string, query: VisibilityQuery, page: VisibilityPage, limit: number): Promise<VisibilityEntry[]>;
  countVisibility(namespace: string, query: VisibilityQuery): Promise<number>;

  listSchedules(): Promise<StoredSchedule[]>;
  saveSchedule(schedule: StoredSchedule): Promise<void>;
  deleteSchedule(namespace: string, scheduleId: string): Promise<void>;
}
