/**
 * Taking in one update, for long polling, the webhook and the start alike: grammY handles it
 * inside the open batch of the commit boundary. When handling fails, the cause decides:
 *
 * - **a fault of storage** (disk full, locked, read-only, gone) is thrown on: the caller must
 *   not confirm the batch, so Telegram hands the updates out again once storage is back;
 * - **a bug** (anything else) parks the update: its JSON and the error, without the bot's
 *   secrets (`store/redact.ts`), are written to `dead_letters` in the same batch, so it is
 *   confirmed without being lost, never blocks the updates after it, is counted for admins,
 *   and is tried again at the next start ({@link Intake.retryParked}), as it came. Parked
 *   updates are capped and pruned (`store/updates.ts`); what goes is logged and counted.
 *
 * @module
 */
import { errorText } from "../base/errors.ts";
import { type Bot, Context } from "grammy";
import type { Update } from "grammy/types";
import type { CommitBoundary } from "../boundary.ts";
import type { Logger } from "../base/log.ts";
import { isStorageFault } from "../store/db.ts";
import type { Store } from "../store/mod.ts";
import { redactText, redactUpdate, restoreUpdate, type Secrets } from "../store/redact.ts";

/** What became of an update. */
export type Taken = "handled" | "parked";

/** What the intake writes of parked updates. */
export type ParkingStore = Pick<Store, "parkUpdate" | "parkedUpdates" | "unpark">;

/** The end of the middleware chain. */
const leaf = () => Promise.resolve();

/** Parked updates read at a time when they are tried again. */
const PAGE = 100;

/** Hands updates to grammY; see the module's comment. */
export class Intake {
  readonly #bot: Bot;
  readonly #boundary: CommitBoundary;
  readonly #store: ParkingStore;
  readonly #log: Logger;
  readonly #secrets: Secrets;

  constructor(
    bot: Bot,
    boundary: CommitBoundary,
    store: ParkingStore,
    log: Logger,
    secrets: Secrets,
  ) {
    this.#bot = bot;
    this.#boundary = boundary;
    this.#store = store;
    this.#log = log;
    this.#secrets = secrets;
  }

  /**
   * Handles `update` inside the open batch (the caller begins and commits it). Resolves with
   * whether it was handled or parked; rejects with the error when storage failed.
   */
  async take(update: Update): Promise<Taken> {
    try {
      await this.#handle(update);
      return "handled";
    } catch (error) {
      // The error decides (run here, not through grammY's `handleUpdate`: no BotError wraps it).
      if (isStorageFault(error)) throw error;
      const message = redactText(errorText(error), this.#secrets);
      // Logged with its id and the error, never the update (it may hold a message's text).
      this.#log.error("update.failed", { update_id: update.update_id, error: message });
      const { json, tokenMark } = redactUpdate(update, this.#secrets);
      const dropped = this.#boundary.write((now) =>
        this.#store.parkUpdate(update.update_id, json, tokenMark, message, now)
      );
      if (dropped > 0) {
        this.#log.warn("updates.dropped", { reason: "too many parked", count: dropped });
      }
      return "parked";
    }
  }

  /**
   * grammY's `handleUpdate` without what it makes for every update and this bot does not use:
   * an `Api` of the update's own (the bot's transformers copied into it) and a `BotError`
   * around what a handler throws. The handlers call Telegram through the bot's one `Api`.
   */
  async #handle(update: Update): Promise<void> {
    const bot = this.#bot;
    await bot.middleware()(new Context(update, bot.api, bot.botInfo), leaf);
  }

  /**
   * Tries every parked update again, oldest first, each in a batch of its own: one handled at
   * last leaves `dead_letters`; one that fails again stays, with one more attempt counted.
   * Stops at a storage fault (they wait for the next start). Returns how many were handled
   * and how many are still parked.
   */
  async retryParked(): Promise<{ handled: number; parked: number }> {
    let handled = 0;
    let parked = 0;
    let after = 0;
    for (;;) {
      const page = this.#store.parkedUpdates(after, PAGE);
      if (page.length === 0) break;
      for (const entry of page) {
        after = entry.updateId;
        let update: Update;
        try {
          update = restoreUpdate(entry.updateJson, entry.tokenMark, this.#secrets) as Update;
        } catch {
          parked++;
          continue;
        }
        this.#boundary.begin();
        try {
          if (await this.take(update) === "handled") {
            this.#boundary.write(() => this.#store.unpark(entry.updateId));
            handled++;
          } else {
            parked++;
          }
          this.#boundary.commit();
        } catch (error) {
          this.#boundary.abort();
          if (!isStorageFault(error)) throw error;
          this.#log.warn("updates.retry_stopped", { error: errorText(error) });
          return { handled, parked };
        }
      }
    }
    if (handled + parked > 0) this.#log.info("updates.retried", { handled, parked });
    return { handled, parked };
  }
}
