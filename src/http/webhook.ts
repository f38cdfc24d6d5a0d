/**
 * Webhook mode: the request handler for the updates Telegram posts. The secret header is
 * compared in constant time, before anything of the body is read; a body over the server's
 * limit gets 413 (408 when it does not arrive in time), one that is not an update 400; the
 * update is handled (`src/telegram/intake.ts`) in a batch of the commit boundary, one at a time, and the answer is
 * 200 only after it has committed, so Telegram re-sends anything not acknowledged (and the
 * desk ignores an update it has handled already). Rejected requests are logged as counts
 * (at most a line a minute per kind), since anyone can send them by the thousand.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import type { Update } from "grammy/types";
import type { CommitBoundary } from "../boundary.ts";
import { isStorageFault } from "../store/db.ts";
import type { Intake } from "../telegram/intake.ts";
import { secretsEqual } from "../base/secrets.ts";
import type { Logger } from "../base/log.ts";
import type { CountedLog } from "./counted_log.ts";
import { HttpError } from "./limits.ts";

/** The header in which Telegram sends the webhook's secret token. */
export const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

/** Whether `value` has the one field every update has: an integer `update_id`. */
export function isUpdate(value: unknown): value is Update {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const id = (value as Record<string, unknown>).update_id;
  return typeof id === "number" && Number.isSafeInteger(id) && id >= 0;
}

/**
 * Handles one POST of an update: 401 without the right secret (nothing read, nothing
 * changed), 413 or 408 for a body over the limit or too slow (the {@link HttpError} its body
 * fails with), 400 for a body that is not an update, 500 when storage failed (nothing of it
 * stays; Telegram sends it again later), 200 once handled or, after a bug, parked. Rejections go to `rejected` (`webhook.unauthorized`,
 * `webhook.bad_request` with a reason), which counts them. The bot must be initialised
 * (`bot.init()`).
 */
export function webhookHandler(
  intake: Intake,
  boundary: CommitBoundary,
  secret: string,
  log: Logger,
): (request: Request, rejected: CountedLog) => Promise<Response> {
  // One update at a time (Telegram sends one at a time too, with max_connections 1): each is
  // a batch of its own, committed before the next begins and before its answer.
  let turn: Promise<unknown> = Promise.resolve();
  const handle = (update: Update): Promise<Response> => {
    const handled = turn.then(() => take(update));
    turn = handled.catch(() => {});
    return handled;
  };
  const take = async (update: Update): Promise<Response> => {
    boundary.begin();
    try {
      // A bug parks the update (it is kept: 200); a fault of storage is thrown.
      await intake.take(update);
      boundary.commit();
    } catch (error) {
      boundary.abort();
      // A storage outage is logged by the boundary, once; anything else is said here.
      if (!isStorageFault(error)) {
        log.error("update.failed", {
          update_id: update.update_id,
          error: errorText(error),
        });
      }
      return plainResponse(500, "update not handled");
    }
    return plainResponse(200, "ok");
  };
  return async (request, rejected) => {
    if (!secretsEqual(request.headers.get(SECRET_HEADER) ?? "", secret)) {
      rejected.note("webhook.unauthorized");
      return plainResponse(401, "unauthorized");
    }
    let body: string;
    try {
      body = await request.text();
    } catch (error) {
      const refused = error instanceof HttpError ? error : new HttpError(400, "body not read");
      rejected.note("webhook.bad_request", { reason: refused.reason, status: refused.status });
      return plainResponse(refused.status, `the ${refused.reason}`);
    }
    let update: unknown;
    try {
      update = JSON.parse(body);
    } catch {
      rejected.note("webhook.bad_request", { reason: "not JSON" });
      return plainResponse(400, "the body is not JSON");
    }
    if (!isUpdate(update)) {
      rejected.note("webhook.bad_request", { reason: "not an update" });
      return plainResponse(400, "the body is not an update");
    }
    return await handle(update);
  };
}

/** A plain-text answer with `status` (also used by the HTTP server for 404 and 405). */
export function plainResponse(status: number, body: string, headers: HeadersInit = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", ...headers },
  });
}
