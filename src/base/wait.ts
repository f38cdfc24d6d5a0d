/**
 * Waiting: a pause that an abort signal can cut short, and the doubling delay of a retry
 * (the first delay, doubled at each attempt, up to a ceiling). The outbox's stored waits have
 * their own clock (`src/outbox/retry_clock.ts`); these are for loops that wait in memory.
 *
 * @module
 */

/** Resolves after `ms`; rejects with the signal's reason as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener("abort", abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
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
