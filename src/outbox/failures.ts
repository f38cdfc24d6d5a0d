/**
 * What a failed send means, and how long to wait: a pure judgement of the error a Bot API
 * call ended with (Telegram's error code and description, or a network failure), the backoff
 * of a retry, and the number of retries a delivery gets before it gives up. No Telegram, no
 * database.
 *
 * Only Telegram's own answer is a verdict: its JSON (`ok: false`, `error_code`,
 * `description`), which grammY hands over as a `GrammyError`. Whatever else comes back (a
 * proxy's or firewall's HTML 403, a 404 or 400 page, a body that is not JSON, JSON without
 * those fields) says nothing about the chat or the message: the client throws it as a
 * {@link TransportError}, grammY wraps it in an `HttpError`, and it is retried like a 5xx.
 * Else a proxy's 403 would close a client's ticket or make an agent unavailable, and a 404
 * page would refuse a message for good.
 *
 * @module
 */
import { doubling } from "../base/wait.ts";
import { errorText } from "../base/errors.ts";
import { GrammyError, HttpError } from "grammy";

/**
 * An HTTP error answer that is not Telegram's own (see the module's comment), thrown by the
 * client (`src/telegram/client.ts`) in place of the answer. `status` and `statusText` are the
 * HTTP status (grammY puts them in its message); the message keeps a piece of the body.
 */
export class TransportError extends Error {
  override name = "TransportError";
  constructor(
    readonly status: number,
    readonly statusText: string,
    message: string,
  ) {
    super(message);
  }
}

/** What to do after a failed send. */
export type Verdict =
  /** 429: wait `waitMs` (Telegram's `retry_after`, capped when it is beyond reason). */
  | { readonly kind: "rate_limited"; readonly waitMs: number; readonly cappedFromS?: number }
  /** Telegram's 403, or its "chat not found": the chat is gone for the bot. */
  | { readonly kind: "unreachable"; readonly status: number; readonly description: string }
  /** Any other 4xx of Telegram's: this delivery can never be sent as it is. */
  | { readonly kind: "rejected"; readonly status: number; readonly description: string }
  /**
   * 5xx, 401, a timeout, a network failure, or an answer that is not Telegram's (whatever its
   * status): it may go later.
   */
  | { readonly kind: "retry"; readonly status: number | null; readonly description: string };

/** The longest wait a 429 is given; Telegram asks for seconds, now and then minutes. */
export const MAX_RETRY_AFTER_S = 3600;

/** Judges the error a Bot API call ended with. */
export function judge(error: unknown): Verdict {
  if (error instanceof GrammyError) {
    const status = error.error_code;
    const description = error.description || `HTTP ${status}`;
    if (status === 429) {
      const asked = error.parameters?.retry_after;
      const seconds = typeof asked === "number" && Number.isFinite(asked) && asked > 0 ? asked : 1;
      if (seconds > MAX_RETRY_AFTER_S) {
        return { kind: "rate_limited", waitMs: MAX_RETRY_AFTER_S * 1000, cappedFromS: seconds };
      }
      return { kind: "rate_limited", waitMs: seconds * 1000 };
    }
    if (status === 403 || /chat not found/i.test(description)) {
      return { kind: "unreachable", status, description };
    }
    // 401: the token itself was refused. That is no fault of this delivery, and polling stops
    // the bot on it; the delivery waits for a bot with a good token.
    if (status >= 400 && status < 500 && status !== 401) {
      return { kind: "rejected", status, description };
    }
    return { kind: "retry", status, description };
  }
  if (error instanceof HttpError || error instanceof TransportError) {
    return transportFailure(error);
  }
  return { kind: "retry", status: null, description: String((error as Error)?.message ?? error) };
}

/** A failure on the way to Telegram: retried, with the HTTP status when there was one. */
function transportFailure(error: HttpError | TransportError): Verdict {
  const cause = error instanceof HttpError ? error.error : error;
  if (cause instanceof TransportError) {
    return { kind: "retry", status: cause.status, description: cause.message };
  }
  const said = errorText(cause);
  return { kind: "retry", status: null, description: `${error.message} ${said}`.trim() };
}

/** The first retry's wait; each next one doubles, up to {@link MAX_BACKOFF_MS}. */
const FIRST_BACKOFF_MS = 250;
/** The longest wait between two tries. */
export const MAX_BACKOFF_MS = 60_000;

/** The wait before try `attempt + 1` (1-based), without jitter. */
function plainBackoff(attempt: number): number {
  return doubling(attempt, FIRST_BACKOFF_MS, MAX_BACKOFF_MS);
}

/** The wait before the next try after `attempt` failed tries, with ±25 % jitter. */
export function backoffMs(attempt: number, random: number = Math.random()): number {
  return plainBackoff(attempt) * (0.75 + random / 2);
}

/**
 * How many failed tries a delivery gets before it gives up, so that giving up takes about
 * `limitMs` of waiting. Counted in tries rather than read off the wall clock: a step of the
 * clock neither makes a delivery give up early nor keeps it trying forever.
 */
export function triesWithin(limitMs: number): number {
  let waited = 0;
  let attempt = 0;
  while (waited < limitMs) {
    attempt++;
    waited += plainBackoff(attempt);
  }
  return Math.max(1, attempt);
}
