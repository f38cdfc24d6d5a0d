/**
 * The HTTP server's limits as settings: their shape and the defaults the bot runs with. Set in
 * code only (tests lower them); what they guard against is told in `src/http/limits.ts`,
 * which enforces them.
 *
 * @module
 */

/** The HTTP server's limits (every one has a default in {@link DEFAULT_HTTP_LIMITS}). */
export interface HttpLimits {
  /** A connection must have sent a complete request head this long after it opened (ms). */
  readonly headerTimeoutMs: number;
  /** A request's body must have arrived this long after its head (ms); else 408. */
  readonly bodyTimeoutMs: number;
  /**
   * A keep-alive connection is closed when its next request head is not complete this long
   * after the previous answer (ms).
   */
  readonly idleTimeoutMs: number;
  /**
   * Connections held at once; a connection beyond it is closed as soon as it is accepted.
   * Lowered when the process may open few files (see {@link connectionCap}).
   */
  readonly maxConnections: number;
  /** The largest body read (bytes); a larger one gets 413. Telegram's updates are small JSON. */
  readonly maxBodyBytes: number;
  /** Rejected requests and dropped connections: at most one log line per kind per this (ms). */
  readonly logIntervalMs: number;
}

/** The limits the bot runs with. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headerTimeoutMs: 10_000,
  bodyTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  maxConnections: 256,
  maxBodyBytes: 1024 * 1024,
  logIntervalMs: 60_000,
};
