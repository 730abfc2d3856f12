/**
 * The worker process of test/certification/sealUnderKill.test.ts, SIGKILLed and restarted while
 * cases are being sealed: the real certification workflow and activities, with `sealAndNumber`
 * wrapped so the test can see each attempt (did the case already hold a number when it began?)
 * and with a short pause before an attempt reports, which widens the window in which a number is
 * committed but not yet reported to Temporal — the window a kill must be able to hit.
 *
 *   DATABASE_URL, FILES_DIR, TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE / TLS settings), TASK_QUEUE, WORKFLOW_BUNDLE,
 *   PKI_MASTER_KEY, LOCAL_SMTP_PORT (the certification services, as for the real worker)
 *   SEAL_REPLY_DELAY_MS   how long a finished sealAndNumber attempt waits before reporting (default 200)
 */
import { activityInfo } from '@temporalio/activity';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { createCertificationActivities, type CertificationActivities } from '../../activities/certification';
import { createDataSource } from '../../db/dataSource';
import { certificationServicesFromEnv } from '../../infra/certificationServices';
import { connectNative, temporalTarget } from '../../infra/temporalClient';

const MAX_ACTIVITIES = 50;

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  const replyDelay = Number(process.env.SEAL_REPLY_DELAY_MS ?? 200);
  // The test migrated the database; this process only connects.
  const db = createDataSource(process.env.DATABASE_URL!, 20);
  await db.initialize();
  const real = createCertificationActivities({ db, filesDir: process.env.FILES_DIR!, now: () => new Date(), ...certificationServicesFromEnv(db) });

  const activities: CertificationActivities = {
    ...real,
    async sealAndNumber(input) {
      const { attempt } = activityInfo();
      const before: unknown[] = await db.query('select 1 from certification_numbers where case_code = $1', [input.caseCode]);
      const sealed = await real.sealAndNumber(input);
      await db.query('insert into seal_attempts (case_code, attempt, found_existing, seq, pid) values ($1, $2, $3, $4, $5)', [
        input.caseCode,
        attempt,
        before.length > 0,
        sealed.seq,
        process.pid,
      ]);
      await new Promise((r) => setTimeout(r, replyDelay));
      return sealed;
    },
  };

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

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
