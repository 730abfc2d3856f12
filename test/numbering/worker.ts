/**
 * The kill test's worker process (SIGKILLed and restarted by test/numbering/crash.test.ts): the
 * real numbering activity, wrapped so the test can see each attempt and widen the window in which
 * a number is committed but not yet reported to Temporal.
 *
 *   DATABASE_URL, TEMPORAL_ADDRESS (+ TEMPORAL_NAMESPACE / TLS settings), TASK_QUEUE, WORKFLOW_BUNDLE
 *   NUMBERING_REPLY_DELAY_MS   how long a finished attempt waits before reporting (default 300)
 */
import { activityInfo } from '@temporalio/activity';
import { DefaultLogger, makeTelemetryFilterString, Runtime, Worker } from '@temporalio/worker';
import { createNumberingActivities, type AssignCertificationNumberInput } from '../../activities/numbering';
import { createDataSource } from '../../db/dataSource';
import { connectNative, temporalTarget } from '../../infra/temporalClient';

const MAX_ACTIVITIES = 50;

async function main(): Promise<void> {
  Runtime.install({
    logger: new DefaultLogger('ERROR'),
    telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR', other: 'ERROR' }) } },
  });
  const replyDelay = Number(process.env.NUMBERING_REPLY_DELAY_MS ?? 300);
  // Attempts hold a connection only while they talk to PostgreSQL, not during the reply delay.
  const db = createDataSource(process.env.DATABASE_URL!, 20);
  await db.initialize();
  const numbering = createNumberingActivities(db, () => new Date());

  async function assignCertificationNumber(input: AssignCertificationNumberInput) {
    const { attempt } = activityInfo();
    const before: unknown[] = await db.query('select 1 from certification_numbers where case_code = $1', [input.caseCode]);
    const result = await numbering.assignCertificationNumber(input);
    await db.query('insert into numbering_attempts (case_code, attempt, found_existing, seq, pid) values ($1, $2, $3, $4, $5)', [
      input.caseCode,
      attempt,
      before.length > 0,
      result.seq,
      process.pid,
    ]);
    const failOnce: unknown[] = await db.query('select 1 from numbering_fail_once where case_code = $1', [input.caseCode]);
    // The run that took the case's number fails after its commit, whichever attempt it was.
    if (before.length === 0 && failOnce.length > 0) throw new Error(`reply of ${input.caseCode} lost after its number was committed`);
    await new Promise((r) => setTimeout(r, replyDelay));
    return result;
  }

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
    activities: { assignCertificationNumber },
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
