/**
 * One batch action on one execution, through the same operations the API offers. As the real
 * server's batcher does, an execution that is already closed or gone (NOT_FOUND) counts as done;
 * any other refusal counts as a failure. Each action is safe to repeat after a restart: signals
 * and resets carry a request id derived from the job, terminate and cancel of a closed run are
 * no-ops.
 */
import type { Engine } from '../engine';
import { EngineError, GrpcStatus, invalidArgument, workflowNotFound } from '../errors';
import { resetWorkflowExecution } from '../reset/resetWorkflow';
import {
  deleteWorkflowExecution,
  requestCancelWorkflowExecution,
  signalWorkflowExecution,
  terminateWorkflowExecution,
} from '../workflowApi';
import type { BatchRecord, BatchTarget } from './batchRecord';

export type ActionOutcome = 'done' | 'failed';

export async function applyBatchAction(engine: Engine, job: BatchRecord, target: BatchTarget): Promise<ActionOutcome> {
  const namespace = job.namespace;
  const workflowExecution = { workflowId: target.workflowId, runId: target.runId ?? '' };
  const identity = job.identity;
  const a = job.action;
  const requestId = `batch:${job.jobId}:${target.workflowId}:${target.runId ?? ''}`;
  try {
    switch (a.kind) {
      case 'terminate':
        await terminateWorkflowExecution(engine, { namespace, workflowExecution, reason: job.reason, details: a.details ?? null, identity });
        break;
      case 'cancel':
        await requestCancelWorkflowExecution(engine, { namespace, workflowExecution, reason: job.reason, identity, requestId });
        break;
      case 'signal':
        await signalWorkflowExecution(engine, { namespace, workflowExecution, signalName: a.signal, input: a.input ?? null, header: a.header ?? null, identity, requestId });
        break;
      case 'delete':
        await deleteWorkflowExecution(engine, { namespace, workflowExecution });
        break;
      case 'reset':
        await resetWorkflowExecution(engine, {
          namespace,
          workflowExecution,
          reason: job.reason,
          identity,
          requestId,
          workflowTaskFinishEventId: await resetPoint(engine, job, target, a.to),
          resetReapplyType: a.reapplyType,
          resetReapplyExcludeTypes: a.excludeTypes,
        });
        break;
    }
    return 'done';
  } catch (err) {
    if (err instanceof EngineError && err.code === GrpcStatus.NOT_FOUND) return 'done';
    if (err instanceof EngineError && err.code !== GrpcStatus.UNAVAILABLE) {
      engine.log.debug(`batch ${job.jobId}: ${target.workflowId}: ${err.message}`);
      return 'failed';
    }
    throw err;
  }
}

/** The completed workflow task a batch reset goes back to, in the target run's own history. */
async function resetPoint(engine: Engine, job: BatchRecord, target: BatchTarget, to: 'first' | 'last' | number): Promise<number> {
  if (typeof to === 'number') return to;
  const exec = await engine.load(job.namespace, target.workflowId, target.runId || undefined);
  if (!exec) throw workflowNotFound(target.workflowId, target.runId);
  const completed = exec.events.filter((e) => e.workflowTaskCompletedEventAttributes).map((e) => Number(e.eventId));
  const id = to === 'first' ? completed[0] : completed[completed.length - 1];
  if (id === undefined) throw invalidArgument('the run has no completed workflow task to reset to');
  return id;
}
