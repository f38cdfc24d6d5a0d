/**
 * Long polling, written out so that the delivery guarantee is visible in one loop: take a
 * batch with `getUpdates`, hand each update to grammY (`intake.ts`) inside one batch of the
 * commit boundary (`src/boundary.ts`), commit, and only then ask for the next batch with an
 * offset past it, which is what tells Telegram the batch is handled. A batch that cannot be
 * committed (storage failed) is not confirmed: the same updates are asked for again, after a
 * growing wait. (grammY's `bot.start()` gives no point between handling a batch and
 * confirming it, hence this loop.)
 *
 * @module
 */
import { doubling, sleep } from "../base/wait.ts";
import { errorText } from "../base/errors.ts";
import { type Bot, GrammyError } from "grammy";
import type { Update } from "grammy/types";
import { setImmediate } from "node:timers";
import type { CommitBoundary } from "../boundary.ts";
import type { Logger } from "../base/log.ts";
import { isStorageFault } from "../store/db.ts";
import { stages } from "../base/stages.ts";
import type { Intake } from "./intake.ts";

/** How polling asks for updates. */
export interface PollingOptions {
  /** Seconds a `getUpdates` waits for updates (Telegram's long-polling timeout). */
  readonly timeoutSeconds: number;
  /** The update types asked for. */
  readonly allowedUpdates: readonly UpdateType[];
}

/** A kind of update, as `allowed_updates` names it. */
export type UpdateType = Exclude<keyof Update, "update_id">;

/** Seconds to wait after a failed `getUpdates` without `retry_after` (as grammY does). */
const RETRY_SECONDS = 3;

/** The first wait before a batch that storage refused is tried again; it doubles each time. */
const FIRST_HOLD_MS = 250;
/** The longest wait between two tries of a refused batch. */
const MAX_HOLD_MS = 30_000;

/** grammY's npm types name the abort-controller shim's signal; its web build uses Deno's own. */
type ApiSignal = Parameters<Bot["api"]["getUpdates"]>[1];

/** The long-polling loop of one bot. */
export class Polling {
  readonly #bot: Bot;
  readonly #intake: Intake;
  readonly #boundary: CommitBoundary;
  readonly #options: PollingOptions;
  readonly #log: Logger;
  readonly #abort = new AbortController();
  #running = false;
  /** The first update id not yet handled and committed. */
  #offset = 0;
  /** How many times in a row the batch at {@link #offset} could not be committed. */
  #held = 0;

  constructor(
    bot: Bot,
    intake: Intake,
    boundary: CommitBoundary,
    options: PollingOptions,
    log: Logger,
  ) {
    this.#bot = bot;
    this.#intake = intake;
    this.#boundary = boundary;
    this.#options = options;
    this.#log = log;
  }

  /** Whether the loop runs (from {@link run} until it is stopped or fails). */
  get running(): boolean {
    return this.#running;
  }

  /**
   * Removes any webhook (a webhook left from webhook mode would make every `getUpdates` fail
   * with 409), calls `onStart`, then polls until {@link stop}. Rejects on what polling cannot
   * get past: a token Telegram refuses (401) or another poller on the same token (409).
   */
  async run(onStart: () => void): Promise<void> {
    this.#running = true;
    try {
      await this.#retrying(() => this.#bot.api.deleteWebhook({}, this.#signal()));
      if (!this.#running) return;
      onStart();
      let allowed: readonly UpdateType[] | undefined = this.#options.allowedUpdates;
      while (this.#running) {
        const updates = await this.#fetch(allowed);
        if (updates === undefined) continue;
        // Telegram keeps the last `allowed_updates`: the first request is enough (as grammY).
        allowed = undefined;
        if (updates.length > 0) {
          stages?.received();
          await this.#handle(updates);
          // The commit woke the sender for the next turn of the event loop: let it send what
          // the batch wrote before the next getUpdates is built (a relayed message's latency
          // would carry that request's cost).
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      await this.#confirm();
    } finally {
      this.#running = false;
    }
  }

  /**
   * Stops polling: the `getUpdates` in flight is cancelled, the batch being handled finishes
   * and commits, and the last offset is confirmed to Telegram before {@link run} resolves.
   */
  stop(): void {
    this.#running = false;
    this.#abort.abort();
  }

  /** One `getUpdates`; `undefined` after a failure (logged and waited out) or when stopped. */
  async #fetch(allowed: readonly UpdateType[] | undefined): Promise<Update[] | undefined> {
    try {
      return await this.#bot.api.getUpdates({
        offset: this.#offset,
        timeout: this.#options.timeoutSeconds,
        ...(allowed ? { allowed_updates: allowed } : {}),
      }, this.#signal());
    } catch (error) {
      if (!this.#running) return undefined;
      if (error instanceof GrammyError && (error.error_code === 401 || error.error_code === 409)) {
        throw error;
      }
      this.#log.warn("polling.failed", { error: describe(error) });
      const wait = error instanceof GrammyError ? error.parameters.retry_after : undefined;
      await this.#sleep((wait ?? RETRY_SECONDS) * 1000);
      return undefined;
    }
  }

  /**
   * Handles a batch inside one transaction, commits it, then moves the offset past it. When
   * storage fails (the boundary logs the outage), the batch is undone and not confirmed: after
   * a growing wait the same updates are asked for again (Telegram keeps them 24 hours).
   */
  async #handle(updates: readonly Update[]): Promise<void> {
    this.#boundary.begin();
    try {
      for (const update of updates) await this.#intake.take(update);
      this.#boundary.commit();
    } catch (error) {
      this.#boundary.abort();
      this.#held++;
      // A storage fault's outage is logged by the boundary, once; anything else is said here.
      if (this.#held === 1 && !isStorageFault(error)) {
        this.#log.error("polling.held", { offset: this.#offset, error: describe(error) });
      }
      await this.#sleep(doubling(this.#held, FIRST_HOLD_MS, MAX_HOLD_MS));
      return;
    }
    this.#held = 0;
    this.#offset = updates[updates.length - 1].update_id + 1;
  }

  /** Tells Telegram the committed updates are handled, so a restart does not get them again. */
  async #confirm(): Promise<void> {
    if (this.#offset === 0) return;
    try {
      await this.#bot.api.getUpdates({ offset: this.#offset, limit: 1, timeout: 0 });
    } catch (error) {
      this.#log.warn("polling.failed", { error: describe(error) });
    }
  }

  /** Runs `call` until it succeeds, retrying network failures, 5xx and 429 (as grammY does). */
  async #retrying(call: () => Promise<unknown>): Promise<void> {
    let delay = 50;
    while (this.#running) {
      try {
        await call();
        return;
      } catch (error) {
        if (!this.#running) return;
        if (error instanceof GrammyError && error.error_code < 500 && error.error_code !== 429) {
          throw error;
        }
        const wait = error instanceof GrammyError ? error.parameters.retry_after : undefined;
        await this.#sleep(wait !== undefined ? wait * 1000 : delay);
        delay = Math.min(2 * delay, 20 * 60_000);
      }
    }
  }

  #signal(): ApiSignal {
    // The same object at run time; only the npm typings of grammY differ from Deno's.
    return this.#abort.signal as unknown as ApiSignal;
  }

  /** Waits `ms`, or less when stopped meanwhile. */
  async #sleep(ms: number): Promise<void> {
    await sleep(ms, this.#abort.signal);
  }
}

/** What a failed call says, for the log: Telegram's code and description, or the error. */
function describe(error: unknown): string {
  if (error instanceof GrammyError) return `${error.error_code}: ${error.description}`;
  return errorText(error);
}
