/**
 * Worker versioning (build ids, versioning rules, worker deployments) is not implemented by the
 * embedded engine: one machine runs one build of the workers at a time, and a deploy replaces
 * it. Every versioning method answers UNIMPLEMENTED naming the feature, and a worker that asks
 * for versioned task dispatch is refused rather than silently served unversioned tasks.
 */
import { unimplemented } from '../errors';
import type { ServiceHandlers } from '../grpcServer';
import { enums, root } from '../proto';

const REASON =
  'worker versioning (build ids, versioning rules and worker deployments) is not supported by the embedded engine: it runs one build of the workers at a time';

const VERSIONING_METHOD = /BuildId|VersioningRules|TaskReachability|Deployment/;

export function workerVersioningHandlers(): ServiceHandlers {
  const service = root.lookupService('temporal.api.workflowservice.v1.WorkflowService');
  const handlers: ServiceHandlers = {};
  for (const name of Object.keys(service.methods)) {
    if (!VERSIONING_METHOD.test(name)) continue;
    handlers[name] = () => {
      throw unimplemented(`${name}: ${REASON}`);
    };
  }
  return handlers;
}

interface PollOptions {
  deploymentOptions?: { workerVersioningMode?: number | null } | null;
  workerVersionCapabilities?: { useVersioning?: boolean | null } | null;
}

/** Refuses a poll from a worker that asks for versioned dispatch. */
export function refuseVersionedPoller(req: PollOptions): void {
  if (req.deploymentOptions?.workerVersioningMode === enums.WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED || req.workerVersionCapabilities?.useVersioning) {
    throw unimplemented(`a versioned worker cannot poll: ${REASON}; start the worker without worker versioning`);
  }
}
