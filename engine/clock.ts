/**
 * The engine's clock: wall time plus whatever time skipping has added.
 *
 * Every durable deadline (user timers, activity and workflow-task timeouts, retry backoff,
 * run timeouts) is scheduled here. With time skipping enabled and no lock held, the clock
 * jumps straight to the next deadline — the same contract as Temporal's test server: locks
 * are held by clients (the default lock, released while a test waits for a result) and by
 * the engine for every piece of runnable work (a workflow or activity task, an operation
 * being committed), so time only jumps when nothing could make progress.
 */
interface Entry {
  key: string;
  at: number;
  seq: number;
  fire: () => unknown;
  index: number;
}

export interface ClockOptions {
  timeSkipping: boolean;
  /** Start with one lock held, as Temporal's test server does; a client unlocks while it waits. */
  startLocked: boolean;
  realNow?: () => number;
  onError?: (err: unknown) => void;
}

export class EngineClock {
  private skippedMs = 0;
  private readonly heap: Entry[] = [];
  private readonly byKey = new Map<string, Entry>();
  private seq = 0;
  private locks: number;
  private armed?: NodeJS.Timeout;
  private armedFor = Infinity;
  private skipQueued = false;
  private readonly realNow: () => number;
  readonly timeSkipping: boolean;

  constructor(private readonly options: ClockOptions) {
    this.timeSkipping = options.timeSkipping;
    this.locks = options.timeSkipping && options.startLocked ? 1 : 0;
    this.realNow = options.realNow ?? Date.now;
  }

  now(): number {
    return this.realNow() + this.skippedMs;
  }

  get lockCount(): number {
    return this.locks;
  }

  get pendingCount(): number {
    return this.heap.length;
  }

  /** Schedules `fire` at virtual instant `at`; a later call with the same key replaces it. */
  schedule(key: string, at: number, fire: () => unknown): void {
    this.cancel(key);
    const entry: Entry = { key, at, seq: this.seq++, fire, index: this.heap.length };
    this.heap.push(entry);
    this.byKey.set(key, entry);
    this.siftUp(entry.index);
    this.rearm();
  }

  cancel(key: string): void {
    const entry = this.byKey.get(key);
    if (!entry) return;
    this.byKey.delete(key);
    this.removeAt(entry.index);
    this.rearm();
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  lock(): void {
    this.locks++;
  }

  unlock(): void {
    if (this.locks === 0) return;
    this.locks--;
    if (this.locks === 0) this.queueSkip();
  }

  /** Runs `work` while holding a lock, so time cannot jump past it. */
  async locked<T>(work: () => Promise<T>): Promise<T> {
    this.lock();
    try {
      return await work();
    } finally {
      this.unlock();
    }
  }

  /** Resolves once the virtual clock reaches `at` (by waiting, or by skipping if unlocked). */
  sleepUntil(at: number, key = `sleep:${this.seq}`): Promise<void> {
    if (this.now() >= at) return Promise.resolve();
    return new Promise((resolve) => this.schedule(key, at, resolve));
  }

  close(): void {
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    this.heap.length = 0;
    this.byKey.clear();
  }

  private queueSkip(): void {
    if (!this.timeSkipping || this.skipQueued) return;
    this.skipQueued = true;
    // Let synchronous follow-ups of the unlocking operation take their own locks first.
    setImmediate(() => {
      this.skipQueued = false;
      this.skipIfIdle();
    });
  }

  private skipIfIdle(): void {
    if (!this.timeSkipping || this.locks > 0) return;
    const next = this.heap[0];
    if (!next) return;
    const now = this.now();
    if (next.at > now) this.skippedMs += next.at - now;
    this.fireDue();
  }

  private fireDue(): void {
    const now = this.now();
    while (this.heap.length > 0 && this.heap[0].at <= now) {
      const entry = this.heap[0];
      this.byKey.delete(entry.key);
      this.removeAt(0);
      this.locks++;
      Promise.resolve()
        .then(entry.fire)
        .catch((err: unknown) => this.options.onError?.(err))
        .finally(() => this.unlock());
    }
    this.rearm();
  }

  private rearm(): void {
    const next = this.heap[0];
    const target = next ? next.at : Infinity;
    if (target === this.armedFor && this.armed) return;
    if (this.armed) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedFor = target;
    if (!next) return;
    const delay = Math.max(0, Math.min(target - this.now(), 2 ** 31 - 1));
    this.armed = setTimeout(() => {
      this.armed = undefined;
      this.armedFor = Infinity;
      this.fireDue();
    }, delay);
    this.armed.unref?.();
    if (this.locks === 0) this.queueSkip();
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i];
    const b = this.heap[j];
    this.heap[i] = b;
    this.heap[j] = a;
    b.index = i;
    a.index = j;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(this.heap[i], this.heap[parent])) break;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.less(this.heap[l], this.heap[m])) m = l;
      if (r < n && this.less(this.heap[r], this.heap[m])) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }

  private removeAt(i: number): void {
    const last = this.heap.pop();
    if (!last || i === this.heap.length) return;
    this.heap[i] = last;
    last.index = i;
    this.siftDown(i);
    this.siftUp(i);
  }
}
