/** Client-facing operations on an existing workflow: signal, signal-with-start, cancel, terminate, delete. */
import type { Engine } from './engine';
import { invalidArgument, notFound, workflowCompleted } from './errors';
import type { Mutation } from './execution';
import { temporal, type Header, type Payloads, type Plain } from './proto';
import { isRunning, type ExecutionState } from './state';
import { scheduleWorkflowTask } from './workflowTasks';
import { terminateRun } from './closing';
import { specFromStartRequest, startInTx, requireId } from './workflowStart';
import { enums } from './proto';

import WS = temporal.api.workflowservice.v1;

const MAX_REMEMBERED_SIGNAL_IDS = 200;

export interface SignalInput {
  signalName: string;
  input?: Payloads | null;
  header?: Header | null;
  identity?: string | null;
  requestId?: string | null;
  externalWorkflowExecution?: { workflowId: string; runId: string } | null;
}

/** Appends a signal to an open run; a repeated request id is acknowledged without a second event. */
export function signalRun(m: Mutation, sig: SignalInput): void {
  const s = m.state;
  if (!isRunning(s)) throw workflowCompleted();
  if (sig.requestId) {
    if (s.signalRequestIds.includes(sig.requestId)) return;
    s.signalRequestIds.push(sig.requestId);
    if (s.signalRequestIds.length > MAX_REMEMBERED_SIGNAL_IDS) s.signalRequestIds.shift();
  }
  m.add('workflowExecutionSignaledEventAttributes', {
    signalName: sig.signalName,
    input: sig.input ?? null,
    identity: sig.identity ?? '',
    header: sig.header ?? null,
    externalWorkflowExecution: sig.externalWorkflowExecution ?? null,
    requestId: sig.requestId ?? '',
  });
  scheduleWorkflowTask(m);
}

export async function signalWorkflowExecution(engine: Engine, req: Plain<WS.SignalWorkflowExecutionRequest.$Properties>): Promise<object> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.workflowExecution?.workflowId, 'WorkflowId');
  const signalName = requireId(req.signalName, 'SignalName');
  await engine.transact(ns.name, workflowId, async (tx) => {
    const m = await tx.run(req.workflowExecution?.runId);
    signalRun(m, { signalName, input: req.input, header: req.header, identity: req.identity, requestId: req.requestId });
  });
  return {};
}

export async function signalWithStartWorkflowExecution(
  engine: Engine,
  req: Plain<WS.SignalWithStartWorkflowExecutionRequest.$Properties>,
): Promise<Plain<WS.SignalWithStartWorkflowExecutionResponse.$Properties>> {
  const spec = specFromStartRequest(engine, req);
  const signalName = requireId(req.signalName, 'SignalName');
  // Signal-with-start signals a running workflow unless told otherwise.
  const conflict = req.workflowIdConflictPolicy || enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING;
  return engine.transact(spec.namespace, spec.workflowId, async (tx) => {
    const outcome = await startInTx(tx, spec, req.workflowIdReusePolicy, conflict);
    signalRun(outcome.mutation, { signalName, input: req.signalInput, header: req.header, identity: req.identity, requestId: `${spec.requestId}:signal` });
    return { runId: outcome.mutation.state.runId, started: outcome.kind === 'started' };
  });
}

/** Records a cancellation request on an open run (idempotent once requested). */
export function requestCancelRun(
  m: Mutation,
  req: { reason?: string | null; identity?: string | null; externalInitiatedEventId?: number; externalWorkflowExecution?: { workflowId: string; runId: string } },
): void {
  const s = m.state;
  if (!isRunning(s)) throw workflowCompleted();
  if (s.cancelRequested) return;
  s.cancelRequested = true;
  m.add('workflowExecutionCancelRequestedEventAttributes', {
    cause: req.reason ?? '',
    identity: req.identity ?? '',
    externalInitiatedEventId: req.externalInitiatedEventId ?? 0,
    externalWorkflowExecution: req.externalWorkflowExecution ?? null,
  });
  scheduleWorkflowTask(m);
}

function checkFirstRun(s: ExecutionState, firstExecutionRunId: string | null | undefined): void {
  if (firstExecutionRunId && s.firstRunId !== firstExecutionRunId) {
    throw notFound(`workflow execution with first run id ${firstExecutionRunId} not found`);
  }
}

export async function requestCancelWorkflowExecution(engine: Engine, req: Plain<WS.RequestCancelWorkflowExecutionRequest.$Properties>): Promise<object> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.workflowExecution?.workflowId, 'WorkflowId');
  await engine.transact(ns.name, workflowId, async (tx) => {
    const m = await tx.run(req.workflowExecution?.runId);
    checkFirstRun(m.state, req.firstExecutionRunId);
    requestCancelRun(m, { reason: req.reason, identity: req.identity });
  });
  return {};
}

export async function terminateWorkflowExecution(engine: Engine, req: Plain<WS.TerminateWorkflowExecutionRequest.$Properties>): Promise<object> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.workflowExecution?.workflowId, 'WorkflowId');
  await engine.transact(ns.name, workflowId, async (tx) => {
    const m = await tx.run(req.workflowExecution?.runId);
    checkFirstRun(m.state, req.firstExecutionRunId);
    if (!isRunning(m.state)) throw workflowCompleted();
    terminateRun(m, req.reason ?? '', req.details ?? null, req.identity ?? '');
  });
  return {};
}

export async function deleteWorkflowExecution(engine: Engine, req: Plain<WS.DeleteWorkflowExecutionRequest.$Properties>): Promise<object> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.workflowExecution?.workflowId, 'WorkflowId');
  await engine.transact(ns.name, workflowId, async (tx) => {
    const m = await tx.run(req.workflowExecution?.runId);
    if (isRunning(m.state)) terminateRun(m, 'Delete workflow execution', null, 'history-service');
  });
  const exec = await engine.load(ns.name, workflowId, req.workflowExecution?.runId || undefined);
  if (!exec) throw invalidArgument('workflow disappeared while being deleted');
  await engine.withWorkflowLock(ns.name, workflowId, async () => {
    await engine.store.deleteRun(ns.name, workflowId, exec.runId);
    engine.forget(ns.name, workflowId, exec.runId);
  });
  return {};
}

export async function resetStickyTaskQueue(engine: Engine, req: Plain<WS.ResetStickyTaskQueueRequest.$Properties>): Promise<object> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = requireId(req.execution?.workflowId, 'WorkflowId');
  await engine.transact(ns.name, workflowId, async (tx) => {
    const m = await tx.run(req.execution?.runId);
    if (m.state.sticky) {
      m.state.sticky = undefined;
      m.touch();
    }
  });
  return {};
}

/** A worker stopped: runs bound to its sticky queue go back to the normal queue at once. */
export async function shutdownWorker(engine: Engine, req: Plain<WS.ShutdownWorkerRequest.$Properties>): Promise<object> {
  const queue = req.stickyTaskQueue;
  if (!queue) return {};
  const ns = engine.namespaces.get(req.namespace);
  engine.matching.dropQueue(ns.name, 'workflow', queue);
  const runs = [...(engine.stickyRuns.get(queue) ?? [])];
  engine.stickyRuns.delete(queue);
  for (const key of runs) {
    const [namespace, workflowId, runId] = key.split('\u0000');
    await engine.transact(namespace, workflowId, async (tx) => {
      const m = await tx.tryRun(runId);
      if (!m || m.state.sticky?.queue !== queue) return;
      m.state.sticky = undefined;
      if (m.state.wft && m.state.wft.startedAt === undefined) {
        m.state.wft.stickyQueue = undefined;
        m.state.wft.stickyTimeoutMs = undefined;
      }
      m.touch();
    });
  }
  return {};
}
