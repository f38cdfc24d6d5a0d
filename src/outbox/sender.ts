/**
 * The outbox sender: delivers what the desk wrote to the `deliveries` table, after it is
 * committed (see `src/boundary.ts`). One worker per chat keeps each chat's order; the rate
 * limiter keeps under Telegram's limits; 429 waits `retry_after`, 403 and 400 are failures
 * for good handed back to the desk, and any other failure is retried with backoff. A delivery
 * is marked sent as soon as Telegram accepts it.
 *
 * Written here rather than taken from a library: the outbox must live in the same SQLite
 * transaction as the state change that causes it (grammY's plugins queue in memory, and
 * their rate limiting drops or delays without a record), and its order, pacing and retries
 * must survive a restart. The sender takes only the narrow interfaces below; it never
 * imports the desk.
 *
 * @module
 */
import type { Api } from "grammy";
import { GrammyError } from "grammy";
import { setImmediate } from "node:timers";
import type { CommitBoundary } from "../boundary.ts";
import type { Logger } from "../log.ts";
import type { Delivery, Store } from "../store/mod.ts";
import {
  invoke,
  isJobMethod,
  type JobCall,
  type OutboxCall,
  parseCall,
  postsMessage,
} from "./calls.ts";
import type { Jobs } from "./jobs.ts";
import { RateLimiter } from "./rate_limiter.ts";

/** What the sender reads and writes of the outbox tables. */
export type OutboxStore = Pick<
  Store,
  | "pendingCount"
  | "chatsDue"
  | "nextPending"
  | "nextRetryAt"
  | "markDelivery"
  | "retryDelivery"
  | "setCopy"
  | "pruneDeliveries"
>;

/** Who is told when Telegram refuses a delivery for good (the desk). */
export interface DeliveryOutcomes {
  /** 403, or "chat not found": the chat is gone for the bot. */
  chatUnreachable(delivery: Delivery, reason: string): void;
  /** 400: this one delivery cannot be sent. */
  deliveryRejected(delivery: Delivery, reason: string): void;
}

/** What the sender is wired to. */
export interface SenderParts {
  /** The Bot API, with the timeout of one send. */
  readonly api: Api;
  readonly store: OutboxStore;
  /** Nothing is read for sending while a batch is open; writes go through it. */
  readonly boundary: Pick<CommitBoundary, "open" | "write">;
  readonly outcomes: DeliveryOutcomes;
  readonly jobs: Pick<Jobs, "run">;
}

/** Rates and limits of the sender. */
export interface SenderOptions {
  /** Messages per second to one chat. */
  readonly ratePerChat: number;
  /** Messages that may go to one chat at once before `ratePerChat` applies. */
  readonly rateBurst: number;
  /** Messages per second in total. */
  readonly rateGlobal: number;
  /** Chats served at once. */
  readonly concurrency?: number;
  /** Pending deliveries above which a warning is logged. */
  readonly backlogWarning?: number;
}

/** How long finished deliveries are kept (to look into) before they are forgotten. */
export const DELIVERY_TTL_MS = 7 * 24 * 3600_000;

/** How long one send may take before it is abandoned and retried (the API's timeout). */
export const SEND_TIMEOUT_SECONDS = 30;

type Outcome = "sent" | "failed" | "retry" | "unreachable";

/** Sends the outbox. Call {@link Sender.wake} after writing deliveries. */
export class Sender {
  readonly #api: Api;
  readonly #store: OutboxStore;
  readonly #boundary: SenderParts["boundary"];
  readonly #outcomes: DeliveryOutcomes;
  readonly #jobs: SenderParts["jobs"];
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #concurrency: number;
  readonly #backlogWarning: number;
  readonly #workers = new Map<number, Promise<void>>();
  readonly #abort = new AbortController();
  #scheduled = false;
  #timer: ReturnType<typeof setTimeout> | undefined;
  /** Accepted sends waiting for {@link Sender.#flushMarks}. */
  #marks: {
    d: Delivery;
    result: unknown;
    resolve: () => void;
    reject: (error: unknown) => void;
  }[] = [];
  /** Whether a delivery may wait for a later time (a retry, a 429): only then is it looked up. */
  #delayed = true;
  #stopped = true;
  #pruning = false;
  #lastBacklogWarning = 0;
  /** Deliveries sent since start (for logs and benchmarks). */
  sent = 0;
  /** 429 answers received since start. */
  rateLimited = 0;

  constructor(parts: SenderParts, options: SenderOptions, log: Logger) {
    this.#api = parts.api;
    this.#store = parts.store;
    this.#boundary = parts.boundary;
    this.#outcomes = parts.outcomes;
    this.#jobs = parts.jobs;
    this.#log = log;
    this.#limiter = new RateLimiter(options.ratePerChat, options.rateBurst, options.rateGlobal);
    this.#concurrency = options.concurrency ?? 64;
    this.#backlogWarning = options.backlogWarning ?? 1000;
  }

  /** Starts sending, beginning with whatever was pending before a restart. */
  start(): void {
    this.#stopped = false;
    const pending = this.#store.pendingCount();
    this.#log.info("outbox.start", { pending });
    this.wake();
  }

  /**
   * Looks for work soon (coalesced: many wakes, one look), once the current turn of the event
   * loop is done. Not `setTimeout(0)`: in Deno that waits about 2 ms, added to every message.
   */
  wake(): void {
    if (this.#stopped || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      // Events not committed yet are not sent; the desk wakes the sender when it commits.
      if (this.#boundary.open) return;
      try {
        this.#dispatch();
      } catch (error) {
        // The database failed under the sender (disk full, file gone): keep the process up,
        // say so, and look again in a second; /healthz reports the database meanwhile.
        this.#log.error("outbox.dispatch_failed", { error: (error as Error).message });
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.wake(), 1000);
      }
    });
  }

  /** Stops taking new deliveries and waits for those in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    clearTimeout(this.#timer);
    await Promise.all(this.#workers.values());
  }

  /**
   * Forgets finished deliveries done more than `ttlMs` before `now`: they hold each relayed
   * message's text again and would outgrow the messages themselves. A batch per transaction,
   * with a pause between batches so that sending goes on; returns when done or stopped.
   */
  async prune(ttlMs = DELIVERY_TTL_MS, now = Date.now(), batch = 500): Promise<void> {
    if (this.#pruning) return;
    this.#pruning = true;
    const store = this.#store;
    try {
      let after: number | undefined = 0;
      while (!this.#abort.signal.aborted) {
        const from: number = after;
        if (this.#boundary.open) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        after = this.#boundary.write(() => store.pruneDeliveries(from, now - ttlMs, batch));
        if (after === undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      this.#pruning = false;
    }
  }

  /** Resolves when nothing is pending or in flight (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.#workers.size > 0 || this.#store.pendingCount() > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  #dispatch(): void {
    if (this.#stopped) return;
    const store = this.#store;
    const now = Date.now();
    const free = this.#concurrency - this.#workers.size;
    if (free > 0) {
      for (const chat of store.chatsDue(now, [...this.#workers.keys()], free)) {
        const worker = this.#serve(chat).catch((error) => {
          this.#log.error("outbox.worker_failed", { chat, error: (error as Error).message });
        }).finally(() => {
          this.#workers.delete(chat);
          this.wake();
        });
        this.#workers.set(chat, worker);
      }
    }
    // Wake again when a delayed delivery (retry, rate limit) falls due.
    // Looked up only while a delivery may be delayed: with a backlog the query scans it all.
    const next = this.#delayed ? store.nextRetryAt(now) : undefined;
    if (next === undefined) this.#delayed = false;
    clearTimeout(this.#timer);
    if (next !== undefined) {
      this.#timer = setTimeout(() => this.wake(), Math.min(next - now, 60_000));
    }
    if (this.#workers.size === 0 && next === undefined) return;
    if (now - this.#lastBacklogWarning > 10_000) {
      const pending = store.pendingCount();
      if (pending >= this.#backlogWarning) {
        this.#lastBacklogWarning = now;
        this.#log.warn("outbox.backlog", { pending });
      }
    }
  }

  /** Sends one chat's deliveries in order until none is due. */
  async #serve(chat: number): Promise<void> {
    const store = this.#store;
    while (!this.#stopped && !this.#boundary.open) {
      const delivery = store.nextPending(chat);
      if (!delivery || delivery.nextAttemptAt > Date.now()) return;
      if (postsMessage(delivery.method) && !(await this.#pace(chat))) return;
      const outcome = await this.#send(delivery);
      if (outcome !== "sent" && outcome !== "failed") return;
    }
  }

  /** Waits for the chat's and the global rate; false when stopped meanwhile. */
  async #pace(chat: number): Promise<boolean> {
    const chatAt = this.#limiter.reserveChat(chat, Date.now());
    if (!(await this.#sleepUntil(chatAt))) return false;
    return await this.#sleepUntil(this.#limiter.reserveGlobal(Date.now()));
  }

  #sleepUntil(at: number): Promise<boolean> {
    const ms = at - Date.now();
    if (ms <= 0) return Promise.resolve(!this.#stopped);
    const signal = this.#abort.signal;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        signal.removeEventListener("abort", onAbort);
        resolve(!this.#stopped);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  async #send(d: Delivery): Promise<Outcome> {
    try {
      const result = await this.#call(d);
      await this.#markSent(d, result);
      this.sent++;
      return "sent";
    } catch (error) {
      return this.#failed(d, error);
    }
  }

  /**
   * Records a delivery Telegram accepted. The sends answered in one turn of the event loop are
   * marked in one transaction at its end (one commit instead of one each, when busy); the
   * chat's worker waits for it before its next send, so at most one accepted send per chat is
   * ever unrecorded, as before.
   */
  #markSent(d: Delivery, result: unknown): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.#marks.length === 0) setImmediate(() => this.#flushMarks());
      this.#marks.push({ d, result, resolve, reject });
    });
  }

  #flushMarks(): void {
    if (this.#boundary.open) {
      setImmediate(() => this.#flushMarks());
      return;
    }
    const marks = this.#marks;
    this.#marks = [];
    const store = this.#store;
    try {
      this.#boundary.write(() => {
        const now = Date.now();
        for (const { d, result } of marks) {
          store.markDelivery(d.id, "sent", null, now);
          // Where a relayed message's copy landed, for edits and replies.
          const copyId = messageIdOf(result);
          if (d.messageId !== null && copyId !== undefined) {
            store.setCopy(d.messageId, d.chatId, copyId);
          }
        }
      });
    } catch (error) {
      for (const mark of marks) mark.reject(error);
      return;
    }
    for (const mark of marks) mark.resolve();
  }

  #call(d: Delivery): Promise<unknown> {
    const call = parseCall(d.method, d.params);
    if (call === undefined) throw new Error(`unknown method ${d.method}`);
    return isJob(call) ? this.#jobs.run(call) : invoke(this.#api.raw, call);
  }

  #failed(d: Delivery, error: unknown): Outcome {
    const store = this.#store;
    const now = Date.now();
    const fields = { delivery: d.id, chat: d.chatId, method: d.method };
    if (error instanceof GrammyError) {
      const description = error.description;
      if (error.error_code === 429) {
        const wait = (error.parameters.retry_after ?? 1) * 1000;
        this.rateLimited++;
        this.#log.warn("delivery.rate_limited", { ...fields, retry_after_s: wait / 1000 });
        this.#boundary.write(() => store.retryDelivery(d.id, now + wait, description, false));
        this.#delayed = true;
        return "retry";
      }
      // 403: blocked by the user, or the account is gone; "chat not found" means the same.
      if (error.error_code === 403 || /chat not found/i.test(description)) {
        this.#log.warn("delivery.forbidden", { ...fields, error: description });
        this.#outcomes.chatUnreachable(d, description);
        return "unreachable";
      }
      if (error.error_code === 400) {
        this.#log.warn("delivery.rejected", { ...fields, error: description });
        this.#outcomes.deliveryRejected(d, description);
        return "failed";
      }
    }
    const attempt = d.attempts + 1;
    const backoff = Math.min(60_000, 250 * 2 ** Math.min(attempt - 1, 8)) *
      (0.75 + Math.random() / 2);
    const message = error instanceof Error ? error.message : String(error);
    this.#log.warn("delivery.retry", {
      ...fields,
      attempt,
      in_ms: Math.round(backoff),
      error: message,
    });
    this.#boundary.write(() => store.retryDelivery(d.id, now + backoff, message, true));
    this.#delayed = true;
    return "retry";
  }
}

/** Whether a call is a job (done by `jobs.ts`) rather than one plain call. */
function isJob(call: OutboxCall): call is JobCall {
  return isJobMethod(call.method);
}

/** The `message_id` of what Telegram answered (the copy it made), if any. */
function messageIdOf(result: unknown): number | undefined {
  if (typeof result !== "object" || result === null || !("message_id" in result)) return undefined;
  return typeof result.message_id === "number" ? result.message_id : undefined;
}
