/**
 * The updates of the fake Bot API: {@link Updates} queues what the tests push (in update id
 * order) and hands it out by `getUpdates` — offsets confirm and drop updates, `limit`,
 * long polls held until an update comes, one poll at a time, `allowed_updates` as a
 * persistent setting — and keeps the webhook (`setWebhook`, `deleteWebhook`,
 * `getWebhookInfo`), which makes `getUpdates` answer 409.
 *
 * @module
 */

import type { Update } from "grammy/types";
import { FakeApiError, num, str } from "./requests.ts";

/** Marker returned by `getUpdates` when the client went away before the answer. */
export const CLIENT_GONE = Symbol("client gone");

/** Update types Telegram does not deliver unless explicitly listed in `allowed_updates`. */
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

/** Update types this fake knows (unknown types are always delivered). */
const KNOWN_UPDATE_TYPES = new Set([
  "message",
  "edited_message",
  "channel_post",
  "edited_channel_post",
  "business_connection",
  "business_message",
  "edited_business_message",
  "deleted_business_messages",
  "message_reaction",
  "message_reaction_count",
  "inline_query",
  "chosen_inline_result",
  "callback_query",
  "shipping_query",
  "pre_checkout_query",
  "purchased_paid_media",
  "poll",
  "poll_answer",
  "my_chat_member",
  "chat_member",
  "chat_join_request",
  "chat_boost",
  "removed_chat_boost",
]);

function updateType(update: Record<string, unknown>): string | undefined {
  return Object.keys(update).find((k) => k !== "update_id");
}

interface HeldPoll {
  wake(): void;
  release(): void;
}

/** The update queue and the webhook setting. */
export class Updates {
  #closed = false;
  #queue: Update[] = [];
  #nextUpdateId = 1;
  #lastOffset = 0;
  #allowedUpdates: Set<string> | null = null;
  #held: HeldPoll | null = null;
  #webhookUrl = "";

  /** Number of queued updates not yet confirmed by a `getUpdates` offset. */
  get pending(): number {
    return this.#queue.length;
  }

  /** The `offset` of the most recent `getUpdates` (0 before any). */
  get lastOffset(): number {
    return this.#lastOffset;
  }

  /** The current webhook URL (`""` when none). */
  get webhookUrl(): string {
    return this.#webhookUrl;
  }

  /** Answers a held `getUpdates` with `[]`; later polls are answered at once. */
  close(): void {
    this.#closed = true;
    this.#held?.release();
  }

  /**
   * Queues `update` in update id order and returns it with its id: the next id, or its own
   * numeric `update_id` unless `forceId` (later ids continue after it). Call {@link wake}
   * next.
   */
  queue(update: Record<string, unknown>, forceId: boolean): Update {
    const given = num(update.update_id);
    const id = !forceId && given !== undefined ? given : this.#nextUpdateId;
    this.#nextUpdateId = Math.max(this.#nextUpdateId, id + 1);
    const full = { ...update, update_id: id } as Update;
    let at = this.#queue.length;
    while (at > 0 && this.#queue[at - 1].update_id > id) at--;
    this.#queue.splice(at, 0, full);
    return full;
  }

  /** Lets a held `getUpdates` answer with what is queued. */
  wake(): void {
    this.#held?.wake();
  }

  /** `getUpdates`: confirms by `offset`, then answers at once or holds for `timeout` seconds. */
  async getUpdates(
    params: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<Update[] | typeof CLIENT_GONE> {
    if (this.#webhookUrl) {
      throw new FakeApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = num(params.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, num(params.limit) ?? 100));
    const timeout = Math.max(0, num(params.timeout) ?? 0);
    if (Array.isArray(params.allowed_updates)) {
      const list = params.allowed_updates.filter((t): t is string => typeof t === "string");
      this.#allowedUpdates = list.length > 0 ? new Set(list) : null;
    }
    this.#lastOffset = offset;
    if (offset > 0) {
      this.#queue = this.#queue.filter((u) => u.update_id >= offset);
    } else if (offset < 0) {
      this.#queue = this.#queue.slice(offset);
    }
    // Only one long poll at a time: the older one gets an empty answer.
    this.#held?.release();

    const first = this.#select(limit);
    if (first.length > 0 || timeout === 0 || this.#closed) return first;

    return await new Promise<Update[] | typeof CLIENT_GONE>((resolve) => {
      const finish = (result: Update[] | typeof CLIENT_GONE) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.#held === held) this.#held = null;
        resolve(result);
      };
      const onAbort = () => finish(CLIENT_GONE);
      const held: HeldPoll = {
        wake: () => {
          const batch = this.#select(limit);
          if (batch.length > 0) finish(batch);
        },
        release: () => finish([]),
      };
      const timer = setTimeout(() => finish([]), timeout * 1000);
      signal.addEventListener("abort", onAbort);
      this.#held = held;
      if (signal.aborted) onAbort();
    });
  }

  /** Drops queued updates of disallowed known types and returns the first `limit` others. */
  #select(limit: number): Update[] {
    const allowed = this.#allowedUpdates;
    this.#queue = this.#queue.filter((u) => {
      const type = updateType(u as unknown as Record<string, unknown>);
      if (type === undefined || !KNOWN_UPDATE_TYPES.has(type)) return true;
      return allowed ? allowed.has(type) : !OPT_IN_UPDATES.has(type);
    });
    return this.#queue.slice(0, limit);
  }

  /** `setWebhook`; `drop_pending_updates` empties the queue. */
  setWebhook(params: Record<string, unknown>): true {
    this.#webhookUrl = str(params.url) ?? "";
    if (params.drop_pending_updates === true) this.#queue = [];
    return true;
  }

  /** `deleteWebhook`; `drop_pending_updates` empties the queue. */
  deleteWebhook(params: Record<string, unknown>): true {
    this.#webhookUrl = "";
    if (params.drop_pending_updates === true) this.#queue = [];
    return true;
  }

  /** `getWebhookInfo`. */
  webhookInfo(): Record<string, unknown> {
    return {
      url: this.#webhookUrl,
      has_custom_certificate: false,
      pending_update_count: this.#queue.length,
      max_connections: 40,
      ...(this.#allowedUpdates ? { allowed_updates: [...this.#allowedUpdates] } : {}),
    };
  }
}
