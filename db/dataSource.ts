/** The application's database through TypeORM: explicit migrations, never `synchronize`. */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../entities';
import { Identity1763856000000 } from './migrations/1763856000000-Identity';
import { NationalCalendar1763856000001 } from './migrations/1763856000001-NationalCalendar';
import { SmsOutboxOrder1763856000002 } from './migrations/1763856000002-SmsOutboxOrder';
import { CertificationNumbers1763856000004 } from './migrations/1763856000004-CertificationNumbers';
import { CertificationCases1763856000005 } from './migrations/1763856000005-CertificationCases';
import { IdempotencyKeys1763856000006 } from './migrations/1763856000006-IdempotencyKeys';
import { UploadedFiles1763856000007 } from './migrations/1763856000007-UploadedFiles';
import { CaseCodes1763856000010 } from './migrations/1763856000010-CaseCodes';
import { FeeReceipts1763856000011 } from './migrations/1763856000011-FeeReceipts';
import { Pki1763856000012 } from './migrations/1763856000012-Pki';
import { Mail1763856000013 } from './migrations/1763856000013-Mail';
import { CaseDocuments1763856000014 } from './migrations/1763856000014-CaseDocuments';
import { CitizenAccounts1763856000015 } from './migrations/1763856000015-CitizenAccounts';
import { Captchas1763856000016 } from './migrations/1763856000016-Captchas';
import { CitizenSessions1763856000017 } from './migrations/1763856000017-CitizenSessions';
import { SupervisionReadModel1763856000018 } from './migrations/1763856000018-SupervisionReadModel';
import { EscalationLadders1763856000019 } from './migrations/1763856000019-EscalationLadders';
import { DelegationForms1763856000020 } from './migrations/1763856000020-DelegationForms';
import { MailLease1763856000025 } from './migrations/1763856000025-MailLease';
import { AuditSpoolIndex1763856000026 } from './migrations/1763856000026-AuditSpoolIndex';
import { Appointments1763856000027 } from './migrations/1763856000027-Appointments';
import { SupportRequests1763856000031 } from './migrations/1763856000031-SupportRequests';
import { AuthThrottles1763856000030 } from './migrations/1763856000030-AuthThrottles';
import { AlertSubscriptions1763856000032 } from './migrations/1763856000032-AlertSubscriptions';
import { LandPayments1763856000033 } from './migrations/1763856000033-LandPayments';
import { ApiCheck1763856000034 } from './migrations/1763856000034-ApiCheck';
import { MailLeaseHolder1763856000035 } from './migrations/1763856000035-MailLeaseHolder';
import { CaseQueryIndexes1763856000036 } from './migrations/1763856000036-CaseQueryIndexes';
import { OpenCaseListIndexes1763856000040 } from './migrations/1763856000040-OpenCaseListIndexes';
import { AuditAppendFunction1763856000041 } from './migrations/1763856000041-AuditAppendFunction';
import { ProjectCaseFunction1763856000042 } from './migrations/1763856000042-ProjectCaseFunction';
import { CaseProjectedNotice1763856000043 } from './migrations/1763856000043-CaseProjectedNotice';
import { MailRawUncompressed1763856000044 } from './migrations/1763856000044-MailRawUncompressed';
import { CaseProjectionRun1763856000045 } from './migrations/1763856000045-CaseProjectionRun';

export const MIGRATIONS = [Identity1763856000000, NationalCalendar1763856000001, SmsOutboxOrder1763856000002, CertificationNumbers1763856000004, CertificationCases1763856000005, IdempotencyKeys1763856000006, UploadedFiles1763856000007, CaseCodes1763856000010, FeeReceipts1763856000011, Pki1763856000012, Mail1763856000013, CaseDocuments1763856000014, CitizenAccounts1763856000015, Captchas1763856000016, CitizenSessions1763856000017, SupervisionReadModel1763856000018, EscalationLadders1763856000019, DelegationForms1763856000020, MailLease1763856000025, AuditSpoolIndex1763856000026, Appointments1763856000027, AuthThrottles1763856000030, SupportRequests1763856000031, AlertSubscriptions1763856000032, LandPayments1763856000033, ApiCheck1763856000034, MailLeaseHolder1763856000035, CaseQueryIndexes1763856000036, OpenCaseListIndexes1763856000040, AuditAppendFunction1763856000041, ProjectCaseFunction1763856000042, CaseProjectedNotice1763856000043, MailRawUncompressed1763856000044, CaseProjectionRun1763856000045];

export function createDataSource(url: string, poolSize = 10): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: {
      max: poolSize,
      // A caller waiting for a connection fails after this rather than hanging; its retry comes later.
      connectionTimeoutMillis: POOL_WAIT_MS,
      // A transaction left open without work (a lost promise, a held lock) is ended by the server.
      idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_MS,
    },
  });
}

export const POOL_WAIT_MS = 30_000;
export const IDLE_IN_TRANSACTION_MS = 60_000;

const MIGRATION_LOCK = 7_316_001;

/** Connects and brings the schema up to date; an advisory lock lets the API and the worker start together. */
export async function openDatabase(url: string, poolSize?: number): Promise<DataSource> {
  // The migration lock holds one connection while the migrations run on another: one alone would wait for itself.
  const ds = createDataSource(url, poolSize === undefined ? undefined : Math.max(2, poolSize));
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await ds.runMigrations();
  } finally {
    await runner.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
  return ds;
}
