/** The crash test's worker process (killed and restarted by the test). */
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './activities';

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  // The engine may be down (or restarting) when this process starts: keep trying, like a supervised worker would.
  let connection: NativeConnection | undefined;
  while (!connection) {
    connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! }).catch(async () => {
      await new Promise((r) => setTimeout(r, 250));
      return undefined;
    });
  }
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.TASK_QUEUE!,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE! },
    activities,
    maxConcurrentActivityTaskExecutions: 50,
  });
  process.stdout.write('worker ready\n');
  await worker.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
