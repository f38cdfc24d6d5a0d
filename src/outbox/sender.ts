/**
 * The outbox sender: delivers what the desk wrote to the `deliveries` table, after it is
 * committed (see `src/boundary.ts`). Each chat has lanes (see `placeOf` in `lanes.ts`):
 * its messages, one in flight at a time and in order (the bot's notices before relayed
 * messages), and beside them the calls that are not messages (menus, button answers) and the
 * files (history, export), which never hold the messages back. Messages are paced under Telegram's limits; 429 waits
 * `retry_after`; Telegram's own 403 and every other 4xx of its are failures for good handed
 * back to the desk; 5xx, timeouts, network failures and error answers that are not Telegram's
 * (a proxy's page: `failures.ts`) are retried with growing backoff until the delivery's time
 * is up. What Telegram accepted is recorded by `recorder.ts` and never sent twice.
 *
 * Written here rather than taken from a library: the outbox must live in the same SQLite
 * transaction as the state change that causes it (grammY's plugins queue in memory, and
 * their rate limiting drops or delays without a record), and its order, pacing and retries
 * must survive a restart. Every wait is measured on the monotonic clock; a step of the wall
 * clock moves the stored retry times with it. The sender takes only the narrow interfaces
 * below; it never imports the desk. (About 550 lines: dispatch with its lane hints, the
 * lanes' workers and pacing share one state; what stands apart is in the files beside it:
 * what a failure leads to is decided in `after_failure.ts`, topics in `topics.ts`.)
 *
 * @module
 */
import { sleep } from "../base/wait.ts";
import { errorText } from "../base/errors.ts";
import type { Api } from "grammy";
import { setImmediate } from "node:timers";
import type { CommitBoundary } from "../boundary.ts";
import { type Clock, systemClock } from "../base/clock.ts";
import type { Logger } from "../base/log.ts";
import { type Delivery, type DueLane, laneKey, type Store } from "../store/mod.ts";
import {
  type Copy,
  invoke,
  isJobMethod,
  type JobCall,
  type OutboxCall,
  parseCall,
} from "./calls.ts";
import { LANE, postsMessage } from "./lanes.ts";
import { afterFailure } from "./after_failure.ts";
import { judge, triesWithin } from "./failures.ts";
import type { Jobs } from "./jobs.ts";
import { DELIVERY_TTL_MS, pruneDeliveries } from "./prune.ts";
import { type Pace, PaceStopped, RateLimiter } from "./rate_limiter.ts";
import { RetryClock } from "./retry_clock.ts";
import { stages } from "../base/stages.ts";
import { Recorder } from "./recorder.ts";
import type { Topics } from "./topics.ts";

/** What the sender reads and writes of the outbox tables. */
export type OutboxStore = Pick<
  Store,
  | "pendingCount"
  | "chatsDue"
  | "headOfLane"
  | "nextRetryAt"
  | "markDelivery"
  | "retryDelivery"
  | "shiftRetries"
  | "postponeMethod"
  | "takeDeferred"
  | "takeWritten"
  | "insertedCount"
  | "setCopy"
  | "setSignedInline"
  | "placeBusiness"
  | "pruneDeliveries"
>;

/** Who is told when Telegram refuses a delivery for good (the desk). */
export interface DeliveryOutcomes {
  /** Telegram's 403, or its "chat not found": the chat is gone for the bot. */
  chatUnreachable(delivery: Delivery, reason: string): void;
  /** Any other 4xx of Telegram's, or retries ran out: this one delivery cannot be sent. */
  deliveryRejected(delivery: Delivery, reason: string): void;
  /**
   * A delivery that carried stored messages across, or made a message of the bot's own
   * (`sentId`, its id in the delivery's chat), is recorded: called inside the recording
   * transaction (the desk writes read receipts from it, and keeps where its buttons are).
   */
  delivered(delivery: Delivery, copies: readonly Copy[], now: number, sentId?: number): void;
}

/** What the sender is wired to. */
export interface SenderParts {
  /** The Bot API, with the timeout of one send. */
  readonly api: Api;
  readonly store: OutboxStore;
  /** Nothing is read for sending while a batch is open; writes go through it. */
  readonly boundary: Pick<CommitBoundary, "open" | "batching" | "write" | "join" | "commits">;
  readonly outcomes: DeliveryOutcomes;
  readonly jobs: Pick<Jobs, "run">;
  readonly clock?: Clock;
  /** Team mode: the clients' topics in the staff group. */
  readonly topics?: Topics;
}

/** Rates and limits of the sender. */
export interface SenderOptions {
  /** Messages per second to one chat. */
  readonly ratePerChat: number;
  /** Messages that may go to one chat at once before `ratePerChat` applies. */
  readonly rateBurst: number;
  /** Messages per second in total. */
  readonly rateGlobal: number;
  /** Messages per minute to one group. */
  readonly ratePerGroupPerMinute?: number;
  /** Messages that may go to one group at once before its rate applies. */
  readonly rateGroupBurst?: number;
  /** Chat lanes served at once. */
  readonly concurrency?: number;
  /** Pending deliveries above which a warning is logged. */
  readonly backlogWarning?: number;
  /** How long a send's mark waits for a batch of updates to join (`recorder.ts`; ms). */
  readonly recordDelayMs?: number;
  /** How long a message is retried (5xx, network failures) before it is given up. */
  readonly giveUpMs?: number;
}

/**
 * How long one send may take before it is abandoned and retried (the API's timeout). Long:
 * a send abandoned while Telegram was still working on it may arrive twice, so a slow but
 * working Telegram must have time to answer.
 */
export const SEND_TIMEOUT_SECONDS = 120;

/** How long a message is retried by default: an hour of Telegram failing it. */
export const GIVE_UP_MS = 3600_000;

/** How long an album that waited at a restart waits again, for the parts still to come. */
const ALBUM_AFTER_START_MS = 2000;
/**
 * How often at most the backlog is counted for its warning (ms), unless what was written since
 * may have taken it past the threshold: counting at each look cost about 25 µs of every
 * relayed message at 200 a second (issue 26).
 */
const BACKLOG_LOOK_MS = 1000;

/** Calls that are not messages (a menu, a button answer) are given up sooner. */
const CALLS_GIVE_UP_MS = 10 * 60_000;

type Outcome = "sent" | "failed" | "retry" | "unreachable" | "stopped";

/** A chat lane's next delivery, and whether another waits behind it (`Store.headOfLane`). */
type LaneHead = { readonly next: Delivery | undefined; readonly more: boolean };

/**
 * Sends the outbox. Call {@link Sender.committed} after a commit of this sender's `Store`,
 * {@link Sender.wake} after anything else that may have made a delivery due.
 */
export class Sender {
  readonly #api: Api;
  readonly #store: OutboxStore;
  readonly #boundary: SenderParts["boundary"];
  readonly #outcomes: DeliveryOutcomes;
  readonly #jobs: SenderParts["jobs"];
  readonly #topics: Topics | undefined;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #limiter: RateLimiter;
  readonly #recorder: Recorder;
  readonly #concurrency: number;
  readonly #backlogWarning: number;
  /** Tries a delivery gets, per lane, before it gives up. */
  readonly #tries: Readonly<Record<number, number>>;
  /** The running worker of each chat's lane, by its `laneKey`. */
  readonly #workers = new Map<number, Promise<void>>();
  readonly #abort = new AbortController();
  #scheduled = false;
  /**
   * Lanes written a delivery since they were last looked at (by `laneKey`), not served yet:
   * their worker was busy, or no slot was free. With them, a look after a commit needs no
   * scan of the outbox (which, with a backlog, was most of the sender's time). A busy lane's
   * send then has a delivery behind it: its mark is written at once, not with the next batch
   * of updates (an agent's second `/stats` waited the recorder's 10 ms behind the first one's
   * chart, a client's second message behind the first one's copy).
   */
  readonly #written = new Map<number, DueLane>();
  /**
   * Whether the next look must scan the whole outbox (`chatsDue`): at the start, after a
   * timer, when a worker stopped with work left in its lane, or when slots ran out.
   */
  #rescan = true;
  /** Whether deliveries were written since the backlog was last counted (only then can it grow). */
  #grown = true;
  #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #retryClock: RetryClock;
  /** Whether a delivery may wait for a later time (a retry, a 429): only then is it looked up. */
  #delayed = true;
  #stopped = true;
  #pruning = false;
  #lastBacklogWarning = -Infinity;
  /** How many times the outbox was scanned: a worker whose lane a scan skipped looks again. */
  #scans = 0;
  /**
   * The heads of lanes a batch wrote, read inside its transaction just before it committed
   * ({@link committing}), for their workers' first look: a read in a transaction of its own
   * took four of SQLite's locks (four of a relayed message's 38 system calls). Good only while
   * the boundary's count of commits is the one written with it (the batch's own commit), and
   * dropped when the batch did not commit.
   */
  readonly #heads = new Map<number, { head: LaneHead; commits: number }>();
  /**
   * The backlog's last count: when (monotonic ms), how many were pending, and the store's
   * {@link Store.insertedCount} then (see {@link #dispatch}).
   */
  #backlogCount = { at: -Infinity, pending: 0, inserted: 0 };
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
    this.#topics = parts.topics;
    this.#clock = parts.clock ?? systemClock;
    this.#log = log;
    this.#limiter = new RateLimiter(
      options.ratePerChat,
      options.rateBurst,
      options.rateGlobal,
      options.ratePerGroupPerMinute,
      options.rateGroupBurst,
    );
    this.#recorder = new Recorder(
      parts.store,
      parts.boundary,
      log,
      (delivery, copies, now, sentId) => parts.outcomes.delivered(delivery, copies, now, sentId),
      options.recordDelayMs,
    );
    // A batch that did not commit: the heads read inside it were never true.
    parts.boundary.join({
      begun: () => {},
      ended: (committed) => {
        if (!committed) this.#heads.clear();
      },
    });
    this.#concurrency = options.concurrency ?? 64;
    this.#backlogWarning = options.backlogWarning ?? 1000;
    const giveUp = options.giveUpMs ?? GIVE_UP_MS;
    this.#tries = {
      [LANE.messages]: triesWithin(giveUp),
      [LANE.calls]: triesWithin(Math.min(giveUp, CALLS_GIVE_UP_MS)),
      [LANE.later]: triesWithin(giveUp),
      [LANE.files]: triesWithin(giveUp),
    };
    this.#retryClock = new RetryClock(this.#clock, (step) => {
      const moved = this.#boundary.write(() => this.#store.shiftRetries(step));
      this.#delayed = true;
      this.#log.warn("clock.stepped", { by_ms: Math.round(step), deliveries_moved: moved });
    });
  }

  /** Starts sending, beginning with whatever was pending before a restart. */
  start(): void {
    this.#stopped = false;
    // An album cut by a restart: its other parts come with the first updates after the start.
    this.#boundary.write(() =>
      this.#store.postponeMethod("sendAlbum", this.#clock.now() + ALBUM_AFTER_START_MS)
    );
    const pending = this.#store.pendingCount();
    this.#log.info("outbox.start", { pending });
    this.wake();
  }

  /**
   * Looks for work soon, through the whole outbox: for whatever may have made a delivery due
   * that the sender did not see written (a clock moved, another `Store` on the database).
   */
  wake(): void {
    this.#rescan = true;
    this.#schedule();
  }

  /**
   * A commit of this sender's `Store` may have written deliveries: looks at the lanes it
   * wrote (the store keeps them, see `takeWritten`), without scanning the outbox.
   */
  committed(): void {
    this.#schedule();
  }

  /**
   * A batch of this sender's `Store` is about to commit: reads, inside its transaction, the
   * heads of the lanes it wrote that no worker serves (as many as slots are free), for the
   * workers started once it has committed. Never throws (the commit must not meet a fault of
   * this read: a worker then reads for itself).
   */
  committing(): void {
    this.#heads.clear();
    if (this.#stopped) return;
    try {
      this.#takeWritten();
      const commits = this.#boundary.commits + 1;
      let free = this.#concurrency - this.#workers.size;
      for (const [key, { chatId, lane }] of this.#written) {
        if (free <= 0) break;
        if (this.#workers.has(key)) continue;
        this.#heads.set(key, { head: this.#store.headOfLane(chatId, lane), commits });
        free--;
      }
    } catch {
      this.#heads.clear();
    }
  }

  /** The head of a chat's lane: the one read before the commit if still good, else read now. */
  #headOf(key: number, chat: number, lane: number): LaneHead {
    const kept = this.#heads.get(key);
    if (kept !== undefined) {
      this.#heads.delete(key);
      if (kept.commits === this.#boundary.commits) return kept.head;
    }
    return this.#store.headOfLane(chat, lane);
  }

  /**
   * Looks for work soon (coalesced: many wakes, one look), once the current turn of the event
   * loop is done. Not `setTimeout(0)`: in Deno that waits about 2 ms, added to every message.
   */
  #schedule(): void {
    if (this.#stopped || this.#scheduled) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      // Events not committed yet are not sent; the boundary wakes the sender when it commits.
      if (this.#boundary.open) return;
      try {
        this.#dispatch();
      } catch (error) {
        // The database failed under the sender (disk full, file gone): keep the process up,
        // say so, and look again in a second; /healthz reports the database meanwhile.
        this.#log.error("outbox.dispatch_failed", { error: errorText(error) });
        this.#wakeIn(1000);
      }
    });
  }

  /** Stops taking new deliveries and waits for those in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    clearTimeout(this.#timer);
    this.#recorder.stop();
    await Promise.all(this.#workers.values());
    stages?.flush();
  }

  /** Forgets finished deliveries done more than `ttlMs` before `now` (`prune.ts`). */
  async prune(ttlMs = DELIVERY_TTL_MS, now = this.#clock.now(), batch = 500): Promise<void> {
    if (this.#pruning) return;
    this.#pruning = true;
    try {
      await pruneDeliveries(
        this.#store,
        this.#boundary,
        { ttlMs, now, batch },
        this.#abort.signal,
      );
    } finally {
      this.#pruning = false;
    }
  }

  /** Resolves when nothing is pending or in flight (for tests and benchmarks). */
  async idle(): Promise<void> {
    while (this.#workers.size > 0 || this.#store.pendingCount() > 0) {
      await sleep(10);
    }
  }

  /** How many sends Telegram accepted that could not be recorded yet. */
  get unrecorded(): number {
    return this.#recorder.waiting;
  }

  /**
   * Starts a worker for every lane with a delivery due and none running, as far as slots
   * allow. Every delivery due now is in a lane written since it was last looked at, or in a
   * busy lane, or in one a worker left with work in it (then {@link #rescan} is set), or was
   * delayed (then {@link #delayed} is): only in the last two cases is the outbox scanned.
   */
  #dispatch(): void {
    if (this.#stopped) return;
    stages?.woke();
    const store = this.#store;
    const now = this.#wallNow();
    this.#takeWritten();
    if (store.takeDeferred()) this.#delayed = true;
    const scan = this.#rescan || this.#delayed;
    this.#rescan = false;
    const free = this.#concurrency - this.#workers.size;
    if (free <= 0) {
      this.#rescan ||= scan;
    } else if (scan) {
      this.#scans++;
      const due = store.chatsDue(now, [...this.#workers.keys()], free);
      for (const { chatId, lane } of due) this.#start(chatId, lane);
      if (due.length === free) {
        // More may be due beyond the slots: look again when a worker ends.
        this.#rescan = true;
      } else {
        // Every lane due and not busy was found: the other written ones hold nothing due.
        for (const key of this.#written.keys()) {
          if (!this.#workers.has(key)) this.#written.delete(key);
        }
      }
    } else {
      let started = 0;
      for (const [key, { chatId, lane }] of this.#written) {
        if (started >= free) break;
        if (this.#workers.has(key)) continue;
        this.#start(chatId, lane);
        started++;
      }
    }
    // Wake again when a delayed delivery (retry, rate limit, an album collecting) falls due.
    // Looked up only while a delivery may be delayed: with a backlog the query scans it all.
    const next = this.#delayed ? store.nextRetryAt(now) : undefined;
    if (next === undefined) this.#delayed = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    // A minute at most: a step of the wall clock is noticed at the next look.
    if (next !== undefined) this.#wakeIn(Math.min(next - now, 60_000));
    if (this.#workers.size === 0 && next === undefined) return;
    const monotonic = this.#clock.monotonic();
    // Counted only when it may have grown: at once when what was inserted since the last count
    // may have taken it past the threshold, else at most once a second (at everyday load a
    // delivery is written before nearly every look).
    const grown = this.#grown || scan;
    const last = this.#backlogCount;
    const inserted = store.insertedCount();
    if (
      grown && monotonic - this.#lastBacklogWarning > 10_000 &&
      (monotonic - last.at >= BACKLOG_LOOK_MS ||
        last.pending + inserted - last.inserted >= this.#backlogWarning)
    ) {
      this.#grown = false;
      const pending = store.pendingCount();
      this.#backlogCount = { at: monotonic, pending, inserted };
      if (pending >= this.#backlogWarning) {
        this.#lastBacklogWarning = monotonic;
        this.#log.warn("outbox.backlog", { pending });
      }
    }
  }

  /** Starts the worker of a chat's lane. */
  #start(chatId: number, lane: number): void {
    const key = laneKey(chatId, lane);
    this.#written.delete(key);
    let drained = false;
    const worker = this.#serve(chatId, lane).then((done) => {
      drained = done;
    }, (error) => {
      this.#log.error("outbox.worker_failed", {
        chat: chatId,
        lane,
        error: errorText(error),
      });
      this.#wakeIn(1000);
    }).finally(() => {
      this.#workers.delete(key);
      // A lane left with work in it (a retry, a wait, a batch opened) is found by a scan.
      if (!drained) this.#rescan = true;
      this.#schedule();
    });
    this.#workers.set(key, worker);
  }

  /**
   * Moves the lanes the store saw written into {@link #written}, oldest first; a busy lane's
   * mark waiting for a batch is written at once.
   */
  #takeWritten(): void {
    const written = this.#store.takeWritten();
    if (written.size === 0) return;
    this.#grown = true;
    for (const [key, lane] of written) {
      this.#written.set(key, lane);
      if (this.#workers.has(key)) this.#recorder.hurry(lane);
    }
  }

  #wakeIn(ms: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.wake();
    }, Math.max(0, ms));
  }

  /** The wall clock, the stored retry times moved first if it stepped (`retry_clock.ts`). */
  #wallNow(): number {
    return this.#retryClock.now();
  }

  /**
   * Sends one chat lane's deliveries in order until none is due. Resolves with whether it
   * found the lane empty (else it stopped with work left: a wait, a retry, a batch open).
   */
  async #serve(chat: number, lane: number): Promise<boolean> {
    const key = laneKey(chat, lane);
    // Whether the last look found nothing behind the delivery it served, and the count of
    // scans then: if no write to the lane and no scan came since, it is empty (not read again).
    let last = false;
    let scans = 0;
    while (!this.#stopped && !this.#boundary.open) {
      if (last && scans === this.#scans) {
        this.#takeWritten();
        if (!this.#written.has(key)) return true;
      }
      scans = this.#scans;
      // What was written to the lane so far is seen by this look.
      this.#written.delete(key);
      const { next: delivery, more } = this.#headOf(key, chat, lane);
      if (!delivery) {
        // Nothing is open, so whatever was written to this lane so far has been seen: its
        // mark in the written lanes is stale. Dropped now, in the same turn as the look (a
        // commit in between would write a mark that must stay).
        this.#takeWritten();
        this.#written.delete(laneKey(chat, lane));
        return true;
      }
      if (delivery.nextAttemptAt > this.#clock.now()) return false;
      // Accepted already, its mark not written yet: never sent again; wait for the record.
      if (this.#recorder.accepted(delivery.id)) {
        await this.#recorder.written(delivery.id);
        continue;
      }
      const outcome = await this.#send(delivery, more, key);
      if (outcome !== "sent" && outcome !== "failed") return false;
      last = !more;
    }
    return false;
  }

  /**
   * The pace of `chat` for one delivery's calls: a slot before each message they post, and
   * what went without one counted (see {@link Pace}).
   */
  #paceOf(chat: number): Pace {
    return {
      next: async () => {
        if (!(await this.#pace(chat))) throw new PaceStopped();
      },
      posted: (count) => this.#limiter.charge(chat, count, this.#clock.monotonic()),
    };
  }

  /** Waits for the chat's and the global rate; false when stopped meanwhile. */
  async #pace(chat: number): Promise<boolean> {
    const chatAt = this.#limiter.reserveChat(chat, this.#clock.monotonic());
    if (!(await this.#sleepUntil(chatAt))) return false;
    return await this.#sleepUntil(this.#limiter.reserveGlobal(this.#clock.monotonic()));
  }

  /** Waits until monotonic time `at`; false when stopped meanwhile. */
  #sleepUntil(at: number): Promise<boolean> {
    const ms = at - this.#clock.monotonic();
    if (ms <= 0) return Promise.resolve(!this.#stopped);
    return sleep(ms, this.#abort.signal).then((whole) => whole && !this.#stopped);
  }

  /**
   * Sends `d`, of the lane `key`; `more`: another delivery of its lane waits for its mark
   * (written at once; so it is when a commit wrote to the lane meanwhile).
   */
  async #send(d: Delivery, more: boolean, key: number): Promise<Outcome> {
    let copies: readonly Copy[];
    let sentId: number | undefined;
    try {
      ({ copies, sentId } = await this.#call(d));
    } catch (error) {
      // Stopped while waiting for a slot: nothing was sent, the delivery stays as it was.
      if (error instanceof PaceStopped) return "stopped";
      return this.#failed(d, error);
    }
    this.sent++;
    // An album is a message per part to Telegram's flood limits: it went on one slot, the
    // parts after the first are paid for by what follows it.
    if (copies.length > 1) {
      this.#limiter.charge(d.chatId, copies.length - 1, this.#clock.monotonic());
    }
    await this.#recorder.record(d, copies, sentId, more || this.#written.has(key));
    return "sent";
  }

  /**
   * Makes the delivery's call; resolves with what it made: copies of stored messages, or a
   * message of the bot's own. A call into a client's topic goes there (`topics.ts`), the topic
   * made first if need be. Every message posted on the way waits for a slot of the chat's pace
   * just before it goes: the topic's creation, its card, the delivery's own message (not one
   * slot for all of them, the others counted after: they went in a burst, and the staff group
   * met 429s).
   */
  #call(d: Delivery): Promise<Made> {
    const call = parseCall(d.method, d.params);
    if (call === undefined) throw new Error(`unknown method ${d.method}`);
    const pace = this.#paceOf(d.chatId);
    const client = "topic_of" in call.params ? call.params.topic_of : undefined;
    if (client !== undefined && this.#topics !== undefined) {
      const topics = this.#topics;
      return topics.send(client, call, (inTopic) => this.#make(d, inTopic, pace), pace);
    }
    return this.#make(d, call, pace);
  }

  /** Makes one call (or job) of a delivery, a message waiting for its slot first. */
  async #make(d: Delivery, call: OutboxCall, pace: Pace): Promise<Made> {
    if (postsMessage(d.method)) await pace.next();
    if (isJob(call)) return { copies: await this.#jobs.run(call, pace) };
    const begun = stages?.written();
    const copyId = messageIdOf(await invoke(this.#api.raw, call));
    if (begun !== undefined) stages?.answered(begun);
    if (copyId === undefined) return { copies: [] };
    if (d.messageId === null) return { copies: [], sentId: copyId };
    return { copies: [{ messageId: d.messageId, copyId }] };
  }

  /** What a failed send leads to (`after_failure.ts`), done: a retry, or the desk told. */
  #failed(d: Delivery, error: unknown): Outcome {
    const verdict = judge(error);
    if (verdict.kind === "rate_limited") this.rateLimited++;
    const { step, logs } = afterFailure(d, verdict, {
      tries: this.#tries[d.lane] ?? this.#tries[LANE.messages],
      staffChatId: this.#topics?.isStaff(d.chatId) ? d.chatId : undefined,
    });
    for (const line of logs) this.#log[line.level](line.event, line.fields);
    switch (step.kind) {
      case "retry":
        this.#retry(d, this.#wallNow() + step.waitMs, step.error, step.countAttempt);
        return "retry";
      case "unreachable":
        this.#outcomes.chatUnreachable(d, step.reason);
        return "unreachable";
      case "rejected":
        this.#outcomes.deliveryRejected(d, step.reason);
        return "failed";
    }
  }

  /** Puts a delivery off until wall time `at`. */
  #retry(d: Delivery, at: number, error: string, countAttempt: boolean): void {
    this.#boundary.write(() => this.#store.retryDelivery(d.id, at, error, countAttempt));
    this.#delayed = true;
  }
}

/**
 * What a delivery made: copies of the stored messages it carried, or (`sentId`) a message of
 * the bot's own, such as a notice with buttons.
 */
interface Made {
  readonly copies: readonly Copy[];
  readonly sentId?: number;
}

/** The `message_id` of what Telegram answered (the copy it made), if any. */
function messageIdOf(result: unknown): number | undefined {
  if (typeof result !== "object" || result === null || !("message_id" in result)) return undefined;
  return typeof result.message_id === "number" ? result.message_id : undefined;
}

/** Whether a call is a job (done by `jobs.ts`) rather than one plain call. */
function isJob(call: OutboxCall): call is JobCall {
  return isJobMethod(call.method);
}
