/**
 * `npm run bench:scale`: a province's three years of data in its own embedded PostgreSQL — the
 * cases' read model with steps, events, certification numbers and fee receipts, five audit rows
 * per case on a valid hash chain, and one closed engine history per case — filled by set SQL,
 * then what users do, timed through the product's own query functions against that database.
 * Each figure is printed against its target; the exit code is 1 when a correctness check fails
 * (a count that does not match the fill, a broken audit chain), never because a target is missed.
 *
 *   BENCH_SCALE_CASES      certification cases (default 1,000,000; audit rows 5×, histories 1×)
 *   BENCH_SCALE_DIR        data directory of the benchmark's PostgreSQL (default /tmp/chung-thuc-bench-scale)
 *   BENCH_SCALE_WORKFLOWS  workflows per round of the engine's rate (default 600)
 *   BENCH_SCALE_PURGE      expired closed runs the retention sweep purges during a round of workflows (default 20,000)
 *   BENCH_SCALE_REPEAT     timed runs of each user action (default 5; the median is reported)
 *   BENCH_SCALE_ONLY       comma-separated parts to run: queries, audit, engine (default all)
 *   BENCH_SCALE_EXPLAIN    a file to write every user action's statements to, each with the plan
 *                          PostgreSQL ran it with (EXPLAIN (ANALYZE, BUFFERS))
 *
 * A filled database is kept and reused when it holds the requested size.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import { startEmbeddedPostgres } from '../db/embeddedPostgres';
import { openDatabase } from '../db/dataSource';
import { ENGINE_SCHEMA, migrateEngineSchema } from '../engine/store/postgresSchema';
import { fillAudit } from './scale/fillAudit';
import { fillReadModel } from './scale/fillReadModel';
import { bundleBenchWorkflows, engineRate, fillEngine, purgeWhileWorking } from './scale/engineScale';
import { listAndReplay, type MemoryCourse } from './scale/replayScale';
import { SPAN_DAYS } from './scale/fillReadModel';
import { measureQueries, type Measured } from './scale/userActions';
import { printTable } from './stats';

const CASES = Number(process.env.BENCH_SCALE_CASES ?? 1_000_000);
const AUDIT_ROWS = CASES * 5;
const HISTORIES = CASES;
const DIR = process.env.BENCH_SCALE_DIR ?? '/tmp/chung-thuc-bench-scale';
const WORKFLOWS = Number(process.env.BENCH_SCALE_WORKFLOWS ?? 600);
/** Expired closed runs the retention sweep purges while workflows run. */
const PURGE = Number(process.env.BENCH_SCALE_PURGE ?? 20_000);
const REPEAT = Number(process.env.BENCH_SCALE_REPEAT ?? 5);
const EXPLAIN = process.env.BENCH_SCALE_EXPLAIN;
/** The newest closed histories replayed as `npm run audit:replay` does. */
const REPLAY = Number(process.env.BENCH_SCALE_REPLAY ?? 20_000);
const ONLY = new Set((process.env.BENCH_SCALE_ONLY ?? 'queries,audit,engine,replay').split(',').map((s) => s.trim()));

const log = (s: string) => process.stderr.write(`${s}\n`);

interface FillMark {
  cases: number;
  audit_rows: number;
  histories: number;
  filled_at: Date;
}

async function fillMark(db: DataSource): Promise<FillMark | undefined> {
  const rows: FillMark[] = await db.query(`select cases, audit_rows, histories, filled_at from bench_scale_fill where complete`).catch(() => []);
  return rows[0];
}

/** Does the database already hold a complete fill of the requested size? */
const sameSize = (m: FillMark | undefined) => m !== undefined && m.cases === CASES && m.audit_rows === AUDIT_ROWS && m.histories === HISTORIES;

async function fill(db: DataSource, url: string, bundlePath: string): Promise<Date> {
  // Whole minutes: the clock of every measurement is this instant, so reruns see the same data.
  const now = new Date(Math.floor(Date.now() / 60_000) * 60_000);
  log(`filling ${CASES} cases, ${AUDIT_ROWS} audit rows, ${HISTORIES} engine histories (ending ${now.toISOString()})`);
  const t0 = Date.now();
  await db.query('create table bench_scale_fill (cases int not null, audit_rows int not null, histories int not null, filled_at timestamptz not null, complete boolean not null)');
  await db.query('insert into bench_scale_fill values ($1, $2, $3, $4, false)', [CASES, AUDIT_ROWS, HISTORIES, now]);
  await fillReadModel(db, CASES, now, log);
  log(`read model filled: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await fillAudit(db, AUDIT_ROWS, now, log);
  log(`audit trail filled: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await fillEngine(url, bundlePath, HISTORIES, now, log);
  log(`engine histories filled: ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  await db.query('vacuum analyze');
  await db.query('update bench_scale_fill set complete = true');
  log(`filled in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return now;
}

/** `npm run audit:verify` as an operator runs it, against the filled database. */
async function auditVerify(url: string): Promise<{ ok: boolean; rowsPerSecond: number; seconds: number; output: string }> {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'scripts', 'auditVerify.ts')], {
    env: { ...process.env, DATABASE_URL: url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  // The progress bar passes through as it is drawn.
  child.stderr.on('data', (d: Buffer) => process.stderr.write(d));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  const seconds = (Date.now() - started) / 1000;
  const rate = /\((\d+) entries\/s\)/.exec(out);
  const entries = /(\d+) entries read/.exec(out);
  const ok = code === 0 && out.includes('audit chain intact') && Number(entries?.[1]) === AUDIT_ROWS;
  return { ok, rowsPerSecond: Number(rate?.[1] ?? 0), seconds, output: out.trim() };
}

async function main(): Promise<number> {
  fs.mkdirSync(DIR, { recursive: true });
  const pg = await startEmbeddedPostgres({ dataDir: path.join(DIR, 'pgdata'), database: 'scale', settings: { max_wal_size: '4GB', maintenance_work_mem: '512MB' } });
  const failures: string[] = [];
  const rows: Array<Array<string | number>> = [];
  const report = (m: Measured) => {
    rows.push([m.action, m.detail, m.medianMs.toFixed(1), m.maxMs.toFixed(1), m.target, m.met ? 'yes' : 'NO']);
    if (m.failure) failures.push(`${m.action}: ${m.failure}`);
  };
  let bundlePath: string | undefined;
  try {
    bundlePath = await bundleBenchWorkflows(DIR);
    let db = await openDatabase(pg.url, 4);
    const mark = await fillMark(db);
    let now: Date;
    if (sameSize(mark)) {
      log(`reusing the filled database in ${DIR} (${CASES} cases, filled ${mark!.filled_at.toISOString()})`);
      now = mark!.filled_at;
    } else {
      const used: unknown[] = await db.query('select 1 from certification_cases limit 1');
      if (used.length > 0) {
        log('the database holds another size or an unfinished fill: starting from an empty one');
        await db.destroy();
        await pg.stop();
        fs.rmSync(path.join(DIR, 'pgdata'), { recursive: true, force: true });
        await pg.start();
        db = await openDatabase(pg.url, 4);
      }
      const pool = new Pool({ connectionString: pg.url, max: 1 });
  pool.on('error', () => undefined);
      await migrateEngineSchema(pool).finally(() => pool.end());
      now = await fill(db, pg.url, bundlePath);
    }
    const sizes: Array<{ relation: string; size: string }> = await db.query(
      `select relname as relation, pg_size_pretty(pg_total_relation_size(c.oid)) as size from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where relkind = 'r' and nspname in ('public', $1) order by pg_total_relation_size(c.oid) desc limit 8`,
      [ENGINE_SCHEMA],
    );
    log(`largest tables: ${sizes.map((s) => `${s.relation} ${s.size}`).join(', ')}`);

    if (EXPLAIN) fs.writeFileSync(EXPLAIN, `# Plans at ${CASES} cases\n\n`);
    const explainTo = EXPLAIN ? (text: string) => fs.appendFileSync(EXPLAIN, `${text}\n`) : undefined;
    if (ONLY.has('queries')) for (const m of await measureQueries(db, now, CASES, REPEAT, log, explainTo)) report(m);
    await db.destroy();

    if (ONLY.has('audit')) {
      const v = await auditVerify(pg.url);
      const target = 200_000;
      rows.push(['audit:verify', `${AUDIT_ROWS} rows, ${v.seconds.toFixed(1)} s`, `${v.rowsPerSecond} rows/s`, '', `≥ ${target} rows/s`, v.rowsPerSecond >= target ? 'yes' : 'NO']);
      if (!v.ok) failures.push(`audit:verify did not find the ${AUDIT_ROWS} filled rows intact: ${v.output}`);
    }

    if (ONLY.has('engine')) {
      // The same PostgreSQL, a database with the empty store beside the filled one; rounds
      // alternate so a drift of the shared machine touches both alike.
      const admin = new Pool({ connectionString: pg.adminUrl, max: 1 });
  admin.on('error', () => undefined);
      await admin.query('drop database if exists scale_empty');
      await admin.query('create database scale_empty');
      await admin.end();
      const emptyUrl = pg.url.replace(/\/scale$/, '/scale_empty');
      const empty: number[] = [];
      const full: number[] = [];
      await engineRate(emptyUrl, bundlePath, Math.min(200, WORKFLOWS), 50);
      for (let round = 0; round < 2; round++) {
        empty.push((await engineRate(emptyUrl, bundlePath, WORKFLOWS, 50)).perSecond);
        full.push((await engineRate(pg.url, bundlePath, WORKFLOWS, 50)).perSecond);
      }
      const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
      const purge = await purgeWhileWorking(pg.adminUrl, pg.url.replace(/\/scale$/, '/scale_purge'), bundlePath, PURGE, WORKFLOWS, log);
      const ratio = mean(full) / mean(empty);
      rows.push(['engine, empty store', `${WORKFLOWS} one-activity workflows ×2, 50 in flight`, `${mean(empty).toFixed(1)} wf/s`, '', '', '']);
      rows.push(['engine, filled store', `${HISTORIES} closed histories`, `${mean(full).toFixed(1)} wf/s`, '', '≥ 80% of empty', ratio >= 0.8 ? `yes (${(ratio * 100).toFixed(0)}%)` : `NO (${(ratio * 100).toFixed(0)}%)`]);
      const purgeRatio = purge.rate.perSecond / mean(empty);
      rows.push([
        'engine while purging',
        `${purge.expired} expired runs, ${purge.purgedDuringRound} purged during the round, all in ${purge.purgeSeconds.toFixed(0)} s`,
        `${purge.rate.perSecond.toFixed(1)} wf/s`,
        '',
        '(for information)',
        `${(purgeRatio * 100).toFixed(0)}% of empty`,
      ]);
      if (purge.left > 0) failures.push(`retention: ${purge.left} of ${purge.expired} expired runs still stored after the sweep`);
    }

    if (ONLY.has('replay')) {
      const span = SPAN_DAYS * 86_400_000;
      const all = { from: new Date(now.getTime() - span - 86_400_000), to: new Date(now.getTime() + 86_400_000) };
      const newest = { from: new Date(now.getTime() - (REPLAY * span) / HISTORIES), to: all.to };
      const r = await listAndReplay(pg.url, bundlePath, 'oneActivity', all, newest, HISTORIES, log);
      // Bounded: the second half of the work adds (almost) nothing to the peak the first half reached, once the heap has grown to its working size.
      const plateau = (m: MemoryCourse) => (m.atEndMb <= m.atHalfMb * 1.1 ? 'yes' : 'NO');
      const mem = (m: MemoryCourse) => `peak RSS ${m.atTenthMb} MB at a tenth, ${m.atHalfMb} MB at half, ${m.atEndMb} MB at the end`;
      rows.push(['count closed histories', `${r.counted} counted`, (r.countSeconds * 1000).toFixed(0), '', '(for information)', '']);
      rows.push(['list closed histories', `${r.listed} in pages of 1000, ${r.listSeconds.toFixed(1)} s; ${mem(r.listMemory)}`, `${Math.round(r.listed / r.listSeconds)} /s`, '', 'bounded memory', plateau(r.listMemory)]);
      rows.push(['bulk replay', `${r.replayed} newest histories, ${r.replaySeconds.toFixed(1)} s; ${mem(r.replayMemory)}`, `${Math.round(r.replayed / r.replaySeconds)} /s`, '', 'bounded memory', plateau(r.replayMemory)]);
      // The filled copies, and the runs the engine rounds of earlier benchmark runs left closed.
      if (r.counted !== r.listed || r.listed < HISTORIES) failures.push(`listing: ${r.counted} counted and ${r.listed} listed, of at least ${HISTORIES} closed histories`);
      if (r.deterministic !== r.replayed || r.replayed < REPLAY * 0.9) failures.push(`bulk replay: ${r.deterministic} of ${r.replayed} deterministic (about ${REPLAY} expected)`);
    }
  } finally {
    await pg.stop();
    if (bundlePath) fs.rmSync(bundlePath, { force: true });
  }
  printTable(`Years of data: ${CASES} cases, ${AUDIT_ROWS} audit rows, ${HISTORIES} engine histories (median of ${REPEAT} runs)`, ['action', 'what', 'median ms', 'max ms', 'target', 'met'], rows);
  for (const f of failures) console.error(`CHECK FAILED: ${f}`);
  return failures.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(2);
  },
);
