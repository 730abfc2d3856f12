/** CPU seconds a process (and, for PostgreSQL, its server processes) has used so far, read from /proc (Linux). */
import * as fs from 'node:fs';

const TICKS_PER_SECOND = 100;

interface Stat {
  ppid: number;
  /** user + system ticks of the process itself */
  own: number;
  /** user + system ticks of its children that have exited and been waited for */
  reaped: number;
}

function stat(pid: number): Stat | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** The process's own CPU seconds; undefined where /proc is missing. */
export function cpuSeconds(pid: number): number | undefined {
  const s = stat(pid);
  return s && s.own / TICKS_PER_SECOND;
}

/** A server and all its children, the ones alive and the ones already reaped (PostgreSQL's backends). */
export function cpuSecondsWithChildren(pid: number): number | undefined {
  const root = stat(pid);
  if (!root) return undefined;
  let ticks = root.own + root.reaped;
  for (const name of fs.readdirSync('/proc')) {
    const child = /^\d+$/.test(name) ? stat(Number(name)) : undefined;
    if (child && child.ppid === pid) ticks += child.own;
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * CPU seconds of a process's live threads grouped by thread name (`/proc/<pid>/task/<tid>/comm`),
 * the main thread apart: Node names every thread of its own "node" — worker threads (the SDK's
 * workflow sandbox), V8's and libuv's helpers — while the SDK's native runtime names its threads
 * (tokio-runtime-w…, workflow-proces… for the Rust workflow state machines).
 */
export function cpuSecondsByThread(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  let tids: string[] = [];
  try {
    tids = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const comm = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      const name = tid === String(pid) ? 'main' : comm === 'node' ? 'other node threads' : comm;
      const raw = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      out[name] = (out[name] ?? 0) + (Number(f[11]) + Number(f[12])) / TICKS_PER_SECOND;
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}
