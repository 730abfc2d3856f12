/**
 * Idempotency keys of officers' actions: a repeated key answers the first result without acting
 * again, also while the first call is still running. Bounded (oldest settled keys are forgotten),
 * and rebuilt by replay like the rest of the workflow state. A call that failed changed nothing,
 * so its key is released and may be tried again.
 */
import type { ApplicationFailure } from '@temporalio/common';
import type { CaseView } from './types';

export interface IdempotencyEntry {
  update: string;
  officerId: string;
  settled: boolean;
  view?: CaseView;
  failure?: ApplicationFailure;
}

export class IdempotencyLog {
  private readonly entries = new Map<string, IdempotencyEntry>();

  constructor(private readonly capacity: number) {}

  find(key: unknown): IdempotencyEntry | undefined {
    return typeof key === 'string' ? this.entries.get(key) : undefined;
  }

  begin(key: string, update: string, officerId: string): IdempotencyEntry {
    const entry: IdempotencyEntry = { update, officerId, settled: false };
    this.entries.set(key, entry);
    for (const [k, e] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      if (e.settled) this.entries.delete(k);
    }
    return entry;
  }

  succeed(entry: IdempotencyEntry, view: CaseView): void {
    entry.view = view;
    entry.settled = true;
  }

  fail(key: string, entry: IdempotencyEntry, failure: ApplicationFailure): void {
    entry.failure = failure;
    entry.settled = true;
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}
