/**
 * Replaying histories against workflow code with the SDK's replayer: one history (an auditor's
 * check of one case), or a stream of them (the bulk check), fed one at a time so memory stays
 * bounded whatever the number of histories.
 */
import type { History } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';
import { currentWorkflowBundle } from './bundle';
import { verdictOf, type ReplayVerdict } from './verdict';

export interface ReplayOptions {
  /** The code to replay against; the current workflows when absent. */
  bundle?: WorkflowBundle;
}

export interface ReplayItem<M> {
  workflowId: string;
  history: History;
  /** Whatever the caller wants back with the verdict (a case code, a run id…). */
  meta: M;
}

export interface ReplayOutcome<M> {
  workflowId: string;
  meta: M;
  verdict: ReplayVerdict;
}

/**
 * The SDK's own runtime logs every replay worker's start and stop, and each divergence as a
 * warning; a process that replays on behalf of a user reports verdicts itself. Only installed when
 * the process has no runtime yet (a worker in the same process keeps its own settings).
 */
function quietRuntime(): void {
  try {
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
    });
  } catch {
    // A runtime is already installed: keep it.
  }
}

export async function replayHistory(history: History, workflowId: string, options: ReplayOptions = {}): Promise<ReplayVerdict> {
  for await (const outcome of replayStream([{ workflowId, history, meta: undefined }], options)) return outcome.verdict;
  throw new Error('the replayer returned no result');
}

/** Replays each history as it is pulled from `items`, yielding its verdict before pulling the next. */
export async function* replayStream<M>(items: AsyncIterable<ReplayItem<M>> | Iterable<ReplayItem<M>>, options: ReplayOptions = {}): AsyncGenerator<ReplayOutcome<M>> {
  quietRuntime();
  const workflowBundle = options.bundle ?? (await currentWorkflowBundle());
  // The replayer answers one history at a time, in order: the metadata waits in the same order.
  const pending: Array<ReplayItem<M>> = [];
  async function* feed() {
    for await (const item of items) {
      pending.push(item);
      yield { workflowId: item.workflowId, history: item.history };
    }
  }
  for await (const result of Worker.runReplayHistories({ workflowBundle }, feed())) {
    const item = pending.shift()!;
    yield { workflowId: item.workflowId, meta: item.meta, verdict: verdictOf(result.error, item.history) };
  }
}
