/** What happens when one of a run's deadlines (see `effects.ts`) falls due. */
import type { Engine } from './engine';
import { desiredTimers } from './effects';
import { enums } from './proto';
import { isRunning } from './state';
import { activityTimedOut, attemptTimedOut, retryDue } from './activities';
import { endWorkflowTaskAttempt, scheduleWorkflowTask, stickyTimedOut } from './workflowTasks';
import { timeoutRun } from './closing';
import { nexusDeadlinePassed } from './nexus/operations';

const TT = enums.TimeoutType;

export async function fireTimer(engine: Engine, namespace: string, workflowId: string, runId: string, key: string): Promise<void> {
  await engine.transact(namespace, workflowId, async (tx) => {
    const m = await tx.tryRun(runId);
    if (!m || !isRunning(m.state)) return;
    // Re-derive: a deadline that moved or no longer applies is simply ignored.
    const due = desiredTimers(m.state).find((d) => d.key === key);
    if (!due || due.at > m.now) return;
    const s = m.state;
    const t = due.timer;
    switch (t.kind) {
      case 'userTimer': {
        const timer = s.timers[t.timerId];
        delete s.timers[t.timerId];
        m.add('timerFiredEventAttributes', { timerId: t.timerId, startedEventId: timer.startedEventId });
        scheduleWorkflowTask(m);
        return;
      }
      case 'activityScheduleToStart':
        return activityTimedOut(m, s.activities[t.scheduledEventId], TT.TIMEOUT_TYPE_SCHEDULE_TO_START);
      case 'activityScheduleToClose':
        return activityTimedOut(m, s.activities[t.scheduledEventId], TT.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
      case 'activityStartToClose':
        return attemptTimedOut(m, s.activities[t.scheduledEventId], TT.TIMEOUT_TYPE_START_TO_CLOSE);
      case 'activityHeartbeat':
        return attemptTimedOut(m, s.activities[t.scheduledEventId], TT.TIMEOUT_TYPE_HEARTBEAT);
      case 'activityRetry':
        return retryDue(m, s.activities[t.scheduledEventId]);
      case 'workflowTaskTimeout':
        return endWorkflowTaskAttempt(m, { timedOut: true });
      case 'stickyTimeout':
        return stickyTimedOut(m);
      case 'runTimeout':
        return timeoutRun(tx, m);
      case 'startDelay':
        s.firstWftPending = false;
        m.touch();
        scheduleWorkflowTask(m);
        return;
      case 'nexus':
        return nexusDeadlinePassed(m, t);
    }
  });
}
