import { expect } from 'chai';
import { WorkflowStatus, type ExecutionState } from '../state';
import { NEXUS_REQUEST_TIMEOUT_MS, nexusRunnableWork, nexusTaskOffers, nexusTimers, owesCompletionCallbacks } from './effects';
import type { NexusOperationState } from './operationState';

const T0 = Date.UTC(2026, 11, 7, 8);

function op(extra: Partial<NexusOperationState> = {}): NexusOperationState {
  return {
    scheduledEventId: 5,
    endpointId: 'e1',
    endpoint: 'ep',
    service: 'svc',
    operation: 'op',
    requestId: 'r1',
    namespace: 'handlers',
    taskQueue: 'hq',
    scheduledAt: T0,
    scheduleToCloseMs: 60_000,
    scheduleToStartMs: 0,
    startToCloseMs: 0,
    start: { phase: 'queued', attempt: 1 },
    ...extra,
  };
}

function run(ops: NexusOperationState[], extra: Partial<ExecutionState> = {}): ExecutionState {
  return { runId: 'run-1', status: WorkflowStatus.Running, nexusOperations: Object.fromEntries(ops.map((o) => [o.scheduledEventId, o])), ...extra } as ExecutionState;
}

describe('engine nexus: derived effects', () => {
  it('offers a queued start request on the endpoint namespace and queue, and holds the clock for it', () => {
    const s = run([op()]);
    expect(nexusTaskOffers(s)).to.deep.equal([{ namespace: 'handlers', queueName: 'hq', key: 'nexus:run-1:5:start:1', request: 'start', scheduledEventId: 5, attempt: 1 }]);
    expect(nexusRunnableWork(s)).to.deep.equal(['nexus:5:start:1']);
  });

  it('arms the schedule-to-close deadline, and the request timeout of a dispatched request, capped by that deadline', () => {
    const early = nexusTimers(run([op({ start: { phase: 'dispatched', attempt: 2, dispatchedAt: T0 + 1000 } })]));
    expect(early.map((t) => [t.timer.deadline, t.at - T0])).to.deep.equal([
      ['scheduleToClose', 60_000],
      ['startRequest', 1000 + NEXUS_REQUEST_TIMEOUT_MS],
    ]);
    const late = nexusTimers(run([op({ start: { phase: 'dispatched', attempt: 2, dispatchedAt: T0 + 55_000 } })]));
    expect(late.find((t) => t.timer.deadline === 'startRequest')!.at).to.equal(T0 + 60_000);
  });

  it('neither offers nor holds the clock for a request in backoff, and arms its end instead', () => {
    const s = run([op({ start: { phase: 'backoff', attempt: 3, backoffUntil: T0 + 4000 } })]);
    expect(nexusTaskOffers(s)).to.deep.equal([]);
    expect(nexusRunnableWork(s)).to.deep.equal([]);
    expect(nexusTimers(s).map((t) => [t.timer.deadline, t.at])).to.deep.include(['startBackoff', T0 + 4000]);
  });

  it('offers the cancel request of a started operation, with start-to-close armed from the start', () => {
    const s = run([op({ start: undefined, startedAt: T0 + 10, operationToken: 't', startToCloseMs: 5000, cancelRequestedEventId: 9, cancel: { phase: 'queued', attempt: 1 } })]);
    expect(nexusTaskOffers(s).map((o) => o.key)).to.deep.equal(['nexus:run-1:5:cancel:1']);
    expect(nexusTimers(s).map((t) => [t.timer.deadline, t.at - T0])).to.deep.include(['startToClose', 5010]);
  });

  it('owes completion callbacks only from the last run of a closed chain, until delivered', () => {
    const callbacks = [{ url: 'temporal://system', header: {} }];
    expect(owesCompletionCallbacks(run([], { completionCallbacks: callbacks, status: WorkflowStatus.Completed }))).to.equal(true);
    expect(owesCompletionCallbacks(run([], { completionCallbacks: callbacks, newExecutionRunId: 'next' }))).to.equal(false);
    expect(owesCompletionCallbacks(run([], { completionCallbacks: callbacks, callbacksDelivered: true }))).to.equal(false);
    expect(owesCompletionCallbacks(run([]))).to.equal(false);
  });
});
