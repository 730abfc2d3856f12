/**
 * The API with certification cases: the identity test app plus a files directory shared by the
 * API's upload store and a worker running the real certification workflow and activities on the
 * suite's engine. The API talks to the engine through a plain client (no time skipping), so a
 * case's clock runs like the wall clock while a test drives it through HTTP.
 */
import { expect } from 'chai';
import { textPagesPdf } from '../../infra/pdf/simplePdf';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import Long from 'long';
import { Worker } from '@temporalio/worker';
import { createCertificationActivities } from '../../activities/certification';
import { createCitizenAccountActivities } from '../../activities/citizenAccount';
import { createAppointmentActivities } from '../../activities/appointment';
import { createSupportActivities } from '../../activities/supportRequest';
import { createLandPaymentActivities } from '../../activities/landPayment';
import { testLocality } from './land';
import { landPaymentWorkflowId } from '../../workflows/landPayment/messages';
import { createOtpCodes } from '../../infra/otpCodes';

export const TEST_OTP_SECRET = 'test-otp-secret-0123456789';
import { FileStore } from '../../infra/fileStore';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import { certificationWorkflowId } from '../../workflows/certification/messages';
import { appointmentWorkflowId } from '../../workflows/appointment/messages';
import { supportWorkflowId } from '../../workflows/supportRequest/messages';
import type { CaseView } from '../../workflows/certification/types';
import { workflowBundle } from '../certification/world';
import { testEnv, uniqueId } from '../engine/harness';
import { startCertificationServices, type TestCertificationServices } from './certificationServices';
import { startTestApp, type HttpResult, type TestApp } from './identityApp';
import type { AuthConfig } from '../../api/context';

export interface CaseEngine {
  client: Client;
  taskQueue: string;
  services: TestCertificationServices;
  /** Terminates the cases still open and stops the worker. */
  stop(): Promise<void>;
}

/**
 * Gives a test app the certification engine: a worker on its own task queue over `filesDir`
 * (which must be the directory of the app's upload store) and a plain client in the context.
 */
export async function attachCaseEngine(app: TestApp, filesDir: string): Promise<CaseEngine> {
  const env = await testEnv();
  const taskQueue = uniqueId('cases-api');
  const namespace = await ownNamespace();
  const client = new Client({ connection: env.connection, namespace });
  app.ctx.temporal = { client, taskQueue };
  // Copies are signed at the workflow's time, which is the suite engine's clock: once a time-skipping
  // test has moved it ahead of the wall clock, a revocation stamped by the wall clock would fall
  // before signatures made after it. The authority follows the engine's clock instead.
  const engineAhead = (await env.currentTimeMs()) - Date.now();
  const services = await startCertificationServices(app.ctx.db, engineAhead > 0 ? { pkiNow: () => Date.now() + engineAhead } : {});
  app.ctx.pki = services.pki;
  app.ctx.links = services.links;
  const otpCodes = createOtpCodes(TEST_OTP_SECRET);
  app.ctx.otpCodes = otpCodes;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: {
      ...createCertificationActivities({ db: app.ctx.db, filesDir, now: () => new Date(), sms: new LocalSmsSender(app.ctx.db, () => new Date()), ...services }),
      ...createCitizenAccountActivities({ db: app.ctx.db, filesDir, now: () => new Date(), sms: new LocalSmsSender(app.ctx.db, () => new Date()), otpCodes }),
      ...createAppointmentActivities({ db: app.ctx.db, sms: new LocalSmsSender(app.ctx.db, () => new Date()) }),
      ...createSupportActivities({ db: app.ctx.db, mail: services.mail, links: services.links }),
      ...createLandPaymentActivities({ db: app.ctx.db, filesDir, sms: new LocalSmsSender(app.ctx.db, () => new Date()), locality: testLocality }),
    },
  });
  const running = worker.run();
  return {
    client,
    taskQueue,
    services,
    async stop() {
      // A case left open would keep timers in the shared engine with no worker to serve them.
      const codes: Array<{ case_code: string }> = await app.ctx.db.query('select case_code from case_codes union select case_code from certification_cases');
      for (const { case_code } of codes) {
        await client.workflow.getHandle(certificationWorkflowId(case_code)).terminate('test finished').catch(() => undefined);
      }
      const requests: Array<{ workflow_id: string }> = await app.ctx.db.query('select workflow_id from account_requests where ended_at is null');
      for (const { workflow_id } of requests) await client.workflow.getHandle(workflow_id).terminate('test finished').catch(() => undefined);
      const appointments: Array<{ code: string }> = await app.ctx.db.query(`select code from appointments where status in ('booked', 'checked_in')`);
      for (const { code } of appointments) await client.workflow.getHandle(appointmentWorkflowId(code)).terminate('test finished').catch(() => undefined);
      const support: Array<{ code: string }> = await app.ctx.db.query(`select code from support_requests where status in ('received', 'in_progress', 'waiting')`);
      for (const { code } of support) await client.workflow.getHandle(supportWorkflowId(code)).terminate('test finished').catch(() => undefined);
      const land: Array<{ order_id: string }> = await app.ctx.db.query(`select order_id from land_payments where status = 'created' or delivery = 'pending'`);
      for (const { order_id } of land) await client.workflow.getHandle(landPaymentWorkflowId(order_id)).terminate('test finished').catch(() => undefined);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await services.close();
    },
  };
}

/**
 * A namespace of its own, as one deployment has: every test database starts its case codes at
 * the same commune, day and number, and workflow ids must not meet those of another test file.
 * An external cluster that refuses new namespaces is used in its configured one.
 */
async function ownNamespace(): Promise<string> {
  const env = await testEnv();
  const name = uniqueId('cases');
  try {
    await env.connection.workflowService.registerNamespace({ namespace: name, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) } });
    return name;
  } catch {
    return env.client.options.namespace;
  }
}

export interface CaseApp extends TestApp {
  filesDir: string;
  client: Client;
  taskQueue: string;
  services: TestCertificationServices;
}

export async function startCaseApp(auth: Partial<AuthConfig> = {}, options: { web?: boolean } = {}): Promise<CaseApp> {
  const app = await startTestApp(auth, options);
  const filesDir = mkdtempSync(join(tmpdir(), 'cases-api-files-'));
  app.ctx.files = new FileStore(app.ctx.db, app.clock, { dir: filesDir, maxBytes: 5 * 1024 * 1024 });
  const engine = await attachCaseEngine(app, filesDir);
  return {
    ...app,
    filesDir,
    client: engine.client,
    taskQueue: engine.taskQueue,
    services: engine.services,
    async close() {
      await engine.stop();
      await app.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

/**
 * Puts the app's clock at the suite engine's time (never behind the wall clock): requests are
 * checked on the app's clock while workflows run on the engine's, which time-skipping tests may
 * have moved ahead. Call it before opening sessions, whose lifetimes count on the app's clock.
 */
export async function clockAtEngineTime(app: TestApp): Promise<void> {
  app.clock.set(new Date(Math.max(await (await testEnv()).currentTimeMs(), Date.now())));
}

let keys = 0;
/** A fresh Idempotency-Key. */
export function newKey(): string {
  return `k-${process.pid}-${++keys}-${Math.random().toString(36).slice(2, 8)}`;
}

// Response bodies are whatever the endpoint returns; tests assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  app: TestApp,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; key?: string | null } = {},
): Promise<HttpResult<T>> {
  const key = options.key === undefined ? (method === 'GET' ? null : newKey()) : options.key;
  const res = await fetch(`${app.baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(key !== null ? { 'idempotency-key': key } : {}),
    },
    body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, headers: res.headers };
}

/** A small but complete one-page PDF, different for each `mark`. */
/** A scan of `pages` pages (3, as the original `receptionBody` declares), different for each mark. */
export function pdfBytes(mark: string, pages = 3): Buffer {
  return textPagesPdf(Array.from({ length: pages }, (_, i) => [`Giay khai sinh - ban chinh ${mark}`, `Trang ${i + 1}/${pages}`]));
}

/** Uploads bytes through POST /api/files; returns the file id. */
export async function uploadFile(app: TestApp, token: string, data: Buffer, name = 'ban-quet.pdf'): Promise<string> {
  const res = await fetch(`${app.baseUrl}/api/files`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'x-file-name': encodeURIComponent(name), 'idempotency-key': newKey() },
    body: data,
  });
  const body = (await res.json()) as { fileId?: string };
  if (res.status !== 201 || !body.fileId) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.fileId;
}

/** A reception body for communeA's desk (or `unitId`), valid unless overridden. */
export function receptionBody(unitId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    unitId,
    citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', phone: '+84 987 654 321', email: 'pao@example.vn' },
    documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 3, copies: 2 }],
    ...overrides,
  };
}

export type CaseStep = readonly [who: string, action: 'submit' | 'sign' | 'seal'];
/** A received case's way to its certified copy, each step by its officer. */
export const SUBMIT_SIGN_SEAL: readonly CaseStep[] = [['receiver', 'submit'], ['leader', 'sign'], ['sealer', 'seal']];

/**
 * Receives a case at communeA's desk with a scan marked `scanMark`, then carries it through
 * `steps` over HTTP, each as its officer in `tokens`; returns its code. Once sealed, it waits for
 * the workflow to close, so the case's history is complete.
 */
export async function caseThrough(app: CaseApp, tokens: Readonly<Record<string, string>>, steps: readonly CaseStep[], scanMark: string): Promise<string> {
  const scanFileId = await uploadFile(app, tokens.receiver, pdfBytes(scanMark));
  const received = await call<CaseView>(app, 'POST', '/api/cases', { token: tokens.receiver, body: receptionBody(app.org.deskA, { scanFileId }) });
  expect(received.status, JSON.stringify(received.body)).to.equal(201);
  const caseCode = received.body.caseCode;
  for (const [who, action] of steps) {
    const res = await call(app, 'POST', `/api/cases/${caseCode}/${action}`, { token: tokens[who], body: {} });
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).to.equal(200);
  }
  if (steps.at(-1)?.[1] === 'seal') await app.client.workflow.getHandle(certificationWorkflowId(caseCode)).result();
  return caseCode;
}
