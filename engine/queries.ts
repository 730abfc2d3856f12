/**
 * Queries. A query rides on the next workflow task when one is pending or in flight (the worker
 * answers it in RespondWorkflowTaskCompleted); otherwise, and for closed runs, it is sent as a
 * "legacy" query task with the full history and answered by RespondQueryTaskCompleted.
 */
import { randomUUID } from 'node:crypto';
import type { CallContext } from './grpcServer';
import type { Engine } from './engine';
import { EngineError, GrpcStatus, invalidArgument, notFound } from './errors';
import type { Execution, Mutation, QueryEntry } from './execution';
import type { TaskRef } from './matching';
import { enums, packAny, temporal, type Failure, type Payloads, type Plain } from './proto';
import { isRunning, WorkflowStatus } from './state';
import { decodeToken, encodeToken } from './tokens';
import { historyPage } from './workflowTasks';

import WS = temporal.api.workflowservice.v1;
type QueryRequest = Plain<WS.QueryWorkflowRequest.$Properties>;
type QueryResponse = Plain<WS.QueryWorkflowResponse.$Properties>;
type QueryTaskCompletedRequest = Plain<WS.RespondQueryTaskCompletedRequest.$Properties>;
type PollResponse = Plain<WS.PollWorkflowTaskQueueResponse.$Properties>;
type QueryResult = Plain<temporal.api.query.v1.WorkflowQueryResult.$Properties>;

const REJECT = enums.QueryRejectCondition;
const QUERY_TIMEOUT_MS = 30_000;

/** Legacy query tasks handed to matching, by query id. */
const legacy = new WeakMap<Engine, Map<string, { exec: Execution; entry: QueryEntry }>>();
function legacyQueries(engine: Engine): Map<string, { exec: Execution; entry: QueryEntry }> {
  let map = legacy.get(engine);
  if (!map) legacy.set(engine, (map = new Map()));
  return map;
}

export async function queryWorkflow(engine: Engine, req: QueryRequest, ctx: CallContext): Promise<QueryResponse> {
  const ns = engine.namespaces.get(req.namespace);
  const workflowId = req.execution?.workflowId;
  if (!workflowId) throw invalidArgument('WorkflowId is not set on request.');
  if (!req.query?.queryType) throw invalidArgument('QueryType is not set on request.');
  const exec = await engine.load(ns.name, workflowId, req.execution?.runId || undefined);
  if (!exec) throw notFound(`workflow not found for ID: ${workflowId}`);
  const status = exec.state.status;
  const condition = req.queryRejectCondition ?? 0;
  if (
    (condition === REJECT.QUERY_REJECT_CONDITION_NOT_OPEN && status !== WorkflowStatus.Running) ||
    (condition === REJECT.QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY && status !== WorkflowStatus.Running && status !== WorkflowStatus.Completed)
  ) {
    return { queryRejected: { status: status as number } };
  }
  if (isRunning(exec.state) && exec.state.lastCompletedWftStartedEventId === 0 && exec.state.firstWftPending) {
    throw new EngineError(GrpcStatus.FAILED_PRECONDITION, 'workflow has not started yet (its start is delayed); it cannot answer queries');
  }
  const queryId = randomUUID();
  const result = new Promise<Parameters<QueryEntry['resolve']>[0]>((resolve) => {
    const entry: QueryEntry = { queryId, query: req.query!, phase: 'buffered', resolve };
    exec.queries.set(queryId, entry);
  });
  dispatchPendingQueries(engine, exec);
  const waitMs = Math.max(0, Math.min(QUERY_TIMEOUT_MS, ctx.deadline - Date.now() - 500));
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([result, new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), waitMs)))]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    exec.queries.delete(queryId);
    legacyQueries(engine).delete(queryId);
    throw new EngineError(GrpcStatus.DEADLINE_EXCEEDED, 'query timed out: no worker answered it (is a worker polling the workflow task queue?)');
  }
  if (outcome.failure) {
    throw new EngineError(GrpcStatus.INVALID_ARGUMENT, outcome.failure.message, [
      packAny('temporal.api.errordetails.v1.QueryFailedFailure', { failure: outcome.failure.failure ?? null }),
    ]);
  }
  return { queryResult: outcome.answer ?? null };
}

/**
 * Sends buffered queries as legacy query tasks when no workflow task will carry them: the run
 * has none pending, or it is closed.
 */
export function dispatchPendingQueries(engine: Engine, exec: Execution): void {
  if (exec.queries.size === 0) return;
  if (isRunning(exec.state) && exec.state.wft) return;
  const map = legacyQueries(engine);
  for (const entry of exec.queries.values()) {
    if (entry.phase !== 'buffered') continue;
    entry.phase = 'dispatched';
    exec.queries.delete(entry.queryId);
    map.set(entry.queryId, { exec, entry });
    const task: TaskRef = { type: 'query', namespace: exec.namespace, queryId: entry.queryId };
    engine.matching.offer(exec.namespace, 'workflow', exec.state.taskQueue, `query:${entry.queryId}`, task);
  }
}

/** What a poller receives for a legacy query: the full history, no started event id (so the worker knows it is only a query). */
export async function legacyQueryTask(engine: Engine, ref: Extract<TaskRef, { type: 'query' }>): Promise<PollResponse | undefined> {
  const found = legacyQueries(engine).get(ref.queryId);
  if (!found) return undefined;
  const { exec, entry } = found;
  const s = exec.state;
  // A snapshot as of the last completed task: a workflow task scheduled since then stays out of it.
  const until = s.wft && isRunning(s) ? s.wft.scheduledEventId : s.nextEventId;
  const { events, nextPageToken } = historyPage(exec, 1, until);
  return {
    taskToken: encodeToken({ k: 'q', ns: s.namespace, qid: entry.queryId }),
    workflowExecution: { workflowId: s.workflowId, runId: s.runId },
    workflowType: { name: s.workflowType },
    previousStartedEventId: s.lastCompletedWftStartedEventId,
    startedEventId: 0,
    attempt: 1,
    history: { events },
    nextPageToken,
    query: entry.query,
    workflowExecutionTaskQueue: { name: s.taskQueue, kind: enums.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
  };
}

export async function respondQueryTaskCompleted(engine: Engine, req: QueryTaskCompletedRequest): Promise<object> {
  const token = decodeToken(req.taskToken, 'q');
  const map = legacyQueries(engine);
  const found = map.get(token.qid);
  if (!found) throw notFound('query task not found, or it already timed out');
  map.delete(token.qid);
  found.entry.resolve(
    req.completedType === enums.QueryResultType.QUERY_RESULT_TYPE_FAILED
      ? { failure: { message: req.errorMessage || req.failure?.message || 'query failed', failure: req.failure } }
      : { answer: req.queryResult },
  );
  return {};
}

/** Answers queries that rode on a workflow task, once the task's completion is committed. */
export function resolveQueryResults(m: Mutation, results: Record<string, QueryResult>): void {
  const exec = m.exec;
  m.afterCommit.push(() => {
    for (const [queryId, r] of Object.entries(results)) {
      const entry = exec.queries.get(queryId);
      if (!entry) continue;
      exec.queries.delete(queryId);
      entry.resolve(answerOrFailure(r));
    }
  });
}

function answerOrFailure(r: QueryResult): { answer?: Payloads | null; failure?: { message: string; failure?: Failure | null } } {
  if (r.resultType === enums.QueryResultType.QUERY_RESULT_TYPE_FAILED) {
    return { failure: { message: r.errorMessage || r.failure?.message || 'query failed', failure: r.failure } };
  }
  return { answer: r.answer };
}
