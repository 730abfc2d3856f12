/** Starts the system's processes, prefixes their output, and stops them in reverse order. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** The last lines the process printed (kept for diagnostics when it is quiet). */
  tail(): string;
}

const COLORS: Record<string, string> = { engine: '35', worker: '36', api: '32', postgres: '33' };

function prefixLines(name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream | undefined, keep: string[]): void {
  if (!stream) return;
  const tag = process.stdout.isTTY ? `\u001b[${COLORS[name] ?? '37'}m[${name}]\u001b[0m` : `[${name}]`;
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      keep.push(line);
      if (keep.length > 200) keep.shift();
      out?.write(`${tag} ${line}\n`);
    }
  });
  stream.on('end', () => buffered && out?.write(`${tag} ${buffered}\n`));
}

/** Starts a process; its output goes to ours with a prefix, or only to `tail()` when `quiet`. */
export function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv, options: { quiet?: boolean } = {}): Managed {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const keep: string[] = [];
  prefixLines(name, child.stdout, options.quiet ? undefined : process.stdout, keep);
  prefixLines(name, child.stderr, options.quiet ? undefined : process.stderr, keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, exited, tail: () => keep.join('\n') };
}

/** Kills the process with SIGKILL (a crash) and waits until it is gone. */
export async function crashProcess(p: Managed): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGKILL');
  await p.exited;
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`. */
export async function stopProcess(p: Managed, graceMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), graceMs);
  await p.exited;
  clearTimeout(timer);
}

/** Resolves once something accepts TCP connections on host:port, or rejects after `timeoutMs`. */
export async function waitForPort(host: string, port: number, timeoutMs: number, died?: Promise<unknown>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let dead = false;
  void died?.then(() => (dead = true));
  while (Date.now() < deadline) {
    if (dead) throw new Error(`the process that should listen on ${host}:${port} exited`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, host);
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
}

/** Polls an HTTP URL until it answers 200. */
export async function waitForHttpOk(url: string, timeoutMs: number): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      const body = await res.json();
      if (res.ok) return body;
      last = JSON.stringify(body);
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not become healthy: ${last}`);
}

/**
 * Restart delays: `initialMs`, doubling up to `maxMs`; a process that stayed up `stableMs` starts
 * again from `initialMs` (its last crash says nothing about the one before).
 */
export class Backoff {
  private nextMs: number;
  constructor(
    readonly initialMs = 500,
    readonly maxMs = 15_000,
    readonly stableMs = 60_000,
  ) {
    this.nextMs = initialMs;
  }

  /** The delay before the next start, given how long the process that just ended was up. */
  delayAfter(uptimeMs: number): number {
    if (uptimeMs >= this.stableMs) this.nextMs = this.initialMs;
    const delay = this.nextMs;
    this.nextMs = Math.min(this.nextMs * 2, this.maxMs);
    return delay;
  }
}

export interface SupervisedPart {
  readonly name: string;
  /** Pid of the current process, while one runs. */
  pid(): number | undefined;
  /** Times it was started again after dying. */
  restarts(): number;
  /** Stops it for good (no restart). */
  stop(): Promise<void>;
}

export interface SuperviseOptions {
  /** Starts the part; resolves once it is up, rejects when it could not start. */
  start(): Promise<void>;
  /** Resolves when the running part has ended. */
  exited(): Promise<unknown>;
  /** Stops the running part. */
  stop(): Promise<void>;
  pid(): number | undefined;
  log(line: string): void;
  /** After each (re)start, e.g. to record the new pid. */
  onStarted?(): void;
  backoff?: Backoff;
}

/**
 * Keeps one part of the system running: when it ends without being asked to, it is started again
 * after the backoff's delay; a start that fails counts as a crash of zero uptime. The first start
 * is the caller's (`start()` below rejects as the part's own start does), later ones are ours.
 */
export function supervise(name: string, o: SuperviseOptions): SupervisedPart & { start(): Promise<void> } {
  const backoff = o.backoff ?? new Backoff();
  let stopping = false;
  let restarts = 0;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  const keep = async (since: number) => {
    let startedAt = since;
    for (;;) {
      const how = await o.exited();
      if (stopping) return;
      let delay = backoff.delayAfter(Date.now() - startedAt);
      o.log(`${name} ended unexpectedly (${String(how ?? 'gone')}); starting it again in ${(delay / 1000).toFixed(1)} s`);
      for (;;) {
        await sleep(delay);
        if (stopping) return;
        try {
          await o.start();
          restarts += 1;
          startedAt = Date.now();
          o.onStarted?.();
          o.log(`${name} is running again (pid ${o.pid() ?? '?'}, restart ${restarts})`);
          break;
        } catch (err) {
          delay = backoff.delayAfter(0);
          o.log(`${name} did not start: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}; next try in ${(delay / 1000).toFixed(1)} s`);
        }
      }
    }
  };
  return {
    name,
    pid: o.pid,
    restarts: () => restarts,
    start: async () => {
      await o.start();
      o.onStarted?.();
      void keep(Date.now());
    },
    stop: async () => {
      stopping = true;
      wake?.();
      await o.stop();
    },
  };
}

/** A child process as a supervised part: each start spawns it anew with `spawnIt`, then waits for `ready`. */
export function superviseProcess(
  name: string,
  spawnIt: () => Managed,
  ready: (p: Managed) => Promise<void>,
  log: (line: string) => void,
  onStarted?: () => void,
): SupervisedPart & { start(): Promise<void> } {
  let current: Managed | undefined;
  return supervise(name, {
    start: async () => {
      const p = spawnIt();
      current = p;
      try {
        await ready(p);
      } catch (err) {
        await stopProcess(p, 2_000);
        throw new Error(`${err instanceof Error ? err.message : String(err)}\n${p.tail().split('\n').slice(-5).join('\n')}`);
      }
    },
    exited: async () => {
      const code = await current!.exited;
      return current!.child.signalCode ?? `exit code ${code}`;
    },
    stop: async () => {
      if (current) await stopProcess(current);
    },
    pid: () => (current && current.child.exitCode === null && current.child.signalCode === null ? current.child.pid : undefined),
    log,
    onStarted,
  });
}
