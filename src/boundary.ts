/**
 * The commit boundary: the one object that decides when what the bot did becomes true.
 *
 * The rule, for long polling, for the webhook and for the sender alike:
 *
 * 1. **Updates are handled inside one transaction.** An event's state change, every delivery
 *    it causes and its update id are written together, or not at all.
 * 2. **That transaction commits before Telegram is told the updates are handled**: before the
 *    next `getUpdates` moves the offset past them, before the webhook answers 200.
 * 3. **Nothing of it is sent before it commits**: while a batch is open ({@link
 *    CommitBoundary.open}) the sender reads and sends nothing, and the commit wakes it.
 *
 * Long polling and the webhook open a batch ({@link CommitBoundary.begin}), hand the updates
 * to grammY, whose handlers call the desk, whose events run here ({@link
 * CommitBoundary.event}), and close it ({@link CommitBoundary.commit}) before confirming.
 * Inside a batch each event runs under a savepoint of its own, so a failing one leaves no
 * trace and the others stay; the batch is one commit (commits were a fifth of the bot's CPU
 * when each update had its own). Outside a batch (timers, the sender's own records) an event
 * is a transaction of its own, committed when it returns.
 *
 * An update whose id was recorded already (Telegram handing it out again after a crash)
 * changes nothing: its id is written with its effects, and a second run finds it.
 *
 * @module
 */
import type { DatabaseSync } from "node:sqlite";

/** What the boundary needs of storage: the database, and the record of handled updates. */
export interface HandledUpdates {
  readonly db: DatabaseSync;
  /** Records an update as handled; false when it had been handled already. */
  markHandled(updateId: number, now: number): boolean;
}

/** See the module's comment: one transaction per batch of updates, committed before anything. */
export class CommitBoundary {
  readonly #store: HandledUpdates;
  readonly #now: () => number;
  /** Whether events join the batch (between {@link begin} and {@link commit}). */
  #batching = false;
  /** Whether the batch's transaction has begun (it begins with its first event). */
  #open = false;
  /** Called after every commit that may have written deliveries. */
  onCommit: () => void = () => {};

  /** `now` is the clock of every event (one reading per event). */
  constructor(store: HandledUpdates, now: () => number = Date.now) {
    this.#store = store;
    this.#now = now;
  }

  /** The clock events read. */
  now(): number {
    return this.#now();
  }

  /**
   * Whether a transaction is open whose writes are not committed yet: nothing may be read for
   * sending, and no other transaction may begin on this connection.
   */
  get open(): boolean {
    return this.#open;
  }

  /** Starts a batch: the events until {@link commit} share one transaction. */
  begin(): void {
    this.#batching = true;
  }

  /**
   * Ends the batch: commits what its events wrote, then lets the sender look at it. Throws
   * when the commit fails (the batch is rolled back: none of its updates count as handled).
   */
  commit(): void {
    this.#batching = false;
    if (!this.#open) return;
    this.#open = false;
    const db = this.#store.db;
    try {
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
    this.onCommit();
  }

  /**
   * Runs one event's `work` with one reading of the clock, at most once per update id
   * (`null`: an event that is no update, such as a timer's). In a batch, under a savepoint;
   * else in a transaction of its own, committed on return. What `work` throws undoes all it
   * wrote and is thrown on.
   */
  event(updateId: number | null, work: (now: number) => void): void {
    this.#atomically((now) => {
      if (updateId === null || this.#store.markHandled(updateId, now)) work(now);
    }, true);
  }

  /**
   * Runs `work` as one atomic write and returns its result: in the open batch under a
   * savepoint, else in a transaction of its own. For writes that are no update's and cause no
   * delivery (the sender recording what Telegram answered): the sender is not woken for them.
   */
  write<T>(work: (now: number) => T): T {
    return this.#atomically(work, false);
  }

  #atomically<T>(work: (now: number) => T, wake: boolean): T {
    const db = this.#store.db;
    if (this.#batching || this.#open) {
      if (!this.#open) {
        db.exec("BEGIN IMMEDIATE");
        this.#open = true;
      }
      db.exec("SAVEPOINT event");
      try {
        const result = work(this.#now());
        db.exec("RELEASE event");
        return result;
      } catch (error) {
        db.exec("ROLLBACK TO event");
        db.exec("RELEASE event");
        throw error;
      }
    }
    db.exec("BEGIN IMMEDIATE");
    let result: T;
    try {
      result = work(this.#now());
      db.exec("COMMIT");
    } catch (error) {
      if (db.isTransaction) db.exec("ROLLBACK");
      throw error;
    }
    if (wake) this.onCommit();
    return result;
  }
}
