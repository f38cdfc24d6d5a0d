/**
 * The bot's two clocks: the wall clock (`now`, ms since the epoch: what is stored, shown and
 * compared with business hours) and a monotonic clock (`monotonic`, ms that only move
 * forward: what every wait, backoff and rate limit is measured with, so a step of the wall
 * clock neither stalls sending nor bursts past Telegram's limits). Tests inject their own.
 *
 * @module
 */

/** Where the bot reads the time. */
export interface Clock {
  /** The wall clock, ms since the epoch. */
  now(): number;
  /** A clock that never steps, in ms from an arbitrary origin. */
  monotonic(): number;
}

/** The system's clocks. */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
};
