/** The benchmark's worker, in its own process like in production: `node bench/worker.ts <address> <taskQueue> <bundlePath>`. */
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import * as activities from './fixtures/activities';

async function main(): Promise<void> {
  // tsx turns source-map support on; the workflow sandbox compiles its 1.5 MB bundle per run, and
  // with maps on Node re-parses the bundle's inline map each time.
  process.setSourceMapsEnabled(false);
  const [address, taskQueue, codePath] = process.argv.slice(2);
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  // The worker and the engine share a loopback connection: gzip would only cost CPU on both
  // sides (the SDK's default compresses every request, and the engine's gRPC library inflates
  // each message through its own zlib stream).
  const connection = await NativeConnection.connect({ address, grpcCompression: { codec: 'none' } });
  const worker = await Worker.create({
    connection,
    taskQueue,
    workflowBundle: { codePath },
    activities,
    maxConcurrentWorkflowTaskExecutions: 100,
    maxConcurrentActivityTaskExecutions: 200,
  });
  process.stdout.write('ready\n');
  await worker.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
