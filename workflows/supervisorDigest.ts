import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { SupervisorDigestActivities } from '../activities/supervisorDigest';
import { vietnamDay } from '../domain/supervision/digest';

/** Set by the schedule on every workflow it starts. */
const SCHEDULED_START = defineSearchAttributeKey('TemporalScheduledStartTime', SearchAttributeType.DATETIME);

const { sendSupervisorDigests } = proxyActivities<SupervisorDigestActivities>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '30 seconds', maximumInterval: '10 minutes', maximumAttempts: 10 },
});

/**
 * One morning's digest, started by the `supervisor-digest` schedule. The day is that of the
 * scheduled time (not of a late start), so a run delayed past midnight still names its morning.
 */
export async function supervisorDigest(): Promise<{ day: string; mailed: number; nothingAtRisk: number }> {
  const info = workflowInfo();
  const scheduled = info.typedSearchAttributes.get(SCHEDULED_START);
  const day = vietnamDay((scheduled ?? info.startTime).getTime());
  return { day, ...(await sendSupervisorDigests({ day })) };
}
