/**
 * Where the application's PostgreSQL is.
 *
 * - `DATABASE_URL` set: that server. For tests, a new uniquely named database
 *   is created on it (the URL's user must be allowed to CREATE DATABASE) and
 *   dropped by `drop()`.
 * - Otherwise an embedded PostgreSQL (see ./embeddedPostgres): for `run`, a
 *   persistent cluster in `<project>/.data/pg` (port from
 *   `EMBEDDED_PG_PORT`, else a free one); for `test`, a fresh cluster in
 *   `<project>/.data/test-pg-<pid>`, wiped by `drop()`/`stop()`. Test clusters
 *   left behind by killed test runs (their pid is gone) are removed first.
 */
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { Client } from 'pg';
import { reclaimDataDir, startEmbeddedPostgres, stopOnExit as registerStopOnExit, type EmbeddedPostgres } from './embeddedPostgres';

export type DatabasePurpose = 'run' | 'test';

export interface ResolveDatabaseOptions {
  purpose: DatabasePurpose;
  /** Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /** Messages of the embedded server (otherwise they go to its log file under .data/). */
  log?: (line: string) => void;
  /** Register `stopOnExit` for an embedded server. Default: true for tests, false for run (the application orders its own shutdown). */
  stopOnExit?: boolean;
}

export interface ResolvedDatabase {
  url: string;
  /** `env`: DATABASE_URL; `embedded`: a server started here. */
  source: 'env' | 'embedded';
  /** The embedded server, when one was started. */
  embedded?: EmbeddedPostgres;
  /** Release what was acquired: stop the embedded server; for tests also drop the database / wipe the cluster. Idempotent. */
  stop(): Promise<void>;
}

export interface TestDatabase extends ResolvedDatabase {
  /** Name of the database in `url`. */
  database: string;
  /** Drop the test database (DATABASE_URL) or stop and wipe the test cluster (embedded). Same as stop(). */
  drop(): Promise<void>;
}

/** Name of the application database in the embedded run cluster. */
export const RUN_DATABASE = 'chung_thuc';

/** The repository root: the nearest ancestor of this file with a package.json. */
export function projectRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(__dirname, '..');
    dir = parent;
  }
}

/** Where the system keeps its state: DATA_DIR, else `<project>/.data`. */
export function dataRoot(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATA_DIR ? path.resolve(env.DATA_DIR) : path.join(projectRoot(), '.data');
}

export function resolveDatabase(opts: { purpose: 'test' } & Omit<ResolveDatabaseOptions, 'purpose'>): Promise<TestDatabase>;
export function resolveDatabase(opts: ResolveDatabaseOptions): Promise<ResolvedDatabase>;
export async function resolveDatabase(opts: ResolveDatabaseOptions): Promise<ResolvedDatabase | TestDatabase> {
  const env = opts.env ?? process.env;
  const external = env.DATABASE_URL?.trim();
  if (external) {
    if (opts.purpose === 'run') return { url: external, source: 'env', stop: async () => undefined };
    return createTestDatabase(external);
  }
  return opts.purpose === 'run' ? startRunCluster(opts, env) : startTestCluster(opts);
}

function once(fn: () => Promise<void>): () => Promise<void> {
  let p: Promise<void> | undefined;
  return () => (p ??= fn());
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function uniqueName(): string {
  return `test_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

async function createTestDatabase(serverUrl: string): Promise<TestDatabase> {
  const database = uniqueName();
  await withClient(serverUrl, (c) => c.query(`create database ${c.escapeIdentifier(database)}`));
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  const drop = once(() => dropDatabase(serverUrl, database));
  return { url: url.toString(), source: 'env', database, drop, stop: drop };
}

export async function dropDatabase(serverUrl: string, database: string): Promise<void> {
  await withClient(serverUrl, async (c) => {
    const name = c.escapeIdentifier(database);
    try {
      await c.query(`drop database if exists ${name} with (force)`);
    } catch (err) {
      if ((err as { code?: string }).code !== '42601') throw err;
      // Before PostgreSQL 13: no WITH (FORCE).
      await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [database]);
      await c.query(`drop database if exists ${name}`);
    }
  });
}

async function startRunCluster(opts: ResolveDatabaseOptions, env: NodeJS.ProcessEnv): Promise<ResolvedDatabase> {
  const port = env.EMBEDDED_PG_PORT ? Number(env.EMBEDDED_PG_PORT) : undefined;
  if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
    throw new Error(`EMBEDDED_PG_PORT must be a TCP port, got ${env.EMBEDDED_PG_PORT}`);
  }
  // The port of the last run is kept: companions and connection strings written down keep working
  // after a restart of `npm start` (unless something else took the port meanwhile).
  const portFile = path.join(dataRoot(env), 'pg.port');
  const remembered = port ?? (await rememberedPort(portFile));
  const pg = await startEmbeddedPostgres({ dataDir: path.join(dataRoot(env), 'pg'), database: RUN_DATABASE, port: remembered, log: opts.log });
  fs.writeFileSync(portFile, `${pg.port}\n`);
  const unregister = opts.stopOnExit ? registerStopOnExit(pg) : () => undefined;
  return {
    url: pg.url,
    source: 'embedded',
    embedded: pg,
    stop: once(async () => {
      unregister();
      await pg.stop();
    }),
  };
}

/** The port recorded by the previous run, if it is free now. */
async function rememberedPort(file: string): Promise<number | undefined> {
  let port: number;
  try {
    port = Number(fs.readFileSync(file, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!(Number.isInteger(port) && port > 0 && port < 65536)) return undefined;
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? port : undefined;
}

let testClusters = 0;

async function startTestCluster(opts: ResolveDatabaseOptions): Promise<TestDatabase> {
  const root = dataRoot();
  await removeAbandonedTestClusters(root);
  testClusters += 1;
  const name = testClusters === 1 ? `test-pg-${process.pid}` : `test-pg-${process.pid}-${testClusters}`;
  const dataDir = path.join(root, name);
  const database = 'test';
  const pg = await startEmbeddedPostgres({ dataDir, database, fresh: true, noSync: true, log: opts.log });
  const unregister = opts.stopOnExit === false ? () => undefined : registerStopOnExit(pg);
  const drop = once(async () => {
    unregister();
    await pg.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (pg.logFile) fs.rmSync(pg.logFile, { force: true });
  });
  return { url: pg.url, source: 'embedded', embedded: pg, database, drop, stop: drop };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * `.data/test-pg-<pid>*` whose test process is gone: a server possibly still
 * running there is stopped, then the directory and its log are removed.
 */
async function removeAbandonedTestClusters(root: string): Promise<void> {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = /^test-pg-(\d+)(?:-\d+)?$/.exec(entry);
    if (!m || Number(m[1]) === process.pid || pidAlive(Number(m[1]))) continue;
    const dir = path.join(root, entry);
    // Stops a server still running there (orphaned when the test process was killed).
    await reclaimDataDir(dir, 5000).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    for (const suffix of ['.log', '.initdb-tmp', '.initdb-pw']) fs.rmSync(`${dir}${suffix}`, { recursive: true, force: true });
  }
}
