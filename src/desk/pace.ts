/**
 * How fast each client's messages are being relayed, kept in memory: the times of the
 * relays of each open ticket within the last window, at most as many as the limit. One look
 * and one note per message, whatever the ticket's length (a count in the database walked
 * the ticket's recent messages on every message). After a restart the count starts again,
 * which lets a flooding client have one more minute's worth relayed: no more.
 *
 * Measured on the monotonic clock, so a step of the wall clock changes nothing.
 *
 * @module
 */

/** The window of a client's pace, and how long folded messages wait to be summed up. */
export const FOLD_WINDOW_MS = 60_000;

/** The relays of each ticket within the window. */
export class Pace {
  readonly #windowMs: number;
  readonly #clock: () => number;
  readonly #relays = new Map<number, number[]>();

  constructor(windowMs: number, clock: () => number = () => performance.now()) {
    this.#windowMs = windowMs;
    this.#clock = clock;
  }

  /** Whether `limit` messages of the ticket were relayed within the window already. */
  over(ticketId: number, limit: number): boolean {
    const times = this.#relays.get(ticketId);
    if (times === undefined) return false;
    this.#forgetOld(times, this.#clock());
    return times.length >= limit;
  }

  /**
   * Whether a message of the ticket may be relayed now (then it is noted), or `limit` were
   * relayed within the window already: then what the client writes is folded (kept, not
   * relayed), so that one flooding client cannot bury the agent's chat.
   */
  take(ticketId: number, limit: number): boolean {
    if (this.over(ticketId, limit)) return false;
    this.note(ticketId, limit);
    return true;
  }

  /** Notes that a message of the ticket is relayed now (`limit` bounds what is kept). */
  note(ticketId: number, limit: number): void {
    const now = this.#clock();
    let times = this.#relays.get(ticketId);
    if (times === undefined) {
      if (this.#relays.size >= 10_000) this.#sweep(now);
      times = [];
      this.#relays.set(ticketId, times);
    }
    times.push(now);
    if (times.length > limit) times.splice(0, times.length - limit);
  }

  #forgetOld(times: number[], now: number): void {
    let old = 0;
    while (old < times.length && now - times[old] > this.#windowMs) old++;
    if (old > 0) times.splice(0, old);
  }

  /** Drops the tickets with nothing in the window. */
  #sweep(now: number): void {
    for (const [ticketId, times] of this.#relays) {
      this.#forgetOld(times, now);
      if (times.length === 0) this.#relays.delete(ticketId);
    }
  }
}
