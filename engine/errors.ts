import { status } from '@grpc/grpc-js';
import { packAny } from './proto';

export { status as GrpcStatus };

/** An error that travels to the caller as a gRPC status, with optional typed details like the real server sends. */
export class EngineError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly details: Array<{ type_url: string; value: Uint8Array }> = [],
  ) {
    super(message);
    this.name = 'EngineError';
  }
}

export const invalidArgument = (message: string) => new EngineError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string) => new EngineError(status.NOT_FOUND, message);
export const failedPrecondition = (message: string) => new EngineError(status.FAILED_PRECONDITION, message);
export const unimplemented = (message: string) => new EngineError(status.UNIMPLEMENTED, message);
export const resourceExhausted = (message: string) => new EngineError(status.RESOURCE_EXHAUSTED, message);

export function namespaceNotFound(namespace: string): EngineError {
  return new EngineError(status.NOT_FOUND, `Namespace ${namespace} is not found.`, [
    packAny('temporal.api.errordetails.v1.NamespaceNotFoundFailure', { namespace }),
  ]);
}

export function workflowNotFound(workflowId: string, runId?: string | null): EngineError {
  return notFound(
    runId ? `workflow execution not found for workflow ID "${workflowId}" and run ID "${runId}"` : `workflow not found for ID: ${workflowId}`,
  );
}

export function workflowAlreadyStarted(startRequestId: string, runId: string): EngineError {
  return new EngineError(status.ALREADY_EXISTS, `Workflow execution is already running. WorkflowId: ..., RunId: ${runId}.`, [
    packAny('temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure', { startRequestId, runId }),
  ]);
}

/** Requests about a workflow that has already closed, when the operation needs an open one. */
export function workflowCompleted(): EngineError {
  return notFound('workflow execution already completed');
}
