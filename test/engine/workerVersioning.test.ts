/** Worker versioning is decided against on the embedded engine: it says so, clearly, instead of ignoring it. */
import { expect } from 'chai';
import { status } from '@grpc/grpc-js';
import { temporal } from '@temporalio/proto';
import { external, testEnv, uniqueId } from './harness';

describe('engine: worker versioning is not offered', function () {
  before(function () {
    if (external) {
      console.log('      (skipped: a TEMPORAL_ADDRESS cluster offers worker versioning; only the embedded engine refuses it)');
      this.skip();
    }
  });

  const refusal = (p: Promise<unknown>) =>
    p.then(
      () => undefined,
      (err: { code?: number; details?: string }) => ({ code: err.code, details: err.details ?? '' }),
    );

  it('answers the deployment and versioning methods with UNIMPLEMENTED naming the feature', async () => {
    const env = await testEnv();
    const namespace = env.client.options.namespace;
    for (const call of [
      env.connection.workflowService.listWorkerDeployments({ namespace }),
      env.connection.workflowService.getWorkerVersioningRules({ namespace, taskQueue: 'q' }),
      env.connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName: 'd', buildId: 'b' }),
    ]) {
      const r = await refusal(call);
      expect(r?.code).to.equal(status.UNIMPLEMENTED);
      expect(r?.details).to.contain('worker versioning');
    }
  });

  it('refuses a worker that polls for versioned dispatch', async () => {
    const env = await testEnv();
    const r = await refusal(
      env.connection.workflowService.pollWorkflowTaskQueue({
        namespace: env.client.options.namespace,
        taskQueue: { name: uniqueId('versioned') },
        deploymentOptions: { deploymentName: 'ho-so', buildId: 'v2', workerVersioningMode: temporal.api.enums.v1.WorkerVersioningMode.WORKER_VERSIONING_MODE_VERSIONED },
      }),
    );
    expect(r?.code).to.equal(status.UNIMPLEMENTED);
    expect(r?.details).to.contain('versioned worker');
  });
});
