/**
 * The handler worker's side: PollNexusTaskQueue hands out start and cancel requests,
 * RespondNexusTaskCompleted / RespondNexusTaskFailed record what the handler answered on the
 * caller's run. A request handed out is "dispatched" until answered or until its request
 * timeout, after which it is retried like any retryable failure.
 */
import type { Engine } from '../engine';
import type { CallContext } from '../grpcServer';
import { invalidArgument, notFound } from '../errors';
import type { Mutation } from '../execution';
import type { TaskRef } from '../matching';
import { enums, msTimestamp, temporal, type Failure, type Plain } from '../proto';
import { isRunning } from '../state';
import { callbackToken, CALLBACK_TOKEN_HEADER, SYSTEM_CALLBACK_URL } from './callbacks';
import { nexusTaskKey, requestDeadline } from './effects';
import { cancelDelivered, canceled, completed, failed, requestFailed, started } from './operations';
import type { NexusOperationState } from './operationState';
import { temporalLinkOf, workflowEventLink } from './links';

import WS = temporal.api.workflowservice.v1;
type PollRequest = Plain<WS.PollNexusTaskQueueRequest.$Properties>;
type PollResponse = Plain<WS.PollNexusTaskQueueResponse.$Properties>;
type CompletedRequest = Plain<WS.RespondNexusTaskCompletedRequest.$Properties>;
type FailedRequest = Plain<WS.RespondNexusTaskFailedRequest.$Properties>;
type NexusTaskRef = Extract<TaskRef, { type: 'nexus' }>;

const RETRY = enums.NexusHandlerErrorRetryBehavior;
/** Handler error types a caller retries unless the handler says otherwise (Nexus specification). */
const RETRYABLE_HANDLER_ERRORS = new Set(['INTERNAL', 'UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'RESOURCE_EXHAUSTED', 'UNKNOWN']);

interface NexusTaskToken {
  k: 'n';
  ns: string;
  wid: string;
  rid: string;
  sid: number;
  att: number;
  req: 'start' | 'cancel';
}

function encodeTaskToken(t: NexusTaskToken): Buffer {
  return Buffer.from(JSON.stringify(t));
}

function decodeTaskToken(bytes: Uint8Array | null | undefined): NexusTaskToken {
  if (!bytes || bytes.length === 0) throw invalidArgument('Task token not set on request.');
  try {
    const t = JSON.parse(Buffer.from(bytes).toString('utf8')) as NexusTaskToken;
    if (t.k === 'n') return t;
  } catch {
    // answered below
  }
  throw invalidArgument('Error deserializing task token: not a Nexus task.');
}

export async function pollNexusTaskQueue(engine: Engine, req: PollRequest, ctx: CallContext): Promise<PollResponse> {
  const ns = engine.namespaces.get(req.namespace);
  const queueName = req.taskQueue?.name;
  if (!queueName) throw invalidArgument('TaskQueue is not set on request.');
  const identity = req.identity ?? '';
  const stopAt = Date.now() + engine.pollWaitMs(ctx.deadline);
  for (;;) {
    const task = await engine.matching.poll(ns.name, 'nexus', queueName, identity, stopAt - Date.now(), ctx.signal);
    if (!task) return {};
    if (task.type !== 'nexus') continue;
    if (ctx.signal.aborted) {
      engine.matching.requeue(ns.name, 'nexus', queueName, nexusTaskKey(task.runId, task.scheduledEventId, task.request, task.attempt), task);
      return {};
    }
    const response = await dispatch(engine, task);
    if (response) return response;
    if (Date.now() >= stopAt) return {};
  }
}

/** Marks the request as handed to a worker and builds what the worker receives; undefined when it went stale. */
function dispatch(engine: Engine, ref: NexusTaskRef): Promise<PollResponse | undefined> {
  return engine.transact(ref.namespace, ref.workflowId, async (tx) => {
    const m = await tx.tryRun(ref.runId);
    const op = m && isRunning(m.state) ? m.state.nexusOperations?.[ref.scheduledEventId] : undefined;
    const r = op?.[ref.request];
    if (!m || !op || !r || r.phase !== 'queued' || r.attempt !== ref.attempt) return undefined;
    r.phase = 'dispatched';
    r.dispatchedAt = m.now;
    m.touch();
    const scheduled = m.exec.event(op.scheduledEventId)?.nexusOperationScheduledEventAttributes;
    const s = m.state;
    const header = { ...(scheduled?.nexusHeader ?? {}), 'request-timeout': `${Math.max(0, requestDeadline(op, r) - m.now)}ms` };
    const token = encodeTaskToken({ k: 'n', ns: s.namespace, wid: s.workflowId, rid: s.runId, sid: op.scheduledEventId, att: r.attempt, req: ref.request });
    const common = { header, scheduledTime: msTimestamp(op.scheduledAt), endpoint: op.endpoint, capabilities: { temporalFailureResponses: true } };
    if (ref.request === 'cancel') {
      return {
        taskToken: token,
        request: { ...common, cancelOperation: { service: op.service, operation: op.operation, operationId: op.operationToken ?? '', operationToken: op.operationToken ?? '' } },
      };
    }
    return {
      taskToken: token,
      request: {
        ...common,
        startOperation: {
          service: op.service,
          operation: op.operation,
          requestId: op.requestId,
          callback: SYSTEM_CALLBACK_URL,
          callbackHeader: { [CALLBACK_TOKEN_HEADER]: callbackToken(s.namespace, s.workflowId, s.runId, op) },
          payload: scheduled?.input ?? null,
          // Points the handler at the caller's NexusOperationScheduled event, as the real server does.
          links: [workflowEventLink(s.namespace, s.workflowId, s.runId, op.scheduledEventId, enums.EventType.EVENT_TYPE_NEXUS_OPERATION_SCHEDULED)],
        },
      },
    };
  });
}

/** Runs `fn` on the operation whose dispatched request the token names, or answers NOT_FOUND when that request is no longer outstanding. */
function withDispatched(engine: Engine, taskToken: Uint8Array | null | undefined, fn: (m: Mutation, op: NexusOperationState, request: 'start' | 'cancel') => void): Promise<object> {
  const t = decodeTaskToken(taskToken);
  return engine.transact(t.ns, t.wid, async (tx) => {
    const m = await tx.tryRun(t.rid);
    const op = m && isRunning(m.state) ? m.state.nexusOperations?.[t.sid] : undefined;
    const r = op?.[t.req];
    if (!m || !op || !r || r.phase !== 'dispatched' || r.attempt !== t.att) {
      throw notFound('Nexus task not found: the operation completed, timed out, or its workflow closed');
    }
    fn(m, op, t.req);
    return {};
  });
}

export function respondNexusTaskCompleted(engine: Engine, req: CompletedRequest): Promise<object> {
  const response = req.response;
  if (!response?.startOperation && !response?.cancelOperation) throw invalidArgument('Response must carry a start or cancel operation response.');
  return withDispatched(engine, req.taskToken, (m, op, request) => {
    if (request === 'cancel') {
      if (!response.cancelOperation) throw invalidArgument('A cancel request must be answered with a cancel operation response.');
      return cancelDelivered(m, op);
    }
    const start = response.startOperation;
    if (!start) throw invalidArgument('A start request must be answered with a start operation response.');
    if (start.syncSuccess) return completed(m, op, start.syncSuccess.payload ?? null);
    if (start.asyncSuccess) {
      const token = start.asyncSuccess.operationToken || start.asyncSuccess.operationId || '';
      if (!token) throw invalidArgument('An asynchronous start must carry an operation token.');
      const links = (start.asyncSuccess.links ?? []).map(temporalLinkOf).filter((l) => l !== undefined);
      return started(m, op, token, links);
    }
    if (start.failure) return start.failure.canceledFailureInfo ? canceled(m, op, start.failure) : failed(m, op, start.failure);
    if (start.operationError) {
      const { operationState, failure } = start.operationError;
      const message = failure?.message ?? '';
      if (operationState === 'canceled') return canceled(m, op, { message, canceledFailureInfo: {} });
      return failed(m, op, { message, applicationFailureInfo: { type: 'NexusOperationFailure', nonRetryable: true } });
    }
    throw invalidArgument('The start operation response carries no outcome.');
  });
}

export function respondNexusTaskFailed(engine: Engine, req: FailedRequest): Promise<object> {
  const failure: Failure | undefined =
    req.failure ??
    (req.error
      ? { message: req.error.failure?.message ?? '', nexusHandlerFailureInfo: { type: req.error.errorType ?? '', retryBehavior: req.error.retryBehavior ?? RETRY.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_UNSPECIFIED } }
      : undefined);
  if (!failure) throw invalidArgument('Nexus handler error not set on RespondNexusTaskFailedRequest.');
  return withDispatched(engine, req.taskToken, (m, op, request) => requestFailed(m, op, request, failure, isRetryable(failure)));
}

function isRetryable(failure: Failure): boolean {
  const info = failure.nexusHandlerFailureInfo;
  if (info?.retryBehavior === RETRY.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE) return true;
  if (info?.retryBehavior === RETRY.NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE) return false;
  return RETRYABLE_HANDLER_ERRORS.has(info?.type ?? 'INTERNAL');
}
