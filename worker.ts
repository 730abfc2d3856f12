/**
 * The Temporal worker: runs every workflow and activity of the system. Reaches Temporal at
 * TEMPORAL_ADDRESS, or the embedded engine on ENGINE_PORT; polls TASK_QUEUE (default "chung-thuc").
 * Activities need the application database (DATABASE_URL), the file store (FILES_DIR), the
 * certificate authority's key (PKI_MASTER_KEY, from which the desk's one-time codes are derived unless OTP_SECRET is set), the public links (PUBLIC_BASE_URL) and an SMTP
 * server (SMTP_URL / SMTP_HOST …, or the embedded one on LOCAL_SMTP_PORT).
 */
import { Client } from '@temporalio/client';
import { DefaultLogger, Runtime, Worker, type LogLevel } from '@temporalio/worker';
import * as staticActivities from './activities';
import { createCertificationActivities } from './activities/certification';
import { createCitizenAccountActivities } from './activities/citizenAccount';
import { createAppointmentActivities } from './activities/appointment';
import { createSupportActivities } from './activities/supportRequest';
import { createLandPaymentActivities } from './activities/landPayment';
import { localityReceiptsFromEnv } from './infra/landTax/landServicesFromEnv';
import { openDatabase } from './db/dataSource';
import { certificationServicesFromEnv } from './infra/certificationServices';
import { fileStoreConfigFromEnv } from './infra/fileStore';
import { otpCodesFromEnv } from './infra/otpCodes';
import { smsSenderFromEnv } from './infra/sms/smsFromEnv';
import { connectNative, taskQueue, temporalTarget } from './infra/temporalClient';
import { activityAlertInterceptors } from './infra/alerts/activityAlerts';
import { alertServices } from './infra/alerts/alertServices';
import { Watchdog } from './infra/alerts/watchdog';
import { createMailTransport, mailSettingsFromEnv } from './infra/mail/mailTransport';
import { createSupervisorDigestActivities } from './activities/supervisorDigest';
import { ensureSupervisorDigestSchedule } from './infra/supervisorDigestSchedule';
import { limitWorkflowStackTraces, workflowStackTraceLimit } from './infra/workflowStackTraces';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger((process.env.WORKER_LOG_LEVEL as LogLevel | undefined) ?? 'WARN') });
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set: start the system with `npm start`, or point DATABASE_URL at PostgreSQL');
  const db = await openDatabase(databaseUrl);
  const now = () => new Date();
  const services = certificationServicesFromEnv(db);
  // The embedded authority is created on the first start, not in the middle of a leader's signature.
  const authority = await services.pki.authority();
  console.log(`certificate authority ready (serial ${authority.serial})`);
  const filesDir = fileStoreConfigFromEnv().dir;
  const alerts = alertServices({ db, sms: smsSenderFromEnv(db, now, process.env, (line) => console.log(line)), mail: services.mail, now, baseUrl: services.links.baseUrl, log: (line) => console.error(line) });
  const sms = alerts.sms;
  const stopDispatcher = alerts.dispatcher.start();
  const certification = createCertificationActivities({ db, filesDir, now, sms, ...services, alerts: alerts.raise });
  const citizenAccounts = createCitizenAccountActivities({ db, filesDir, now, sms, otpCodes: otpCodesFromEnv() });
  const target = temporalTarget();
  const connection = await connectNative(target);
  const mailSettings = mailSettingsFromEnv();
  const directTransport = createMailTransport(mailSettings);
  const stopWatchdog = new Watchdog({
    db,
    probeTemporal: () => connection.workflowService.getSystemInfo({}),
    raise: alerts.raise,
    directMail: async (to, subject, text) => void (await directTransport.sendMail({ from: mailSettings.from, to, subject, text })),
    now,
    baseUrl: services.links.baseUrl,
    log: (line) => console.error(line),
  }).start();
  limitWorkflowStackTraces(workflowStackTraceLimit());
  const worker = await Worker.create({
    connection,
    namespace: target.namespace,
    taskQueue: taskQueue(),
    workflowsPath: require.resolve('./workflows'),
    interceptors: { activity: [activityAlertInterceptors(alerts.raise)] },
    activities: { ...staticActivities, ...certification, ...citizenAccounts, ...createAppointmentActivities({ db, sms }), ...createSupportActivities({ db, mail: services.mail, links: services.links }),
      ...createLandPaymentActivities({ db, filesDir, sms, locality: localityReceiptsFromEnv(), baseUrl: services.links.baseUrl }),
      ...createSupervisorDigestActivities({ db, mail: services.mail, now, baseUrl: services.links.baseUrl }),
    },
  });
  if (process.env.SUPERVISOR_DIGEST !== 'off') {
    // The digest is a Temporal schedule, not a timer in this process: it fires once whatever the number of workers.
    // A client on the worker's own connection (closed with the worker).
    const client = new Client({ connection, namespace: target.namespace });
    try {
      console.log(`supervisor digest schedule ${await ensureSupervisorDigestSchedule(client, taskQueue())}`);
    } catch (err) {
      console.error(`supervisor digest schedule not ensured: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  console.log(`worker polling ${taskQueue()} on ${target.address} (${target.embedded ? 'embedded engine' : 'external cluster'})`);
  // The SDK stops the worker gracefully on SIGINT/SIGTERM.
  await worker.run();
  stopWatchdog();
  stopDispatcher();
  await Promise.allSettled([connection.close(), db.destroy()]);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
