/**
 * Task queues: tasks waiting for pollers and pollers waiting for tasks.
 *
 * Queues hold references only; whoever takes a task re-checks it against the run's state
 * ("record started"), so stale entries (a task that timed out, moved from a sticky queue, or
 * belongs to a closed run) are simply dropped there.
 */
export type TaskRef =
  | { type: 'workflow'; namespace: string; workflowId: string; runId: string; scheduledEventId: number; attempt: number; sticky: boolean }
  | { type: 'activity'; namespace: string; workflowId: string; runId: string; scheduledEventId: number; attempt: number }
  | { type: 'query'; namespace: string; queryId: string }
  | { type: 'nexus'; namespace: string; workflowId: string; runId: string; scheduledEventId: number; attempt: number; request: 'start' | 'cancel' }
  | { type: 'standaloneActivity'; namespace: string; activityId: string; runId: string; attempt: number };

export type QueueType = 'workflow' | 'activity' | 'nexus';

interface Poller {
  resolve(task: TaskRef | null): void;
  signal: AbortSignal;
  identity: string;
}

interface Queue {
  /** `at`: when the task joined the queue, for the age of the backlog (DescribeTaskQueue). */
  tasks: Array<{ key: string; task: TaskRef; at: number }>;
  keys: Set<string>;
  pollers: Poller[];
  lastPollers: Map<string, number>;
}

export interface PollerInfo {
  identity: string;
  lastAccessTime: number;
}

export class Matching {
  private readonly queues = new Map<string, Queue>();

  private queue(namespace: string, type: QueueType, name: string): Queue {
    const id = `${namespace}\u0000${type}\u0000${name}`;
    let q = this.queues.get(id);
    if (!q) {
      q = { tasks: [], keys: new Set(), pollers: [], lastPollers: new Map() };
      this.queues.set(id, q);
    }
    return q;
  }

  /** Adds a task unless one with the same key is already waiting; hands it straight to a waiting poller when there is one. */
  offer(namespace: string, type: QueueType, name: string, key: string, task: TaskRef): void {
    const q = this.queue(namespace, type, name);
    if (q.keys.has(key)) return;
    while (q.pollers.length > 0) {
      const poller = q.pollers.shift()!;
      if (poller.signal.aborted) continue;
      poller.resolve(task);
      return;
    }
    q.keys.add(key);
    q.tasks.push({ key, task, at: Date.now() });
  }

  /** Resolves with a task, or null when `waitMs` passes or the caller goes away. */
  poll(namespace: string, type: QueueType, name: string, identity: string, waitMs: number, signal: AbortSignal): Promise<TaskRef | null> {
    const q = this.queue(namespace, type, name);
    q.lastPollers.set(identity, Date.now());
    const first = q.tasks.shift();
    if (first) {
      q.keys.delete(first.key);
      return Promise.resolve(first.task);
    }
    if (signal.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      let done = false;
      const finish = (task: TaskRef | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        const idx = q.pollers.indexOf(poller);
        if (idx >= 0) q.pollers.splice(idx, 1);
        resolve(task);
      };
      const poller: Poller = { resolve: finish, signal, identity };
      const onAbort = () => finish(null);
      const timer = setTimeout(() => finish(null), Math.max(0, waitMs));
      signal.addEventListener('abort', onAbort);
      q.pollers.push(poller);
    });
  }

  /** Puts a task that a poller could not take back at the head of its queue. */
  requeue(namespace: string, type: QueueType, name: string, key: string, task: TaskRef): void {
    const q = this.queue(namespace, type, name);
    if (q.keys.has(key)) return;
    while (q.pollers.length > 0) {
      const poller = q.pollers.shift()!;
      if (poller.signal.aborted) continue;
      poller.resolve(task);
      return;
    }
    q.keys.add(key);
    q.tasks.unshift({ key, task, at: Date.now() });
  }

  backlog(namespace: string, type: QueueType, name: string): number {
    return this.queues.get(`${namespace}\u0000${type}\u0000${name}`)?.tasks.length ?? 0;
  }

  /** Milliseconds the oldest waiting task has waited for a poller (0 when none waits). */
  backlogAgeMs(namespace: string, type: QueueType, name: string, now = Date.now()): number {
    const oldest = this.queues.get(`${namespace}\u0000${type}\u0000${name}`)?.tasks.reduce((min, t) => Math.min(min, t.at), Infinity);
    return oldest === undefined || oldest === Infinity ? 0 : Math.max(0, now - oldest);
  }

  /**
   * Who polled this queue and when. A poller waiting right now counts as seen now: a long poll
   * lasts up to a minute, and a worker that is waiting for work is alive, not stale.
   */
  pollers(namespace: string, type: QueueType, name: string, now = Date.now()): PollerInfo[] {
    const q = this.queues.get(`${namespace}\u0000${type}\u0000${name}`);
    if (!q) return [];
    const waiting = new Set(q.pollers.filter((p) => !p.signal.aborted).map((p) => p.identity));
    return [...q.lastPollers.entries()].map(([identity, lastAccessTime]) => ({ identity, lastAccessTime: waiting.has(identity) ? now : lastAccessTime }));
  }

  /** Drops every waiting task of a sticky queue whose worker shut down; the runs fall back to their normal queue. */
  dropQueue(namespace: string, type: QueueType, name: string): TaskRef[] {
    const id = `${namespace}\u0000${type}\u0000${name}`;
    const q = this.queues.get(id);
    if (!q) return [];
    this.queues.delete(id);
    for (const p of q.pollers) p.resolve(null);
    return q.tasks.map((t) => t.task);
  }

  /** Answers every waiting poller with "no task" (shutdown). */
  releaseAll(): void {
    for (const q of this.queues.values()) {
      for (const p of q.pollers.splice(0)) p.resolve(null);
    }
  }
}
