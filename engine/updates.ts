/**
 * Workflow updates: admitted by the engine, delivered to the worker with a workflow task,
 * accepted or rejected by the workflow's validator, and completed with an outcome.
 * Admitted requests live in memory (a client retries them after a restart, as with the real
 * server); acceptance and completion are history events.
 */
import type { CallContext } from './grpcServer';
import type { Engine, Tx } from './engine';
import { CommandError, type CommandContext } from './commands';
import { invalidArgument, notFound, workflowCompleted } from './errors';
import type { Execution, Mutation, UpdateEntry } from './execution';
import { enums, temporal, unpackAny, type Failure, type Payloads, type Plain, type ProtocolMessage } from './proto';
import { isRunning } from './state';
import { scheduleWorkflowTask } from './workflowTasks';

import WS = temporal.api.workflowservice.v1;
type UpdateRequest = Plain<WS.UpdateWorkflowExecutionRequest.$Properties>;
type UpdateResponse = Plain<WS.UpdateWorkflowExecutionResponse.$Properties>;
type PollUpdateRequest = Plain<WS.PollWorkflowExecutionUpdateRequest.$Properties>;
type PollUpdateResponse = Plain<WS.PollWorkflowExecutionUpdateResponse.$Properties>;
type Outcome = { success?: Payloads | null; failure?: Failure | null };

const STAGE = enums.UpdateWorkflowExecutionLifecycleStage;
const BAD_MESSAGE = enums.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_BAD_UPDATE_WORKFLOW_EXECUTION_MESSAGE;

interface UpdateView {
  stage: number;
  outcome?: Outcome;
  /** The run closed before the update could finish. */
  aborted?: boolean;
}

function view(exec: Execution, updateId: string, entry?: UpdateEntry): UpdateView | undefined {
  const rec = exec.state.updates[updateId];
  if (rec?.completedEventId) {
    const outcome = exec.event(rec.completedEventId)?.workflowExecutionUpdateCompletedEventAttributes?.outcome ?? {};
    return { stage: STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, outcome };
  }
  const e = entry ?? exec.updates.get(updateId);
  if (e?.phase === 'rejected' || e?.phase === 'completed') return { stage: STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED, outcome: e.outcome };
  if (rec) return { stage: STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED, aborted: !isRunning(exec.state) };
  if (e) return { stage: e.phase === 'accepted' ? STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED : STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED, aborted: e.phase === 'aborted' };
  return undefined;
}

/** Waits until the update reaches `stage`, the run closes, or the caller's time runs out. */
async function waitForStage(engine: Engine, exec: () => Execution, updateId: string, entry: UpdateEntry | undefined, stage: number, ctx: CallContext): Promise<UpdateView> {
  const stopAt = Date.now() + engine.pollWaitMs(ctx.deadline);
  for (;;) {
    const current = exec();
    const v = view(current, updateId, entry);
    if (!v) throw notFound(`update ${updateId} not found`);
    if (v.stage >= stage) return v;
    if (v.aborted) throw workflowCompleted();
    const remaining = stopAt - Date.now();
    if (remaining <= 0 || ctx.signal.aborted) return v;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        ctx.signal.removeEventListener('abort', done);
        current.historyWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, remaining);
      ctx.signal.addEventListener('abort', done);
      (entry ?? current.updates.get(updateId))?.waiters.push({ stage, resolve: done });
      // Acceptance and completion also show up as new history.
      current.historyWaiters.add(done);
    });
    if (entry && entry.movedTo) entry = entry.movedTo.updates.get(updateId) ?? entry;
  }
}

/** Admits an update on the given (or current) run of a workflow; used by Update and by update-with-start. */
export function admitUpdate(m: Mutation, req: UpdateRequest): UpdateEntry | undefined {
  const updateId = req.request?.meta?.updateId;
  if (!updateId) throw invalidArgument('Update ID is not set on request.');
  if (!req.request?.input?.name) throw invalidArgument('Update name is not set on request.');
  if (req.firstExecutionRunId && m.state.firstRunId !== req.firstExecutionRunId) throw notFound('workflow execution not found for the given first run id');
  if (m.state.updates[updateId]) return undefined;
  const existing = m.exec.updates.get(updateId);
  if (existing && existing.phase !== 'rejected' && existing.phase !== 'aborted') return existing;
  if (!isRunning(m.state)) throw workflowCompleted();
  const entry: UpdateEntry = { updateId, request: req.request, phase: 'admitted', waiters: [] };
  const exec = m.exec;
  m.afterCommit.push(() => exec.updates.set(updateId, entry));
  scheduleWorkflowTask(m);
  return entry;
}

export async function updateWorkflowExecution(engine: Engine, req: UpdateRequest, ctx: CallContext): Promise<UpdateResponse> {
  const namespace = engine.namespaces.get(req.namespace).name;
  const workflowId = req.workflowExecution?.workflowId;
  if (!workflowId) throw invalidArgument('WorkflowId is not set on request.');
  const { exec, entry } = await engine.transact(namespace, workflowId, async (tx) => {
    const m = await tx.run(req.workflowExecution?.runId);
    return { exec: m.exec, entry: admitUpdate(m, req) };
  });
  return respondWhenReached(engine, exec, req, entry, ctx);
}

/** Waits for the requested stage and answers in the shape UpdateWorkflowExecution returns. */
export async function respondWhenReached(
  engine: Engine,
  exec: Execution,
  req: UpdateRequest,
  entry: UpdateEntry | undefined,
  ctx: CallContext,
): Promise<UpdateResponse> {
  const updateId = req.request!.meta!.updateId!;
  const wanted = Math.max(req.waitPolicy?.lifecycleStage ?? 0, STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED);
  let target = exec;
  const v = await waitForStage(engine, () => (target = entry?.movedTo ?? target), updateId, entry, wanted, ctx);
  return {
    updateRef: { workflowExecution: { workflowId: target.workflowId, runId: target.runId }, updateId },
    outcome: v.stage >= STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED ? v.outcome : null,
    stage: v.stage,
  };
}

export async function pollWorkflowExecutionUpdate(engine: Engine, req: PollUpdateRequest, ctx: CallContext): Promise<PollUpdateResponse> {
  const namespace = engine.namespaces.get(req.namespace).name;
  const workflowId = req.updateRef?.workflowExecution?.workflowId;
  const updateId = req.updateRef?.updateId;
  if (!workflowId || !updateId) throw invalidArgument('UpdateRef must name a workflow and an update.');
  const exec = await engine.load(namespace, workflowId, req.updateRef?.workflowExecution?.runId || undefined);
  if (!exec) throw notFound(`workflow ${workflowId} not found`);
  const wanted = req.waitPolicy?.lifecycleStage || STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED;
  const v = await waitForStage(engine, () => exec, updateId, exec.updates.get(updateId), wanted, ctx);
  return {
    outcome: v.stage >= STAGE.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED ? v.outcome : null,
    stage: v.stage,
    updateRef: { workflowExecution: { workflowId, runId: exec.runId }, updateId },
  };
}

function wake(entry: UpdateEntry | undefined): void {
  if (!entry) return;
  for (const w of entry.waiters.splice(0)) w.resolve();
}

/** Applies the worker's acceptance, rejection or response message for an update. */
export function applyUpdateMessage(ctx: CommandContext, msg: ProtocolMessage): void {
  const { m } = ctx;
  const body = unpackAny<Record<string, unknown>>(msg.body);
  const updateId = msg.protocolInstanceId ?? '';
  const exec = m.exec;
  const entry = exec.updates.get(updateId);
  switch (body?.typeName) {
    case 'temporal.api.update.v1.Acceptance': {
      const a = body.value as Plain<temporal.api.update.v1.Acceptance.$Properties>;
      if (m.state.updates[updateId]) throw new CommandError(BAD_MESSAGE, `update ${updateId} was already accepted`);
      const acceptedEventId = m.add('workflowExecutionUpdateAcceptedEventAttributes', {
        protocolInstanceId: updateId,
        acceptedRequestMessageId: a.acceptedRequestMessageId ?? '',
        acceptedRequestSequencingEventId: a.acceptedRequestSequencingEventId ?? 0,
        acceptedRequest: a.acceptedRequest ?? (entry?.request as object) ?? null,
      });
      m.state.updates[updateId] = { acceptedEventId };
      m.afterCommit.push(() => {
        if (!entry) return;
        entry.phase = 'accepted';
        entry.acceptedEventId = acceptedEventId;
        wake(entry);
      });
      return;
    }
    case 'temporal.api.update.v1.Rejection': {
      const r = body.value as Plain<temporal.api.update.v1.Rejection.$Properties>;
      m.afterCommit.push(() => {
        if (!entry) return;
        entry.phase = 'rejected';
        entry.outcome = { failure: r.failure ?? { message: 'update rejected' } };
        exec.updates.delete(updateId);
        wake(entry);
      });
      return;
    }
    case 'temporal.api.update.v1.Response': {
      const r = body.value as Plain<temporal.api.update.v1.Response.$Properties>;
      const id = r.meta?.updateId || updateId;
      const rec = m.state.updates[id];
      if (!rec) throw new CommandError(BAD_MESSAGE, `update ${id} responded before it was accepted`);
      rec.completedEventId = m.add('workflowExecutionUpdateCompletedEventAttributes', {
        meta: r.meta ?? { updateId: id },
        acceptedEventId: rec.acceptedEventId,
        outcome: r.outcome ?? null,
      });
      m.afterCommit.push(() => {
        const e = exec.updates.get(id);
        if (!e) return;
        e.phase = 'completed';
        e.outcome = r.outcome ?? {};
        exec.updates.delete(id);
        wake(e);
      });
      return;
    }
    default:
      throw new CommandError(BAD_MESSAGE, `unsupported protocol message ${body?.typeName ?? '(empty)'}`);
  }
}

/** The run closed: updates that can no longer finish release their callers with an error. */
export function abortUpdates(m: Mutation): void {
  const exec = m.exec;
  m.afterCommit.push(() => {
    for (const entry of exec.updates.values()) {
      if (entry.phase === 'admitted' || entry.phase === 'sent' || entry.phase === 'accepted') {
        entry.phase = 'aborted';
        wake(entry);
      }
    }
  });
}

/** Continue-as-new and retries carry not-yet-accepted updates over to the next run. */
export function moveUpdates(m: Mutation, tx: Tx, newRunId: string): void {
  const exec = m.exec;
  m.afterCommit.push(() => {
    const next = [...tx.mutations.values()].find((x) => x.state.runId === newRunId)?.exec;
    for (const [id, entry] of exec.updates) {
      if (entry.phase !== 'admitted' && entry.phase !== 'sent') continue;
      exec.updates.delete(id);
      if (!next) {
        entry.phase = 'aborted';
      } else {
        entry.phase = 'admitted';
        entry.sentWith = undefined;
        next.updates.set(id, entry);
        entry.movedTo = next;
      }
      wake(entry);
    }
  });
}
