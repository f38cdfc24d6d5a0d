/**
 * The commit boundary: the one object that decides when what the bot did becomes true.
 *
 * The rule, for long polling, for the webhook and for the sender alike:
 *
 * 1. **Updates are handled inside one transaction.** An event's state change, every delivery
 *    it causes and its update id are written together, or not at all.
 * 2. **That transaction commits before Telegram is told the updates are handled**: before the
 *    next `getUpdates` moves the offset past them, before the webhook answers 200. A batch
 *    that cannot be committed is not confirmed, so Telegram hands its updates out again.
 * 3. **Nothing of it is sent before it commits**: while a batch is open ({@link
 *    CommitBoundary.open}) the sender reads and sends nothing, and the commit wakes it.
 *
 * Long polling and the webhook open a batch ({@link CommitBoundary.begin}), hand the updates
 * to grammY, whose handlers call the desk, whose events run here ({@link
 * CommitBoundary.event}), and close it ({@link CommitBoundary.commit}) before confirming.
 * Inside a batch each event runs under a savepoint of its own (the first, which begins the
 * transaction, needs none: undoing it is a rollback), so a failing one leaves no trace and
 * the others stay; the batch is one commit (commits were a fifth of the bot's CPU
 * when each update had its own). Outside a batch (timers, the sender's own records) an event
 * is a transaction of its own, committed when it returns.
 *
 * An update whose id was recorded already (Telegram handing it out again after a crash)
 * changes nothing: its id is written with its effects, and a second run finds it.
 *
 * Storage faults (disk full, a lock held elsewhere, a read-only or vanished file; see
 * `isStorageFault`) are noticed here, where every write passes: the outage is logged once
 * when it begins and once when a write succeeds again, and {@link CommitBoundary.fault} tells
 * `/healthz`. A database file deleted or replaced under the running bot is noticed before each
 * commit; from then on nothing is committed (see {@link CommitBoundary.lost}).
 *
 * @module
 */
import { errorText } from "./base/errors.ts";
import type { DatabaseSync, StatementSync } from "node:sqlite";
import type { Logger } from "./base/log.ts";
import { silentLogger } from "./base/log.ts";
import { stages } from "./base/stages.ts";
import { type FileIdentity, fileIdentity, isStorageFault, StorageFault } from "./store/db.ts";

/** What the boundary needs of storage: the database, and the record of handled updates. */
export interface HandledUpdates {
  readonly db: DatabaseSync;
  /** Records an update as handled; false when it had been handled already. */
  markHandled(updateId: number, now: number): boolean;
}

/** How the boundary is set up. */
export interface BoundaryOptions {
  /** The wall clock of every event (one reading per event). */
  readonly now?: () => number;
  readonly log?: Logger;
  /** The database file, watched so that its deletion is noticed (none for `:memory:`). */
  readonly file?: string;
  /** Called after every commit that may have written deliveries (the sender wakes). */
  readonly onCommit?: () => void;
  /** Called once when the database file is found deleted or replaced (its rescue). */
  readonly onLost?: () => void;
  /** Called after every commit, whatever it wrote (the WAL checkpoints follow writes). */
  readonly onWritten?: () => void;
  /**
   * Called just before a batch commits, inside its transaction (the sender reads there what it
   * will send once the commit is through; see {@link CommitBoundary.commits}).
   */
  readonly onCommitting?: () => void;
}

/** A writer that joins every batch of updates (see {@link CommitBoundary.join}). */
export interface BatchMember {
  /** A batch begins: what is written now goes in with its events. */
  begun(): void;
  /** The batch ended: whether what it wrote is committed (false: all of it was undone). */
  ended(committed: boolean): void;
}

/** An outage of storage: since when, and what the last failed write said. */
export interface StorageOutage {
  readonly since: number;
  readonly error: string;
}

/** See the module's comment: one transaction per batch of updates, committed before anything. */
export class CommitBoundary {
  readonly #store: HandledUpdates;
  readonly #now: () => number;
  readonly #log: Logger;
  readonly #file: string | undefined;
  readonly #identity: FileIdentity | undefined;
  /** Whether events join the batch (between {@link begin} and {@link commit}). */
  #batching = false;
  /** Whether the batch's transaction has begun (it begins with its first event). */
  #open = false;
  #fault: StorageOutage | undefined;
  #lost = false;
  /** The statements of every transaction, prepared once (`exec` parsed them each time). */
  #tx: Transactions | undefined;
  readonly #onCommit: () => void;
  readonly #onWritten: () => void;
  readonly #onCommitting: () => void;
  #commits = 0;
  readonly #onLost: () => void;
  readonly #members: BatchMember[] = [];

  constructor(store: HandledUpdates, options: BoundaryOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? Date.now;
    this.#log = options.log ?? silentLogger;
    this.#file = options.file === ":memory:" ? undefined : options.file;
    this.#identity = this.#file === undefined ? undefined : fileIdentity(this.#file);
    this.#onCommit = options.onCommit ?? (() => {});
    this.#onWritten = options.onWritten ?? (() => {});
    this.#onCommitting = options.onCommitting ?? (() => {});
    this.#onLost = options.onLost ?? (() => {});
  }

  /**
   * How many transactions committed so far. What was read inside a transaction is still true
   * after it committed as long as this has not moved on (no other write of this connection).
   */
  get commits(): number {
    return this.#commits;
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

  /** The current outage of storage, if writes fail. */
  get fault(): StorageOutage | undefined {
    return this.#fault;
  }

  /**
   * Whether the database file was deleted or replaced while the bot ran: nothing written
   * since would survive a restart, so nothing is committed any more.
   */
  get lost(): boolean {
    return this.#lost;
  }

  /** The transaction statements, prepared at first use. */
  #statements(): Transactions {
    const db = this.#store.db;
    return this.#tx ??= {
      begin: db.prepare("BEGIN IMMEDIATE"),
      commit: db.prepare("COMMIT"),
      savepoint: db.prepare("SAVEPOINT event"),
      release: db.prepare("RELEASE event"),
    };
  }

  /**
   * Whether a batch is under way (from {@link begin} to {@link commit} or {@link abort}), its
   * transaction begun or not yet.
   */
  get batching(): boolean {
    return this.#batching;
  }

  /**
   * Has `member` join every batch: writes that may wait for the next commit (the sender's
   * records of what Telegram accepted) are made at the batch's start, in its transaction,
   * rather than in one of their own; the member hears whether that transaction committed.
   */
  join(member: BatchMember): void {
    this.#members.push(member);
  }

  /** Starts a batch: the events until {@link commit} share one transaction. */
  begin(): void {
    this.#batching = true;
    for (const member of this.#members) member.begun();
  }

  #ended(committed: boolean): void {
    for (const member of this.#members) member.ended(committed);
  }

  /**
   * Ends the batch: commits what its events wrote, then lets the sender look at it. Throws
   * when the commit fails (the batch is rolled back: none of its updates count as handled).
   */
  commit(): void {
    this.#batching = false;
    if (!this.#open) return this.#ended(false);
    this.#open = false;
    const db = this.#store.db;
    try {
      this.#onCommitting();
      this.#checkFile();
      this.#statements().commit.run();
    } catch (error) {
      if (db.isOpen && db.isTransaction) db.exec("ROLLBACK");
      this.#ended(false);
      throw this.#failed(error);
    }
    this.#commits++;
    this.#ended(true);
    this.#succeeded();
    stages?.committed();
    this.#onCommit();
  }

  /** Ends the batch without committing (a storage fault met it): all of it is undone. */
  abort(): void {
    this.#batching = false;
    this.#ended(false);
    if (!this.#open) return;
    this.#open = false;
    const db = this.#store.db;
    try {
      if (db.isOpen && db.isTransaction) db.exec("ROLLBACK");
    } catch (error) {
      this.#failed(error);
    }
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
    if (this.#lost) throw new StorageFault(LOST);
    if (this.#batching || this.#open) {
      if (!this.#open) {
        try {
          this.#statements().begin.run();
        } catch (error) {
          throw this.#failed(error);
        }
        this.#open = true;
        // The batch's first write needs no savepoint: undoing it is undoing the transaction.
        try {
          return work(this.#now());
        } catch (error) {
          this.#undoBatch();
          throw isStorageFault(error) ? this.#failed(error) : error;
        }
      }
      this.#statements().savepoint.run();
      try {
        const result = work(this.#now());
        this.#statements().release.run();
        return result;
      } catch (error) {
        this.#undoEvent();
        throw isStorageFault(error) ? this.#failed(error) : error;
      }
    }
    let result: T;
    try {
      const tx = this.#statements();
      tx.begin.run();
      result = work(this.#now());
      this.#checkFile();
      tx.commit.run();
    } catch (error) {
      if (db.isOpen && db.isTransaction) db.exec("ROLLBACK");
      throw isStorageFault(error) ? this.#failed(error) : error;
    }
    this.#commits++;
    this.#succeeded();
    if (wake) this.#onCommit();
    return result;
  }

  /**
   * Undoes the failed event's writes. SQLite ends the whole transaction by itself after some
   * faults (a full disk, an I/O error): then the batch is gone, and so is its commit.
   */
  #undoEvent(): void {
    const db = this.#store.db;
    try {
      if (db.isOpen && db.isTransaction) {
        db.exec("ROLLBACK TO event");
        db.exec("RELEASE event");
        return;
      }
    } catch (error) {
      this.#failed(error);
      try {
        if (db.isOpen && db.isTransaction) db.exec("ROLLBACK");
      } catch { /* the connection is gone */ }
    }
    this.#open = false;
  }

  /** Undoes the batch's first write: its transaction, which held nothing else, ends. */
  #undoBatch(): void {
    const db = this.#store.db;
    this.#open = false;
    try {
      if (db.isOpen && db.isTransaction) db.exec("ROLLBACK");
    } catch (error) {
      this.#failed(error);
    }
  }

  /**
   * Looks whether the database file is still the one the bot opened (before every commit, and
   * now and then from a timer, so that an idle bot notices too). Throws when it is not.
   */
  checkFile(): void {
    this.#checkFile();
  }

  /**
   * Throws when the database file is no longer the one the bot opened (one `stat` of the path:
   * cheaper than an `FsFile`'s, which Deno's granular permissions make resolve the path anew).
   */
  #checkFile(): void {
    if (this.#lost) throw new StorageFault(LOST);
    if (this.#identity === undefined || this.#file === undefined) return;
    const current = fileIdentity(this.#file);
    if (current?.dev === this.#identity.dev && current.ino === this.#identity.ino) return;
    this.#lost = true;
    this.#log.error("storage.file_lost", { path: this.#file });
    // Once the transaction under way is rolled back: the rescue reads the database.
    setTimeout(() => this.#onLost(), 0);
    throw new StorageFault(LOST);
  }

  /** Notes a failed write; the outage's first is logged. Returns the error to throw. */
  #failed(error: unknown): unknown {
    if (!isStorageFault(error)) return error;
    const message = errorText(error);
    if (this.#fault === undefined) {
      this.#fault = { since: this.#now(), error: message };
      this.#log.error("storage.unavailable", { error: message });
    } else {
      this.#fault = { since: this.#fault.since, error: message };
    }
    return error;
  }

  #succeeded(): void {
    this.#onWritten();
    if (this.#fault === undefined) return;
    this.#log.info("storage.recovered", { after_ms: Math.max(0, this.#now() - this.#fault.since) });
    this.#fault = undefined;
  }
}

const LOST = "the database file was deleted or replaced while the bot ran";

/** The statements that begin and end transactions and savepoints. */
interface Transactions {
  readonly begin: StatementSync;
  readonly commit: StatementSync;
  readonly savepoint: StatementSync;
  readonly release: StatementSync;
}
