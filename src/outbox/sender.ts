/**
 * The outbox sender: delivers what `desk.ts` wrote to the `deliveries` table. One worker
 * per chat keeps each chat's order; a rate limiter keeps under Telegram's limits; 429
 * waits `retry_after`, 403 and 400 are failures for good handed back to the desk, and any
 * other failure is retried with backoff. A delivery is marked sent as soon as Telegram
 * accepts it.
 *
 * @module
 */
import { type Api, GrammyError, InputFile } from "grammy";
import { type Desk, EDIT_METHOD, EXPORT_METHOD, HISTORY_METHOD } from "../desk/mod.ts";
import { exportFile, historyFile } from "../reports/history.ts";
import type { Logger } from "../log.ts";
import type { Delivery } from "../store/mod.ts";
import { DEFAULT_LANGUAGE, texts } from "../texts/mod.ts";
import { transaction } from "../store/db.ts";
import { setImmediate } from "node:timers";

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
  /** The time zone of times in history files. */
  readonly timeZone?: string;
}

/**
 * Generic cell rate algorithm: for each key, the time the next call may go so that calls
 * average `rate` per second with bursts of up to `burst`.
 */
export class RateLimiter {
  readonly #next = new Map<number, number>();
  #global = 0;
  readonly #chatInterval: number;
  readonly #chatTolerance: number;
  readonly #globalInterval: number;

  constructor(ratePerChat: number, burst: number, rateGlobal: number) {
    this.#chatInterval = 1000 / ratePerChat;
    this.#chatTolerance = this.#chatInterval * (Math.max(1, burst) - 1);
    this.#globalInterval = 1000 / rateGlobal;
  }

  /** Reserves a slot for `chat`; returns when it may be used (ms since epoch). */
  reserveChat(chat: number, now: number): number {
    const tat = Math.max(this.#next.get(chat) ?? now, now);
    this.#next.set(chat, tat + this.#chatInterval);
    if (this.#next.size > 10_000) {
      for (const [key, value] of this.#next) if (value < now) this.#next.delete(key);
    }
    return Math.max(now, tat - this.#chatTolerance);
  }

  /** Reserves a slot in the global rate; returns when it may be used. */
  reserveGlobal(now: number): number {
    const at = Math.max(this.#global, now);
    this.#global = at + this.#globalInterval;
    return at;
  }
}

/** Whether a call posts a message, the kind of call Telegram's flood limits count. */
function isMessage(method: string): boolean {
  return method.startsWith("send") || method === "copyMessage" ||
    method === "forwardMessage" || method === EDIT_METHOD;
}

/** How long finished deliveries are kept (to look into) before they are forgotten. */
export const DELIVERY_TTL_MS = 7 * 24 * 3600_000;

/** How long one send may take before it is abandoned and retried. */
const SEND_TIMEOUT_MS = 30_000;

type Outcome = "sent" | "failed" | "retry" | "unreachable";

/** Sends the outbox. Call {@link Sender.wake} after writing deliveries. */
export class Sender {
  readonly #api: Api;
  readonly #desk: Desk;
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #concurrency: number;
  readonly #backlogWarning: number;
  readonly #timeZone: string;
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

  constructor(api: Api, desk: Desk, options: SenderOptions, log: Logger) {
    this.#api = api;
    this.#desk = desk;
    this.#log = log;
    this.#limiter = new RateLimiter(options.ratePerChat, options.rateBurst, options.rateGlobal);
    this.#concurrency = options.concurrency ?? 64;
    this.#backlogWarning = options.backlogWarning ?? 1000;
    this.#timeZone = options.timeZone ?? "UTC";
  }

  /** Starts sending, beginning with whatever was pending before a restart. */
  start(): void {
    this.#stopped = false;
    const pending = this.#desk.store.pendingCount();
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
      if (this.#desk.batchOpen) return;
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
    const store = this.#desk.store;
    try {
      let after: number | undefined = 0;
      while (!this.#abort.signal.aborted) {
        const from: number = after;
        if (this.#desk.batchOpen) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        after = transaction(store.db, () => store.pruneDeliveries(from, now - ttlMs, batch));
        if (after === undefined) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      this.#pruning = false;
    }
  }

  /** Resolves when nothing is pending or in flight (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.#workers.size > 0 || this.#desk.store.pendingCount() > 0) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  #dispatch(): void {
    if (this.#stopped) return;
    const store = this.#desk.store;
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
    const store = this.#desk.store;
    while (!this.#stopped && !this.#desk.batchOpen) {
      const delivery = store.nextPending(chat);
      if (!delivery || delivery.nextAttemptAt > Date.now()) return;
      if (isMessage(delivery.method) && !(await this.#pace(chat))) return;
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
    if (this.#desk.batchOpen) {
      setImmediate(() => this.#flushMarks());
      return;
    }
    const marks = this.#marks;
    this.#marks = [];
    const store = this.#desk.store;
    try {
      transaction(store.db, () => {
        const now = Date.now();
        for (const { d, result } of marks) {
          store.markDelivery(d.id, "sent", null, now);
          const copyId = (result as { message_id?: number } | null)?.message_id;
          if (d.messageId !== null && typeof copyId === "number") {
            this.#desk.delivered(d.messageId, d.chatId, copyId);
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
    const params = JSON.parse(d.params) as Record<string, unknown>;
    const store = this.#desk.store;
    // Only files need the reader's language; a plain send reads nothing more.
    const reader = () => store.getUser(d.chatId)?.language ?? DEFAULT_LANGUAGE;
    if (d.method === HISTORY_METHOD) {
      const language = reader();
      const client = store.getUser(Number(params.client_id));
      const clientName = client?.name ?? client?.fullName ?? String(params.client_id);
      const format = params.format === "html" ? "html" : "txt";
      const ticketId = params.ticket_id === undefined ? undefined : Number(params.ticket_id);
      const request = {
        clientId: Number(params.client_id),
        ticketId,
        upTo: Number(params.up_to),
        format,
      } as const;
      const name = ticketId === undefined
        ? `history-${params.client_id}.${format}`
        : `ticket-${ticketId}.${format}`;
      return this.#api.sendDocument(
        d.chatId,
        new InputFile(historyFile(store, request, language, this.#timeZone), name),
        { caption: texts(language).historyCaption(clientName) },
        AbortSignal.timeout(SEND_TIMEOUT_MS * 4) as never,
      );
    }
    if (d.method === EXPORT_METHOD) {
      const language = reader();
      const file = exportFile(
        store,
        Number(params.from),
        Number(params.to),
        language,
        this.#timeZone,
      );
      return this.#api.sendDocument(
        d.chatId,
        new InputFile(file, `messages-${params.from_date}-${params.to_date}.csv`),
        {
          caption: texts(language).exportCaption(String(params.from_date), String(params.to_date)),
        },
        AbortSignal.timeout(SEND_TIMEOUT_MS * 10) as never,
      );
    }
    let call = { method: d.method, params };
    if (d.method === EDIT_METHOD) {
      const edit = this.#desk.editCall(Number(params.message_id));
      // No copy to edit (it was never made, or the kind has no text): nothing to do.
      if (!edit) return Promise.resolve(null);
      call = edit;
    }
    const raw = this.#api.raw as unknown as Record<
      string,
      (p: Record<string, unknown>, signal?: AbortSignal) => Promise<unknown>
    >;
    if (typeof raw[call.method] !== "function") throw new Error(`unknown method ${call.method}`);
    return raw[call.method](call.params, AbortSignal.timeout(SEND_TIMEOUT_MS));
  }

  #failed(d: Delivery, error: unknown): Outcome {
    const store = this.#desk.store;
    const now = Date.now();
    const fields = { delivery: d.id, chat: d.chatId, method: d.method };
    if (error instanceof GrammyError) {
      const description = error.description;
      if (error.error_code === 429) {
        const wait = (error.parameters.retry_after ?? 1) * 1000;
        this.rateLimited++;
        this.#log.warn("delivery.rate_limited", { ...fields, retry_after_s: wait / 1000 });
        store.retryDelivery(d.id, now + wait, description, false);
        this.#delayed = true;
        return "retry";
      }
      // 403: blocked by the user, or the account is gone; "chat not found" means the same.
      if (error.error_code === 403 || /chat not found/i.test(description)) {
        this.#log.warn("delivery.forbidden", { ...fields, error: description });
        this.#desk.chatUnreachable(d, description);
        return "unreachable";
      }
      if (error.error_code === 400) {
        this.#log.warn("delivery.rejected", { ...fields, error: description });
        this.#desk.deliveryRejected(d, description);
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
    store.retryDelivery(d.id, now + backoff, message, true);
    this.#delayed = true;
    return "retry";
  }
}
