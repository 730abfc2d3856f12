/**
 * The workflow code replays run against: the same workflows the worker registers, bundled once
 * per process on first use (bundling takes seconds) and kept. A replay needs only this bundle — no
 * worker, no task queue, no connection.
 */
import { bundleWorkflowCode, DefaultLogger, type WorkflowBundle } from '@temporalio/worker';

let current: Promise<WorkflowBundle> | undefined;

export function currentWorkflowBundle(): Promise<WorkflowBundle> {
  current ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') }).catch((err: unknown) => {
    // A failed bundling is tried again on the next replay rather than remembered.
    current = undefined;
    throw err;
  });
  return current;
}
