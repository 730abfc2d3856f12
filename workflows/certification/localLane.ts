/**
 * Local activities one at a time. Two local activities in flight together can end in one workflow
 * activation on the worker and in two on replay (or the other way round); the code waiting on each
 * then runs in a different order and the replayed commands no longer match the history (an update
 * completed before an activity scheduled, say). In one lane, each local activity starts only when
 * the previous one has ended, so every run sees the same activations.
 */
export class LocalLane {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly enabled: boolean) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    if (!this.enabled) return work();
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
