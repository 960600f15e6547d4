import { setTimeout as delay } from 'node:timers/promises';

/** Wall-clock time and waiting, injected so tests and replays can run the loop at any time. */
export interface LiveClock {
  /** Current time, UTC epoch ms. */
  now(): number;
  /** Resolves after `ms` milliseconds, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/**
 * The real clock: `Date.now()` and timers.
 * @example
 * await systemClock.sleep(1000, controller.signal);
 */
export const systemClock: LiveClock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    try {
      await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
    } catch (error) {
      if (!(error instanceof Error && error.name === 'AbortError')) throw error;
    }
  },
};

/**
 * A clock that stands still until told to move; `sleep` advances it instantly. For tests and replays.
 * @param start - initial time, UTC ms.
 * @returns the clock and a setter.
 * @example
 * const clock = fixedClock(Date.UTC(2024, 0, 1, 10));
 * clock.set(Date.UTC(2024, 0, 1, 11));
 */
export function fixedClock(start: number): LiveClock & { set(time: number): void } {
  let time = start;
  return {
    now: () => time,
    sleep: async (ms) => {
      time += Math.max(0, ms);
    },
    set: (next) => {
      time = next;
    },
  };
}
