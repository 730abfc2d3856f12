/**
 * While `npm start` runs, `<DATA_DIR>/system.json` says where its parts are — the database, the
 * Temporal engine and its namespace, the processes' ids — so companion commands (demo,
 * check:read-model, audit:verify, audit:replay) find the running system without being told.
 * Precedence for every setting: the environment, then this file, then the defaults.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { dataRoot } from '../../db/databaseUrl';

export interface SystemInfo {
  /** The supervisor's (`npm start`'s) process id. */
  pid?: number;
  /** The owner's URL (migrations, companions). */
  databaseUrl?: string;
  /** Where Temporal is, as the API and worker were told. */
  temporal?: { address: string; namespace: string; embedded: boolean };
  /** Current process ids of the supervised parts (postgres, engine, worker, api), updated on every restart. */
  processes?: Record<string, number | undefined>;
  /** The API's base URL. */
  apiUrl?: string;
}

export function systemFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(dataRoot(env), 'system.json');
}

/** What the running (or last) `npm start` recorded; undefined when it never ran here. */
export function readSystemFile(env: NodeJS.ProcessEnv = process.env): SystemInfo | undefined {
  const file = systemFilePath(env);
  if (!fs.existsSync(file)) return undefined;
  return JSON.parse(fs.readFileSync(file, 'utf8')) as SystemInfo;
}

/** Written whole to a temporary file and renamed, so a reader never sees half of it. */
export function writeSystemFile(info: SystemInfo, env: NodeJS.ProcessEnv = process.env): void {
  const file = systemFilePath(env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2), { mode: 0o600 });
  fs.renameSync(tmp, file);
}

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The recorded system when its supervisor is still running. */
export function runningSystem(env: NodeJS.ProcessEnv = process.env): SystemInfo | undefined {
  const info = readSystemFile(env);
  return info && alive(info.pid) ? info : undefined;
}

/** DATABASE_URL, else the database `npm start` recorded. */
export function companionDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.DATABASE_URL || readSystemFile(env)?.databaseUrl;
}

/**
 * The environment a companion command connects with: the caller's own settings first
 * (TEMPORAL_ADDRESS or ENGINE_PORT, TEMPORAL_NAMESPACE), else the running system's engine and
 * namespace; with neither, unchanged (the defaults apply). TLS settings are never recorded: a
 * cluster that needs them needs them in the caller's environment.
 */
export function companionEnv(env: NodeJS.ProcessEnv = process.env, info: SystemInfo | undefined = runningSystem(env)): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { ...env };
  const t = info?.temporal;
  if (!t) return out;
  const ownAddress = Boolean(env.TEMPORAL_ADDRESS || env.ENGINE_PORT);
  if (!ownAddress) {
    if (t.embedded) out.ENGINE_PORT = t.address.slice(t.address.lastIndexOf(':') + 1);
    else out.TEMPORAL_ADDRESS = t.address;
    if (!env.TEMPORAL_NAMESPACE) out.TEMPORAL_NAMESPACE = t.namespace;
  }
  if (!env.DATABASE_URL && info.databaseUrl) out.DATABASE_URL = info.databaseUrl;
  return out;
}
