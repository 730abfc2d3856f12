/**
 * The whole system started the README's way — `npm start` (scripts/run.ts) in a fresh data
 * directory on free ports, with the demo data seeded quietly and OTP off so scripted officers can
 * log in with their password — for the commands that drive it from outside (crash test, case
 * benchmark), and stopped the way a person stops it (Ctrl-C).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findFreePort } from '../../db/embeddedPostgres';

const ROOT = path.resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface System {
  child: ChildProcess;
  dataDir: string;
  api: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** `name` names the data directory and the log under `.data/`; `extraEnv` adds settings (e.g. the worker's). */
export async function startSystem(name: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<System> {
  const dataDir = path.join(ROOT, '.data', `${name}-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  const [port, enginePort, smtpPort] = [await findFreePort(), await findFreePort(), await findFreePort()];
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    FILES_DIR: path.join(dataDir, 'files'),
    PORT: String(port),
    ENGINE_PORT: String(enginePort),
    LOCAL_SMTP_PORT: String(smtpPort),
    PUBLIC_BASE_URL: 'https://motcua.example.vn',
    OTP_REQUIRED: 'false',
    DEMO_SEED: 'quiet',
    ...extraEnv,
  };
  for (const key of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'EMBEDDED_PG_PORT', 'APP_DATABASE_URL']) delete env[key];
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/run.ts')], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  fs.mkdirSync(path.join(ROOT, '.data'), { recursive: true });
  const log = fs.createWriteStream(path.join(ROOT, '.data', `${name}-${process.pid}.log`));
  let output = '';
  const take = (d: Buffer) => {
    output += d.toString();
    if (output.length > 2_000_000) output = output.slice(-1_000_000);
    log.write(d);
    // The supervisor's own lines tell the story of the run.
    for (const line of d.toString().split('\n')) if (/^\[run\] .*(ended unexpectedly|running again|did not start|ready)/.test(line)) console.log(`  ${line}`);
  };
  child.stdout!.on('data', take);
  child.stderr!.on('data', take);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 240_000;
  while (!output.includes('[run] ready')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`npm start did not become ready:\n${output.slice(-4000)}`);
    await sleep(250);
  }
  return { child, dataDir, api: `http://127.0.0.1:${port}`, output: () => output, exited };
}

/** Ctrl-C of `npm start`: everything stops in order; 0 when it did cleanly. */
export async function stopSystem(sys: System): Promise<number | null | 'timeout'> {
  sys.child.kill('SIGINT');
  const code = await Promise.race([sys.exited, sleep(90_000).then(() => 'timeout' as const)]);
  if (code !== 0) {
    console.error(`npm start did not stop cleanly (${code})`);
    sys.child.kill('SIGKILL');
  }
  return code;
}

/** Runs `fn` on each index with at most `width` at once. */
export async function inParallel(indexes: number[], width: number, fn: (i: number) => Promise<void>): Promise<void> {
  const queue = [...indexes];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let i = queue.shift(); i !== undefined; i = queue.shift()) await fn(i);
    }),
  );
}

/** The i-th citizen a scripted run receives a case for: distinct ID number, phone and e-mail per case. */
export function scriptedCitizen(i: number) {
  const n = String(i).padStart(6, '0');
  return { fullName: `Công dân Thử ${i}`, citizenId: `012090${n}`, birthDate: '1990-01-15', phone: `0987${n}`, email: `cong-dan-${i}@example.vn` };
}
