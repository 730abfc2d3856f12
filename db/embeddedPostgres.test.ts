import { expect } from 'chai';
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Client } from 'pg';
import { dataRoot, resolveDatabase } from './databaseUrl';
import { reclaimDataDir, serverProcesses, startEmbeddedPostgres, type EmbeddedPostgres } from './embeddedPostgres';

const base = path.join(dataRoot(), `test-embedded-${process.pid}`);

async function query<T extends Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
}

function pidFileOwner(dataDir: string): number | undefined {
  try {
    return Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** Runs `body` (CommonJS, with `startEmbeddedPostgres`, `stopOnExit` and `dataDir` in scope) in a child Node process. */
function runChild(body: string, dataDir: string): { child: ChildProcess; started: Promise<{ pid: number; url: string }> } {
  const script = [
    "const { startEmbeddedPostgres, stopOnExit } = require('./db/embeddedPostgres.ts');",
    'const dataDir = process.env.PG_TEST_DIR;',
    'const ready = (pg) => process.stdout.write(JSON.stringify({ pid: pg.pid, url: pg.url }) + "\\n");',
    `(async () => { ${body} })().catch((e) => { console.error(e); process.exit(1); });`,
  ].join('\n');
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    cwd: path.resolve(__dirname, '..'),
    env: { ...process.env, PG_TEST_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started = new Promise<{ pid: number; url: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('\n')) resolve(JSON.parse(out.split('\n')[0]));
    });
    child.on('exit', (code, sig) => reject(new Error(`child exited (${sig ?? code}) before starting PostgreSQL`)));
  });
  return { child, started };
}

const exited = (child: ChildProcess) =>
  new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });

async function eventually(pred: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

describe('embedded PostgreSQL', function () {
  this.timeout(30000);

  const dataDir = path.join(base, 'pg');
  const handles: EmbeddedPostgres[] = [];
  const children: ChildProcess[] = [];
  const track = (pg: EmbeddedPostgres) => (handles.push(pg), pg);

  before(async () => {
    // Directories of earlier runs of this file that were killed (their pid is gone).
    for (const entry of fs.existsSync(dataRoot()) ? fs.readdirSync(dataRoot()) : []) {
      const m = /^test-embedded-(\d+)$/.exec(entry);
      if (!m || Number(m[1]) === process.pid || alive(Number(m[1]))) continue;
      const old = path.join(dataRoot(), entry);
      for (const sub of fs.readdirSync(old)) await reclaimDataDir(path.join(old, sub), 5000).catch(() => undefined);
      fs.rmSync(old, { recursive: true, force: true });
    }
    fs.rmSync(base, { recursive: true, force: true });
  });

  after(async () => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.all(handles.map((h) => h.stop()));
    expect(serverProcesses(dataDir), 'server processes left running').to.deep.equal([]);
    fs.rmSync(base, { recursive: true, force: true });
  });

  it('initialises a fresh cluster, creates the database and answers select 1', async () => {
    const pg = track(await startEmbeddedPostgres({ dataDir, database: 'app', fresh: true, noSync: true }));
    expect(pg.initialised).to.equal(true);
    expect(pg.running).to.equal(true);
    expect(pg.url).to.equal(`postgres://postgres:postgres@127.0.0.1:${pg.port}/app`);
    const [row] = await query<{ one: number; db: string; enc: string; dir: string }>(
      pg.url,
      "select 1 as one, current_database() as db, current_setting('server_encoding') as enc, current_setting('data_directory') as dir",
    );
    expect(row).to.deep.equal({ one: 1, db: 'app', enc: 'UTF8', dir: fs.realpathSync(dataDir) });
    expect(pidFileOwner(dataDir)).to.equal(pg.pid);
    expect(serverProcesses(dataDir)).to.include(pg.pid);
    if (process.getuid?.() === 0) {
      expect(fs.statSync(dataDir).uid, 'data directory owned by the postgres user').to.not.equal(0);
    }
    // Server output goes to a file beside the data directory, not to our stdout.
    expect(pg.logFile).to.equal(`${dataDir}.log`);
    expect(fs.readFileSync(pg.logFile!, 'utf8')).to.contain('database system is ready to accept connections');
  });

  it('stops cleanly and idempotently, and keeps the data for a new handle on the same directory', async () => {
    const first = handles[0];
    await query(first.url, 'create table kept (id int primary key, note text)');
    await query(first.url, "insert into kept values (1, 'Bản sao điện tử')");
    const oldPid = first.pid!;
    await Promise.all([first.stop(), first.stop()]);
    await first.stop();
    expect(first.running).to.equal(false);
    expect(first.pid).to.equal(undefined);
    expect(alive(oldPid)).to.equal(false);
    expect(serverProcesses(dataDir)).to.deep.equal([]);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid'))).to.equal(false);
    expect(fs.readFileSync(first.logFile!, 'utf8')).to.contain('received fast shutdown request');

    const second = track(await startEmbeddedPostgres({ dataDir, database: 'app', noSync: true }));
    expect(second.initialised, 'initdb skipped').to.equal(false);
    expect(await query(second.url, 'select id, note from kept')).to.deep.equal([{ id: 1, note: 'Bản sao điện tử' }]);
    await second.stop();
  });

  it('removes a stale postmaster.pid whose pid is dead or not a postgres of this directory', async () => {
    const pg = handles[1];
    const deadPid = spawnSync('true').pid!;
    // A live process that is not a postgres, run by the server's user: PostgreSQL itself would only see that the pid
    // exists and refuse to start. (It ignores a pid it may not signal, and its parent's, so neither root's nor ours.)
    const serverUid = fs.statSync(dataDir).uid;
    const other = spawn('sleep', ['30'], { stdio: 'ignore', uid: serverUid, gid: fs.statSync(dataDir).gid });
    children.push(other);
    for (const stalePid of [deadPid, other.pid!]) {
      fs.writeFileSync(path.join(dataDir, 'postmaster.pid'), `${stalePid}\n${dataDir}\n1700000000\n${pg.port}\n\n127.0.0.1\n  1234  5678\nready   \n`);
      await pg.start();
      expect(pidFileOwner(dataDir)).to.equal(pg.pid);
      expect(await query(pg.url, 'select count(*)::int as n from kept')).to.deep.equal([{ n: 1 }]);
      await pg.stop();
    }
    expect(alive(other.pid!), 'the unrelated process is left alone').to.equal(true);
    other.kill('SIGKILL');
  });

  it('refuses a directory that is not empty and not a cluster', async () => {
    const junk = path.join(base, 'junk');
    fs.mkdirSync(junk, { recursive: true });
    fs.writeFileSync(path.join(junk, 'notes.txt'), 'keep me');
    let error: Error | undefined;
    await startEmbeddedPostgres({ dataDir: junk }).catch((e: Error) => (error = e));
    expect(error?.message).to.match(/not a PostgreSQL data directory/);
    expect(fs.readFileSync(path.join(junk, 'notes.txt'), 'utf8')).to.equal('keep me');
  });

  it('recovers after kill(SIGKILL) under load: same port, every acknowledged commit kept', async () => {
    const pg = handles[1];
    await pg.start();
    const port = pg.port;
    await query(pg.url, 'create table load (id int primary key)');
    const acknowledged: number[] = [];
    const clients = await Promise.all(
      [0, 1, 2, 3].map(async () => {
        const c = new Client({ connectionString: pg.url });
        c.on('error', () => undefined);
        await c.connect();
        return c;
      }),
    );
    let next = 0;
    const writers = clients.map(async (c) => {
      for (;;) {
        const id = next++;
        try {
          await c.query('insert into load values ($1)', [id]);
          acknowledged.push(id);
        } catch {
          return;
        }
      }
    });
    while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 5));
    const oldPid = pg.pid!;
    await pg.kill('SIGKILL');
    await Promise.all(writers);
    await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
    expect(alive(oldPid)).to.equal(false);
    expect(serverProcesses(dataDir), 'no orphaned backend survives').to.deep.equal([]);
    expect(pg.running).to.equal(false);

    await pg.start();
    expect(pg.port).to.equal(port);
    expect(pg.pid).to.not.equal(oldPid);
    const rows = await query<{ id: number }>(pg.url, 'select id from load');
    const stored = new Set(rows.map((r) => r.id));
    expect(acknowledged.filter((id) => !stored.has(id)), 'acknowledged but lost').to.deep.equal([]);
    expect(fs.readFileSync(pg.logFile!, 'utf8')).to.contain('database system was interrupted');
    await pg.stop();
  });

  it('refuses a cluster owned by a live process, and takes over one orphaned by a killed process', async () => {
    const run = runChild("ready(await startEmbeddedPostgres({ dataDir, database: 'app', noSync: true })); setInterval(() => undefined, 1000);", dataDir);
    const child = run.child;
    children.push(child);
    const started = await run.started;
    expect(await query(started.url, 'select count(*)::int as n from kept')).to.deep.equal([{ n: 1 }]);

    let error: Error | undefined;
    await startEmbeddedPostgres({ dataDir, noSync: true }).catch((e: Error) => (error = e));
    expect(error?.message).to.match(new RegExp(`in use: pid ${started.pid}, started by the running process ${child.pid}`));
    expect(alive(started.pid), 'the owner keeps its server').to.equal(true);

    child.kill('SIGKILL');
    await exited(child);
    expect(alive(started.pid), 'server orphaned by the killed process').to.equal(true);

    const lines: string[] = [];
    const pg = track(await startEmbeddedPostgres({ dataDir, database: 'app', noSync: true, log: (l) => lines.push(l) }));
    expect(alive(started.pid)).to.equal(false);
    expect(pg.pid).to.not.equal(started.pid);
    expect(lines.join('\n')).to.contain(`stopping orphaned PostgreSQL (pid ${started.pid})`);
    expect(await query(pg.url, 'select count(*)::int as n from kept')).to.deep.equal([{ n: 1 }]);
  });

  it('stopOnExit: a clean stop on SIGTERM (then the signal ends the process), a shutdown request on exit', async () => {
    await Promise.all(handles.map((h) => h.stop()));

    const onSignal = runChild("const pg = await startEmbeddedPostgres({ dataDir, noSync: true }); stopOnExit(pg); ready(pg); process.kill(process.pid, 'SIGTERM'); setInterval(() => undefined, 1000);", dataDir);
    children.push(onSignal.child);
    const first = await onSignal.started;
    expect(await exited(onSignal.child)).to.deep.equal({ code: null, signal: 'SIGTERM' });
    expect(alive(first.pid)).to.equal(false);
    expect(serverProcesses(dataDir)).to.deep.equal([]);
    expect(fs.existsSync(path.join(dataDir, 'postmaster.pid')), 'shut down cleanly').to.equal(false);

    const onExit = runChild('const pg = await startEmbeddedPostgres({ dataDir, noSync: true }); stopOnExit(pg); ready(pg); setTimeout(() => process.exit(3), 50);', dataDir);
    children.push(onExit.child);
    const second = await onExit.started;
    expect(await exited(onExit.child)).to.deep.equal({ code: 3, signal: null });
    expect(await eventually(() => !alive(second.pid), 10000), 'server shuts itself down').to.equal(true);
    expect(await eventually(() => !fs.existsSync(path.join(dataDir, 'postmaster.pid')), 2000), 'shut down cleanly').to.equal(true);
    expect(serverProcesses(dataDir)).to.deep.equal([]);
  });

  describe('resolveDatabase', () => {
    it('test purpose without DATABASE_URL: a fresh embedded cluster, wiped by drop()', async () => {
      const db = await resolveDatabase({ purpose: 'test', env: {} });
      const dir = db.embedded!.dataDir;
      expect(db.source).to.equal('embedded');
      // The process's first test cluster, or a later one when a test before this one took the first.
      expect(path.dirname(dir)).to.equal(dataRoot());
      expect(path.basename(dir)).to.match(new RegExp(`^test-pg-${process.pid}(-\\d+)?$`));
      expect(await query(db.url, 'select current_database() as db')).to.deep.equal([{ db: db.database }]);
      await db.drop();
      await db.drop();
      expect(fs.existsSync(dir)).to.equal(false);
      expect(serverProcesses(dir)).to.deep.equal([]);
    });

    it('test purpose with DATABASE_URL: a uniquely named database on that server, dropped by drop()', async () => {
      const server = handles[handles.length - 1];
      await server.start();
      const [a, b] = await Promise.all([
        resolveDatabase({ purpose: 'test', env: { DATABASE_URL: server.adminUrl } }),
        resolveDatabase({ purpose: 'test', env: { DATABASE_URL: server.adminUrl } }),
      ]);
      expect(a.source).to.equal('env');
      expect(a.database).to.not.equal(b.database);
      expect(await query(a.url, 'select current_database() as db')).to.deep.equal([{ db: a.database }]);
      const held = new Client({ connectionString: b.url }); // an open connection does not block the drop
      held.on('error', () => undefined);
      await held.connect();
      await Promise.all([a.drop(), b.drop()]);
      await held.end().catch(() => undefined);
      const left = await query(server.adminUrl, 'select datname from pg_database where datname = any($1)', [[a.database, b.database]]);
      expect(left).to.deep.equal([]);
    });

    it('run purpose with DATABASE_URL: that URL as is', async () => {
      const db = await resolveDatabase({ purpose: 'run', env: { DATABASE_URL: 'postgres://u:p@db.example:5432/app' } });
      expect(db).to.include({ url: 'postgres://u:p@db.example:5432/app', source: 'env' });
      await db.stop();
    });
  });
});
