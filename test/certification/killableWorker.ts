/**
 * The worker process of test/certification/sealUnderKill.test.ts, SIGKILLed and restarted while
 * cases are being sealed: the real certification workflow and activities, with `sealAndNumber`
 * wrapped so the test can see each attempt (did the case already hold a number when it began?)
 * and with a short pause before an attempt reports, which widens the window in which a number is
 * committed but not yet reported to Temporal — the window a kill must be able to hit.
 *
 *   as test/support/killableWorkerProcess.ts, and FILES_DIR, PKI_MASTER_KEY, LOCAL_SMTP_PORT
 *   (the certification services, as for the real worker)
 *   SEAL_REPLY_DELAY_MS   how long a finished sealAndNumber attempt waits before reporting (default 200)
 */
import { activityInfo } from '@temporalio/activity';
import { createCertificationActivities, type CertificationActivities } from '../../activities/certification';
import { certificationServicesFromEnv } from '../../infra/certificationServices';
import { runKillableWorker } from '../support/killableWorkerProcess';

const replyDelay = Number(process.env.SEAL_REPLY_DELAY_MS ?? 200);

runKillableWorker((db): CertificationActivities => {
  const real = createCertificationActivities({ db, filesDir: process.env.FILES_DIR!, now: () => new Date(), ...certificationServicesFromEnv(db) });
  return {
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
});
