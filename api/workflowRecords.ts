/**
 * What the endpoints of a procedure recorded as one workflow per record (an appointment, a support
 * request) do with it: start it once from its row, read its view (from the workflow while it is
 * kept, else from its projection), and carry a decision into it as an update whose refusal becomes
 * the API's answer.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type QueryDefinition, type UpdateDefinition } from '@temporalio/common';
import type { AppContext } from './context';
import { engineOf, engineUnavailable, updateErrorOf } from './cases/engine';
import { ApiError } from './errors';

/** Starts the workflow; one already started (a retried request) is fine. `what` names it in the log. */
export async function startOnce(ctx: AppContext, workflowType: string, workflowId: string, input: unknown, what: string): Promise<void> {
  const { client, taskQueue } = engineOf(ctx);
  try {
    await client.workflow.start(workflowType, { args: [input], taskQueue, workflowId, workflowIdReusePolicy: 'REJECT_DUPLICATE' });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return;
    console.error(`${what}: could not start its workflow`, err);
    throw engineUnavailable();
  }
}

/** The view as the workflow holds it, else as last projected (`projected`: a closed one past retention). */
export async function viewOf<V>(ctx: AppContext, workflowId: string, query: QueryDefinition<V>, what: string, projected: () => Promise<V | undefined>): Promise<V | undefined> {
  try {
    return await engineOf(ctx).client.workflow.getHandle(workflowId).query(query);
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) {
      if (err instanceof ApiError) throw err;
      console.error(`${what}: the workflow did not answer, serving the projection`, err);
    }
    return projected();
  }
}

/**
 * Runs one update: a refusal whose type is one of `codes` becomes the API's answer, a workflow
 * that has ended `closed()`, anything else 503.
 */
export async function runRecordUpdate<V, I>(
  ctx: AppContext,
  workflowId: string,
  update: UpdateDefinition<V, [I]>,
  input: I,
  codes: Readonly<Record<string, number>>,
  closed: () => ApiError,
  what: string,
): Promise<V> {
  try {
    return await engineOf(ctx).client.workflow.getHandle(workflowId).executeUpdate(update, { args: [input] });
  } catch (err) {
    const refusal = updateErrorOf(err, codes);
    if (refusal) throw refusal;
    if (err instanceof WorkflowNotFoundError) throw closed();
    if (err instanceof ApiError) throw err;
    console.error(`${what}: update ${update.name} failed`, err);
    throw engineUnavailable();
  }
}
