/** What a schedule does to workflows: start one for an action time, cancel or terminate the running ones. */
import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine';
import { enums, type Payload } from '../proto';
import { requestCancelWorkflowExecution, terminateWorkflowExecution } from '../workflowApi';
import { specFromStartRequest, startInTx } from '../workflowStart';
import { Overlap, type BufferedStart, type ScheduleRecord } from './record';

const encoder = new TextEncoder();

function jsonPayload(value: unknown, type: string): Payload {
  return { metadata: { encoding: encoder.encode('json/plain'), type: encoder.encode(type) }, data: encoder.encode(JSON.stringify(value)) };
}

/** RFC 3339 at second precision, as the server appends to scheduled workflow ids. */
export function rfc3339Seconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function schedulerIdentity(rec: ScheduleRecord): string {
  return `temporal-scheduler-${rec.namespace}-${rec.scheduleId}`;
}

/** `<workflowId>-<nominal time>`, unless the schedule keeps the bare id (never for ALLOW_ALL, whose runs overlap). */
export function scheduledWorkflowId(rec: ScheduleRecord, start: BufferedStart, policy: number): string {
  const base = rec.action.workflowId ?? '';
  if (rec.policies.keepOriginalWorkflowId && policy !== Overlap.AllowAll) return base;
  return `${base}-${rfc3339Seconds(start.nominal)}`;
}

/**
 * Starts the action's workflow for one buffered start, with the schedule's search attributes and
 * the previous run's result or failure. Scheduled starts refuse a duplicate id (a pass repeated
 * after a crash must not start twice); manual ones (trigger, backfill) allow it, as on the server.
 */
export async function startScheduledWorkflow(engine: Engine, rec: ScheduleRecord, start: BufferedStart, policy: number): Promise<{ workflowId: string; runId: string }> {
  const a = rec.action;
  const workflowId = scheduledWorkflowId(rec, start, policy);
  const reuse = start.manual ? enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE : enums.WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE;
  // The action's own attributes are checked like a client's; the system ones are added after.
  const spec = specFromStartRequest(engine, {
    namespace: rec.namespace,
    workflowId,
    workflowType: a.workflowType,
    taskQueue: a.taskQueue,
    input: a.input,
    workflowExecutionTimeout: a.workflowExecutionTimeout,
    workflowRunTimeout: a.workflowRunTimeout,
    workflowTaskTimeout: a.workflowTaskTimeout,
    identity: schedulerIdentity(rec),
    requestId: randomUUID(),
    retryPolicy: a.retryPolicy,
    memo: a.memo,
    searchAttributes: a.searchAttributes,
    header: a.header,
    userMetadata: a.userMetadata,
    priority: a.priority,
  });
  const nominalSeconds = Math.floor(start.nominal / 1000) * 1000;
  spec.searchAttributes = {
    indexedFields: {
      ...(a.searchAttributes?.indexedFields ?? {}),
      TemporalScheduledStartTime: jsonPayload(new Date(nominalSeconds).toISOString(), 'Datetime'),
      TemporalScheduledById: jsonPayload(rec.scheduleId, 'Keyword'),
    },
  };
  // ALLOW_ALL runs do not take part in the chain of results, as on the server.
  if (policy !== Overlap.AllowAll) {
    spec.lastCompletionResult = rec.lastCompletionResult ?? null;
    spec.continuedFailure = rec.continuedFailure ?? null;
  }
  const runId = await engine.transact(spec.namespace, spec.workflowId, async (tx) => {
    const outcome = await startInTx(tx, spec, reuse, enums.WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL);
    return outcome.mutation.state.runId;
  });
  return { workflowId, runId };
}

/** CANCEL_OTHER / TERMINATE_OTHER: acts on every running workflow; their closing wakes the schedule again. */
export async function stopRunning(engine: Engine, rec: ScheduleRecord, how: 'cancel' | 'terminate'): Promise<void> {
  const identity = schedulerIdentity(rec);
  for (const w of rec.info.runningWorkflows) {
    const workflowExecution = { workflowId: w.workflowId };
    const done =
      how === 'terminate'
        ? terminateWorkflowExecution(engine, { namespace: rec.namespace, workflowExecution, reason: 'terminated by schedule overlap policy', identity })
        : requestCancelWorkflowExecution(engine, { namespace: rec.namespace, workflowExecution, reason: 'cancelled by schedule overlap policy', identity, requestId: randomUUID() });
    // A run that closed meanwhile is what was wanted.
    await done.catch((err: unknown) => engine.log.debug(`schedule ${rec.scheduleId}: ${how} of ${w.workflowId}: ${String(err)}`));
  }
}
