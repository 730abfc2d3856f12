/**
 * What the kill tests' worker processes share: a quiet runtime, the test's database (already
 * migrated by the test), and a worker that keeps trying to connect like a supervised one and
 * drops a killed predecessor's sticky queue quickly. Each process brings its own wrapped activities.
 *
 *   DATABASE_URL, TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE / TLS settings), TASK_QUEUE, WORKFLOW_BUNDLE
 */
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import { createDataSource } from '../../db/dataSource';
import { connectNative, temporalTarget } from '../../infra/temporalClient';

const MAX_ACTIVITIES = 50;

export function runKillableWorker(activitiesOf: (db: DataSource) => object): void {
  main(activitiesOf).catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}

async function main(activitiesOf: (db: DataSource) => object): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  // Attempts hold a connection only while they talk to PostgreSQL, not during their reply delay.
  const db = createDataSource(process.env.DATABASE_URL!, 20);
  await db.initialize();
  const activities = activitiesOf(db);

  const target = temporalTarget();
  // The test starts this process while Temporal is up, but keep trying like a supervised worker.
  let connection: Awaited<ReturnType<typeof connectNative>> | undefined;
  while (!connection) {
    connection = await connectNative(target).catch(async () => {
      await new Promise((r) => setTimeout(r, 250));
      return undefined;
    });
  }
  const worker = await Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue: process.env.TASK_QUEUE!,
    workflowBundle: { codePath: process.env.WORKFLOW_BUNDLE! },
    activities,
    maxConcurrentActivityTaskExecutions: MAX_ACTIVITIES,
    // A killed worker's sticky queue is never polled again; fall back to the normal queue quickly.
    stickyQueueScheduleToStartTimeout: '1 second',
  });
  process.stdout.write('worker ready\n');
  await worker.run();
}
