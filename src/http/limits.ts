/**
 * What the HTTP server allows a client, so that anyone who can reach the webhook or health
 * port cannot exhaust the process's memory or file descriptors: how long a connection may
 * take to send a request head and a body, how long a keep-alive connection may stay idle, how
 * many connections may be held at once, in all and from one address, and how large a body may
 * be. Also the error a request
 * body fails with when a limit is hit, and how many files the process can still open.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";

export { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../config/http_limits.ts";

/**
 * File descriptors kept free of HTTP connections for the rest of the bot: SQLite (the
 * database, its WAL and shared memory, a backup's connection; temporary files), its connections to Telegram, history and export files being written.
 */
export const RESERVED_FILES = 64;

/**
 * The cap on connections: `wanted`, lowered when the process cannot open `wanted` more files
 * and {@link RESERVED_FILES} besides (`free`, from {@link freeFiles}; `undefined` when
 * unknown), so that connections never take the files the rest of the bot needs. Reaching the
 * limit on open files is worse than refusing connections: whatever needs a file then fails
 * (a send to Telegram, SQLite's temporary files), and Deno itself may panic (seen in 2.9.6:
 * `ext/signals` unwrapping "Too many open files").
 */
export function connectionCap(wanted: number, free: number | undefined): number {
  if (free === undefined || free >= wanted + RESERVED_FILES) return wanted;
  return Math.max(1, free - RESERVED_FILES);
}

/**
 * The cap on connections from one address: `wanted` of the `maxConnections` the limits ask
 * for, lowered in proportion when the cap itself was lowered to `cap` (at least 1).
 */
export function perAddressCap(wanted: number, maxConnections: number, cap: number): number {
  const scaled = cap < maxConnections ? Math.floor((wanted * cap) / maxConnections) : wanted;
  return Math.max(1, Math.min(scaled, cap));
}

/**
 * The address a connection is counted under: an IPv4 address (also when it comes as an
 * IPv4-mapped IPv6 one), or the /64 of an IPv6 address, since one client commonly holds a
 * whole /64 and could otherwise take a new address per connection.
 */
export function addressKey(addr: Deno.Addr): string {
  if (addr.transport !== "tcp" && addr.transport !== "udp") return addr.transport;
  const host = addr.hostname;
  if (!host.includes(":")) return host;
  const mapped = /^(?:0{0,4}:){0,5}(?:0{0,4}:)?ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(host);
  if (mapped) return mapped[1];
  return `${expandIpv6(host).slice(0, 4).join(":")}::/64`;
}

/** The eight groups of an IPv6 address, as written (lower case, no leading zeros). */
function expandIpv6(host: string): string[] {
  const bare = host.replace(/%.*$/, "");
  const [head, tail] = bare.includes("::") ? bare.split("::") : [bare, undefined];
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const fill = tail === undefined
    ? []
    : Array(Math.max(0, 8 - left.length - right.length)).fill("0");
  return [...left, ...fill, ...right].map((g) => (parseInt(g, 16) || 0).toString(16));
}

/**
 * How many more files the process can open now, counted up to `most`: `most` when it can
 * open that many. Deno offers no way to read the limit (`ulimit -n`) under the bot's
 * permissions (`/proc/self/limits` needs `--allow-all`), so this opens listening sockets on
 * `127.0.0.1` with any free port, until `most` or "Too many open files", and closes them at
 * once: a few milliseconds, once, at start. `undefined` when it cannot tell (no permission to
 * listen there, which is never asked for, or another error).
 */
export function freeFiles(most: number): number | undefined {
  const where = { hostname: "127.0.0.1", port: 0 };
  const { state } = Deno.permissions.querySync({ name: "net", host: "127.0.0.1:0" });
  if (state !== "granted") return undefined;
  const opened: Deno.Listener[] = [];
  try {
    while (opened.length < most) opened.push(Deno.listen(where));
    return most;
  } catch (error) {
    return /Too many open files|os error 24\b/.test(errorText(error)) ? opened.length : undefined;
  } finally {
    for (const listener of opened) listener.close();
  }
}

/**
 * Why a request was not read: a head malformed (400) or too large (431), a body over the
 * limit (413), one that did not arrive in time (408), or one cut off or malformed (400). The
 * server answers a bad head with its status; a request body fails with it, and the webhook
 * answers with its status.
 */
export class HttpError extends Error {
  override name = "HttpError";
  /**
   * @param status the answer's status
   * @param reason a short phrase for the log and the answer, e.g. `"body too large"`
   */
  constructor(readonly status: number, readonly reason: string) {
    super(reason);
  }
}
