/** ExecuteMultiOperation: update-with-start, the only combination Temporal defines. */
import type { CallContext } from './grpcServer';
import type { Engine } from './engine';
import { EngineError, GrpcStatus, invalidArgument } from './errors';
import { packAny, temporal, type Plain } from './proto';
import { admitUpdate, respondWhenReached } from './updates';
import { specFromStartRequest, startInTx } from './workflowStart';

import WS = temporal.api.workflowservice.v1;

/** Reports which operation failed, in the shape clients unpack (the other one is "aborted"). */
function multiOperationError(err: unknown, failedIndex: number): EngineError {
  if (!(err instanceof EngineError)) return multiOperationError(new EngineError(GrpcStatus.INTERNAL, String(err)), failedIndex);
  const statuses = [0, 1].map((i) =>
    i === failedIndex
      ? { code: err.code, message: err.message, details: err.details }
      : { code: GrpcStatus.ABORTED, message: 'Operation was aborted.', details: [packAny('temporal.api.failure.v1.MultiOperationExecutionAborted', {})] },
  );
  return new EngineError(err.code, `Update-with-Start could not be executed: ${err.message}`, [
    packAny('temporal.api.errordetails.v1.MultiOperationExecutionFailure', { statuses }),
  ]);
}

export async function executeMultiOperation(
  engine: Engine,
  req: Plain<WS.ExecuteMultiOperationRequest.$Properties>,
  ctx: CallContext,
): Promise<Plain<WS.ExecuteMultiOperationResponse.$Properties>> {
  const ops = req.operations ?? [];
  const start = ops[0]?.startWorkflow;
  const update = ops[1]?.updateWorkflow;
  if (ops.length !== 2 || !start || !update) {
    throw invalidArgument('ExecuteMultiOperation supports exactly one start-workflow operation followed by one update-workflow operation.');
  }
  if (update.workflowExecution?.workflowId !== start.workflowId || update.workflowExecution?.runId) {
    throw invalidArgument('The update must target the workflow id being started, without a run id.');
  }
  let spec;
  try {
    spec = specFromStartRequest(engine, { ...start, namespace: start.namespace || req.namespace });
  } catch (err) {
    throw multiOperationError(err, 0);
  }
  const admitted = await engine
    .transact(spec.namespace, spec.workflowId, async (tx) => {
      let outcome;
      try {
        outcome = await startInTx(tx, spec, start.workflowIdReusePolicy, start.workflowIdConflictPolicy);
      } catch (err) {
        throw multiOperationError(err, 0);
      }
      let entry;
      try {
        entry = admitUpdate(outcome.mutation, update);
      } catch (err) {
        throw multiOperationError(err, 1);
      }
      const s = outcome.mutation.state;
      return {
        exec: outcome.mutation.exec,
        entry,
        startResponse: { runId: s.runId, firstExecutionRunId: s.firstRunId, started: outcome.kind === 'started' || outcome.started, status: s.status as number },
      };
    });
  const updateResponse = await respondWhenReached(engine, admitted.exec, update, admitted.entry, ctx);
  return { responses: [{ startWorkflow: admitted.startResponse }, { updateWorkflow: updateResponse }] };
}
