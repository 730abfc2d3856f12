/**
 * The Temporal worker: runs every workflow and activity of the system. Reaches Temporal at
 * TEMPORAL_ADDRESS, or the embedded engine on ENGINE_PORT; polls TASK_QUEUE (default "chung-thuc").
 */
import { DefaultLogger, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import * as activities from './activities';
import { connectNative, taskQueue, temporalTarget } from './infra/temporalClient';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'WARN') });
  const target = temporalTarget();
  const connection = await connectNative(target);
  const worker = await Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue: taskQueue(),
    workflowsPath: require.resolve('./workflows'),
    activities,
  });
  console.log(`worker polling ${taskQueue()} on ${target.address} (${target.embedded ? 'embedded engine' : 'external cluster'})`);
  // The SDK stops the worker gracefully on SIGINT/SIGTERM.
  await worker.run();
  await connection.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
