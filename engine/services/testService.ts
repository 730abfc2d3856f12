/** temporal.api.testservice.v1.TestService: the time-skipping controls of Temporal's test server. */
import type { EngineClock } from '../clock';
import type { ServiceHandlers } from '../grpcServer';
import { durationMs, msTimestamp, timestampMs, type DurationLike } from '../proto';

export function testServiceHandlers(clock: EngineClock): ServiceHandlers {
  let sleeps = 0;
  const sleepFor = (ms: number) => clock.sleepUntil(clock.now() + Math.max(0, ms), `test-sleep:${sleeps++}`);
  return {
    LockTimeSkipping: () => {
      clock.lock();
      return {};
    },
    UnlockTimeSkipping: () => {
      clock.unlock();
      return {};
    },
    Sleep: async (req: { duration?: DurationLike | null }) => {
      await sleepFor(durationMs(req.duration));
      return {};
    },
    SleepUntil: async (req: { timestamp?: DurationLike | null }) => {
      await clock.sleepUntil(timestampMs(req.timestamp), `test-sleep:${sleeps++}`);
      return {};
    },
    UnlockTimeSkippingWithSleep: async (req: { duration?: DurationLike | null }) => {
      const done = sleepFor(durationMs(req.duration));
      clock.unlock();
      try {
        await done;
      } finally {
        clock.lock();
      }
      return {};
    },
    GetCurrentTime: () => ({ time: msTimestamp(clock.now()) }),
  };
}
