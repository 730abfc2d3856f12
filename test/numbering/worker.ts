/**
 * The kill test's worker process (SIGKILLed and restarted by test/numbering/crash.test.ts): the
 * real numbering activity, wrapped so the test can see each attempt and widen the window in which
 * a number is committed but not yet reported to Temporal.
 *
 *   as test/support/killableWorkerProcess.ts
 *   NUMBERING_REPLY_DELAY_MS   how long a finished attempt waits before reporting (default 300)
 */
import { activityInfo } from '@temporalio/activity';
import { createNumberingActivities, type AssignCertificationNumberInput } from '../../activities/numbering';
import { runKillableWorker } from '../support/killableWorkerProcess';

const replyDelay = Number(process.env.NUMBERING_REPLY_DELAY_MS ?? 300);

runKillableWorker((db) => {
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

  return { assignCertificationNumber };
});
