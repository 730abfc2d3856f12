/**
 * A certification office for replay tests: a fresh database with the test organisation, a worker
 * running the real certification workflow and activities on the suite's engine, in a namespace of
 * its own — so a listing of "every case closed in a period" sees exactly the cases a test ran —
 * and helpers that carry a case to a chosen end through the workflow's updates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import Long from 'long';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { Worker } from '@temporalio/worker';
import { createCertificationActivities } from '../../activities/certification';
import type { Right } from '../../domain/rights';
import { FileStore } from '../../infra/fileStore';
import { LocalSmsSender } from '../../infra/sms/smsSender';
import type { certification } from '../../workflows/certification';
import {
  attachScanUpdate,
  certificationWorkflowId,
  refuseUpdate,
  returnToOfficerUpdate,
  sealUpdate,
  signUpdate,
  submitUpdate,
  withdrawUpdate,
} from '../../workflows/certification/messages';
import type { Actor, CaseView, CertificationInput, ScanRef } from '../../workflows/certification/types';
import { parseLocalDateTime } from '../../domain/calendar';
import { CALENDAR, workflowBundle } from '../certification/world';
import { testEnv, uniqueId } from '../engine/harness';
import { startCertificationServices, type TestCertificationServices } from '../support/certificationServices';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';

export type CaseEnd = 'refused' | 'withdrawn-at-reception' | 'returned-then-withdrawn' | 'signed-then-withdrawn' | 'completed' | 'late-then-completed';

export interface Office {
  client: Client;
  namespace: string;
  taskQueue: string;
  database: FreshDatabase;
  org: Org;
  officers: { receiver: Actor; leader: Actor; sealer: Actor };
  /** Receives a case and carries it to `end`; answers its code once the workflow has closed. */
  runCase(end: CaseEnd): Promise<string>;
  /** Receives a case and leaves it open (closed by `close()` if the test does not close it). */
  receive(receivedAt?: string): Promise<string>;
  /** A PDF scan uploaded by the receiving officer, described as the API describes it. */
  upload(): Promise<ScanRef>;
  handle(caseCode: string): WorkflowHandle<typeof certification>;
  close(): Promise<void>;
}

const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

const LATE_RECEPTION = '2026-03-06 11:30';
const LATE_UNTIL = '2026-03-06 17:01';

export async function startOffice(): Promise<Office> {
  const env = await testEnv();
  const namespace = uniqueId('audit');
  await env.connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) } });
  const client = new Client({ connection: env.connection, namespace });
  const database = await freshDatabase();
  const db = database.db;
  const org = await seedTestOrg(db);
  const filesDir = mkdtempSync(path.join(tmpdir(), 'audit-files-'));
  const tag = uniqueId('o').slice(2);
  const officer = async (username: string, fullName: string, rights: Right[]): Promise<Actor> => {
    const id = await createTestOfficer(db, { username: `${username}.${tag}`, fullName, rights, unitIds: [org.communeA] });
    return { officerId: id, fullName, rights, unitIds: [org.communeA] };
  };
  const officers = {
    receiver: await officer('tiepnhan', 'Lò Thị Hoa', ['CERT_CREATE']),
    leader: await officer('lanhdao', 'Tẩn Văn Sơn', ['CERT_SIGN']),
    sealer: await officer('dongdau', 'Vàng Thị Mai', ['CERT_SEAL']),
  };
  const services: TestCertificationServices = await startCertificationServices(db);
  const taskQueue = uniqueId('audit');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    namespace,
    taskQueue,
    workflowBundle: await workflowBundle(),
    activities: createCertificationActivities({ db, filesDir, now: () => new Date(), sms: new LocalSmsSender(db, () => new Date()), ...services }),
  });
  const running = worker.run();
  const store = new FileStore(db, { now: () => new Date() }, { dir: filesDir, maxBytes: 20 * 1024 * 1024 });
  let serial = 0;

  const upload = async (): Promise<ScanRef> => {
    // The distinguishing comment goes before %%EOF: nothing may follow a PDF's end marker.
    const marked = Buffer.concat([MINIMAL_PDF.subarray(0, MINIMAL_PDF.length - 6), Buffer.from(`% ${tag}-${++serial}\n%%EOF\n`, 'latin1')]);
    const f = await store.put(marked, {
      uploadedBy: officers.receiver.officerId,
      originalName: 'ban-quet.pdf',
    });
    return { fileId: f.fileId, sha256: f.sha256, mimeType: f.mimeType, bytes: f.bytes, ...(f.pages ? { pages: f.pages } : {}) };
  };
  const handle = (caseCode: string) => client.workflow.getHandle<typeof certification>(certificationWorkflowId(caseCode));
  const open: string[] = [];

  /**
   * A case received at `receivedAt` (Hà Nội time, on the case clock through the workflow's test
   * offset) or now.
   */
  async function receive(receivedAt?: string): Promise<string> {
    const caseCode = `HS-${uniqueId('a').slice(2)}-${++serial}`;
    const input: CertificationInput = {
      caseCode,
      unit: { id: org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
      calendar: CALENDAR,
      receivedBy: { officerId: officers.receiver.officerId, fullName: officers.receiver.fullName },
      citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', phone: '0987654321' },
      documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }],
      complex: false,
      ...(receivedAt ? { clockOffsetMs: parseLocalDateTime(receivedAt) - (await env.currentTimeMs()) } : {}),
    };
    await client.workflow.start<typeof certification>('certification', { args: [input], taskQueue, workflowId: certificationWorkflowId(caseCode) });
    open.push(caseCode);
    return caseCode;
  }

  async function runCase(end: CaseEnd): Promise<string> {
    // Received at 11:30 on a Friday and left at reception until 17:01: the step's warning (15:30)
    // and breach (16:30), the overall breach (17:00) with its apology slip and the citizen's notice.
    const late = end === 'late-then-completed';
    const caseCode = await receive(late ? LATE_RECEPTION : undefined);
    const h = handle(caseCode);
    if (late) await env.sleep(parseLocalDateTime(LATE_UNTIL) - parseLocalDateTime(LATE_RECEPTION));
    const { receiver, leader, sealer } = officers;
    const act = (o: Actor) => ({ actor: o, idempotencyKey: `${caseCode}-${++serial}` });
    if (end === 'refused') {
      await h.executeUpdate(refuseUpdate, { args: [{ ...act(receiver), ground: 'ALTERED', note: 'Bản chính có dấu hiệu tẩy xóa' }] });
    } else if (end === 'withdrawn-at-reception') {
      await h.executeUpdate(withdrawUpdate, { args: [{ ...act(receiver), reason: 'Công dân xin rút hồ sơ' }] });
    } else {
      await h.executeUpdate(attachScanUpdate, { args: [{ ...act(receiver), scan: await upload() }] });
      await h.executeUpdate(submitUpdate, { args: [act(receiver)] });
      if (end === 'returned-then-withdrawn') {
        await h.executeUpdate(returnToOfficerUpdate, { args: [{ ...act(leader), reason: 'Bản quét mờ, đề nghị quét lại' }] });
        await h.executeUpdate(withdrawUpdate, { args: [{ ...act(receiver), reason: 'Công dân không bổ sung được' }] });
      } else {
        await h.executeUpdate(signUpdate, { args: [act(leader)] });
        if (end === 'signed-then-withdrawn') await h.executeUpdate(withdrawUpdate, { args: [{ ...act(receiver), reason: 'Công dân đổi ý' }] });
        else await h.executeUpdate(sealUpdate, { args: [act(sealer)] });
      }
    }
    const view: CaseView = await h.result();
    open.splice(open.indexOf(caseCode), 1);
    if (!['refused', 'withdrawn', 'completed'].includes(view.status)) throw new Error(`case ${caseCode} ended ${view.status}`);
    return caseCode;
  }

  return {
    client,
    namespace,
    taskQueue,
    database,
    org,
    officers,
    runCase,
    receive,
    upload,
    handle,
    async close() {
      // A case left running would keep timers in the shared engine with no worker to serve them.
      for (const code of open.splice(0)) await handle(code).terminate('test finished').catch(() => undefined);
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await services.close();
      await database.close();
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}
