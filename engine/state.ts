/**
 * The persisted state of one workflow run ("mutable state" in Temporal's terms).
 *
 * Everything the engine must remember between events lives here as plain JSON-friendly data,
 * so a store can snapshot it next to the history. Timers, queued tasks, cross-workflow work and
 * time-skipping locks are *derived* from this state after every commit (see `effects.ts`),
 * which is also how they are rebuilt after a restart.
 */
import type { Failure, HistoryEvent, Memo, Payloads, Priority, SearchAttributes } from './proto';
import type { NexusRunState } from './nexus/operationState';

export enum WorkflowStatus {
  Running = 1,
  Completed = 2,
  Failed = 3,
  Canceled = 4,
  Terminated = 5,
  ContinuedAsNew = 6,
  TimedOut = 7,
}

export interface NormalizedRetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  /** 0 means unlimited. */
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

export interface WorkflowTaskState {
  scheduledEventId: number;
  attempt: number;
  scheduledAt: number;
  /** Set once a poller picked it up. */
  startedEventId?: number;
  startedAt?: number;
  identity?: string;
  /** The sticky queue this task was offered on, if any; it falls back to the normal queue after a timeout. */
  stickyQueue?: string;
  stickyTimeoutMs?: number;
  /** Update ids whose requests were delivered with this task. */
  sentUpdates?: string[];
  /** Query ids delivered with this task. */
  sentQueries?: string[];
}

export type ActivityPhase = 'scheduled' | 'started' | 'backoff';

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  phase: ActivityPhase;
  attempt: number;
  /** First scheduling instant: schedule-to-close counts from here. */
  scheduledAt: number;
  attemptScheduledAt: number;
  backoffUntil?: number;
  startedAt?: number;
  startedIdentity?: string;
  startedRequestId?: string;
  lastHeartbeatAt?: number;
  heartbeatDetails?: Payloads;
  lastFailure?: Failure;
  lastWorkerIdentity?: string;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
  retry: NormalizedRetryPolicy;
  cancelRequested: boolean;
  cancelRequestedEventId?: number;
}

export interface TimerState {
  timerId: string;
  startedEventId: number;
  fireAt: number;
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  /** Deterministic request id, so a retried start after a crash finds the run it already created. */
  requestId: string;
  parentClosePolicy: number;
  runId?: string;
  /** Negative while the started event is still buffered behind an in-flight workflow task. */
  startedEventId?: number;
}

/** A signal or cancellation sent to another workflow, until its outcome is recorded; details live in the initiated event. */
export interface ExternalRequestState {
  initiatedEventId: number;
  /** Deterministic, so a delivery retried after a crash is recognised by the target. */
  requestId: string;
}

export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

/** Children to terminate or cancel because their parent closed. */
export interface ParentCloseAction {
  namespace: string;
  workflowId: string;
  runId?: string;
  action: 'terminate' | 'cancel';
}

export interface UpdateRecord {
  acceptedEventId: number;
  completedEventId?: number;
}

export interface ExecutionState extends NexusRunState {
  /** Incremented by every commit; stores use it for optimistic concurrency. */
  version: number;
  namespace: string;
  workflowId: string;
  runId: string;
  firstRunId: string;
  workflowType: string;
  taskQueue: string;
  status: WorkflowStatus;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  closeEventId?: number;
  startRequestId: string;
  nextEventId: number;
  historySizeBytes: number;
  /** previous_started_event_id for the next workflow task. */
  lastCompletedWftStartedEventId: number;
  workflowTaskTimeoutMs: number;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  /** Absolute deadline of the whole chain of runs (continue-as-new keeps it). */
  executionExpiresAt?: number;
  runExpiresAt?: number;
  /** The first workflow task waits until executionTime when the start was delayed. */
  firstWftPending: boolean;
  wft?: WorkflowTaskState;
  sticky?: { queue: string; timeoutMs: number };
  activities: Record<number, ActivityState>;
  timers: Record<string, TimerState>;
  children: Record<number, ChildState>;
  signalsOut: Record<number, ExternalRequestState>;
  cancelsOut: Record<number, ExternalRequestState>;
  parentCloseActions: ParentCloseAction[];
  cancelRequested: boolean;
  /** Recent signal request ids, for deduplication of retried signals. */
  signalRequestIds: string[];
  /** Events that arrived while a workflow task was in flight; they get ids when it ends. */
  bufferedEvents: HistoryEvent[];
  bufferedSeq: number;
  updates: Record<string, UpdateRecord>;
  memo?: Memo;
  searchAttributes?: SearchAttributes;
  parent?: ParentRef;
  parentNotified: boolean;
  retryPolicy?: NormalizedRetryPolicy;
  attempt: number;
  cronSchedule?: string;
  priority?: Priority;
  newExecutionRunId?: string;
  /** The run a reset of this one created: a child's end reported here goes there (reset/). */
  resetRunId?: string;
  identity?: string;
}

export function isRunning(state: ExecutionState): boolean {
  return state.status === WorkflowStatus.Running;
}

export function runKey(namespace: string, workflowId: string, runId: string): string {
  return `${namespace}\u0000${workflowId}\u0000${runId}`;
}

export function workflowKey(namespace: string, workflowId: string): string {
  return `${namespace}\u0000${workflowId}`;
}
