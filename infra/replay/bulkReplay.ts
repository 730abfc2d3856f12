/**
 * The bulk check: every workflow closed in a period (of one type, of one unit) is fetched from the
 * engine or the cluster and replayed against the current code. Histories are fetched a few ahead
 * of the replayer and dropped once replayed, so memory does not grow with the period.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';
import type { WorkflowBundle } from '@temporalio/worker';
import { countClosed, listClosed, type ClosedQuery } from './closedWorkflows';
import { replayStream } from './replayer';
import type { ReplayDivergence } from './verdict';

export interface BulkReplayOptions {
  client: Client;
  query: ClosedQuery;
  /** Only workflows started for this unit (the `unit.code` or `unit.id` of their start input). */
  unit?: string;
  /** The code to replay against; the current workflows when absent. */
  bundle?: WorkflowBundle;
  /** Histories fetched ahead of the replayer (default 8). */
  prefetch?: number;
  /** Called after each workflow is dealt with (replayed, skipped or unreadable). */
  onProgress?(progress: { done: number; total: number }): void;
  /** A monotonic clock in ms, for the rate (default performance.now). */
  clock?: () => number;
}

export interface ReplayedWorkflow {
  workflowId: string;
  runId: string;
  workflowType: string;
  /** The case code (or request id) from the start input, else the workflow id. */
  label: string;
}

export interface BulkReplaySummary {
  /** Workflows the listing returned. */
  listed: number;
  replayed: number;
  deterministic: number;
  divergent: Array<ReplayedWorkflow & { divergence: ReplayDivergence }>;
  /** Workflows of other units (with `unit`). */
  skipped: number;
  /** Histories that could not be fetched (e.g. removed by retention since the listing). */
  unreadable: Array<{ workflowId: string; runId: string; message: string }>;
  elapsedMs: number;
  historiesPerSecond: number;
}

interface Fetched {
  info: WorkflowExecutionInfo;
  history?: History;
  error?: string;
  startInput?: Record<string, unknown>;
}

function startInputOf(history: History): Record<string, unknown> | undefined {
  const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  if (!payload) return undefined;
  try {
    const value = defaultPayloadConverter.fromPayload(payload);
    return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function unitMatches(input: Record<string, unknown> | undefined, unit: string): boolean {
  const u = input?.unit as { id?: unknown; code?: unknown } | undefined;
  return u?.code === unit || u?.id === unit;
}

/** Runs `load` on up to `depth` items ahead of the consumer, yielding results in listing order. */
async function* ahead<T, R>(source: AsyncIterable<T>, depth: number, load: (item: T) => Promise<R>): AsyncGenerator<R> {
  const it = source[Symbol.asyncIterator]();
  const queue: Array<Promise<R>> = [];
  let exhausted = false;
  for (;;) {
    while (!exhausted && queue.length < depth) {
      const next = await it.next();
      if (next.done) exhausted = true;
      else queue.push(load(next.value));
    }
    const head = queue.shift();
    if (!head) return;
    yield await head;
  }
}

export async function replayClosedWorkflows(options: BulkReplayOptions): Promise<BulkReplaySummary> {
  const { client, query, unit } = options;
  const clock = options.clock ?? (() => performance.now());
  const began = clock();
  let total = await countClosed(client, query);
  let done = 0;
  const summary: BulkReplaySummary = { listed: 0, replayed: 0, deterministic: 0, divergent: [], skipped: 0, unreadable: [], elapsedMs: 0, historiesPerSecond: 0 };
  const progressed = () => {
    done++;
    if (done > total) total = done;
    options.onProgress?.({ done, total });
  };

  const fetched = ahead(listClosed(client, query), Math.max(1, options.prefetch ?? 8), async (info): Promise<Fetched> => {
    try {
      const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
      return { info, history, startInput: startInputOf(history) };
    } catch (err) {
      return { info, error: err instanceof Error ? err.message : String(err) };
    }
  });

  async function* toReplay() {
    for await (const f of fetched) {
      summary.listed++;
      if (!f.history) {
        summary.unreadable.push({ workflowId: f.info.workflowId, runId: f.info.runId, message: f.error ?? 'no history' });
        progressed();
        continue;
      }
      if (unit !== undefined && !unitMatches(f.startInput, unit)) {
        summary.skipped++;
        progressed();
        continue;
      }
      const label = [f.startInput?.caseCode, f.startInput?.requestId, f.startInput?.code].find((v): v is string => typeof v === 'string') ?? f.info.workflowId;
      const meta: ReplayedWorkflow = { workflowId: f.info.workflowId, runId: f.info.runId, workflowType: f.info.type, label };
      yield { workflowId: f.info.workflowId, history: f.history, meta };
    }
  }

  for await (const outcome of replayStream(toReplay(), { bundle: options.bundle })) {
    summary.replayed++;
    if (outcome.verdict.deterministic) summary.deterministic++;
    else summary.divergent.push({ ...outcome.meta, divergence: outcome.verdict.divergence! });
    progressed();
  }
  summary.elapsedMs = clock() - began;
  summary.historiesPerSecond = summary.elapsedMs > 0 ? (summary.replayed * 1000) / summary.elapsedMs : 0;
  return summary;
}
