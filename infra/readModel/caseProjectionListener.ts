/**
 * Wakes whoever waits for a case's projection. `project_case` notifies the channel `case_projected`
 * with the case code whenever it moves a case row forward (migration 043); one connection of the
 * API listens. A reception then answers as soon as its case is in the database, where it used to
 * ask PostgreSQL every 20 ms.
 *
 * Every wait also ends at its own timeout: a notification lost while the connection is being
 * re-established costs the waiter one more look at the table, never the reception.
 */
import { Client } from 'pg';

export const CASE_PROJECTED_CHANNEL = 'case_projected';
const RECONNECT_MS = 1_000;

export type WakeReason = 'projected' | 'timed-out' | 'cancelled';

export interface ProjectionWake {
  /** Settles at the case's next projection, at the timeout or at `cancel`, whichever comes first. */
  done: Promise<WakeReason>;
  cancel(): void;
}

export interface CaseProjectionWaits {
  /** False while the connection is down (a wait then ends only at its timeout). */
  readonly listening: boolean;
  /** Registers a wait for the case's next projection: register before reading the row, then await `done`. */
  next(caseCode: string, timeoutMs: number): ProjectionWake;
}

export class CaseProjectionListener implements CaseProjectionWaits {
  private readonly waiting = new Map<string, Set<(reason: WakeReason) => void>>();
  private client: Client | undefined;
  private closed = false;
  private retry: NodeJS.Timeout | undefined;

  private constructor(
    private readonly url: string,
    private readonly log: (line: string) => void,
  ) {}

  /** Listens from now on; if PostgreSQL does not answer yet, it keeps trying in the background. */
  static async start(url: string, log: (line: string) => void = (line) => console.error(line)): Promise<CaseProjectionListener> {
    const listener = new CaseProjectionListener(url, log);
    await listener.connect().catch((err: unknown) => listener.lost(undefined, err));
    return listener;
  }

  get listening(): boolean {
    return this.client !== undefined;
  }

  next(caseCode: string, timeoutMs: number): ProjectionWake {
    let wake!: (reason: WakeReason) => void;
    const done = new Promise<WakeReason>((resolve) => {
      wake = resolve;
    });
    const timer = setTimeout(() => end('timed-out'), timeoutMs);
    const end = (reason: WakeReason) => {
      clearTimeout(timer);
      const set = this.waiting.get(caseCode);
      set?.delete(end);
      if (set?.size === 0) this.waiting.delete(caseCode);
      wake(reason);
    };
    const set = this.waiting.get(caseCode) ?? new Set<(reason: WakeReason) => void>();
    set.add(end);
    this.waiting.set(caseCode, set);
    return { done, cancel: () => end('cancelled') };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    for (const set of [...this.waiting.values()]) for (const end of [...set]) end('cancelled');
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url });
    client.on('notification', (message) => {
      if (message.channel === CASE_PROJECTED_CHANNEL && message.payload) this.wake(message.payload);
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await client.query(`listen ${CASE_PROJECTED_CHANNEL}`);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private wake(caseCode: string): void {
    const set = this.waiting.get(caseCode);
    if (set) for (const end of [...set]) end('projected');
  }

  private lost(client: Client | undefined, err?: unknown): void {
    if (client && this.client !== client) return;
    this.client = undefined;
    if (this.closed || this.retry) return;
    if (err) this.log(`case projections: not listening (${err instanceof Error ? err.message : String(err)}); trying again in ${RECONNECT_MS} ms`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().catch((e: unknown) => this.lost(undefined, e));
    }, RECONNECT_MS);
    this.retry.unref();
  }
}
