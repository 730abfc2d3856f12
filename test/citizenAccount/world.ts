/**
 * A one-stop desk for citizen-account workflow tests: the suite's Temporal environment (time
 * skipping on the embedded engine), a fresh database with the test organisation, an officer of
 * the desk holding ACCOUNT_CREATE, a files directory, and a worker running the real workflow and
 * activities — which a test may wrap, e.g. to make an activity fail after doing its work.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createCitizenAccountActivities, type CitizenAccountActivities } from '../../activities/citizenAccount';
import { FileStore } from '../../infra/fileStore';
import { checkIdScanContent, ID_SCAN_MAX_BYTES } from '../../infra/idScanContent';
import { createOtpCodes, type OtpCodes } from '../../infra/otpCodes';
import { textPagePdf } from '../../infra/pdf/simplePdf';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import type { citizenAccount } from '../../workflows/citizenAccount';
import { accountRequestQuery, citizenAccountWorkflowId } from '../../workflows/citizenAccount/messages';
import type { AccountRequestInput, AccountRequestView, IdScanRef } from '../../workflows/citizenAccount/types';
import { workflowBundle } from '../certification/world';
import { testEnv, uniqueId } from '../engine/harness';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';

export type RequestHandle = WorkflowHandle<typeof citizenAccount>;

export interface Desk {
  env: TestWorkflowEnvironment;
  database: FreshDatabase;
  org: Org;
  filesDir: string;
  otpCodes: OtpCodes;
  officer: { officerId: string; fullName: string; phone: string };
  started: RequestHandle[];
  close(): Promise<void>;
}

export type Wrap = (real: CitizenAccountActivities) => CitizenAccountActivities;

export async function openDesk(wrap: Wrap = (a) => a): Promise<Desk & { taskQueue: string }> {
  const env = await testEnv();
  const database = await freshDatabase();
  const db = database.db;
  const org = await seedTestOrg(db);
  const filesDir = mkdtempSync(path.join(tmpdir(), 'chung-thuc-accounts-'));
  const fullName = 'Lường Thị Thu';
  const officerId = await createTestOfficer(db, { username: uniqueId('motcua'), fullName, rights: ['ACCOUNT_CREATE'], unitIds: [org.deskA], phone: '0912000301' });
  const otpCodes = createOtpCodes('test-otp-secret-0123456789');
  const real = createCitizenAccountActivities({ db, filesDir, now: () => new Date(), sms: new LocalSmsSender(db, () => new Date()), otpCodes });
  const taskQueue = uniqueId('accounts');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace: env.client.options.namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: wrap(real),
  });
  const running = worker.run();
  const started: RequestHandle[] = [];
  return {
    env,
    database,
    org,
    filesDir,
    otpCodes,
    taskQueue,
    officer: { officerId, fullName, phone: '0912000301' },
    started,
    async close() {
      for (const h of started.splice(0)) await h.terminate('test finished').catch(() => undefined);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await database.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

let scans = 0;

/** Uploads a PDF of both sides of an ID card, as the desk's upload route stores it. */
export async function uploadIdScan(desk: Desk): Promise<IdScanRef> {
  const store = new FileStore(desk.database.db, { now: () => new Date() }, { dir: desk.filesDir, maxBytes: ID_SCAN_MAX_BYTES });
  const pdf = textPagePdf(['CAN CUOC CONG DAN - mat truoc', 'mat sau', `${process.pid}-${++scans}`]);
  const f = await store.put(pdf, { uploadedBy: desk.officer.officerId, originalName: 'CCCD.pdf', check: checkIdScanContent, maxBytes: ID_SCAN_MAX_BYTES });
  return { fileId: f.fileId, sha256: f.sha256, mimeType: f.mimeType, bytes: f.bytes, originalName: f.originalName };
}

let citizens = 0;

/** A 12-digit CCCD of someone born in 1990 (Lai Châu), distinct per call. */
export function newCitizenId(): string {
  return `012090${String((process.pid * 1000 + ++citizens) % 1_000_000).padStart(6, '0')}`;
}

export async function startRequest(desk: Desk & { taskQueue: string }, overrides: Partial<AccountRequestInput> = {}): Promise<{ handle: RequestHandle; requestId: string; view(): Promise<AccountRequestView> }> {
  const requestId = uniqueId('tk').replace(/[^A-Za-z0-9-]/g, '');
  const input: AccountRequestInput = {
    requestId,
    citizen: { idNumber: newCitizenId(), fullName: 'Sùng A Dếnh', birthDate: '1990-03-04', phone: '0987001122', email: null },
    unit: { id: desk.org.deskA, code: '000.15.43.H35.01', name: 'Bộ phận Một cửa xã Nùng Năng' },
    officer: desk.officer,
    idScan: await uploadIdScan(desk),
    ...overrides,
  };
  const handle: RequestHandle = await desk.env.client.workflow.start<typeof citizenAccount>('citizenAccount', {
    args: [input],
    taskQueue: desk.taskQueue,
    workflowId: citizenAccountWorkflowId(requestId),
  });
  desk.started.push(handle);
  return { handle, requestId, view: () => handle.query(accountRequestQuery) };
}

/** Waits until the workflow has reached a state (queries are answered between workflow tasks). */
export async function until(read: () => Promise<AccountRequestView>, ok: (v: AccountRequestView) => boolean): Promise<AccountRequestView> {
  for (let i = 0; i < 200; i++) {
    const v = await read();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the request never reached the expected state');
}

/** The code in the latest SMS to `phone`, as the citizen reads it. */
export async function latestCode(desk: Desk, phone: string): Promise<string> {
  const rows: Array<{ body: string }> = await desk.database.db.query(`select body from sms_outbox where to_phone = $1 and purpose = 'account-otp' order by seq desc limit 1`, [phone]);
  const code = /\b(\d{6})\b/.exec(rows[0]?.body ?? '')?.[1];
  if (!code) throw new Error(`no code sent to ${phone}`);
  return code;
}

/** The failure an update ended with: its code and details; CLOSED when the request's workflow had ended. */
export async function failureOf(p: Promise<unknown>): Promise<{ code: string; details: Record<string, unknown> }> {
  try {
    await p;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return { code: 'CLOSED', details: {} };
    const cause = err instanceof WorkflowUpdateFailedError ? err.cause : err;
    if (cause instanceof ApplicationFailure) return { code: cause.type ?? '', details: (cause.details?.[0] ?? {}) as Record<string, unknown> };
    throw err;
  }
  throw new Error('the update succeeded');
}
