/**
 * The reset points DescribeWorkflowExecution shows (`autoResetPoints`): for each worker build
 * (binary checksum or build id) that completed a workflow task of the run, the first such task —
 * the place an operator resets to after a bad deploy of that build. Points inherited from
 * earlier runs of the chain come first.
 */
import type { Execution } from '../execution';
import type { temporal } from '../proto';
import type { Plain } from '../proto';

type ResetPoints = Plain<temporal.api.workflow.v1.ResetPoints.$Properties>;

export function resetPointsOf(exec: Execution): ResetPoints {
  const inherited = exec.events[0]?.workflowExecutionStartedEventAttributes?.prevAutoResetPoints?.points ?? [];
  const points = [...inherited];
  const seen = new Set<string>();
  for (const e of exec.events) {
    const done = e.workflowTaskCompletedEventAttributes;
    if (!done) continue;
    const buildId = done.workerVersion?.buildId ?? '';
    const binaryChecksum = done.binaryChecksum ?? '';
    const key = `${binaryChecksum}\u0000${buildId}`;
    if (seen.has(key)) continue;
    seen.add(key);
    points.push({ binaryChecksum, buildId, runId: exec.runId, firstWorkflowTaskCompletedId: e.eventId, createTime: e.eventTime ?? null, resettable: true });
  }
  return { points };
}
