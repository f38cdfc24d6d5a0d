/**
 * Waiting: a pause that an abort signal cuts short, and the doubling delay of a retry (the
 * first delay, doubled at each attempt, up to a ceiling). The outbox's stored waits have their
 * own clock (`src/outbox/retry_clock.ts`); these are for loops that wait in memory.
 *
 * @module
 */

/**
 * Resolves after `ms`, or as soon as `signal` aborts: `true` when the whole time passed,
 * `false` when it was cut short. Never rejects.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => end(true), ms);
    const abort = () => end(false);
    function end(whole: boolean) {
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
      resolve(whole);
    }
    signal?.addEventListener("abort", abort, { once: true });
  });
}

/**
 * The delay before retry number `attempt` (1 for the first): `firstMs`, doubled at each
 * attempt, never more than `maxMs`.
 */
export function doubling(attempt: number, firstMs: number, maxMs: number): number {
  const doublings = Math.min(Math.max(attempt - 1, 0), 30);
  return Math.min(maxMs, firstMs * 2 ** doublings);
}
