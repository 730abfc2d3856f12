/**
 * The chain of a cron workflow: when a run completes, fails (with no retry left) or times out,
 * the next run is created at once, waiting for the next scheduled time through its
 * firstWorkflowTaskBackoff, with initiator CRON_SCHEDULE, the start event's input, header, memo
 * and search attributes, and the last successful result (a failure carries the previous
 * result on, and is itself handed over as the continued failure) — as the real server's
 * handleCron / SetupNewWorkflowForRetryOrCron do. Cancel and terminate end the chain.
 */
import type { Tx } from '../engine';
import type { Mutation } from '../execution';
import { enums, type Failure, type Payloads } from '../proto';
import type { RunSpec } from '../workflowStart';
import { createRun } from '../workflowStart';
import { cronBackoffMs } from './cronBackoff';

export type NextRunSpec = (m: Mutation, overrides: Partial<RunSpec>) => RunSpec;

/** Starts the chain's next run if the run is a cron run with a further scheduled time; answers its run id. */
export function startNextCronRun(
  tx: Tx,
  m: Mutation,
  nextRunSpec: NextRunSpec,
  outcome: { result?: Payloads | null; failure?: Failure | null },
): string | undefined {
  const s = m.state;
  if (!s.cronSchedule) return undefined;
  const backoffMs = cronBackoffMs(s.cronSchedule, s.executionTime, m.now);
  if (backoffMs === undefined) return undefined;
  const started = m.exec.events[0]?.workflowExecutionStartedEventAttributes;
  const spec = nextRunSpec(m, {
    attempt: 1,
    startDelayMs: backoffMs,
    initiator: enums.ContinueAsNewInitiator.CONTINUE_AS_NEW_INITIATOR_CRON_SCHEDULE,
    continuedFailure: outcome.failure ?? null,
    lastCompletionResult: outcome.failure ? (started?.lastCompletionResult ?? null) : (outcome.result ?? null),
    input: started?.input,
    header: started?.header,
    memo: started?.memo ?? undefined,
    searchAttributes: started?.searchAttributes ?? undefined,
    cronSchedule: s.cronSchedule,
  });
  createRun(tx, spec);
  return spec.runId;
}
