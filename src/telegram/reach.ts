/**
 * The first contact with Telegram at start (`getMe`), with errors a person can act on: a
 * token Telegram rejects, a `TELEGRAM_API_URL` that is not a Bot API root, and a Telegram
 * that cannot be reached, which is tried again and again, saying at a calm pace that it is
 * still trying, where, and why (the name did not resolve, the connection was refused, no
 * answer in time), with a word on `HTTPS_PROXY`.
 *
 * @module
 */
import { sleep } from "../base/wait.ts";
import { type Api, GrammyError, HttpError } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { ConfigError } from "../config/mod.ts";
import type { Logger } from "../base/log.ts";
import { TransportError } from "../outbox/failures.ts";

/** How the tries are paced. */
export interface ReachPace {
  /** The waits between tries, in ms; the last one repeats. */
  readonly retryMs: readonly number[];
  /** At most one "still trying" line per this many ms. */
  readonly reportMs: number;
}

/** Tries after 1, 2, 4, 8, 15 s, then every 30 s; a line every 30 s while it lasts. */
export const DEFAULT_PACE: ReachPace = {
  retryMs: [1000, 2000, 4000, 8000, 15_000, 30_000],
  reportMs: 30_000,
};

/** What Telegram's refusal of `getMe` means, as one line (a {@link ConfigError}). */
export function startError(error: GrammyError, apiUrl: string): ConfigError {
  const code = error.error_code;
  if (code === 401) return tokenRejected(`401 Unauthorized at ${apiUrl}`);
  if (code === 404) return notTheRoot(apiUrl);
  return new ConfigError(
    `Telegram at ${apiUrl} refused getMe (${code} ${error.description || "no description"})`,
  );
}

function notTheRoot(apiUrl: string): ConfigError {
  return new ConfigError(
    `TELEGRAM_API_URL ${apiUrl} answered 404 Not Found to getMe: it must be the Bot API ` +
      "root (https://api.telegram.org, or your Bot API server's address), without /bot or a token",
  );
}

/** Whether `getMe` was answered by a 404 page that is not Telegram's (`client.ts`). */
function notFoundPage(error: unknown): boolean {
  return error instanceof HttpError && error.error instanceof TransportError &&
    error.error.status === 404;
}

function tokenRejected(detail: string): ConfigError {
  return new ConfigError(
    `Telegram rejected BOT_TOKEN (${detail}): the token is wrong or was revoked; ` +
      "copy it again from @BotFather (/mybots → API Token)",
  );
}

/**
 * The line a running bot ends with when Telegram refuses it for good (polling throws these):
 * 401, the token revoked; 409, another program taking this bot's updates.
 */
export function fatalMessage(error: GrammyError): string {
  if (error.error_code === 401) return tokenRejected("401 Unauthorized").message;
  if (error.error_code === 409) {
    return "Telegram gives this bot's updates to another program (409 Conflict): another " +
      "copy of the bot runs with the same BOT_TOKEN, or a webhook was set meanwhile; stop it first";
  }
  return `Telegram refused ${error.method} (${error.error_code} ${error.description})`;
}

/**
 * `getMe` until Telegram answers: a refusal (401, 404, …) throws a {@link ConfigError}, and so
 * does a 404 page that is not Telegram's (`TELEGRAM_API_URL` names some other web server); a
 * network failure, or another answer that is not Telegram's (a proxy's 403 or 502 page), is
 * logged (`telegram.unreachable`, then `telegram.still_unreachable` every `pace.reportMs`)
 * and tried again. `signal` ends the waiting (it then throws its reason).
 */
export async function reachTelegram(
  api: Api,
  apiUrl: string,
  log: Logger,
  pace: ReachPace = DEFAULT_PACE,
  signal?: AbortSignal,
): Promise<UserFromGetMe> {
  const started = Date.now();
  let lastReport = 0;
  for (let attempt = 0;; attempt++) {
    signal?.throwIfAborted();
    try {
      const me = await api.getMe();
      if (attempt > 0) {
        log.info("telegram.reachable", { url: apiUrl, after_s: seconds(Date.now() - started) });
      }
      return me;
    } catch (error) {
      if (error instanceof GrammyError) throw startError(error, apiUrl);
      if (notFoundPage(error)) throw notTheRoot(apiUrl);
      const wait = pace.retryMs[Math.min(attempt, pace.retryMs.length - 1)];
      const { problem, detail } = unreachable(error, apiUrl);
      if (attempt === 0) {
        log.warn("telegram.unreachable", {
          url: apiUrl,
          problem,
          error: detail,
          retrying: true,
          next_try_s: seconds(wait),
          hint: PROXY_HINT,
        });
        lastReport = Date.now();
      } else if (Date.now() - lastReport >= pace.reportMs) {
        log.warn("telegram.still_unreachable", {
          url: apiUrl,
          problem,
          error: detail,
          for_s: seconds(Date.now() - started),
          next_try_s: seconds(wait),
        });
        lastReport = Date.now();
      }
      if (!(await sleep(wait, signal))) throw signal?.reason;
    }
  }
}

function seconds(ms: number): number {
  return Math.round(ms / 100) / 10;
}

/**
 * What to try when Telegram cannot be reached at all. Deno's `fetch` takes its proxy from the
 * process environment only: a `.env` file does not reach it.
 */
export const PROXY_HINT = "if this machine reaches the internet through a proxy, set " +
  "HTTPS_PROXY=http://host:port in the environment (.env is not read for it); " +
  "if it is already set, the proxy may be what failed";

/**
 * Why a request to `apiUrl` got no answer, as words a person can act on (`problem`: the
 * name did not resolve, the connection was refused, no answer in time, …), and the network
 * error itself (`detail`), with any `/bot<token>` in it masked. grammY's own message only
 * says that the request failed; Deno's says why in the error's cause.
 */
export function unreachable(error: unknown, apiUrl: string): { problem: string; detail: string } {
  const detail = networkError(error)
    .replace(/^error sending request for url \([^)]*\): /, "")
    .replace(/\/bot[^/\s)]*/g, "/bot…")
    .slice(0, 200);
  let [where, name] = [apiUrl, apiUrl];
  try {
    ({ host: where, hostname: name } = new URL(apiUrl));
  } catch { /* said as given */ }
  const seconds = /timed out after (\d+) seconds?/.exec(detail)?.[1];
  const problem = seconds !== undefined || /timed? ?out/i.test(detail)
    ? `no answer from ${where}${seconds ? ` within ${seconds} s` : ""} (timed out): ` +
      "a firewall may be dropping the traffic"
    : /dns error|failed to lookup|name or service not known|name resolution|nodename/i.test(detail)
    ? `the name ${name} did not resolve (DNS): ` +
      "no network, no DNS server, or a typo in TELEGRAM_API_URL"
    : /connection refused/i.test(detail)
    ? `connection refused at ${where}: nothing listens there`
    : /reset|broken pipe|connection closed|unexpected eof|incomplete message/i.test(detail)
    ? `the connection to ${where} was cut before an answer`
    : /certificate|tls|ssl|handshake/i.test(detail)
    ? `the secure connection to ${where} failed (TLS)`
    : `no answer from ${where}`;
  return { problem, detail };
}

/** The innermost message of a network failure: grammY's error → fetch's → its cause. */
function networkError(error: unknown): string {
  let message = "";
  let e = error as { message?: unknown; error?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.message === "string" && e.message) message = e.message;
    e = (e.error ?? e.cause) as typeof e;
  }
  return message || String(error);
}
