import type { Namespaces } from './namespaces';
import { msTimestamp, type WorkflowExecutionInfo } from './proto';
import { decodeAll } from './searchAttributes';
import { WorkflowStatus, type ExecutionState } from './state';
import type { VisibilityEntry } from './store/store';

export const STATUS_NAMES: Record<WorkflowStatus, string> = {
  [WorkflowStatus.Running]: 'Running',
  [WorkflowStatus.Completed]: 'Completed',
  [WorkflowStatus.Failed]: 'Failed',
  [WorkflowStatus.Canceled]: 'Canceled',
  [WorkflowStatus.Terminated]: 'Terminated',
  [WorkflowStatus.ContinuedAsNew]: 'ContinuedAsNew',
  [WorkflowStatus.TimedOut]: 'TimedOut',
};

/** The WorkflowExecutionInfo that Describe and List return for a run. */
export function executionInfo(s: ExecutionState): WorkflowExecutionInfo {
  return {
    execution: { workflowId: s.workflowId, runId: s.runId },
    type: { name: s.workflowType },
    startTime: msTimestamp(s.startTime),
    closeTime: s.closeTime !== undefined ? msTimestamp(s.closeTime) : null,
    status: s.status as number,
    historyLength: s.nextEventId - 1,
    parentExecution: s.parent ? { workflowId: s.parent.workflowId, runId: s.parent.runId } : null,
    parentNamespaceId: s.parent ? s.parent.namespace : '',
    executionTime: msTimestamp(s.executionTime),
    memo: s.memo ?? { fields: {} },
    searchAttributes: s.searchAttributes ?? { indexedFields: {} },
    taskQueue: s.taskQueue,
    stateTransitionCount: s.version,
    historySizeBytes: s.historySizeBytes,
    firstRunId: s.firstRunId,
    executionDuration:
      s.closeTime !== undefined ? msTimestamp(Math.max(0, s.closeTime - s.executionTime)) : null,
    rootExecution: { workflowId: s.workflowId, runId: s.runId },
  };
}

export function visibilityEntry(namespaces: Namespaces, s: ExecutionState): VisibilityEntry {
  const ns = namespaces.get(s.namespace);
  return {
    namespace: s.namespace,
    info: executionInfo(s),
    record: {
      workflowId: s.workflowId,
      runId: s.runId,
      workflowType: s.workflowType,
      taskQueue: s.taskQueue,
      status: STATUS_NAMES[s.status],
      startTime: s.startTime,
      executionTime: s.executionTime,
      closeTime: s.closeTime,
      historyLength: s.nextEventId - 1,
      searchAttributes: decodeAll(namespaces, ns, s.searchAttributes),
    },
  };
}

/** Changes exactly when the run's visibility row must be rewritten. */
export function visibilityFingerprint(s: ExecutionState): string {
  return JSON.stringify([s.status, s.closeTime, s.executionTime, s.taskQueue, s.memo, s.searchAttributes]);
}
