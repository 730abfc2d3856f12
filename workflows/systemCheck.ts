import { proxyActivities } from '@temporalio/workflow';
import type * as activities from '../activities';

const { ping } = proxyActivities<typeof activities>({ startToCloseTimeout: '10 seconds', retry: { maximumAttempts: 1 } });

/** Proves the whole path works: the API starts a workflow, the worker runs it and an activity. */
export async function systemCheck(): Promise<{ worker: string }> {
  return await ping();
}
