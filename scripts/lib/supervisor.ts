/** Starts the system's processes, prefixes their output, and stops them in reverse order. */
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';

export interface Managed {
  name: string;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const COLORS: Record<string, string> = { engine: '35', worker: '36', api: '32', postgres: '33' };

function prefixLines(name: string, stream: NodeJS.ReadableStream | null, out: NodeJS.WriteStream): void {
  if (!stream) return;
  const tag = process.stdout.isTTY ? `\u001b[${COLORS[name] ?? '37'}m[${name}]\u001b[0m` : `[${name}]`;
  let buffered = '';
  stream.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) out.write(`${tag} ${line}\n`);
  });
  stream.on('end', () => buffered && out.write(`${tag} ${buffered}\n`));
}

export function startProcess(name: string, command: string, args: string[], env: NodeJS.ProcessEnv): Managed {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  prefixLines(name, child.stdout, process.stdout);
  prefixLines(name, child.stderr, process.stderr);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, child, exited };
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
