/** The schedule's view of the workflows it started and that still run. */
import type { Engine } from '../engine';
import { isRunning, WorkflowStatus } from '../state';
import type { ScheduleRecord } from './record';

/**
 * Drops the workflows that closed (following the workflow id to its current run, so a
 * continue-as-new or a retry still counts as running), records their status in the recent
 * actions, keeps the last result or failure for the next run, and pauses on failure or time-out
 * when the policy asks, as the server's watcher does.
 */
export async function refreshRunning(engine: Engine, rec: ScheduleRecord): Promise<void> {
  const still: ScheduleRecord['info']['runningWorkflows'] = [];
  for (const w of rec.info.runningWorkflows) {
    const exec = await engine.load(rec.namespace, w.workflowId);
    if (exec && isRunning(exec.state)) {
      still.push(w);
      continue;
    }
    // A run deleted meanwhile counts as ended without a result.
    const status = exec?.state.status ?? WorkflowStatus.Terminated;
    const recent = rec.info.recentActions.find((a) => a.workflowId === w.workflowId);
    if (recent) recent.status = status;
    const closing = exec?.state.closeEventId !== undefined ? exec.event(exec.state.closeEventId) : undefined;
    const completed = closing?.workflowExecutionCompletedEventAttributes;
    const failed = closing?.workflowExecutionFailedEventAttributes;
    if (completed) {
      rec.lastCompletionResult = completed.result ?? null;
      rec.continuedFailure = null;
    } else if (failed) {
      rec.continuedFailure = failed.failure ?? null;
    }
    const failedLike = status === WorkflowStatus.Failed || status === WorkflowStatus.TimedOut;
    if (rec.policies.pauseOnFailure && failedLike && !rec.state.paused) {
      rec.state.paused = true;
      rec.state.notes =
        status === WorkflowStatus.Failed ? `paused due to workflow failure: ${w.workflowId}: ${failed?.failure?.message ?? ''}` : `paused due to workflow timeout: ${w.workflowId}`;
      rec.conflictToken++;
    }
  }
  rec.info.runningWorkflows = still;
}
