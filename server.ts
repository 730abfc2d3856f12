/**
 * The API server. Needs DATABASE_URL (the run command sets it); reaches Temporal at
 * TEMPORAL_ADDRESS, or the embedded engine on ENGINE_PORT. Listens on PORT (default 3000).
 * PKI_MASTER_KEY and PUBLIC_BASE_URL serve verification, the CRL and certificate administration.
 */
import { Pool } from 'pg';
import { createApp } from './api/app';
import { systemClock } from './api/clock';
import { authConfigFromEnv, citizenConfigFromEnv } from './api/context';
import { openDatabase } from './db/dataSource';
import { pkiFromEnv } from './infra/certificationServices';
import { CaptchaService } from './infra/captcha/captcha';
import { socialInsuranceFromEnv } from './infra/socialInsurance/socialInsuranceFromEnv';
import { landServicesFromEnv } from './infra/landTax/landServicesFromEnv';
import { smsSenderFromEnv } from './infra/sms/smsFromEnv';
import { otpCodesFromEnv } from './infra/otpCodes';
import { accountRequestRulesFromEnv } from './api/citizenAccounts/rulesFromEnv';
import { devInboxesFromEnv } from './api/dev/settings';
import { connectClient, taskQueue, temporalTarget } from './infra/temporalClient';
import * as path from 'node:path';
import { createAuditSpool, flushPeriodically } from './api/audit/auditSpool';
import { dataRoot } from './db/databaseUrl';
import { alertServices } from './infra/alerts/alertServices';
import { MailOutbox } from './infra/mail/mailOutbox';
import { createMailTransport, mailSettingsFromEnv } from './infra/mail/mailTransport';
import { healthLimitsFromEnv, type PoolCounters } from './api/health';
import { CaseProjectionListener } from './infra/readModel/caseProjectionListener';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: start the system with `npm start`, or point DATABASE_URL at PostgreSQL');
  const auth = authConfigFromEnv();
  const citizen = citizenConfigFromEnv();
  const db = await openDatabase(databaseUrl);
  const pool = new Pool({ connectionString: databaseUrl, max: 2 });
  const target = temporalTarget();
  const client = await connectClient(target);
  const queue = taskQueue();
  const pkiAndLinks = pkiFromEnv(db);
  // Alert codes and alerts are queued in the database; the API sends them at once, the worker retries.
  const mailSettings = mailSettingsFromEnv();
  const alerts = alertServices({
    db,
    sms: smsSenderFromEnv(db, () => systemClock.now(), process.env, (line) => console.log(line)),
    mail: new MailOutbox(db, createMailTransport(mailSettings), { from: mailSettings.from }),
    now: () => systemClock.now(),
    baseUrl: pkiAndLinks.links.baseUrl,
  });
  const ctx = {
    db,
    clock: systemClock,
    auth,
    sms: alerts.sms,
    alertDispatcher: alerts.dispatcher,
    temporal: { client, taskQueue: queue },
    ...pkiAndLinks,
    citizen,
    captcha: new CaptchaService(db, systemClock),
    socialInsurance: socialInsuranceFromEnv(db),
    land: landServicesFromEnv(process.env, pkiAndLinks.links.baseUrl),
    otpCodes: otpCodesFromEnv(),
    accountRequestRules: accountRequestRulesFromEnv(),
    devInboxes: devInboxesFromEnv(),
    auditSpool: createAuditSpool(process.env.AUDIT_SPOOL_DIR || path.join(dataRoot(), 'audit-spool')),
    caseProjections: await CaseProjectionListener.start(databaseUrl),
  };
  // Rows spooled while the database was away (here or before a restart) join the chain when it answers.
  flushPeriodically(ctx.auditSpool, db);
  // TypeORM's postgres driver keeps its pg Pool as `master`: its counters tell /health when requests queue for a connection.
  const appPool = (db.driver as unknown as { master?: PoolCounters }).master;
  const app = createApp(ctx, { pool, appPool, client, target, taskQueue: queue, limits: healthLimitsFromEnv() }, {});
  const port = Number(process.env.PORT || 3000);
  const host = process.env.HOST || '127.0.0.1';
  const server = app.listen(port, host, () => console.log(`API listening on http://${host}:${port}`));
  const stop = () => {
    server.close();
    void Promise.allSettled([pool.end(), db.destroy(), client.connection.close(), ctx.caseProjections.close()]).then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
