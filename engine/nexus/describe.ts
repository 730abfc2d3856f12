/** The Nexus parts of DescribeWorkflowExecution: pending operations of a caller, callbacks of a backing workflow. */
import { enums, msDuration, msTimestamp, temporal, type Plain } from '../proto';
import { isRunning, type ExecutionState } from '../state';
import { operations } from './effects';
import type { NexusRequestState } from './operationState';

type Describe = Plain<temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse.$Properties>;

const OP = enums.PendingNexusOperationState;
const CANCEL = enums.NexusOperationCancellationState;
const CB = enums.CallbackState;

function attemptInfo(r: NexusRequestState | undefined) {
  return {
    attempt: r?.attempt ?? 1,
    lastAttemptFailure: r?.lastFailure ?? null,
    nextAttemptScheduleTime: r?.backoffUntil !== undefined ? msTimestamp(r.backoffUntil) : null,
  };
}

export function describeNexus(s: ExecutionState, closeTime: number | undefined): Pick<Describe, 'pendingNexusOperations' | 'callbacks'> {
  const pendingNexusOperations = isRunning(s)
    ? operations(s).map((op) => ({
        endpoint: op.endpoint,
        service: op.service,
        operation: op.operation,
        operationId: op.operationToken ?? '',
        operationToken: op.operationToken ?? '',
        scheduledEventId: op.scheduledEventId,
        scheduledTime: msTimestamp(op.scheduledAt),
        scheduleToCloseTimeout: msDuration(op.scheduleToCloseMs),
        scheduleToStartTimeout: msDuration(op.scheduleToStartMs),
        startToCloseTimeout: msDuration(op.startToCloseMs),
        state: op.startedAt !== undefined ? OP.PENDING_NEXUS_OPERATION_STATE_STARTED : op.start?.phase === 'backoff' ? OP.PENDING_NEXUS_OPERATION_STATE_BACKING_OFF : OP.PENDING_NEXUS_OPERATION_STATE_SCHEDULED,
        ...attemptInfo(op.start),
        cancellationInfo: op.cancel
          ? {
              state: op.cancel.phase === 'backoff' ? CANCEL.NEXUS_OPERATION_CANCELLATION_STATE_BACKING_OFF : CANCEL.NEXUS_OPERATION_CANCELLATION_STATE_SCHEDULED,
              ...attemptInfo(op.cancel),
            }
          : null,
      }))
    : [];
  const callbacks = (s.completionCallbacks ?? []).map((cb) => ({
    callback: { nexus: { url: cb.url, header: cb.header } },
    trigger: { workflowClosed: {} },
    registrationTime: msTimestamp(s.startTime),
    state: s.callbacksDelivered ? CB.CALLBACK_STATE_SUCCEEDED : isRunning(s) ? CB.CALLBACK_STATE_STANDBY : CB.CALLBACK_STATE_SCHEDULED,
    attempt: s.callbacksDelivered ? 1 : 0,
    lastAttemptCompleteTime: s.callbacksDelivered && closeTime !== undefined ? msTimestamp(closeTime) : null,
  }));
  return { pendingNexusOperations, callbacks };
}
