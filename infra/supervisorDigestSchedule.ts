/**
 * The schedule that starts the supervisors' digest at 07:30 Hồ Chí Minh City time, Monday to
 * Friday. The worker makes sure it exists at every start: created the first time, brought up
 * to this definition afterwards (so a changed time or task queue takes effect), its pause state
 * and history kept. One catch-up hour: a worker that was down at 07:30 still sends that
 * morning's digest when it comes back before 08:30, not a stale one later.
 */
import { ScheduleAlreadyRunning, ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';

export const SUPERVISOR_DIGEST_SCHEDULE_ID = 'supervisor-digest';
export const SUPERVISOR_DIGEST_TIME_ZONE = 'Asia/Ho_Chi_Minh';

export function supervisorDigestSchedule(taskQueue: string): ScheduleOptions {
  return {
    scheduleId: SUPERVISOR_DIGEST_SCHEDULE_ID,
    spec: {
      calendars: [{ hour: 7, minute: 30, dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], comment: 'Bản tin hồ sơ sắp quá hạn cho người giám sát' }],
      timezone: SUPERVISOR_DIGEST_TIME_ZONE,
    },
    action: { type: 'startWorkflow', workflowType: 'supervisorDigest', taskQueue, workflowId: SUPERVISOR_DIGEST_SCHEDULE_ID, workflowExecutionTimeout: '12 hours' },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 hour' },
  };
}

/** Creates the schedule, or updates its spec, action and policies when it exists. */
export async function ensureSupervisorDigestSchedule(client: Client, taskQueue: string): Promise<'created' | 'updated'> {
  const options = supervisorDigestSchedule(taskQueue);
  try {
    await client.schedule.create(options);
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
  await client.schedule.getHandle(SUPERVISOR_DIGEST_SCHEDULE_ID).update((previous) => ({ ...previous, spec: options.spec, action: options.action, policies: options.policies }));
  return 'updated';
}
