/**
 * The Temporal worker: runs every workflow and activity of the system. Reaches Temporal at
 * TEMPORAL_ADDRESS, or the embedded engine on ENGINE_PORT; polls TASK_QUEUE (default "chung-thuc").
 * Activities need the application database (DATABASE_URL) and the file store (FILES_DIR).
 */
import { DefaultLogger, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import * as staticActivities from './activities';
import { createCertificationActivities } from './activities/certification';
import { openDatabase } from './db/dataSource';
import { fileStoreConfigFromEnv } from './infra/fileStore';
import { smsSenderFromEnv } from './infra/sms/smsFromEnv';
import { connectNative, taskQueue, temporalTarget } from './infra/temporalClient';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'WARN') });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: start the system with `npm start`, or point DATABASE_URL at PostgreSQL');
  const db = await openDatabase(databaseUrl);
  const now = () => new Date();
  const certification = createCertificationActivities({
    db,
    filesDir: fileStoreConfigFromEnv().dir,
    now,
    sms: smsSenderFromEnv(db, now, process.env, (line) => console.log(line)),
  });
  const target = temporalTarget();
  const connection = await connectNative(target);
  const worker = await Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue: taskQueue(),
    workflowsPath: require.resolve('./workflows'),
    activities: { ...staticActivities, ...certification },
  });
  console.log(`worker polling ${taskQueue()} on ${target.address} (${target.embedded ? 'embedded engine' : 'external cluster'})`);
  // The SDK stops the worker gracefully on SIGINT/SIGTERM.
  await worker.run();
  await Promise.allSettled([connection.close(), db.destroy()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
