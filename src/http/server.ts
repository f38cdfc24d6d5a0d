/**
 * The bot's HTTP server (`Deno.serve`): the webhook on the path of `WEBHOOK_URL` (POST only)
 * and `GET /healthz`; everything else is 404. Runs on `PORT` in webhook mode and on
 * `HEALTH_PORT` (health only) in polling mode.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";
import { HEALTH_PATH } from "../config.ts";
import { type Health, healthResponse, type LiveState } from "./health.ts";
import type { Logger } from "../log.ts";
import { plainResponse } from "./webhook.ts";

/** What {@link startHttpServer} serves and where. */
export interface HttpOptions {
  readonly host: string;
  readonly port: number;
  readonly db: DatabaseSync;
  readonly mode: Health["mode"];
  /** The bot's live state for `/healthz` (storage faults and the like). */
  readonly state?: () => LiveState;
  /** The webhook: its path and handler (webhook mode only). */
  readonly webhook?: { readonly path: string; readonly handle: (r: Request) => Promise<Response> };
}

/** A listening server. */
export interface HttpServer {
  /** The address actually bound (the port is known even when 0 was asked for). */
  readonly addr: Deno.NetAddr;
  /** Stops listening and waits for requests in flight (their updates commit first). */
  close(): Promise<void>;
}

/** Starts listening; throws one readable line when the address cannot be bound. */
export function startHttpServer(options: HttpOptions, log: Logger): HttpServer {
  const { host, port, db, mode, webhook } = options;
  const route = (request: Request): Response | Promise<Response> => {
    const path = new URL(request.url).pathname;
    if (path === HEALTH_PATH) {
      if (request.method !== "GET" && request.method !== "HEAD") {
        return plainResponse(405, "method not allowed", { allow: "GET, HEAD" });
      }
      return healthResponse(db, mode, options.state?.());
    }
    if (webhook !== undefined && path === webhook.path) {
      if (request.method !== "POST") {
        return plainResponse(405, "method not allowed", { allow: "POST" });
      }
      return webhook.handle(request);
    }
    return plainResponse(404, "not found");
  };
  let server: Deno.HttpServer<Deno.NetAddr>;
  try {
    server = Deno.serve({ hostname: host, port, onListen() {} }, route);
  } catch (error) {
    throw new Error(`cannot listen on ${host}:${port}: ${(error as Error).message}`);
  }
  log.info("http.listening", { host, port: server.addr.port, mode });
  let closing: Promise<void> | undefined;
  return {
    addr: server.addr,
    close() {
      closing ??= server.shutdown();
      return closing;
    },
  };
}
