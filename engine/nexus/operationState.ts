/**
 * What a run remembers about the Nexus operations it scheduled, and about the operation its own
 * chain of runs backs (completion callbacks). Plain JSON, part of the run's persisted state.
 */
import type { Failure } from '../proto';

/** One request to the handler (start or cancel): waiting in the queue, handed to a worker, or backing off after a retryable failure. */
export interface NexusRequestState {
  phase: 'queued' | 'dispatched' | 'backoff';
  attempt: number;
  dispatchedAt?: number;
  backoffUntil?: number;
  lastFailure?: Failure;
}

export interface NexusOperationState {
  scheduledEventId: number;
  endpointId: string;
  endpoint: string;
  service: string;
  operation: string;
  requestId: string;
  /** The endpoint's target when the operation was scheduled. */
  namespace: string;
  taskQueue: string;
  scheduledAt: number;
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  /** The start request, until the handler answered it. */
  start?: NexusRequestState;
  /** Set once the handler answered asynchronously. */
  startedAt?: number;
  operationToken?: string;
  /** The workflow asked to cancel. */
  cancelRequestedEventId?: number;
  /** The cancel request to the handler, once there is an operation to cancel. */
  cancel?: NexusRequestState;
}

/** A callback to invoke when the chain of runs closes (an operation backed by this workflow). */
export interface CompletionCallbackState {
  url: string;
  header: Record<string, string>;
}

/** Fields the engine's run state carries for Nexus. */
export interface NexusRunState {
  nexusOperations?: Record<number, NexusOperationState>;
  completionCallbacks?: CompletionCallbackState[];
  callbacksDelivered?: boolean;
}
