/**
 * Work that crosses from one workflow to another: starting children, reporting a child's end to
 * its parent, signals and cancellations sent to other workflows, and the parent-close policy.
 * Each runs after the originating change is committed, in two steps (act on the target, then
 * record the outcome on the source); both steps are idempotent, so a delivery interrupted by a
 * crash is simply run again when the engine restarts.
 */
import type { Engine } from './engine';
import type { Transfer } from './effects';
import { EngineError, GrpcStatus } from './errors';
import { enums, type HistoryEvent } from './proto';
import { normalizeRetryPolicy } from './retry';
import { isRunning, WorkflowStatus, type ExecutionState } from './state';
import { scheduleWorkflowTask } from './workflowTasks';
import { normalizeTimeouts, startInTx, type RunSpec } from './workflowStart';
import { requestCancelRun, signalRun } from './workflowApi';
import { terminateRun } from './closing';
import { randomUUID } from 'node:crypto';
import { followResets } from './reset/resetWorkflow';
import { deliverCompletionCallbacks } from './nexus/callbacks';

export async function runTransfer(engine: Engine, namespace: string, workflowId: string, runId: string, t: Transfer): Promise<void> {
  const exec = await engine.load(namespace, workflowId, runId);
  if (!exec) return;
  switch (t.kind) {
    case 'startChild':
      return startChild(engine, exec.state, exec.event(t.initiatedEventId), t.initiatedEventId);
    case 'notifyParent':
      return notifyParent(engine, exec.state, exec.event(exec.state.closeEventId ?? 0));
    case 'signalExternal':
      return signalExternal(engine, exec.state, exec.event(t.initiatedEventId), t.initiatedEventId);
    case 'cancelExternal':
      return cancelExternal(engine, exec.state, exec.event(t.initiatedEventId), t.initiatedEventId);
    case 'parentClosePolicy':
      return applyParentClosePolicy(engine, exec.state);
    case 'nexusCallback':
      return deliverCompletionCallbacks(engine, exec);
  }
}

function isGone(err: unknown): boolean {
  return err instanceof EngineError && (err.code === GrpcStatus.NOT_FOUND || err.code === GrpcStatus.ALREADY_EXISTS);
}

async function startChild(engine: Engine, parent: ExecutionState, initiated: HistoryEvent | undefined, initiatedEventId: number): Promise<void> {
  const child = parent.children[initiatedEventId];
  const a = initiated?.startChildWorkflowExecutionInitiatedEventAttributes;
  if (!child || child.runId || !a) return;
  let started: { runId: string } | undefined;
  try {
    const timeouts = normalizeTimeouts(a.workflowExecutionTimeout, a.workflowRunTimeout, a.workflowTaskTimeout);
    const runId = randomUUID();
    const spec: RunSpec = {
      namespace: child.namespace,
      workflowId: child.workflowId,
      runId,
      workflowType: child.workflowType,
      taskQueue: a.taskQueue?.name || parent.taskQueue,
      input: a.input,
      header: a.header,
      memo: a.memo,
      searchAttributes: a.searchAttributes,
      identity: parent.identity ?? '',
      requestId: child.requestId,
      ...timeouts,
      retryPolicy: a.retryPolicy ? normalizeRetryPolicy(a.retryPolicy) : undefined,
      attempt: 1,
      startDelayMs: 0,
      cronSchedule: a.cronSchedule || undefined,
      parent: { namespace: parent.namespace, workflowId: parent.workflowId, runId: parent.runId, initiatedEventId },
      firstRunId: runId,
      priority: a.priority,
    };
    started = await engine.transact(child.namespace, child.workflowId, async (tx) => {
      const outcome = await startInTx(tx, spec, a.workflowIdReusePolicy, enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
      // Only a run this very request created counts; any other run under the id is a conflict.
      if (outcome.kind === 'existing' && !outcome.started) throw new EngineError(GrpcStatus.ALREADY_EXISTS, 'child workflow already running');
      return { runId: outcome.mutation.state.runId };
    });
  } catch (err) {
    if (!isGone(err)) throw err;
  }
  await engine.transact(parent.namespace, parent.workflowId, async (tx) => {
    const m = await tx.tryRun(parent.runId);
    const c = m?.state.children[initiatedEventId];
    if (!m || !isRunning(m.state) || !c || c.runId) return;
    if (started) {
      c.runId = started.runId;
      c.startedEventId = m.add('childWorkflowExecutionStartedEventAttributes', {
        namespace: c.namespace,
        namespaceId: c.namespace,
        initiatedEventId,
        workflowExecution: { workflowId: c.workflowId, runId: started.runId },
        workflowType: { name: c.workflowType },
        header: a.header ?? null,
      });
    } else {
      delete m.state.children[initiatedEventId];
      m.add('startChildWorkflowExecutionFailedEventAttributes', {
        namespace: c.namespace,
        namespaceId: c.namespace,
        workflowId: c.workflowId,
        workflowType: { name: c.workflowType },
        cause: enums.StartChildWorkflowExecutionFailedCause.START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS,
        control: a.control ?? '',
        initiatedEventId,
        workflowTaskCompletedEventId: a.workflowTaskCompletedEventId ?? 0,
      });
    }
    scheduleWorkflowTask(m);
  });
}

async function notifyParent(engine: Engine, child: ExecutionState, closeEvent: HistoryEvent | undefined): Promise<void> {
  const parent = child.parent;
  if (!parent || child.parentNotified) return;
  await engine.transact(parent.namespace, parent.workflowId, async (tx) => {
    const m = await followResets(tx, parent.runId);
    const c = m?.state.children[parent.initiatedEventId];
    if (!m || !isRunning(m.state) || !c || c.workflowId !== child.workflowId) return;
    const base = {
      namespace: c.namespace,
      namespaceId: c.namespace,
      workflowExecution: { workflowId: child.workflowId, runId: child.runId },
      workflowType: { name: c.workflowType },
      initiatedEventId: parent.initiatedEventId,
    };
    if (!c.runId) {
      // The child finished before its start was recorded: record the start first.
      c.runId = child.firstRunId;
      c.startedEventId = m.add('childWorkflowExecutionStartedEventAttributes', { ...base, workflowExecution: { workflowId: child.workflowId, runId: child.firstRunId } });
    }
    const startedEventId = c.startedEventId ?? 0;
    switch (child.status) {
      case WorkflowStatus.Completed:
        m.add('childWorkflowExecutionCompletedEventAttributes', { ...base, startedEventId, result: closeEvent?.workflowExecutionCompletedEventAttributes?.result ?? null });
        break;
      case WorkflowStatus.Failed:
        m.add('childWorkflowExecutionFailedEventAttributes', {
          ...base,
          startedEventId,
          failure: closeEvent?.workflowExecutionFailedEventAttributes?.failure ?? null,
          retryState: closeEvent?.workflowExecutionFailedEventAttributes?.retryState ?? 0,
        });
        break;
      case WorkflowStatus.Canceled:
        m.add('childWorkflowExecutionCanceledEventAttributes', { ...base, startedEventId, details: closeEvent?.workflowExecutionCanceledEventAttributes?.details ?? null });
        break;
      case WorkflowStatus.TimedOut:
        m.add('childWorkflowExecutionTimedOutEventAttributes', {
          ...base,
          startedEventId,
          retryState: closeEvent?.workflowExecutionTimedOutEventAttributes?.retryState ?? 0,
        });
        break;
      default:
        m.add('childWorkflowExecutionTerminatedEventAttributes', { ...base, startedEventId });
    }
    delete m.state.children[parent.initiatedEventId];
    scheduleWorkflowTask(m);
  });
  await engine.transact(child.namespace, child.workflowId, async (tx) => {
    const m = await tx.tryRun(child.runId);
    if (!m || m.state.parentNotified) return;
    m.state.parentNotified = true;
    m.touch();
  });
}

/** A signal or cancellation addressed to a child must reach a child of the sender. */
function isChildOf(target: ExecutionState, source: ExecutionState): boolean {
  return target.parent?.workflowId === source.workflowId && target.parent?.namespace === source.namespace;
}

async function signalExternal(engine: Engine, source: ExecutionState, initiated: HistoryEvent | undefined, initiatedEventId: number): Promise<void> {
  const a = initiated?.signalExternalWorkflowExecutionInitiatedEventAttributes;
  const pending = source.signalsOut[initiatedEventId];
  if (!a || !pending) return;
  const target = a.workflowExecution ?? {};
  const namespace = a.namespace || source.namespace;
  let delivered = false;
  try {
    await engine.transact(namespace, target.workflowId ?? '', async (tx) => {
      const m = await tx.run(target.runId);
      if (a.childWorkflowOnly && !isChildOf(m.state, source)) throw new EngineError(GrpcStatus.NOT_FOUND, 'not a child');
      signalRun(m, {
        signalName: a.signalName ?? '',
        input: a.input,
        header: a.header,
        identity: source.identity,
        requestId: pending.requestId,
        externalWorkflowExecution: { workflowId: source.workflowId, runId: source.runId },
      });
    });
    delivered = true;
  } catch (err) {
    if (!isGone(err)) throw err;
  }
  await engine.transact(source.namespace, source.workflowId, async (tx) => {
    const m = await tx.tryRun(source.runId);
    if (!m || !isRunning(m.state) || !m.state.signalsOut[initiatedEventId]) return;
    delete m.state.signalsOut[initiatedEventId];
    const execution = { workflowId: target.workflowId ?? '', runId: target.runId ?? '' };
    if (delivered) {
      m.add('externalWorkflowExecutionSignaledEventAttributes', { initiatedEventId, namespace, namespaceId: namespace, workflowExecution: execution, control: a.control ?? '' });
    } else {
      m.add('signalExternalWorkflowExecutionFailedEventAttributes', {
        cause: enums.SignalExternalWorkflowExecutionFailedCause.SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
        workflowTaskCompletedEventId: a.workflowTaskCompletedEventId ?? 0,
        namespace,
        namespaceId: namespace,
        workflowExecution: execution,
        initiatedEventId,
        control: a.control ?? '',
      });
    }
    scheduleWorkflowTask(m);
  });
}

async function cancelExternal(engine: Engine, source: ExecutionState, initiated: HistoryEvent | undefined, initiatedEventId: number): Promise<void> {
  const a = initiated?.requestCancelExternalWorkflowExecutionInitiatedEventAttributes;
  if (!a || !source.cancelsOut[initiatedEventId]) return;
  const target = a.workflowExecution ?? {};
  const namespace = a.namespace || source.namespace;
  let delivered = false;
  try {
    await engine.transact(namespace, target.workflowId ?? '', async (tx) => {
      const m = await tx.run(target.runId);
      if (a.childWorkflowOnly && !isChildOf(m.state, source)) throw new EngineError(GrpcStatus.NOT_FOUND, 'not a child');
      requestCancelRun(m, {
        reason: a.reason,
        identity: source.identity,
        externalInitiatedEventId: initiatedEventId,
        externalWorkflowExecution: { workflowId: source.workflowId, runId: source.runId },
      });
    });
    delivered = true;
  } catch (err) {
    if (!isGone(err)) throw err;
  }
  await engine.transact(source.namespace, source.workflowId, async (tx) => {
    const m = await tx.tryRun(source.runId);
    if (!m || !isRunning(m.state) || !m.state.cancelsOut[initiatedEventId]) return;
    delete m.state.cancelsOut[initiatedEventId];
    const execution = { workflowId: target.workflowId ?? '', runId: target.runId ?? '' };
    if (delivered) {
      m.add('externalWorkflowExecutionCancelRequestedEventAttributes', { initiatedEventId, namespace, namespaceId: namespace, workflowExecution: execution });
    } else {
      m.add('requestCancelExternalWorkflowExecutionFailedEventAttributes', {
        cause: enums.CancelExternalWorkflowExecutionFailedCause.CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND,
        workflowTaskCompletedEventId: a.workflowTaskCompletedEventId ?? 0,
        namespace,
        namespaceId: namespace,
        workflowExecution: execution,
        initiatedEventId,
        control: a.control ?? '',
      });
    }
    scheduleWorkflowTask(m);
  });
}

async function applyParentClosePolicy(engine: Engine, parent: ExecutionState): Promise<void> {
  for (const action of parent.parentCloseActions) {
    try {
      await engine.transact(action.namespace, action.workflowId, async (tx) => {
        const m = await tx.run();
        // The child may have continued as new since: act on whatever run of it is current.
        if (!isRunning(m.state)) return;
        if (action.action === 'terminate') terminateRun(m, 'by parent close policy', null, 'history-service');
        else requestCancelRun(m, { reason: 'by parent close policy', identity: 'history-service' });
      });
    } catch (err) {
      if (!isGone(err)) throw err;
    }
  }
  await engine.transact(parent.namespace, parent.workflowId, async (tx) => {
    const m = await tx.tryRun(parent.runId);
    if (!m || m.state.parentCloseActions.length === 0) return;
    m.state.parentCloseActions = [];
    m.touch();
  });
}

