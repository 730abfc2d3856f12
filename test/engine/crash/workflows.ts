/** The crash test's workflow: an activity (often retried), a timer, a signal, another activity. */
import { condition, defineSignal, proxyActivities, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import type * as activities from './activities';

const { sideEffect } = proxyActivities<typeof activities>({
  startToCloseTimeout: '3 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 1.5, maximumInterval: '2 seconds' },
});

export const proceed = defineSignal('proceed');

export async function crashWorkflow(index: number): Promise<string> {
  const { workflowId } = workflowInfo();
  let proceeded = false;
  setHandler(proceed, () => void (proceeded = true));
  await sideEffect(`${workflowId}:first`);
  await sleep(800 + (index % 7) * 150);
  await condition(() => proceeded);
  await sideEffect(`${workflowId}:second`);
  return `done ${index}`;
}
