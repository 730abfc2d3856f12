import { randomUUID } from 'node:crypto';
import type { Engine, Tx } from './engine';
import { EngineError, GrpcStatus, invalidArgument } from './errors';
import type { Mutation } from './execution';
import {
  durationMs,
  enums,
  msDuration,
  msTimestamp,
  temporal,
  type Failure,
  type Header,
  type Memo,
  type Payloads,
  type Plain,
  type Priority,
  type SearchAttributes,
  type UserMetadata,
} from './proto';
import { normalizeRetryPolicy, retryPolicyMessage } from './retry';
import { validateSearchAttributes } from './searchAttributes';
import { isRunning, WorkflowStatus, type ExecutionState, type NormalizedRetryPolicy, type ParentRef } from './state';
import { scheduleWorkflowTask } from './workflowTasks';
import { terminateRun } from './closing';
import { firstCronBackoffMs, validateCronSchedule } from './cron/cronBackoff';
import { beginEagerWorkflowTask, eagerWorkflowTaskResponse } from './eagerStart';
import { attachToExistingRun, callbacksFromRequest } from './nexus/callbacks';
import { startedEventLink } from './nexus/links';
import type { CompletionCallbackState } from './nexus/operationState';

import WS = temporal.api.workflowservice.v1;
type StartRequest = Plain<WS.StartWorkflowExecutionRequest.$Properties>;
type StartResponse = Plain<WS.StartWorkflowExecutionResponse.$Properties>;

const DEFAULT_WORKFLOW_TASK_TIMEOUT_MS = 10_000;
const MAX_ID_LENGTH = 1000;

/** Everything needed to create a run, whoever asked for it (a client, a parent, continue-as-new, a retry). */
export interface RunSpec {
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  taskQueue: string;
  input?: Payloads | null;
  header?: Header | null;
  memo?: Memo | null;
  searchAttributes?: SearchAttributes | null;
  identity: string;
  requestId: string;
  executionTimeoutMs: number;
  runTimeoutMs: number;
  workflowTaskTimeoutMs: number;
  retryPolicy?: NormalizedRetryPolicy;
  attempt: number;
  startDelayMs: number;
  parent?: ParentRef;
  firstRunId: string;
  continuedRunId?: string;
  initiator?: temporal.api.enums.v1.ContinueAsNewInitiator;
  continuedFailure?: Failure | null;
  lastCompletionResult?: Payloads | null;
  executionExpiresAt?: number;
  priority?: Priority | null;
  userMetadata?: UserMetadata | null;
  cronSchedule?: string;
  /** Nexus completion callbacks: the chain of runs backs an operation. */
  completionCallbacks?: CompletionCallbackState[];
}

/** Creates the run's state and its WorkflowExecutionStarted event, and schedules the first workflow task. */
export function createRun(tx: Tx, spec: RunSpec): Mutation {
  const now = tx.now;
  // A new cron chain waits for the schedule's first time, counted from this very instant.
  const startDelayMs = spec.cronSchedule && !spec.continuedRunId ? firstCronBackoffMs(spec.cronSchedule, now) : spec.startDelayMs;
  const executionTime = now + startDelayMs;
  const executionExpiresAt = spec.executionExpiresAt ?? (spec.executionTimeoutMs > 0 ? now + spec.executionTimeoutMs : undefined);
  const state: ExecutionState = {
    version: 0,
    namespace: spec.namespace,
    workflowId: spec.workflowId,
    runId: spec.runId,
    firstRunId: spec.firstRunId,
    workflowType: spec.workflowType,
    taskQueue: spec.taskQueue,
    status: WorkflowStatus.Running,
    startTime: now,
    executionTime,
    startRequestId: spec.requestId,
    nextEventId: 1,
    historySizeBytes: 0,
    lastCompletedWftStartedEventId: 0,
    workflowTaskTimeoutMs: spec.workflowTaskTimeoutMs,
    runTimeoutMs: spec.runTimeoutMs,
    executionTimeoutMs: spec.executionTimeoutMs,
    executionExpiresAt,
    runExpiresAt: spec.runTimeoutMs > 0 ? executionTime + spec.runTimeoutMs : undefined,
    firstWftPending: startDelayMs > 0,
    activities: {},
    timers: {},
    children: {},
    signalsOut: {},
    cancelsOut: {},
    parentCloseActions: [],
    cancelRequested: false,
    signalRequestIds: [],
    bufferedEvents: [],
    bufferedSeq: 0,
    updates: {},
    memo: spec.memo ?? undefined,
    searchAttributes: spec.searchAttributes ?? undefined,
    parent: spec.parent,
    parentNotified: false,
    retryPolicy: spec.retryPolicy,
    attempt: spec.attempt,
    priority: spec.priority ?? undefined,
    identity: spec.identity,
    cronSchedule: spec.cronSchedule || undefined,
    ...(spec.completionCallbacks?.length ? { completionCallbacks: spec.completionCallbacks } : {}),
  };
  const m = tx.createRun(state);
  m.add(
    'workflowExecutionStartedEventAttributes',
    {
      workflowType: { name: spec.workflowType },
      parentWorkflowNamespace: spec.parent?.namespace ?? '',
      parentWorkflowNamespaceId: spec.parent?.namespace ?? '',
      parentWorkflowExecution: spec.parent ? { workflowId: spec.parent.workflowId, runId: spec.parent.runId } : null,
      parentInitiatedEventId: spec.parent?.initiatedEventId ?? 0,
      taskQueue: { name: spec.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      input: spec.input ?? null,
      workflowExecutionTimeout: msDuration(spec.executionTimeoutMs),
      workflowRunTimeout: msDuration(spec.runTimeoutMs),
      workflowTaskTimeout: msDuration(spec.workflowTaskTimeoutMs),
      continuedExecutionRunId: spec.continuedRunId ?? '',
      initiator: spec.initiator ?? enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_UNSPECIFIED,
      continuedFailure: spec.continuedFailure ?? null,
      lastCompletionResult: spec.lastCompletionResult ?? null,
      originalExecutionRunId: spec.runId,
      identity: spec.identity,
      firstExecutionRunId: spec.firstRunId,
      retryPolicy: spec.retryPolicy ? retryPolicyMessage(spec.retryPolicy) : null,
      attempt: spec.attempt,
      workflowExecutionExpirationTime: executionExpiresAt !== undefined ? msTimestamp(executionExpiresAt) : null,
      firstWorkflowTaskBackoff: startDelayMs > 0 ? msDuration(startDelayMs) : null,
      memo: spec.memo ?? null,
      searchAttributes: spec.searchAttributes ?? null,
      header: spec.header ?? null,
      workflowId: spec.workflowId,
      rootWorkflowExecution: { workflowId: spec.workflowId, runId: spec.runId },
      priority: spec.priority ?? null,
      cronSchedule: spec.cronSchedule ?? '',
    },
    spec.userMetadata ? { userMetadata: spec.userMetadata } : {},
  );
  if (!state.firstWftPending) scheduleWorkflowTask(m);
  return m;
}

/** Timeouts as the real server normalises them: the run timeout never exceeds the execution timeout. */
export function normalizeTimeouts(
  execution: { seconds?: number | null; nanos?: number | null } | null | undefined,
  run: { seconds?: number | null; nanos?: number | null } | null | undefined,
  task: { seconds?: number | null; nanos?: number | null } | null | undefined,
): { executionTimeoutMs: number; runTimeoutMs: number; workflowTaskTimeoutMs: number } {
  const executionTimeoutMs = durationMs(execution);
  let runTimeoutMs = durationMs(run);
  const taskMs = durationMs(task);
  if (executionTimeoutMs < 0) throw invalidArgument('Invalid WorkflowExecutionTimeout.');
  if (runTimeoutMs < 0) throw invalidArgument('Invalid WorkflowRunTimeout.');
  if (taskMs < 0) throw invalidArgument('Invalid WorkflowTaskTimeout.');
  if (runTimeoutMs === 0 || (executionTimeoutMs > 0 && runTimeoutMs > executionTimeoutMs)) runTimeoutMs = executionTimeoutMs;
  let workflowTaskTimeoutMs = taskMs || DEFAULT_WORKFLOW_TASK_TIMEOUT_MS;
  if (runTimeoutMs > 0) workflowTaskTimeoutMs = Math.min(workflowTaskTimeoutMs, runTimeoutMs);
  return { executionTimeoutMs, runTimeoutMs, workflowTaskTimeoutMs };
}

export function requireId(value: string | null | undefined, what: string): string {
  if (!value) throw invalidArgument(`${what} is not set on request.`);
  if (value.length > MAX_ID_LENGTH) throw invalidArgument(`${what} exceeds length limit.`);
  return value;
}

/** The fields Start and SignalWithStart share, turned into a RunSpec for a fresh chain of runs. */
export function specFromStartRequest(engine: Engine, req: StartRequest | Plain<WS.SignalWithStartWorkflowExecutionRequest.$Properties>): RunSpec {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.workflowId, 'WorkflowId');
  const workflowType = requireId(req.workflowType?.name, 'WorkflowType');
  const taskQueue = requireId(req.taskQueue?.name, 'TaskQueue');
  const timeouts = normalizeTimeouts(req.workflowExecutionTimeout, req.workflowRunTimeout, req.workflowTaskTimeout);
  validateSearchAttributes(engine.namespaces, ns, req.searchAttributes);
  const startDelayMs = durationMs(req.workflowStartDelay);
  if (startDelayMs < 0) throw invalidArgument('Invalid WorkflowStartDelay.');
  if (req.cronSchedule) {
    if (startDelayMs > 0) throw invalidArgument('CronSchedule and WorkflowStartDelay may not be used together.');
    checkCronSchedule(req.cronSchedule, engine.clock.now());
  }
  const runId = randomUUID();
  return {
    namespace: ns.name,
    workflowId,
    runId,
    workflowType,
    taskQueue,
    input: req.input,
    header: req.header,
    memo: req.memo,
    searchAttributes: req.searchAttributes,
    identity: req.identity ?? '',
    requestId: req.requestId || randomUUID(),
    ...timeouts,
    retryPolicy: req.retryPolicy ? normalizeRetryPolicy(req.retryPolicy) : undefined,
    attempt: 1,
    startDelayMs,
    firstRunId: runId,
    priority: req.priority,
    userMetadata: 'userMetadata' in req ? req.userMetadata : undefined,
    cronSchedule: req.cronSchedule || undefined,
    completionCallbacks: 'completionCallbacks' in req ? callbacksFromRequest(req.completionCallbacks) : undefined,
  };
}

/** A bad cron expression is the caller's error. */
export function checkCronSchedule(cronSchedule: string, now: number): void {
  try {
    validateCronSchedule(cronSchedule, now);
  } catch (err) {
    throw invalidArgument((err as Error).message);
  }
}

const REUSE = enums.WorkflowIdReusePolicy;
const CONFLICT = enums.WorkflowIdConflictPolicy;

export type StartOutcome = { kind: 'started'; mutation: Mutation } | { kind: 'existing'; mutation: Mutation; started: boolean };

/**
 * Applies the id reuse and conflict policies against the workflow id's current run, then creates
 * the new run in `tx` when allowed. The current run (if any) is locked by `tx` already.
 */
export async function startInTx(
  tx: Tx,
  spec: RunSpec,
  reusePolicy: number | null | undefined,
  conflictPolicy: number | null | undefined,
): Promise<StartOutcome> {
  const current = await tx.tryRun();
  if (current) {
    const s = current.state;
    if (isRunning(s)) {
      if (s.startRequestId === spec.requestId) return { kind: 'existing', mutation: current, started: true };
      const conflict = reusePolicy === REUSE.WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING ? CONFLICT.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING : conflictPolicy;
      if (conflict === CONFLICT.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING) return { kind: 'existing', mutation: current, started: false };
      if (conflict !== CONFLICT.WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING) {
        throw alreadyStarted(`Workflow execution is already running. WorkflowId: ${s.workflowId}, RunId: ${s.runId}.`, s);
      }
      terminateRun(current, 'terminated by a new start of the same workflow id', null, spec.identity, spec.runId);
    } else {
      if (s.startRequestId === spec.requestId) return { kind: 'existing', mutation: current, started: true };
      const failedLike = [WorkflowStatus.Failed, WorkflowStatus.Canceled, WorkflowStatus.Terminated, WorkflowStatus.TimedOut].includes(s.status);
      if (reusePolicy === REUSE.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE) {
        throw alreadyStarted(`Workflow execution already finished and Workflow ID reuse policy is REJECT_DUPLICATE. WorkflowId: ${s.workflowId}, RunId: ${s.runId}.`, s);
      }
      if (reusePolicy === REUSE.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY && !failedLike) {
        throw alreadyStarted(
          `Workflow execution already finished successfully. WorkflowId: ${s.workflowId}, RunId: ${s.runId}. Workflow ID reuse policy: allow duplicate workflow ID if last run failed.`,
          s,
        );
      }
    }
  }
  return { kind: 'started', mutation: createRun(tx, spec) };
}

function alreadyStarted(message: string, s: ExecutionState): EngineError {
  const err = new EngineError(GrpcStatus.ALREADY_EXISTS, message, [
    {
      type_url: 'type.googleapis.com/temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
      value: temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure.encode({ startRequestId: s.startRequestId, runId: s.runId }).finish(),
    },
  ]);
  return err;
}

export async function startWorkflowExecution(engine: Engine, req: StartRequest): Promise<StartResponse> {
  const spec = specFromStartRequest(engine, req);
  const { response, eager } = await engine.transact(spec.namespace, spec.workflowId, async (tx) => {
    const outcome = await startInTx(tx, spec, req.workflowIdReusePolicy, req.workflowIdConflictPolicy);
    if (outcome.kind === 'existing' && !outcome.started && isRunning(outcome.mutation.state)) attachToExistingRun(outcome.mutation, req);
    const s = outcome.mutation.state;
    const response: StartResponse = {
      runId: s.runId,
      firstExecutionRunId: s.firstRunId,
      started: outcome.kind === 'started' || outcome.started,
      status: s.status as number,
      ...(req.completionCallbacks?.length ? { link: startedEventLink(s.namespace, s.workflowId, s.runId) } : {}),
    };
    return { response, eager: beginEagerWorkflowTask(req.requestEagerExecution, req.identity, outcome) };
  });
  return eager ? { ...response, eagerWorkflowTask: eagerWorkflowTaskResponse(engine, eager) } : response;
}
