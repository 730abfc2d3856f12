/**
 * ResetWorkflowExecution, with the real server's semantics (service/history/ndc/workflow_resetter.go):
 * a new run of the same workflow id gets the base run's history up to the chosen workflow task,
 * that task failed with cause RESET_WORKFLOW (naming base and new run), then the signals and
 * updates the base run (and the runs it continued into) received after that point, reapplied
 * unless excluded, and a fresh workflow task. The current run, if still open, is terminated
 * with the reset reason. A repeated request id answers the run it already created.
 */
import { randomUUID } from 'node:crypto';
import type { Engine, Tx } from '../engine';
import { invalidArgument, workflowNotFound } from '../errors';
import type { Mutation } from '../execution';
import { enums, temporal, type HistoryEvent, type Plain } from '../proto';
import { isRunning, WorkflowStatus, type ExecutionState } from '../state';
import { terminateRun } from '../closing';
import { scheduleWorkflowTask } from '../workflowTasks';
import { requireId } from '../workflowStart';
import { rebuildFromHistory } from './rebuildState';

import WS = temporal.api.workflowservice.v1;
type ResetRequest = Plain<WS.ResetWorkflowExecutionRequest.$Properties>;
type ResetResponse = Plain<WS.ResetWorkflowExecutionResponse.$Properties>;

const EXCLUDE = enums.ResetReapplyExcludeType;
const REAPPLY = enums.ResetReapplyType;
const HISTORY_EVENT = temporal.api.history.v1.HistoryEvent;

export interface ResetExclusions {
  signals: boolean;
  updates: boolean;
}

/** The deprecated reset_reapply_type names what to include; reset_reapply_exclude_types what to leave out. */
export function resetExclusions(reapplyType: number | null | undefined, excludeTypes: number[] | null | undefined): ResetExclusions {
  const out: ResetExclusions = { signals: false, updates: false };
  if (reapplyType === REAPPLY.RESET_REAPPLY_TYPE_SIGNAL) out.updates = true;
  if (reapplyType === REAPPLY.RESET_REAPPLY_TYPE_NONE) {
    out.signals = true;
    out.updates = true;
  }
  for (const t of excludeTypes ?? []) {
    if (t === EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL) out.signals = true;
    if (t === EXCLUDE.RESET_REAPPLY_EXCLUDE_TYPE_UPDATE) out.updates = true;
  }
  return out;
}

export async function resetWorkflowExecution(engine: Engine, req: ResetRequest): Promise<ResetResponse> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.workflowExecution?.workflowId, 'WorkflowId');
  const requestId = requireId(req.requestId, 'RequestId');
  const finishEventId = Number(req.workflowTaskFinishEventId ?? 0);
  const exclusions = resetExclusions(req.resetReapplyType, req.resetReapplyExcludeTypes);
  // The base run's later runs in its chain may have to be read for reapply: load them first.
  return engine.transact(ns.name, workflowId, async (tx) => {
    const base = await tx.run(req.workflowExecution?.runId);
    const current = await tx.run();
    if (current.state.startRequestId === requestId) return { runId: current.state.runId };
    const runId = resetInTx(tx, base, current, {
      finishEventId,
      requestId,
      reason: req.reason ?? '',
      identity: req.identity ?? '',
      exclusions,
      later: await laterRuns(engine, base.state, current.state),
    });
    return { runId };
  });
}

/** Runs the base run continued into, up to the current one: their signals and updates are reapplied too. */
async function laterRuns(engine: Engine, base: ExecutionState, current: ExecutionState): Promise<HistoryEvent[][]> {
  const out: HistoryEvent[][] = [];
  let next = base.newExecutionRunId;
  while (next && next !== base.runId && out.length < 1000) {
    const exec = await engine.load(base.namespace, base.workflowId, next);
    if (!exec) throw workflowNotFound(base.workflowId, next);
    out.push(exec.events);
    if (next === current.runId) break;
    next = exec.state.newExecutionRunId;
  }
  return out;
}

/**
 * The run that now stands for `runId`: itself, or the run the resets of it created (a child
 * started before a reset reports to the run that replaced its parent, as on the real server).
 */
export async function followResets(tx: Tx, runId: string): Promise<Mutation | undefined> {
  let m = await tx.tryRun(runId);
  for (let hops = 0; m && !isRunning(m.state) && m.state.resetRunId && hops < 100; hops++) m = await tx.tryRun(m.state.resetRunId);
  return m;
}

export interface ResetOptions {
  finishEventId: number;
  requestId: string;
  reason: string;
  identity: string;
  exclusions: ResetExclusions;
  later: HistoryEvent[][];
}

/** Creates the reset run in `tx` and terminates the current run if it is open; answers the new run id. */
export function resetInTx(tx: Tx, base: Mutation, current: Mutation, o: ResetOptions): string {
  const b = base.state;
  const events = base.exec.events;
  if (o.finishEventId <= 1 || o.finishEventId >= b.nextEventId) {
    throw invalidArgument('Workflow task finish ID must be > 1 && <= workflow last event ID.');
  }
  const last = events[o.finishEventId - 2];
  if (!last?.workflowTaskStartedEventAttributes && !last?.workflowTaskScheduledEventAttributes) {
    throw invalidArgument(`Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${o.finishEventId}`);
  }
  const newRunId = randomUUID();
  // Terminating first also writes out signals buffered behind an in-flight task, so they are reapplied.
  if (isRunning(current.state)) {
    terminateRun(current, o.reason, null, o.identity || 'history-service');
    // The reset run takes the base run's children over: they are not ended with the run it replaces.
    if (current === base) current.state.parentCloseActions = [];
  }
  base.state.resetRunId = newRunId;
  base.touch();
  const prefix = events.slice(0, o.finishEventId - 1).map((e) => structuredClone(e));
  const reapply = [events.slice(o.finishEventId - 1), ...o.later].flat().filter((e) => reapplicable(e, o.exclusions));

  const rebuilt = rebuildFromHistory(prefix, b.runId);
  const now = tx.now;
  const state: ExecutionState = {
    ...structuredClone(b),
    ...rebuilt,
    version: 0,
    runId: newRunId,
    status: WorkflowStatus.Running,
    startTime: now,
    closeTime: undefined,
    closeEventId: undefined,
    startRequestId: o.requestId,
    nextEventId: 1,
    historySizeBytes: 0,
    runExpiresAt: b.runTimeoutMs > 0 ? now + b.runTimeoutMs : undefined,
    firstWftPending: false,
    sticky: undefined,
    parentCloseActions: [],
    parentNotified: false,
    bufferedEvents: [],
    bufferedSeq: 0,
    newExecutionRunId: undefined,
    resetRunId: undefined,
    wft: undefined,
  };
  for (const a of Object.values(state.activities)) a.attemptScheduledAt = now;
  const m = tx.createRun(state);
  for (const e of prefix) {
    m.exec.events.push(e);
    m.newEvents.push(e);
    state.historySizeBytes += HISTORY_EVENT.encode(e as never).finish().length;
  }
  state.nextEventId = prefix.length + 1;
  failResetWorkflowTask(m, rebuilt.wft, b.runId, newRunId, o.reason);
  for (const e of reapply) reapplyEvent(m, e);
  scheduleWorkflowTask(m);
  return newRunId;
}

function reapplicable(e: HistoryEvent, x: ResetExclusions): boolean {
  if (e.workflowExecutionSignaledEventAttributes) return !x.signals;
  if (e.workflowExecutionUpdateAdmittedEventAttributes) return !x.updates;
  // An accepted update without a request was admitted durably first; that event carries it.
  if (e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest) return !x.updates;
  return false;
}

/** The task in flight at the reset point fails with RESET_WORKFLOW; a task only scheduled is started first. */
function failResetWorkflowTask(m: Mutation, wft: ExecutionState['wft'], baseRunId: string, newRunId: string, reason: string): void {
  if (!wft) throw invalidArgument('the reset point has no workflow task to fail');
  m.state.wft = wft;
  if (wft.startedEventId === undefined) {
    wft.startedEventId = m.add('workflowTaskStartedEventAttributes', { scheduledEventId: wft.scheduledEventId, identity: 'history-service', requestId: randomUUID() });
    wft.startedAt = m.now;
  }
  m.add('workflowTaskFailedEventAttributes', {
    scheduledEventId: wft.scheduledEventId,
    startedEventId: wft.startedEventId,
    cause: enums.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW,
    failure: { message: reason, resetWorkflowFailureInfo: {} },
    identity: 'history-service',
    baseRunId,
    newRunId,
    forkEventVersion: 0,
  });
  m.state.wft = undefined;
}

function reapplyEvent(m: Mutation, e: HistoryEvent): void {
  const signal = e.workflowExecutionSignaledEventAttributes;
  if (signal) {
    m.add('workflowExecutionSignaledEventAttributes', {
      signalName: signal.signalName ?? '',
      input: signal.input ?? null,
      identity: signal.identity ?? '',
      header: signal.header ?? null,
      requestId: signal.requestId ?? '',
    });
    if (signal.requestId) m.state.signalRequestIds.push(signal.requestId);
    return;
  }
  const request = e.workflowExecutionUpdateAdmittedEventAttributes?.request ?? e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
  if (request) {
    m.add('workflowExecutionUpdateAdmittedEventAttributes', {
      request,
      origin: enums.UpdateAdmittedEventOrigin.UPDATE_ADMITTED_EVENT_ORIGIN_REAPPLY,
    });
  }
}
