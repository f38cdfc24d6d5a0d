/**
 * The outbox's pacing: a rate limiter per chat and one for all chats, so that sends stay
 * under Telegram's flood limits (about 1 message a second to one private chat after a short
 * burst, about 20 a minute to one group, about 30 a second in all) instead of provoking
 * 429s. A chat's rate follows its type: groups (negative ids) have their own. Pure timing
 * math; `now` is passed in. And {@link Pace}: how the calls of one delivery meet the pace of
 * its chat, each message they post waiting for a slot of its own.
 *
 * @module
 */

/**
 * The pace of a chat as one delivery's calls meet it (the sender makes it): every message
 * they post there waits for a slot of its own just before it goes, so that the chat's burst
 * and rate hold for each. In team mode's staff group that is the topic's creation (Telegram
 * counts it as a message about the creation), the client card, the board's post, and the
 * delivery's own message: not one slot for all of them.
 */
export interface Pace {
  /** Waits for a slot for one message; throws {@link PaceStopped} when the sender stops. */
  next(): Promise<void>;
  /**
   * Counts `count` messages that went without a slot (a topic's rename, closing or reopening
   * leaves its service message): what follows in the chat waits for them.
   */
  posted(count: number): void;
}

/** Thrown by {@link Pace.next} when the sender stops meanwhile: the delivery stays pending. */
export class PaceStopped extends Error {
  override name = "PaceStopped";
  constructor() {
    super("the sender stopped");
  }
}

/** No pace at all (jobs run outside the sender, in tests). */
export const UNPACED: Pace = {
  next: () => Promise.resolve(),
  posted: () => {},
};

/**
 * Generic cell rate algorithm: for each key, the time the next call may go so that calls
 * average `rate` per second with bursts of up to `burst`.
 */
export class RateLimiter {
  readonly #next = new Map<number, number>();
  #global = 0;
  readonly #chatInterval: number;
  readonly #chatTolerance: number;
  readonly #groupInterval: number;
  readonly #groupTolerance: number;
  readonly #globalInterval: number;

  /**
   * `ratePerChat` per second to a private chat after `burst` at once; `rateGlobal` per second
   * in all; to a group, `groupPerMinute` a minute after `groupBurst` at once.
   */
  constructor(
    ratePerChat: number,
    burst: number,
    rateGlobal: number,
    groupPerMinute = 20,
    groupBurst = 3,
  ) {
    this.#chatInterval = 1000 / ratePerChat;
    this.#chatTolerance = this.#chatInterval * (Math.max(1, burst) - 1);
    this.#groupInterval = 60_000 / groupPerMinute;
    this.#groupTolerance = this.#groupInterval * (Math.max(1, groupBurst) - 1);
    this.#globalInterval = 1000 / rateGlobal;
  }

  /** Reserves a slot for `chat`; returns when it may be used (ms since epoch). */
  reserveChat(chat: number, now: number): number {
    const group = chat < 0;
    const tat = Math.max(this.#next.get(chat) ?? now, now);
    this.#next.set(chat, tat + (group ? this.#groupInterval : this.#chatInterval));
    if (this.#next.size > 10_000) {
      for (const [key, value] of this.#next) if (value < now) this.#next.delete(key);
    }
    return Math.max(now, tat - (group ? this.#groupTolerance : this.#chatTolerance));
  }

  /**
   * Counts `extra` more messages a call made in `chat` (the other parts of an album): it went
   * on one slot, and what follows it in the chat, and anywhere, waits for the rest.
   */
  charge(chat: number, extra: number, now: number): void {
    if (extra <= 0) return;
    const interval = chat < 0 ? this.#groupInterval : this.#chatInterval;
    this.#next.set(chat, Math.max(this.#next.get(chat) ?? now, now) + extra * interval);
    this.#global = Math.max(this.#global, now) + extra * this.#globalInterval;
  }

  /** Reserves a slot in the global rate; returns when it may be used. */
  reserveGlobal(now: number): number {
    const at = Math.max(this.#global, now);
    this.#global = at + this.#globalInterval;
    return at;
  }
}
