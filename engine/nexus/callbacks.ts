/**
 * Completion callbacks: a workflow started by a Nexus handler to back an operation carries the
 * callback the engine handed to that handler. When the workflow's chain of runs closes, its
 * outcome completes the caller's operation. Callbacks to this engine's own callers are
 * delivered in-process (the real server's `temporal://system` callbacks); others are not.
 */
import type { Engine } from '../engine';
import type { Execution, Mutation } from '../execution';
import type { Failure, HistoryEvent, Plain } from '../proto';
import { temporal } from '../proto';
import { isRunning, WorkflowStatus } from '../state';
import { owesCompletionCallbacks } from './effects';
import { canceled, completed, failed, started } from './operations';
import type { CompletionCallbackState, NexusOperationState } from './operationState';

export const SYSTEM_CALLBACK_URL = 'temporal://system';
export const CALLBACK_TOKEN_HEADER = 'temporal-callback-token';
const OPERATION_TOKEN_HEADER = 'nexus-operation-token';

type Callback = Plain<temporal.api.common.v1.Callback.$Properties>;

/** Which operation a callback completes: the caller's run, the scheduled event, and the request id it was started with. */
interface CallbackTarget {
  ns: string;
  wid: string;
  rid: string;
  sid: number;
  rq: string;
}

export function callbackToken(namespace: string, workflowId: string, runId: string, op: NexusOperationState): string {
  const target: CallbackTarget = { ns: namespace, wid: workflowId, rid: runId, sid: op.scheduledEventId, rq: op.requestId };
  return Buffer.from(JSON.stringify(target)).toString('base64url');
}

function headerValue(header: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(header)) if (k.toLowerCase() === name) return v;
  return undefined;
}

function targetOf(cb: CompletionCallbackState): CallbackTarget | undefined {
  if (cb.url !== SYSTEM_CALLBACK_URL) return undefined;
  const token = headerValue(cb.header, CALLBACK_TOKEN_HEADER);
  if (!token) return undefined;
  try {
    const t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as CallbackTarget;
    return typeof t.ns === 'string' && typeof t.wid === 'string' && typeof t.rid === 'string' && typeof t.sid === 'number' ? t : undefined;
  } catch {
    return undefined;
  }
}

export function callbacksFromRequest(callbacks: Callback[] | null | undefined): CompletionCallbackState[] | undefined {
  const out = (callbacks ?? []).filter((c) => c.nexus?.url).map((c) => ({ url: c.nexus!.url!, header: { ...(c.nexus!.header ?? {}) } }));
  return out.length > 0 ? out : undefined;
}

type OnConflictOptions = Plain<temporal.api.workflow.v1.OnConflictOptions.$Properties>;

/**
 * A start that found the workflow already running and uses it (conflict policy USE_EXISTING) may
 * ask to attach its completion callbacks to that run, so the run backs one more operation; the
 * real server records this as WorkflowExecutionOptionsUpdated.
 */
export function attachToExistingRun(
  m: Mutation,
  req: { completionCallbacks?: Callback[] | null; onConflictOptions?: OnConflictOptions | null; requestId?: string | null; identity?: string | null },
): void {
  const options = req.onConflictOptions;
  const callbacks = options?.attachCompletionCallbacks ? (callbacksFromRequest(req.completionCallbacks) ?? []) : [];
  const known = new Set((m.state.completionCallbacks ?? []).map((c) => JSON.stringify(c)));
  const fresh = callbacks.filter((c) => !known.has(JSON.stringify(c)));
  if (fresh.length === 0) return;
  m.state.completionCallbacks = [...(m.state.completionCallbacks ?? []), ...fresh];
  // Workers skip the event (it changes nothing the workflow code sees), as they do on the real server.
  m.add(
    'workflowExecutionOptionsUpdatedEventAttributes',
    {
      attachedRequestId: options?.attachRequestId ? (req.requestId ?? '') : '',
      attachedCompletionCallbacks: fresh.map((c) => ({ nexus: { url: c.url, header: c.header } })),
      identity: req.identity ?? '',
    },
    { workerMayIgnore: true },
  );
}

/** Records on the caller what the backing workflow's close event says. */
function recordOutcome(m: Mutation, op: NexusOperationState, status: WorkflowStatus, close: HistoryEvent | undefined): void {
  switch (status) {
    case WorkflowStatus.Completed:
      return completed(m, op, close?.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0] ?? null);
    case WorkflowStatus.Failed:
      return failed(m, op, close?.workflowExecutionFailedEventAttributes?.failure ?? { message: 'operation failed' });
    case WorkflowStatus.Canceled: {
      const cause: Failure = { message: 'operation canceled', source: 'Server', canceledFailureInfo: { details: close?.workflowExecutionCanceledEventAttributes?.details ?? null } };
      return canceled(m, op, cause);
    }
    case WorkflowStatus.Terminated:
      return failed(m, op, { message: 'operation terminated', source: 'Server', terminatedFailureInfo: {} });
    default:
      return failed(m, op, { message: 'operation exceeded internal timeout', source: 'Server', applicationFailureInfo: { nonRetryable: true } });
  }
}

/** Completes the operations a closed chain of runs backs, then remembers that it did (both steps are idempotent). */
export async function deliverCompletionCallbacks(engine: Engine, handler: Execution): Promise<void> {
  const s = handler.state;
  if (!owesCompletionCallbacks(s)) return;
  const close = handler.event(s.closeEventId ?? 0);
  for (const cb of s.completionCallbacks ?? []) {
    const target = targetOf(cb);
    if (!target) {
      engine.log.warn(`completion callback to ${cb.url} of ${s.workflowId} not delivered: the embedded engine completes only operations its own workflows started`);
      continue;
    }
    const operationToken = headerValue(cb.header, OPERATION_TOKEN_HEADER) ?? '';
    await engine.transact(target.ns, target.wid, async (tx) => {
      const m = await tx.tryRun(target.rid);
      const op = m?.state.nexusOperations?.[target.sid];
      // The caller closed, or the operation already ended (timed out, cancelled before it started).
      if (!m || !isRunning(m.state) || !op || op.requestId !== target.rq) return;
      // The backing workflow can finish before the handler's answer is recorded.
      if (op.operationToken === undefined) started(m, op, operationToken);
      recordOutcome(m, op, s.status, close);
    });
  }
  await engine.transact(s.namespace, s.workflowId, async (tx) => {
    const m = await tx.tryRun(s.runId);
    if (!m || m.state.callbacksDelivered) return;
    m.state.callbacksDelivered = true;
    m.touch();
  });
}
