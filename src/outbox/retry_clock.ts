/**
 * The clock of the outbox's stored waits. Retry times (a 429's `retry_after`, a backoff) are
 * stored in wall time, because they must survive a restart; every wait is measured on the
 * monotonic clock. When the wall clock steps (an NTP correction, a VM resumed, a wrong time
 * set by hand), the stored times move by the step, so that each wait keeps its length: no
 * chat stalls for the length of a backward step, and no wait is cut short by a forward one.
 *
 * @module
 */
import type { Clock } from "../base/clock.ts";

/** A wall clock that moved by more than this against the monotonic one has stepped. */
export const CLOCK_STEP_MS = 1000;

/** Notices steps of the wall clock and moves the stored retry times with them. */
export class RetryClock {
  readonly #clock: Clock;
  readonly #moveBy: (stepMs: number) => void;
  /** Wall minus monotonic time when last looked: a change is a step of the wall clock. */
  #offset: number;

  /** `moveBy` moves the stored retry times by a step (and says so). */
  constructor(clock: Clock, moveBy: (stepMs: number) => void) {
    this.#clock = clock;
    this.#moveBy = moveBy;
    this.#offset = clock.now() - clock.monotonic();
  }

  /**
   * The wall clock, once a step of it since the last look has moved the stored times: a time
   * about to be stored is in the same reckoning as those stored already.
   */
  now(): number {
    const offset = this.#clock.now() - this.#clock.monotonic();
    const step = offset - this.#offset;
    if (Math.abs(step) > CLOCK_STEP_MS) {
      this.#moveBy(step);
      this.#offset = offset;
    }
    return this.#clock.now();
  }
}
