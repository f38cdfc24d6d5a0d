/**
 * Talking HTTP to the bot's own server byte by byte, as a misbehaving client would: raw TCP
 * connections that record what they receive and when they were closed, and a bot in webhook
 * mode in this process with its HTTP limits changed (shorter timeouts) and its log kept.
 *
 * @module
 */
import assert from "node:assert/strict";
import { type App, startApp } from "../../src/app.ts";
import { parseConfig } from "../../src/config/mod.ts";
import type { HttpLimits } from "../../src/http/limits.ts";
import { createLogger } from "../../src/base/log.ts";
import { SUPPORT_TOKEN } from "./harness.ts";
import { FakeTelegram } from "./telegram.ts";
import { WEBHOOK_ENV } from "./webhook_client.ts";

const encoder = new TextEncoder();
/** Resolves after `ms`. */
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Raw connections not closed yet (closed by {@link TestBot.close}). */
const opened = new Set<Raw>();

/** A bot in webhook mode in this process, with `limits` changed, and its log. */
export interface TestBot {
  readonly tg: FakeTelegram;
  readonly app: App;
  readonly port: number;
  readonly url: string;
  readonly logs: string[];
  close(): Promise<void>;
}

/**
 * Starts a {@link TestBot} against a fresh fake Telegram, in a fresh folder; `env` changes its
 * settings (`HOST`, say).
 */
export async function startBot(
  limits: Partial<HttpLimits>,
  env: Record<string, string> = {},
): Promise<TestBot> {
  const tg = await FakeTelegram.start();
  const dir = await Deno.makeTempDir({ prefix: "helpdesk-http-" });
  const logs: string[] = [];
  const config = parseConfig({
    BOT_TOKEN: tg.token,
    SUPPORT_TOKEN,
    DATABASE_PATH: `${dir}/helpdesk.db`,
    TELEGRAM_API_URL: tg.apiRoot,
    ...WEBHOOK_ENV,
    ...env,
  });
  const log = createLogger("debug", "text", (line) => logs.push(line));
  const app = await startApp({ ...config, server: { ...config.server, limits } }, log);
  assert.ok(app.http, "the bot runs an HTTP server");
  const port = app.http.addr.port;
  let closed = false;
  return {
    tg,
    app,
    port,
    url: `http://127.0.0.1:${port}`,
    logs,
    async close() {
      if (closed) return;
      closed = true;
      // A connection left open by a failed test would hold up the stop (a request in flight).
      await Promise.all([...opened].map((raw) => raw.close()));
      await app.stop();
      await tg.close();
      await Deno.remove(dir, { recursive: true });
    },
  };
}

/** A raw TCP connection to the bot: what it received, and when it was closed. */
export class Raw {
  text = "";
  /** When the connection was closed, by either side (`undefined`: still open). */
  closedAt: number | undefined;
  /** Settles when the connection is closed. */
  readonly closed: Promise<void>;

  constructor(readonly conn: Deno.Conn) {
    opened.add(this);
    this.closed = this.#read();
  }

  async #read(): Promise<void> {
    const buffer = new Uint8Array(16 * 1024);
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const n = await this.conn.read(buffer);
        if (n === null) break;
        this.text += decoder.decode(buffer.subarray(0, n));
      }
    } catch {
      // Reset by the bot, or closed by the test: closed either way.
    }
    this.closedAt = performance.now();
    opened.delete(this);
  }

  close(): Promise<void> {
    try {
      this.conn.close();
    } catch { /* already closed */ }
    return this.closed;
  }
}

/** Opens a raw connection to `port` of `hostname` and sends `head`. */
export async function openRaw(port: number, head = "", hostname = "127.0.0.1"): Promise<Raw> {
  const raw = new Raw(await Deno.connect({ hostname, port }));
  if (head) await raw.conn.write(encoder.encode(head));
  return raw;
}

/** Waits until `done()` or `ms` pass; whether it became true. */
export async function until(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!done()) {
    if (performance.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** The status of the first answer in `text` (0: none). */
export function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

/** One request on a connection of its own; its first answer's status (0: closed unanswered). */
export async function rawRequest(port: number, request: string, ms = 5000): Promise<number> {
  const watched = await openRaw(port, request);
  await until(() => watched.closedAt !== undefined || watched.text.includes("\r\n\r\n"), ms);
  await watched.close();
  return statusOf(watched.text);
}
