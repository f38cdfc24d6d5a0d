/**
 * Recording what Telegram accepted: each send it answered is marked sent (with where a
 * relayed message's copy landed, for edits and replies) in the next batch of updates, as the
 * first write of its transaction, or after {@link FLUSH_DELAY_MS} if no batch began (then the
 * marks of that moment in one transaction of their own). At everyday load the next update
 * comes within milliseconds: one commit per relayed message instead of two (the second was a
 * fifth of the bot's SQLite time at 200 messages a second; issue 26). When several marks wait
 * (a burst: many chats held up by them), or another delivery of the chat waits behind the
 * mark (seen when the send began, or written since: {@link Recorder.hurry}), they are written
 * at the first moment no batch is under way instead. No guarantee changes: a chat's worker
 * sends nothing more until its last send's mark is committed, so a process killed meanwhile
 * sends at most that one again per chat, as before; a batch undone undoes its marks, which are
 * written again.
 *
 * When the database cannot be written (a full disk, say), the marks are kept in memory and
 * tried again with growing backoff, as long as it takes. Until its mark is written a chat's
 * worker waits, and {@link Recorder.accepted} keeps the sender from sending that delivery
 * again: a delivery Telegram accepted is never sent twice by the same process. (A process
 * that dies before the mark is written sends it again after the restart: the one window the
 * Bot API, which has no idempotency key, leaves open.)
 *
 * @module
 */
import { doubling } from "../base/wait.ts";
import { errorText } from "../base/errors.ts";
import { setImmediate } from "node:timers";
import type { CommitBoundary } from "../boundary.ts";
import type { Logger } from "../base/log.ts";
import type { Delivery, DueLane, Store } from "../store/mod.ts";
import type { Copy } from "./calls.ts";
import { connectionOf } from "./business.ts";

/** What the recorder writes. */
export type RecordStore = Pick<
  Store,
  "markDelivery" | "setCopy" | "setSignedInline" | "placeBusiness"
>;

/**
 * Told, inside the transaction that records it, what a delivery carried across (the desk
 * writes a read receipt from it), or the id of the message of the bot's own it made
 * (`sentId`: the desk keeps where its buttons are).
 */
export type Delivered = (
  delivery: Delivery,
  copies: readonly Copy[],
  now: number,
  sentId?: number,
) => void;

interface Mark {
  /** When it was queued (`performance.now()`). */
  readonly queuedAt: number;
  readonly delivery: Delivery;
  readonly copies: readonly Copy[];
  readonly sentId?: number;
  readonly done: () => void;
}

/** The longest a mark waits for a batch of updates to join before it is written alone (ms). */
export const FLUSH_DELAY_MS = 10;
/**
 * From this many marks waiting on, they are written at the first moment, as many chats'
 * workers are held up by them (a burst): waiting for the next batch there cost a fifth of the
 * relay's throughput in the floor bench's burst.
 */
const BUSY_MARKS = 2;

/** The first wait before writing failed marks again; it doubles up to {@link MAX_RETRY_MS}. */
const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 30_000;

/** Writes the marks of accepted sends; see the module's comment. */
export class Recorder {
  readonly #store: RecordStore;
  readonly #boundary: Pick<CommitBoundary, "open" | "batching" | "write" | "join">;
  readonly #log: Logger;
  readonly #delivered: Delivered;
  #queue: Mark[] = [];
  /** Marks written in the batch under way, settled when it commits. */
  #inBatch: Mark[] = [];
  /** Deliveries Telegram accepted whose mark is not written yet, and when it will be. */
  readonly #accepted = new Map<number, Promise<void>>();
  /**
   * The timer that writes the marks alone when no batch came ({@link FLUSH_DELAY_MS}): made
   * once and armed again with `refresh` (a timer made and cleared per mark cost more than the
   * rest of the mark's bookkeeping at 200 messages a second). A batch that writes the marks
   * leaves it armed: when it goes off with the queue empty it does nothing.
   */
  #alone: ReturnType<typeof setTimeout> | undefined;
  #aloneArmed = false;
  #failures = 0;
  readonly #delayMs: number;
  #immediate = false;
  /** The retry of failed marks (a growing backoff); while it is set, nothing else writes them. */
  #timer: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(
    store: RecordStore,
    boundary: Pick<CommitBoundary, "open" | "batching" | "write" | "join">,
    log: Logger,
    delivered: Delivered = () => {},
    delayMs = FLUSH_DELAY_MS,
  ) {
    this.#delayMs = delayMs;
    this.#store = store;
    this.#boundary = boundary;
    this.#log = log;
    this.#delivered = delivered;
    boundary.join({
      begun: () => {
        // Not while failed marks wait for their retry: the batch must not meet that fault.
        if (this.#failures === 0 && !this.#stopped) this.#flush(true);
      },
      ended: (committed) => {
        const marks = this.#inBatch;
        if (marks.length === 0) return;
        this.#inBatch = [];
        if (committed) return this.#settle(marks);
        // Undone with the batch: written again, alone or with the next batch.
        this.#requeue(marks);
        this.#schedule();
      },
    });
  }

  /** Whether Telegram accepted this delivery and its mark is still to be written. */
  accepted(deliveryId: number): boolean {
    return this.#accepted.has(deliveryId);
  }

  /** How many accepted sends wait for their mark. */
  get waiting(): number {
    return this.#accepted.size;
  }

  /**
   * Records that Telegram accepted `delivery`, which made `copies` of stored messages (or the
   * bot's own message `sentId`); resolves once it is written. `hurry`: the chat's next
   * delivery waits for this mark (written at the first moment, not with the next batch).
   */
  record(
    delivery: Delivery,
    copies: readonly Copy[],
    sentId?: number,
    hurry = false,
  ): Promise<void> {
    const written = new Promise<void>((done) => {
      this.#queue.push({ queuedAt: performance.now(), delivery, copies, sentId, done });
      if (this.#timer !== undefined) return; // failed marks wait for their retry
      // A chat's next delivery waits for this mark, or several sends wait (a burst): their
      // chats are held up, so the marks are written at the first moment.
      if (hurry || this.#queue.length >= BUSY_MARKS) this.#soon();
      else this.#schedule();
    });
    this.#accepted.set(delivery.id, written);
    // A send that ended after the stop: written now, or let go.
    if (this.#stopped) this.#last();
    return written;
  }

  /**
   * Another delivery of a chat's lane now waits behind its send: the send's mark, if it still
   * waits for a batch, is written at the first moment instead.
   */
  hurry(lane: DueLane): void {
    if (this.#timer !== undefined || this.#stopped) return; // failed marks wait for their retry
    const { chatId, lane: number } = lane;
    const waits = (mark: Mark) => mark.delivery.chatId === chatId && mark.delivery.lane === number;
    if (this.#queue.some(waits)) this.#soon();
  }

  /** Resolves once the mark of an accepted delivery is written (at once for any other). */
  written(deliveryId: number): Promise<void> {
    return this.#accepted.get(deliveryId) ?? Promise.resolve();
  }

  /**
   * Stops retrying: a last try, then what is still unwritten is let go (its chats' workers
   * end; those deliveries go again after the next start).
   */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    clearTimeout(this.#alone);
    this.#alone = undefined;
    this.#aloneArmed = false;
    this.#last();
  }

  /** A last try to write the queued marks; those it could not write are let go. */
  #last(): void {
    this.#flush(false);
    if (this.#queue.length === 0) return;
    this.#log.warn("outbox.unrecorded", { deliveries: this.#queue.length });
    for (const mark of this.#queue) mark.done();
    this.#queue = [];
  }

  #schedule(): void {
    if (this.#aloneArmed || this.#stopped) return;
    this.#aloneArmed = true;
    if (this.#alone === undefined) this.#alone = setTimeout(() => this.#wentOff(), this.#delayMs);
    else this.#alone.refresh();
  }

  /**
   * The timer went off: when the oldest mark was queued after it was armed, the marks wait a
   * whole delay more (the next batch, due within milliseconds at everyday load, takes them),
   * so none waits more than two.
   */
  #wentOff(): void {
    this.#aloneArmed = false;
    const oldest = this.#queue[0];
    if (oldest === undefined) return;
    if (performance.now() - oldest.queuedAt < this.#delayMs - 1) return this.#schedule();
    this.#later();
  }

  /** Puts marks not written back in front of the queue. */
  #requeue(marks: Mark[]): void {
    this.#queue = [...marks, ...this.#queue];
  }

  /** Writes the marks at the first moment no batch is under way. */
  #soon(): void {
    if (this.#immediate) return;
    this.#immediate = true;
    setImmediate(() => {
      this.#immediate = false;
      if (this.#stopped) return;
      if (this.#boundary.batching || this.#boundary.open) return this.#soon();
      this.#flush(false);
    });
  }

  /** A timer's write: alone, unless a batch is under way (then with the next one). */
  #later(): void {
    if (this.#boundary.batching || this.#boundary.open) return this.#schedule();
    this.#flush(false);
  }

  /**
   * Writes the queued marks: in the batch that begins (`inBatch`, settled when it commits), or
   * in a transaction of their own (settled at once).
   */
  #flush(inBatch: boolean): void {
    if (this.#queue.length === 0) return;
    const marks = this.#queue;
    this.#queue = [];
    try {
      this.#boundary.write((now) => {
        for (const { delivery, copies, sentId } of marks) {
          this.#store.markDelivery(delivery.id, "sent", null, now);
          // In a business chat a message's place is kept apart: its ids are not the bot's chat's.
          const business = copies.length > 0 ? connectionOf(delivery.params) : undefined;
          for (const copy of copies) {
            if (business !== undefined) {
              this.#store.placeBusiness(business, delivery.chatId, copy.copyId, copy.messageId);
              continue;
            }
            this.#store.setCopy(copy.messageId, delivery.chatId, copy.copyId);
            for (const id of copy.merged ?? []) {
              this.#store.setCopy(id, delivery.chatId, copy.copyId);
            }
            if (copy.signedInline !== undefined) {
              this.#store.setSignedInline(copy.messageId, copy.signedInline);
            }
          }
          if (copies.length > 0 || sentId !== undefined) {
            this.#delivered(delivery, copies, now, sentId);
          }
        }
      });
    } catch (error) {
      this.#requeue(marks);
      this.#failures++;
      if (this.#failures === 1) {
        this.#log.error("outbox.record_failed", {
          deliveries: this.#queue.length,
          error: errorText(error),
        });
      }
      if (!this.#stopped) {
        const wait = doubling(this.#failures, FIRST_RETRY_MS, MAX_RETRY_MS);
        this.#timer = setTimeout(() => {
          this.#timer = undefined;
          this.#later();
        }, wait);
      }
      return;
    }
    if (this.#failures > 0) {
      this.#log.info("outbox.record_recovered", { tries: this.#failures });
      this.#failures = 0;
    }
    if (inBatch) this.#inBatch.push(...marks);
    else this.#settle(marks);
  }

  /** The marks are written for good: their sends count as recorded. */
  #settle(marks: readonly Mark[]): void {
    for (const mark of marks) {
      this.#accepted.delete(mark.delivery.id);
      mark.done();
    }
  }
}
