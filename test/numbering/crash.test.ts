/**
 * Exactly once on a real Temporal run: 500 seal workflows of one commune number their cases
 * through the activity on a worker in a child process, which is SIGKILLed twice while numbers
 * are being issued (once ~100 and once ~300 numbers exist, counted in the database). Still every
 * workflow completes, the book holds exactly 1..500, and each workflow's result is the number
 * stored for its case — including the attempts that committed a number and died, or failed,
 * before reporting it.
 *
 * Temporal is the suite's (test/engine/harness.ts): the embedded engine, or the cluster at
 * TEMPORAL_ADDRESS, which the worker process reaches with the same settings.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import type { DataSource } from 'typeorm';
import type { AssignedCertificationNumber } from '../../activities/numbering';
import { startProcess, stopProcess, type Managed } from '../../scripts/lib/supervisor';
import { killWhenIssued, numbersIssued } from '../support/killWhenIssued';
import { installQuietRuntime, ROOT, testEnv } from '../engine/harness';
import { freshDatabase, type FreshDatabase } from '../support/database';
import { seedTestOrg } from '../support/identityApp';
import type { sealForNumbering } from './workflows';

const CASES = Number(process.env.NUMBERING_CRASH_CASES ?? 500);
/** Kill the worker once this many numbers exist (fractions of CASES: ~100 and ~300 of 500). */
const KILL_AT = [Math.round(CASES * 0.2), Math.round(CASES * 0.6)];
/** Cases whose run that takes the number fails right after committing it. */
const failsOnce = (i: number) => i % 25 === 7;
const SEALED_AT = '2026-11-23T02:00:00.000Z';
const TSX = `file://${ROOT}/node_modules/tsx/dist/loader.mjs`;
const debug = process.env.NUMBERING_CRASH_DEBUG === '1';


describe('numbering: exactly once across worker crashes (real Temporal, worker in a child process)', function () {
  this.timeout(180_000);
  let database: FreshDatabase;
  let db: DataSource;
  let unitId: string;
  let bundlePath: string | undefined;
  const workers: Managed[] = [];
  const taskQueue = `numbering-${process.pid}-${Date.now().toString(36)}`;

  before(async () => {
    installQuietRuntime();
    database = await freshDatabase();
    db = database.db;
    unitId = (await seedTestOrg(db)).communeA;
    // Test-only bookkeeping the worker fills in; the numbering tables themselves are untouched.
    await db.query(`
      create table numbering_attempts (case_code text not null, attempt int not null, found_existing boolean not null, seq int not null, pid int not null);
      create table numbering_fail_once (case_code text primary key);`);
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('./workflows'), logger: new DefaultLogger('ERROR') });
    fs.mkdirSync(path.join(ROOT, '.data'), { recursive: true });
    bundlePath = path.join(ROOT, '.data', `numbering-bundle-${process.pid}.js`);
    fs.writeFileSync(bundlePath, bundle.code);
  });

  after(async () => {
    for (const w of workers) await stopProcess(w, 3000);
    if (bundlePath) fs.rmSync(bundlePath, { force: true });
    await database?.close();
  });

  function startWorker(address: string, namespace: string): Managed {
    const worker = startProcess(
      'worker',
      process.execPath,
      ['--import', TSX, path.join(__dirname, 'worker.ts')],
      { ...process.env, TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace, DATABASE_URL: database.url, TASK_QUEUE: taskQueue, WORKFLOW_BUNDLE: bundlePath! },
      { quiet: !debug },
    );
    workers.push(worker);
    return worker;
  }

  const issued = () => numbersIssued(db);

  it(`issues 1..${CASES} exactly once to ${CASES} seal workflows while their worker is killed twice`, async () => {
    const env = await testEnv();
    const namespace = env.client.options.namespace;
    // A plain client: waiting for results must not let a time-skipping engine jump over the activity timeouts.
    const client = new Client({ connection: env.connection, namespace });
    const cases = Array.from({ length: CASES }, (_, i) => `HS-${taskQueue}-${String(i).padStart(4, '0')}`);
    await db.query('insert into numbering_fail_once (case_code) select unnest($1::text[])', [cases.filter((_, i) => failsOnce(i))]);

    const started = Date.now();
    let worker = startWorker(env.address, namespace);
    const handles: Array<WorkflowHandle<typeof sealForNumbering>> = await Promise.all(
      cases.map((caseCode) =>
        client.workflow.start<typeof sealForNumbering>('sealForNumbering', {
          args: [{ caseCode, unitId, sealedAt: SEALED_AT }],
          taskQueue,
          workflowId: `seal-${caseCode}`,
          workflowTaskTimeout: '2 seconds',
        }),
      ),
    );

    const killedAt: number[] = [];
    for (const count of KILL_AT) {
      killedAt.push(await killWhenIssued(db, worker, count, Date.now() + 60_000));
      worker = startWorker(env.address, namespace);
    }
    const results: AssignedCertificationNumber[] = await Promise.all(handles.map((h) => h.result()));
    const elapsed = Date.now() - started;

    // The kills happened while numbers were being issued, not before or after.
    killedAt.forEach((n, i) => expect(n, `kill ${i + 1}`).to.be.within(KILL_AT[i], CASES - 1));

    const stored: Array<{ case_code: string; seq: number; number: string; year: number; book: string }> = await db.query(
      'select case_code, seq, number, year, book from certification_numbers where unit_id = $1 order by seq',
      [unitId],
    );
    expect(stored.map((r) => r.seq), 'gap-free and unique').to.deep.equal(Array.from({ length: CASES }, (_, i) => i + 1));
    expect(new Set(stored.map((r) => r.case_code))).to.deep.equal(new Set(cases));
    expect(await issued(), 'nothing issued elsewhere').to.equal(CASES);
    const book: Array<{ next_seq: number }> = await db.query('select next_seq from certification_books where unit_id = $1', [unitId]);
    expect(book).to.deep.equal([{ next_seq: CASES + 1 }]);

    const byCase = new Map(stored.map((r) => [r.case_code, r]));
    cases.forEach((caseCode, i) => {
      const row = byCase.get(caseCode)!;
      expect(results[i], caseCode).to.include({ seq: row.seq, number: row.number, year: 2026, book: 'SCTĐT/BS' });
      expect(row.number).to.equal(`${row.seq}/2026-SCTĐT/BS`);
    });

    // Runs that found their case already numbered: after a failure that came after the commit,
    // and after a kill between commit and report. Each returned the stored number.
    const reruns: Array<{ case_code: string; seq: number; attempt: number }> = await db.query(
      'select case_code, seq, attempt from numbering_attempts where found_existing order by case_code, attempt',
    );
    for (const r of reruns) expect(r.seq, r.case_code).to.equal(byCase.get(r.case_code)!.seq);
    const failOnceCases = cases.filter((_, i) => failsOnce(i));
    const rerunCases = new Set(reruns.map((r) => r.case_code));
    expect(failOnceCases.filter((c) => !rerunCases.has(c)), 'every case failing after its commit ran again and got its number back').to.deep.equal([]);
    const failOnce = new Set(failOnceCases);
    const afterKill = reruns.filter((r) => !failOnce.has(r.case_code));
    expect(afterKill.length, 'some numbers were committed by a killed worker and picked up by the next one').to.be.greaterThan(0);

    const attempts: Array<{ total: string; pids: string }> = await db.query('select count(*) as total, count(distinct pid) as pids from numbering_attempts');
    console.log(
      `      numbering crash test: ${CASES} workflows in ${(elapsed / 1000).toFixed(1)} s, worker killed at ${killedAt.join(' and ')} numbers, ` +
        `${attempts[0].total} recorded attempts on ${attempts[0].pids} workers, ${reruns.length} runs found their number already issued ` +
        `(${afterKill.length} after a kill, ${reruns.length - afterKill.length} after a failure)`,
    );
  });
});
