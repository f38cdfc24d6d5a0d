/**
 * The bot's HTTP server: the webhook on the path of `WEBHOOK_URL` (POST only) and
 * `GET /healthz`; everything else is 404. Runs on `PORT` in webhook mode and on
 * `HEALTH_PORT` (health only) in polling mode.
 *
 * Anyone who can reach the port must not be able to take the bot down, so every client is
 * held to the limits of `limits.ts`: a complete request head within 10 s of connecting and
 * the next one within 30 s of an answer (else the connection is closed), a body within 10 s
 * of its head and of at most 1 MiB, read only when the handler reads it (413 when announced
 * or grown larger, 408 when late), at most 256 connections at once (fewer when the process
 * may open few files: `freeFiles` counts them at start) and 64 of them from one address (an
 * IPv6 /64 counting as one), so that one client cannot hold them all and shut Telegram out,
 * and rejections logged as counts (`counted_log.ts`).
 *
 * Why not `Deno.serve` or `node:http`. `Deno.serve` has no header or idle timeout and no cap
 * on connections, and when accepting fails with "Too many open files" the process ends. The
 * `node:http` of Deno has a cap (`maxConnections`) and per-socket timers, but its accept loop
 * takes every pending connection in one go before any JavaScript runs (seen with strace: 70
 * `accept4` in a row, the cap applied only after), so a burst reaches the limit on open files
 * whatever the cap; and after one such failure it never accepts again, the port taking
 * connections that nobody answers. So the server accepts with `Deno.listen`, one connection
 * per `accept()`: one past the cap is closed before the next is accepted, and a failed accept
 * is retried after a pause. HTTP/1.1 itself is the small part the bot needs (`http1.ts`,
 * strict where a proxy could read a request another way; `tests/http1_test.ts`): built-ins
 * only, nothing beyond `--allow-net`.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import type { DatabaseSync } from "node:sqlite";
import { HEALTH_PATH } from "../config/mod.ts";
import { CountedLog } from "./counted_log.ts";
import { type Health, healthResponse, type LiveState } from "./health.ts";
import {
  answerHead,
  type BodyReader,
  bodyReader,
  Input,
  parseHead,
  type RequestHead,
} from "./http1.ts";
import {
  addressKey,
  connectionCap,
  DEFAULT_HTTP_LIMITS,
  freeFiles,
  HttpError,
  type HttpLimits,
  perAddressCap,
  RESERVED_FILES,
} from "./limits.ts";
import type { Logger } from "../base/log.ts";
import { plainResponse } from "./webhook.ts";

/**
 * Answers one POST on the webhook path. Its body is read only when the handler reads it, and
 * fails with an {@link HttpError} past a limit; rejected requests are logged through
 * `rejected`, which counts them.
 */
export type WebhookHandle = (request: Request, rejected: CountedLog) => Promise<Response>;

/** What {@link startHttpServer} serves and where. */
export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly db: DatabaseSync;
  readonly mode: Health["mode"];
  /** The bot's live state for `/healthz` (storage faults and the like). */
  readonly state?: () => LiveState;
  /** The webhook: its path and handler (webhook mode only). */
  readonly webhook?: { readonly path: string; readonly handle: WebhookHandle };
  /** Changes to {@link DEFAULT_HTTP_LIMITS} (tests shorten the timeouts). */
  readonly limits?: Partial<HttpLimits>;
}

/** A listening server. */
export interface HttpServer {
  /** The address actually bound (the port is known even when 0 was asked for). */
  readonly addr: Deno.NetAddr;
  /** Stops listening and waits for requests in flight (their updates commit first). */
  close(): Promise<void>;
}

/** One open connection. */
interface Connection {
  readonly conn: Deno.Conn;
  /** The address it is counted under ({@link addressKey}). */
  readonly address: string;
  /** A request is being answered (else the connection waits for a request head). */
  busy: boolean;
  /** The timer that closes the connection when what it waits for takes too long. */
  deadline?: ReturnType<typeof setTimeout>;
}

/** The event of connections the server closed, counted (`reason` says why). */
const DROPPED = "http.dropped";
/** The longest pause after a failed accept. */
const MAX_ACCEPT_PAUSE_MS = 1000;

/**
 * Starts listening; throws one readable line when the address cannot be bound. Logs
 * `http.listening` with the port bound and the cap on connections.
 */
export function startHttpServer(options: HttpOptions, log: Logger): HttpServer {
  const { host, port, db, mode, webhook } = options;
  const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  // Counted before listening, while no connection holds a file.
  const free = freeFiles(limits.maxConnections + RESERVED_FILES);
  const maxConnections = connectionCap(limits.maxConnections, free);
  const maxPerAddress = perAddressCap(
    limits.maxConnectionsPerAddress,
    limits.maxConnections,
    maxConnections,
  );
  let listener: Deno.TcpListener;
  try {
    listener = Deno.listen({ hostname: host, port });
  } catch (error) {
    throw new Error(`cannot listen on ${host}:${port}: ${errorText(error)}`);
  }
  const counted = new CountedLog(log, limits.logIntervalMs);
  const connections = new Set<Connection>();
  /** Open connections per address. */
  const perAddress = new Map<string, number>();
  const serving = new Set<Promise<void>>();
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  let pause: { timer: ReturnType<typeof setTimeout>; resume: () => void } | undefined;

  /** Closes `connection` after `ms` unless {@link settle} comes first. */
  const expire = (connection: Connection, ms: number, reason?: string) => {
    clearTimeout(connection.deadline);
    connection.deadline = setTimeout(() => {
      if (reason !== undefined) counted.note(DROPPED, { reason });
      closeQuietly(connection.conn);
    }, ms);
  };
  const settle = (connection: Connection) => {
    clearTimeout(connection.deadline);
    connection.deadline = undefined;
  };

  /** Writes all of `bytes`, closing the connection if the client does not take them in time. */
  const write = async (connection: Connection, bytes: Uint8Array) => {
    expire(connection, limits.idleTimeoutMs);
    for (let at = 0; at < bytes.length;) at += await connection.conn.write(bytes.subarray(at));
    settle(connection);
  };

  /** The answer to `head`; `body` makes the webhook's request body on demand. */
  const answer = (head: RequestHead, body: () => RequestBody): Response | Promise<Response> => {
    const url = urlOf(head.target);
    const path = url?.pathname;
    if (path === HEALTH_PATH) {
      if (head.method !== "GET" && head.method !== "HEAD") {
        return plainResponse(405, "method not allowed", { allow: "GET, HEAD" });
      }
      return healthResponse(db, mode, options.state?.());
    }
    if (webhook !== undefined && url !== undefined && path === webhook.path) {
      if (head.method !== "POST") {
        return plainResponse(405, "method not allowed", { allow: "POST" });
      }
      const request = new Request(url, {
        method: "POST",
        headers: head.headers,
        body: body().stream,
        // A streamed request body must say it is half duplex.
        duplex: "half",
      } as RequestInit);
      return webhook.handle(request, counted);
    }
    return plainResponse(404, "not found");
  };

  /** Answers one request; whether the connection may take another. */
  const exchange = async (connection: Connection, input: Input, head: RequestHead) => {
    let body: RequestBody | undefined;
    try {
      let answered: Response;
      if (stopping) {
        answered = plainResponse(503, "stopping");
      } else {
        try {
          answered = await answer(head, () =>
            body = new RequestBody(
              bodyReader(input, head.framing),
              head,
              limits,
              () => write(connection, CONTINUE),
            ));
        } catch (error) {
          log.error("http.failed", { error: errorText(error) });
          answered = plainResponse(500, "internal error");
        }
      }
      const content = new Uint8Array(await answered.arrayBuffer());
      // A body not read to its end is not read at all: the connection closes after the answer.
      const read = body?.complete ?? head.framing.kind === "none";
      const keepAlive = head.keepAlive && read && !stopping;
      const top = answerHead(answered.status, answered.headers, content.length, !keepAlive);
      const whole = new Uint8Array(top.length + (head.method === "HEAD" ? 0 : content.length));
      whole.set(top);
      if (head.method !== "HEAD") whole.set(content, top.length);
      await write(connection, whole);
      return keepAlive;
    } finally {
      body?.dispose();
    }
  };

  /** Reads requests from a connection and answers them, one after the other. */
  const serve = async (connection: Connection) => {
    const input = new Input(connection.conn);
    try {
      for (let first = true; !stopping; first = false) {
        connection.busy = false;
        if (first) expire(connection, limits.headerTimeoutMs, "no request head in time");
        else expire(connection, limits.idleTimeoutMs);
        let head: RequestHead;
        try {
          const bytes = await input.head();
          if (bytes === null) return;
          head = parseHead(bytes);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          settle(connection);
          counted.note(DROPPED, { reason: error.reason });
          await write(connection, answerHead(error.status, [], 0, true));
          return;
        }
        settle(connection);
        connection.busy = true;
        const answering = exchange(connection, input, head);
        inFlight.add(answering);
        try {
          if (!await answering) return;
        } finally {
          inFlight.delete(answering);
        }
      }
    } catch {
      // Reset by the client, or closed by a deadline or by close().
    } finally {
      settle(connection);
      closeQuietly(connection.conn);
      connections.delete(connection);
      const left = (perAddress.get(connection.address) ?? 1) - 1;
      if (left > 0) perAddress.set(connection.address, left);
      else perAddress.delete(connection.address);
    }
  };

  const accepting = (async () => {
    let pauseMs = 0;
    while (!stopping) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
        pauseMs = 0;
      } catch (error) {
        if (stopping) break;
        // Most likely "Too many open files": the connection waits in the kernel's queue
        // until a file is free; the bot goes on.
        counted.note("http.accept_failed", { error: errorText(error) });
        pauseMs = Math.min(MAX_ACCEPT_PAUSE_MS, Math.max(10, pauseMs * 2));
        await new Promise<void>((resume) => {
          pause = { timer: setTimeout(resume, pauseMs), resume };
        });
        pause = undefined;
        continue;
      }
      if (stopping || connections.size >= maxConnections) {
        closeQuietly(conn);
        if (!stopping) counted.note(DROPPED, { reason: "too many connections" });
        continue;
      }
      const address = addressKey(conn.remoteAddr);
      const held = perAddress.get(address) ?? 0;
      if (held >= maxPerAddress) {
        closeQuietly(conn);
        counted.note(DROPPED, { reason: "too many connections from one address" });
        continue;
      }
      perAddress.set(address, held + 1);
      const connection: Connection = { conn, address, busy: false };
      connections.add(connection);
      const served = serve(connection);
      serving.add(served);
      served.finally(() => serving.delete(served));
    }
  })();

  const addr = listener.addr;
  log.info("http.listening", {
    host,
    port: addr.port,
    mode,
    max_connections: maxConnections,
    max_per_address: maxPerAddress,
  });
  if (maxConnections < limits.maxConnections) {
    // The process may open few files (a low `ulimit -n`): connections must not take them all.
    log.warn("http.connections_lowered", { free_files: free, max_connections: maxConnections });
  }
  let closing: Promise<void> | undefined;
  return {
    addr,
    close() {
      closing ??= (async () => {
        stopping = true;
        closeQuietly(listener);
        if (pause !== undefined) {
          clearTimeout(pause.timer);
          pause.resume();
        }
        await accepting;
        // Idle connections go now; busy ones once answered (with `connection: close`).
        for (const connection of connections) {
          if (!connection.busy) closeQuietly(connection.conn);
        }
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
        for (const connection of connections) closeQuietly(connection.conn);
        await Promise.allSettled([...serving]);
        counted.close();
      })();
      return closing;
    },
  };
}

const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");

function closeQuietly(closer: { close(): void }): void {
  try {
    closer.close();
  } catch {
    // Closed already.
  }
}

/**
 * The URL of a request target as sent: origin-form (`/tg/hook?x`; `//x` is a path, as it was
 * for Deno.serve) or absolute-form; `undefined` for anything else (`*`), which no route has.
 */
function urlOf(target: string): URL | undefined {
  try {
    return new URL(target.startsWith("/") ? `http://localhost${target}` : target);
  } catch {
    return undefined;
  }
}

/**
 * A request's body as a stream that reads nothing until it is pulled (so a request refused
 * for its secret has nothing of its body read), then refuses a body announced
 * (`Content-Length`) or grown past the limit with 413, fails with 408 when the body has not
 * arrived within the timeout (counted from the head), and with 400 when it is cut off or
 * malformed. One piece at a time is read, when the reader asks for it: memory stays bounded
 * by the limit, whatever the client sends.
 */
class RequestBody {
  readonly stream: ReadableStream<Uint8Array>;
  /** Read to its end. */
  complete = false;
  #started = false;
  #received = 0;
  readonly #timer: ReturnType<typeof setTimeout>;
  readonly #late: Promise<never>;

  constructor(
    reader: BodyReader,
    head: RequestHead,
    limits: HttpLimits,
    sendContinue: () => Promise<void>,
  ) {
    let timer!: ReturnType<typeof setTimeout>;
    this.#late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new HttpError(408, "body too slow")), limits.bodyTimeoutMs);
    });
    this.#late.catch(() => {});
    this.#timer = timer;
    this.stream = new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          if (!this.#started) {
            this.#started = true;
            const { framing } = head;
            if (framing.kind === "length" && framing.length > limits.maxBodyBytes) {
              throw new HttpError(413, "body too large");
            }
            // The client waits for this before it sends the body: only now is it asked for.
            if (head.expectsContinue) await sendContinue();
          }
          const piece = await Promise.race([reader.next(), this.#late]);
          if (piece === null) {
            this.complete = true;
            this.dispose();
            controller.close();
            return;
          }
          this.#received += piece.length;
          if (this.#received > limits.maxBodyBytes) throw new HttpError(413, "body too large");
          controller.enqueue(piece);
        } catch (error) {
          this.dispose();
          controller.error(error instanceof HttpError ? error : new HttpError(400, "body cut off"));
        }
      },
    });
  }

  /** Stops the timer: the body is read, or the answer written. */
  dispose(): void {
    clearTimeout(this.#timer);
  }
}
