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
