/** Reading a workflow id's chain of runs (cron, retry, continue-as-new) the way a user would: through each run's history. */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { defaultPayloadConverter } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunView {
  runId: string;
  events: HistoryEvent[];
  started: temporal.api.history.v1.IWorkflowExecutionStartedEventAttributes;
  close?: HistoryEvent;
  /** The run the close event names as the next one. */
  nextRunId?: string;
}

export async function readRun(env: TestWorkflowEnvironment, workflowId: string, runId: string): Promise<RunView> {
  const history = await env.client.workflow.getHandle(workflowId, runId).fetchHistory();
  const events = history.events ?? [];
  const last = events[events.length - 1];
  const closing =
    last?.workflowExecutionCompletedEventAttributes ??
    last?.workflowExecutionFailedEventAttributes ??
    last?.workflowExecutionTimedOutEventAttributes ??
    last?.workflowExecutionContinuedAsNewEventAttributes;
  const isClose = !!(closing || last?.workflowExecutionTerminatedEventAttributes || last?.workflowExecutionCanceledEventAttributes);
  return {
    runId,
    events,
    started: events[0]?.workflowExecutionStartedEventAttributes ?? {},
    close: isClose ? last : undefined,
    nextRunId: closing?.newExecutionRunId || undefined,
  };
}

/** The runs from `firstRunId` on, following each close event's new run id. */
export async function readChain(env: TestWorkflowEnvironment, workflowId: string, firstRunId: string): Promise<RunView[]> {
  const runs: RunView[] = [];
  let runId: string | undefined = firstRunId;
  while (runId && runs.length < 50) {
    const run = await readRun(env, workflowId, runId);
    runs.push(run);
    runId = run.nextRunId;
  }
  return runs;
}

export function decodePayloads(payloads: temporal.api.common.v1.IPayloads | null | undefined): unknown {
  const first = payloads?.payloads?.[0];
  return first ? defaultPayloadConverter.fromPayload(first) : undefined;
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it answers a value (real time; visibility of a real cluster is eventually consistent). */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, attempts = 150): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await pause(200);
  }
  throw new Error(`gave up waiting for ${what}`);
}
