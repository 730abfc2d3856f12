/**
 * Issue 5's acceptance on the real certification workflow: 500 cases of one commune, each driven
 * through attach scan → submit → sign by officers' updates, are then sealed by 500 concurrent
 * `seal` updates while the worker — a child process running the real workflow and activities —
 * is SIGKILLed twice (once ~150 and once ~350 numbers exist, counted in the database, not timed)
 * and restarted. An update call that fails with the dying worker is retried with the same
 * idempotency key, as an officer retrying would. Still the book holds exactly 1..500, each case
 * exactly one number, and every case's view shows the number stored for it.
 *
 * Temporal is the suite's (test/engine/harness.ts): the embedded engine, or the cluster at
 * TEMPORAL_ADDRESS. A plain client is used throughout, so nothing skips time: the attempts lost
 * with a killed worker are retried after their real start-to-close timeout.
 */
import { startLocalSmtpServer } from '../../infra/mail/localSmtpServer';
import { TEST_BASE_URL, TEST_MASTER_KEY } from '../support/certificationServices';
import { expect } from 'chai';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { Client, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { DataSource } from 'typeorm';
import { DEFAULT_CERTIFICATION_BOOK } from '../../activities/numbering';
import { FileStore } from '../../infra/fileStore';
import { textPagePdf } from '../../infra/pdf/simplePdf';
import type { Right } from '../../domain/rights';
import type { certification } from '../../workflows/certification';
import {
  attachScanUpdate,
  caseViewQuery,
  certificationWorkflowId,
  sealUpdate,
  signUpdate,
  submitUpdate,
} from '../../workflows/certification/messages';
import type { CaseView, CertificationInput, ScanRef } from '../../workflows/certification/types';
import { startProcess, stopProcess, type Managed } from '../../scripts/lib/supervisor';
import { killWhenIssued, numbersIssued } from '../support/killWhenIssued';
import { ROOT, testEnv } from '../engine/harness';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { createTestOfficer, seedTestOrg, type Org } from '../support/identityApp';
import { actor, at, CALENDAR, workflowBundle, type Officer } from './world';

const CASES = Number(process.env.SEAL_KILL_CASES ?? 500);
/** Kill the worker once this many numbers exist (150 and 350 of 500). */
const KILL_AT = [Math.round(CASES * 0.3), Math.round(CASES * 0.7)];
/** Cases driven to the seal step at the same time. */
const DRIVE_CONCURRENCY = 40;
/** Every case is received at this local instant (a Monday morning), so all seal in 2026's book. */
const RECEIVED_AT = '2026-11-23 08:00';
const YEAR = 2026;
const TSX = `file://${ROOT}/node_modules/tsx/dist/loader.mjs`;
const debug = process.env.SEAL_KILL_DEBUG === '1';

type CaseHandle = WorkflowHandle<typeof certification>;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `fn` over `items`, at most `limit` at a time. */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

describe('certification: 500 cases sealed concurrently while the worker is killed (real workflow, worker in a child process)', function () {
  this.timeout(400_000);
  let database: FreshDatabase;
  let db: DataSource;
  let org: Org;
  let filesDir: string;
  let smtp: Awaited<ReturnType<typeof startLocalSmtpServer>> | undefined;
  let bundlePath: string | undefined;
  let officers: { receiver: Officer; leader: Officer; sealer: Officer };
  const workers: Managed[] = [];
  const handles: CaseHandle[] = [];
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const taskQueue = `seal-kill-${tag}`;

  before(async () => {
    database = await freshDatabase();
    db = database.db;
    org = await seedTestOrg(db);
    filesDir = fs.mkdtempSync(path.join(tmpdir(), 'chung-thuc-seal-kill-'));
    smtp = await startLocalSmtpServer(db, { port: 0 });
    // Test-only bookkeeping the worker fills in; the application's tables are untouched.
    await db.query('create table seal_attempts (case_code text not null, attempt int not null, found_existing boolean not null, seq int not null, pid int not null)');
    const officer = async (username: string, fullName: string, rights: Right[]): Promise<Officer> => {
      const id = await createTestOfficer(db, { username: `${username}.${tag}`, fullName, rights, unitIds: [org.communeA] });
      // The API passes the actor's whole scope: the commune and its desk.
      const scope: Array<{ id: string }> = await db.query(`select d.id from units u join units d on d.path like u.path || '%' where u.id = $1`, [org.communeA]);
      return { id, fullName, rights, unitIds: scope.map((s) => s.id) };
    };
    officers = {
      receiver: await officer('tiepnhan', 'Lò Thị Hoa', ['CERT_CREATE']),
      leader: await officer('lanhdao', 'Tẩn Văn Sơn', ['CERT_SIGN']),
      sealer: await officer('dongdau', 'Vàng Thị Mai', ['CERT_SEAL']),
    };
    fs.mkdirSync(path.join(ROOT, '.data'), { recursive: true });
    bundlePath = path.join(ROOT, '.data', `seal-kill-bundle-${process.pid}.js`);
    fs.writeFileSync(bundlePath, (await workflowBundle()).code);
  });

  after(async () => {
    // A case left running (a failed run) would keep timers in the shared engine with no worker.
    await Promise.all(handles.filter(Boolean).map((h) => h.terminate('test finished').catch(() => undefined)));
    for (const w of workers) await stopProcess(w, 3000);
    if (bundlePath) fs.rmSync(bundlePath, { force: true });
    if (filesDir) fs.rmSync(filesDir, { recursive: true, force: true });
    await smtp?.close();
    await database?.close();
  });

  function startWorker(address: string, namespace: string): Managed {
    const worker = startProcess(
      'worker',
      process.execPath,
      ['--import', TSX, path.join(__dirname, 'killableWorker.ts')],
      {
        ...process.env,
        TEMPORAL_ADDRESS: address,
        TEMPORAL_NAMESPACE: namespace,
        DATABASE_URL: database.url,
        FILES_DIR: filesDir,
        PKI_MASTER_KEY: TEST_MASTER_KEY.toString('hex'),
        PUBLIC_BASE_URL: TEST_BASE_URL,
        LOCAL_SMTP_PORT: String(smtp!.port),
        TASK_QUEUE: taskQueue,
        WORKFLOW_BUNDLE: bundlePath!,
      },
      { quiet: !debug },
    );
    workers.push(worker);
    return worker;
  }

  const issued = () => numbersIssued(db);

  it(`numbers ${CASES} cases 1..${CASES} exactly once while their worker is killed twice during the seals`, async () => {
    const env = await testEnv();
    const namespace = env.client.options.namespace;
    // A plain client: waiting must not let a time-skipping engine jump over the activities' timeouts.
    const client = new Client({ connection: env.connection, namespace });
    const { receiver, leader, sealer } = officers;
    const store = new FileStore(db, { now: () => new Date() }, { dir: filesDir, maxBytes: 20 * 1024 * 1024 });
    const offset = at(RECEIVED_AT) - (await env.currentTimeMs());
    const cases = Array.from({ length: CASES }, (_, i) => `HS-${tag}-${String(i).padStart(4, '0')}`);

    let worker = startWorker(env.address, namespace);
    const started = Date.now();

    // ——— Drive every case to the seal step ———
    await inPool(cases, DRIVE_CONCURRENCY, async (caseCode, i) => {
      const input: CertificationInput = {
        caseCode,
        unit: { id: org.communeA, code: '000.15.43.H35', name: 'UBND xã Nùng Năng' },
        calendar: CALENDAR,
        receivedBy: { officerId: receiver.id, fullName: receiver.fullName },
        citizen: { fullName: 'Giàng A Páo', citizenId: '012090001234', birthDate: '1990-05-12', phone: '0987654321' },
        documents: [{ type: 'Giấy khai sinh', issuer: 'UBND xã Nùng Năng', pages: 1, copies: 1 }],
        complex: false,
        clockOffsetMs: offset,
      };
      const handle: CaseHandle = await client.workflow.start<typeof certification>('certification', {
        args: [input],
        taskQueue,
        workflowId: certificationWorkflowId(caseCode),
        // A task taken by a killed worker is handed out again after this.
        workflowTaskTimeout: '5 seconds',
      });
      // By index: cases finish starting in any order, and answers are matched to cases by position.
      handles[i] = handle;
      const f = await store.put(textPagePdf(['Giay khai sinh (ban chinh)', caseCode]), { uploadedBy: receiver.id, originalName: `${caseCode}.pdf` });
      const scan: ScanRef = { fileId: f.fileId, sha256: f.sha256, mimeType: f.mimeType, bytes: f.bytes, ...(f.pages ? { pages: f.pages } : {}) };
      await handle.executeUpdate(attachScanUpdate, { args: [{ actor: actor(receiver), idempotencyKey: `scan-${caseCode}`, scan }] });
      await handle.executeUpdate(submitUpdate, { args: [{ actor: actor(receiver), idempotencyKey: `submit-${caseCode}` }] });
      const signed = await handle.executeUpdate(signUpdate, { args: [{ actor: actor(leader), idempotencyKey: `sign-${caseCode}` }] });
      expect(signed.status, caseCode).to.equal('sealing');
    });
    const drivenIn = Date.now() - started;
    expect(await issued(), 'no number before the seals').to.equal(0);

    // ——— 500 concurrent seals; the worker is killed twice while they run ———
    let retriedUpdates = 0;
    let closedBeforeRetry = 0;
    const sealStarted = Date.now();
    const seal = async (handle: CaseHandle, caseCode: string): Promise<CaseView | undefined> => {
      const idempotencyKey = `seal-${caseCode}`;
      for (let attempt = 1; ; attempt++) {
        try {
          return await handle.executeUpdate(sealUpdate, { args: [{ actor: actor(sealer), idempotencyKey }] });
        } catch (err) {
          // A refusal or a failure other than "could not be completed" is a real answer, not a casualty of the kill.
          const actionFailed = err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === 'ACTION_FAILED';
          if (err instanceof WorkflowUpdateFailedError && !actionFailed) throw err;
          if (attempt >= 30) throw err;
          // The case closes only after delivering its sealed copy: the seal went through, the answer was lost.
          const { status } = await handle.describe();
          if (status.name !== 'RUNNING') {
            closedBeforeRetry++;
            return undefined;
          }
          retriedUpdates++;
          if (debug) console.log(`      retrying seal of ${caseCode} (attempt ${attempt + 1}): ${String(err)}`);
          await pause(500);
        }
      }
    };
    const sealing = Promise.all(handles.map((h, i) => seal(h, cases[i])));
    // Keep a failed seal from going unnoticed while the kills are still being waited for.
    sealing.catch(() => undefined);

    const killedAt: number[] = [];
    for (const count of KILL_AT) {
      killedAt.push(await killWhenIssued(db, worker, count, Date.now() + 180_000));
      worker = startWorker(env.address, namespace);
    }
    const answers = await sealing;
    const sealedIn = Date.now() - sealStarted;

    // ——— Every case delivers; its view shows its number ———
    const finals: CaseView[] = await Promise.all(handles.map((h) => h.result()));
    const deliveredIn = Date.now() - sealStarted - sealedIn;
    const views: CaseView[] = await inPool(handles, 50, (h) => h.query(caseViewQuery));
    const viewedIn = Date.now() - sealStarted - sealedIn - deliveredIn;
    const elapsed = Date.now() - started;

    // The kills happened while numbers were being issued, not before or after.
    killedAt.forEach((n, i) => expect(n, `kill ${i + 1}`).to.be.within(KILL_AT[i], CASES - 1));

    const stored: Array<{ case_code: string; seq: number; number: string; year: number; book: string; unit_id: string }> = await db.query(
      'select case_code, seq, number, year, book, unit_id from certification_numbers order by seq',
    );
    expect(stored.map((r) => r.seq), 'gap-free and unique').to.deep.equal(Array.from({ length: CASES }, (_, i) => i + 1));
    stored.forEach((r) => expect(r, r.case_code).to.include({ unit_id: org.communeA, year: YEAR, book: DEFAULT_CERTIFICATION_BOOK }));
    expect(new Set(stored.map((r) => r.case_code)).size, 'one number per case').to.equal(CASES);
    expect(new Set(stored.map((r) => r.case_code))).to.deep.equal(new Set(cases));
    const book: Array<{ next_seq: number }> = await db.query('select next_seq from certification_books where unit_id = $1 and year = $2 and book = $3', [
      org.communeA,
      YEAR,
      DEFAULT_CERTIFICATION_BOOK,
    ]);
    expect(book).to.deep.equal([{ next_seq: CASES + 1 }]);
    expect(Number(((await db.query('select count(*) as n from certification_books')) as Array<{ n: string }>)[0].n), 'one book').to.equal(1);

    const byCase = new Map(stored.map((r) => [r.case_code, r]));
    const projected: Array<{ case_code: string; certification_number: string | null; status: string }> = await db.query(
      'select case_code, certification_number, status from certification_cases',
    );
    const projectedByCase = new Map(projected.map((p) => [p.case_code, p]));
    cases.forEach((caseCode, i) => {
      const number = byCase.get(caseCode)!.number;
      expect(number).to.equal(`${byCase.get(caseCode)!.seq}/${YEAR}-${DEFAULT_CERTIFICATION_BOOK}`);
      if (answers[i]) expect(answers[i]!.certificationNumber, `seal answer of ${caseCode}`).to.equal(number);
      expect(views[i], `view of ${caseCode}`).to.include({ caseCode, status: 'completed', certificationNumber: number });
      expect(finals[i], `result of ${caseCode}`).to.include({ status: 'completed', certificationNumber: number });
      expect(views[i].steps.filter((s) => s.step === 'seal' && s.outcome === 'sealed'), `${caseCode} sealed once`).to.have.length(1);
      expect(projectedByCase.get(caseCode), `list row of ${caseCode}`).to.include({ certification_number: number, status: 'completed' });
    });

    // Runs that found their case already numbered — after a kill between commit and report — got the stored number back.
    const reruns: Array<{ case_code: string; seq: number }> = await db.query('select case_code, seq from seal_attempts where found_existing');
    for (const r of reruns) expect(r.seq, r.case_code).to.equal(byCase.get(r.case_code)!.seq);
    expect(reruns.length, 'some numbers were committed by a killed worker and picked up by the next one').to.be.greaterThan(0);
    const attempts: Array<{ total: string; pids: string }> = await db.query('select count(*) as total, count(distinct pid) as pids from seal_attempts');

    console.log(
      `      seal under kill: ${CASES} cases driven to the seal step in ${(drivenIn / 1000).toFixed(1)} s, sealed in ${(sealedIn / 1000).toFixed(1)} s, ` +
        `all delivered ${(deliveredIn / 1000).toFixed(1)} s later, views queried in ${(viewedIn / 1000).toFixed(1)} s ` +
        `(${(elapsed / 1000).toFixed(1)} s in all); ${killedAt.length} kills, at ${killedAt.join(' and ')} numbers; ` +
        `${retriedUpdates} seal updates retried with their idempotency key, ${closedBeforeRetry} found already delivered; ` +
        `${attempts[0].total} recorded seal attempts on ${attempts[0].pids} workers, ${reruns.length} found their number already issued`,
    );
  });
});
