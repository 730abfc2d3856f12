/**
 * A certification office for workflow tests: the suite's Temporal environment (time skipping on
 * the embedded engine), a fresh database with the test organisation and six officers, a files
 * directory, and a worker running the real certification workflow and activities — the
 * activities wrapped so tests can see every deadline notification.
 *
 * Cases are received at a chosen local instant through the workflow's test clock offset: the
 * engine's clock only moves forward from today, while the scenarios sit on fixed dates (Tết 2026
 * is in the past). `advanceTo` then moves the engine's clock, and with it the case clock.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  createCertificationActivities,
  type CertificationActivities,
  type NotifyDeadlineInput,
  type NotifyDeadlineResult,
} from '../../activities/certification';
import { parseLocalDateTime, formatLocalDateTime, vietnamCivilServiceCalendar } from '../../domain/calendar';
import type { Right } from '../../domain/rights';
import { FileStore } from '../../infra/fileStore';
import { textPagesPdf } from '../../infra/pdf/simplePdf';
import { LocalSmsSender, type SmsSender } from '../../infra/sms/smsSender';
import type { certification } from '../../workflows/certification';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import type { Actor, CaseView, CertificationInput, ScanRef } from '../../workflows/certification/types';
import { installQuietRuntime, testEnv, uniqueId } from '../engine/harness';
import { startCertificationServices, type ServiceOptions, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';

export type CaseHandle = WorkflowHandle<typeof certification>;

export interface Officer {
  id: string;
  fullName: string;
  rights: Right[];
  unitIds: string[];
  phone?: string;
}

export interface World {
  env: TestWorkflowEnvironment;
  database: FreshDatabase;
  services: TestCertificationServices;
  org: Org;
  filesDir: string;
  taskQueue: string;
  officers: { receiver: Officer; leader: Officer; sealer: Officer; supervisor: Officer; outsider: Officer; otherSupervisor: Officer };
  notifications: Array<{ input: NotifyDeadlineInput; result: NotifyDeadlineResult }>;
  /** Every case started, terminated on close. */
  started: CaseHandle[];
  close(): Promise<void>;
}

let bundle: Promise<{ code: string }> | undefined;

export function workflowBundle(): Promise<{ code: string }> {
  installQuietRuntime();
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') });
  return bundle;
}

export interface WorldOptions extends ServiceOptions {
  /** The SMS gateway the activities use, in front of the local outbox (one that goes down, say). */
  smsGateway?: (outbox: SmsSender) => SmsSender;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const env = await testEnv();
  const database = await freshDatabase();
  const db = database.db;
  const org = await seedTestOrg(db);
  const filesDir = mkdtempSync(path.join(tmpdir(), 'chung-thuc-files-'));
  const tag = uniqueId('o').slice(2);

  const officer = async (username: string, fullName: string, rights: Right[], unitIds: string[], phone?: string): Promise<Officer> => {
    const id = await createTestOfficer(db, { username: `${username}.${tag}`, fullName, rights, unitIds, phone });
    // The API passes the actor's whole scope: the assigned units and everything below them.
    const scope: Array<{ id: string }> = await db.query(
      `select distinct d.id from units u join units d on d.path like u.path || '%' where u.id = any($1::uuid[])`,
      [unitIds],
    );
    return { id, fullName, rights, unitIds: scope.map((s) => s.id), phone };
  };
  const officers = {
    receiver: await officer('tiepnhan', 'Lò Thị Hoa', ['CERT_CREATE'], [org.communeA]),
    leader: await officer('lanhdao', 'Tẩn Văn Sơn', ['CERT_SIGN'], [org.communeA]),
    sealer: await officer('dongdau', 'Vàng Thị Mai', ['CERT_SEAL'], [org.communeA]),
    supervisor: await officer('giamsat', 'Nguyễn Văn Giám', ['CASE_SUPERVISE'], [org.district], '0912000201'),
    outsider: await officer('xakhac', 'Chảo Văn Lìn', ['CERT_CREATE', 'CERT_SIGN', 'CERT_SEAL'], [org.communeB]),
    otherSupervisor: await officer('giamsatb', 'Phạm Thị Bản', ['CASE_SUPERVISE'], [org.communeB], '0912000202'),
  };

  const services = await startCertificationServices(db, options);
  const outbox = new LocalSmsSender(db, () => new Date());
  const sms = options.smsGateway ? options.smsGateway(outbox) : outbox;
  const real = createCertificationActivities({ db, filesDir, now: () => new Date(), sms, ...services, ...(options.alerts ? { alerts: options.alerts } : {}) });
  const notifications: World['notifications'] = [];
  const activities: CertificationActivities = {
    ...real,
    async notifyDeadline(input) {
      const result = await real.notifyDeadline(input);
      notifications.push({ input, result });
      return result;
    },
  };
  const taskQueue = uniqueId('certification');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.client.options.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
  });
  const running = worker.run();
  const started: CaseHandle[] = [];

  return {
    started,
    env,
    database,
    services,
    org,
    filesDir,
    taskQueue,
    officers,
    notifications,
    async close() {
      // A case left running would keep timers in the shared engine with no worker to serve them.
      for (const h of started.splice(0)) await h.terminate('test finished').catch(() => undefined);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await services.close();
      await database.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

export function actor(o: Officer): Actor {
  return { officerId: o.id, fullName: o.fullName, rights: o.rights, unitIds: o.unitIds };
}

let keys = 0;
export function key(): string {
  return `k-${process.pid}-${++keys}`;
}

export const CALENDAR = vietnamCivilServiceCalendar();
export const at = (local: string) => parseLocalDateTime(local);
/** 'YYYY-MM-DD HH:MM' in Hà Nội time of an ISO instant. */
export const local = (isoInstant: string | undefined) => (isoInstant === undefined ? undefined : formatLocalDateTime(Date.parse(isoInstant)));

export interface TestCase {
  caseCode: string;
  handle: CaseHandle;
  offset: number;
  view(): Promise<CaseView>;
  /** Moves the engine's clock until the case clock reads `localTime`, firing every timer on the way. */
  advanceTo(localTime: string): Promise<void>;
  /** The case clock now. */
  now(): Promise<number>;
}

export async function receiveCase(world: World, receivedAt: string, overrides: Partial<CertificationInput> = {}): Promise<TestCase> {
  const { env } = world;
  const caseCode = `HS-${uniqueId('c').slice(2)}`;
  const offset = at(receivedAt) - (await env.currentTimeMs());
  const input: CertificationInput = {
    caseCode,
    unit: { id: world.org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
    calendar: CALENDAR,
    receivedBy: { officerId: world.officers.receiver.id, fullName: world.officers.receiver.fullName },
    citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', phone: '0987654321', email: 'pao@example.vn' },
    documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 2 }],
    complex: false,
    clockOffsetMs: offset,
    ...overrides,
  };
  const handle: CaseHandle = await env.client.workflow.start<typeof certification>('certification', {
    args: [input],
    taskQueue: world.taskQueue,
    workflowId: certificationWorkflowId(caseCode),
  });
  world.started.push(handle);
  const now = async () => (await env.currentTimeMs()) + offset;
  return {
    caseCode,
    handle,
    offset,
    view: () => handle.query<CaseView>('caseView'),
    now,
    async advanceTo(localTime) {
      const gap = at(localTime) - (await now());
      if (gap > 0) await env.sleep(gap);
    },
  };
}


let uploads = 0;

/**
 * Uploads a scan of `pages` pages (3, as `receiveCase` declares) through the API's file store (each
 * call a distinct content) and describes it as the API does.
 */
export async function upload(world: World, pages = 3): Promise<ScanRef> {
  const store = new FileStore(world.database.db, { now: () => new Date() }, { dir: world.filesDir, maxBytes: 20 * 1024 * 1024 });
  const content = textPagesPdf(Array.from({ length: pages }, (_, i) => [`Ban quet ${process.pid}-${++uploads}`, `Trang ${i + 1}`]));
  const f = await store.put(content, { uploadedBy: world.officers.receiver.id, originalName: 'ban-quet.pdf' });
  return { fileId: f.fileId, sha256: f.sha256, mimeType: f.mimeType, bytes: f.bytes, ...(f.pages ? { pages: f.pages } : {}) };
}

/** The failure an update was refused or failed with. */
export async function failureOf(p: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'the update should have been refused').to.be.instanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).to.be.instanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

/** Replays the case's history on the current workflow code; throws on any nondeterminism. */
export async function replay(handle: CaseHandle): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle() }, await handle.fetchHistory(), handle.workflowId);
}

/** How many updates the workflow history holds (validator refusals write none). */
export async function acceptedUpdates(handle: CaseHandle): Promise<number> {
  const history = await handle.fetchHistory();
  return history.events!.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes).length;
}
