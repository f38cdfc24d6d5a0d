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
  /**
   * Connections held at once from one address (an IPv4 address, or an IPv6 /64, which one
   * client often has whole); a connection beyond it is closed as soon as it is accepted, so
   * that no one client holds the whole of {@link maxConnections}. Lowered with it.
   */
  readonly maxConnectionsPerAddress: number;
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
  // A quarter of the cap: one address (a client, or an IPv6 /64) leaves three quarters to
  // everyone else, Telegram included, whatever it does. Not less: a reverse proxy on the same
  // machine brings all its clients from one address, and an honest client may open a few dozen
  // at once (a pool of fetches); Telegram itself posts over one (max_connections 1).
  maxConnectionsPerAddress: 64,
  maxBodyBytes: 1024 * 1024,
  logIntervalMs: 60_000,
};
