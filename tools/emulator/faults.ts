/**
 * Fault injection in the fake Bot API: {@link Faults} holds what the test asked to go wrong
 * and decides, call by call, whether a call is delayed, dropped or answered with an error —
 * `failNext`, `dropNext`, `delayNext`, seeded random failures, blocked chats, and
 * Telegram-like flood limits (token buckets per chat and overall, answering 429 with
 * `retry_after`; a group's bucket holds 20 messages refilled at 20 a minute, the limit
 * Telegram's Bots FAQ gives for groups, in place of a private chat's 3 at 1 a second).
 *
 * Method names given here are canonical (the server resolves their casing); `"*"` matches
 * every method but `getUpdates`.
 *
 * @module
 */

import { chatKey, sameChat } from "./objects.ts";
import { mulberry32 } from "./random.ts";
import { defaultDescription, FakeApiError } from "./requests.ts";

/** Options of `FakeTelegram.failNext`. */
export interface FailOptions {
  /** Error code (also used as HTTP status), e.g. 400, 403, 429, 500. */
  code: number;
  /** Error description; a Telegram-like default is derived from `code` when omitted. */
  description?: string;
  /** Adds `parameters.retry_after` (seconds) to the error. */
  retryAfter?: number;
  /** How many matching calls fail. Default 1. */
  count?: number;
  /** Only calls whose `chat_id` equals this. */
  chatId?: number | string;
  /**
   * Answers with this body as it is (status `code`), instead of Telegram's JSON: what a proxy
   * or a self-hosted server may say, e.g. `404 page not found` or `{"ok":false}`.
   */
  body?: string;
  /**
   * The `content-type` of `body`: `text/plain` unless told (`text/html` for a proxy's or a
   * firewall's error page, say).
   */
  contentType?: string;
}

/** Options of `FakeTelegram.enforceRateLimits`. */
export interface RateLimitOptions {
  /** Sustained sends per second per chat. Default 1. */
  perChatPerSecond?: number;
  /** Bucket size per chat (sends allowed at once). Default 3. */
  perChatBurst?: number;
  /** Sustained sends per second over all chats (also the global bucket size). Default 30. */
  globalPerSecond?: number;
  /**
   * Sustained sends per minute per group (a negative chat id), which has this bucket instead
   * of the per-chat one: Telegram's FAQ says a bot can't send more than 20 messages per minute
   * to one group. Default 20.
   */
  perGroupPerMinute?: number;
  /** Bucket size per group (sends allowed at once). Default 20: a minute's worth. */
  perGroupBurst?: number;
  /** `retry_after` to answer; by default the seconds until a token is available (at least 1). */
  retryAfter?: number;
}

/** Options of `FakeTelegram.failRandomly`. */
export interface ChaosOptions {
  /** Share of calls (0..1) answered with one of `codes`. */
  failShare: number;
  /** Share of calls (0..1) whose connection is dropped. Default 0. */
  dropShare?: number;
  /** Error codes to pick from. Default 500, 502, 504. */
  codes?: number[];
  /** Seed of the dice. Default 42. */
  seed?: number;
}

/** What happens to a call instead of its normal answer. */
export type Outcome = { drop: true } | { drop: false; error: FakeApiError };

interface CallRule {
  method: string;
  count: number;
  chatId?: number | string;
}

interface FailRule extends CallRule {
  code: number;
  description: string;
  retryAfter?: number;
  body?: string;
  contentType?: string;
}

interface DelayRule extends CallRule {
  ms: number;
}

interface Bucket {
  tokens: number;
  last: number;
}

/** Takes one use of the first rule matching the call; a rule used up is removed. */
function takeRule<R extends CallRule>(rules: R[], method: string, chatId: unknown): R | undefined {
  const index = rules.findIndex((r) =>
    (r.method === "*" ? method !== "getUpdates" : r.method === method) &&
    (r.chatId === undefined || sameChat(chatId, r.chatId))
  );
  if (index < 0) return undefined;
  const rule = rules[index];
  rule.count--;
  if (rule.count <= 0) rules.splice(index, 1);
  return rule;
}

function refill(bucket: Bucket, now: number, perSecond: number, capacity: number): void {
  bucket.tokens = Math.min(capacity, bucket.tokens + ((now - bucket.last) / 1000) * perSecond);
  bucket.last = now;
}

/** The faults a test injected, consumed call by call. */
export class Faults {
  #failRules: FailRule[] = [];
  #chaos: { failShare: number; dropShare: number; codes: number[]; random: () => number } | null =
    null;
  #dropRules: CallRule[] = [];
  #delayRules: DelayRule[] = [];
  #blocked = new Map<string, string>();
  #rateLimits: Required<Omit<RateLimitOptions, "retryAfter">> & { retryAfter?: number } | null =
    null;
  #chatBuckets = new Map<string, Bucket>();
  #globalBucket: Bucket = { tokens: 0, last: 0 };
  #rateLimited = 0;

  /** How many sends were answered 429 by the flood limits. */
  get rateLimited(): number {
    return this.#rateLimited;
  }

  blockChat(chatId: number | string, description: string): void {
    this.#blocked.set(chatKey(chatId), description);
  }

  unblockChat(chatId: number | string): void {
    this.#blocked.delete(chatKey(chatId));
  }

  failNext(method: string, options: FailOptions): void {
    this.#failRules.push({
      method,
      count: options.count ?? 1,
      chatId: options.chatId,
      code: options.code,
      description: options.description ?? defaultDescription(options.code, options.retryAfter),
      retryAfter: options.retryAfter,
      body: options.body,
      contentType: options.contentType,
    });
  }

  dropNext(method: string, count: number, chatId?: number | string): void {
    this.#dropRules.push({ method, count, chatId });
  }

  failRandomly(options: ChaosOptions | null): void {
    if (options === null) {
      this.#chaos = null;
      return;
    }
    const random = mulberry32(options.seed ?? 42);
    this.#chaos = {
      failShare: options.failShare,
      dropShare: options.dropShare ?? 0,
      codes: options.codes ?? [500, 502, 504],
      random,
    };
  }

  delayNext(method: string, ms: number, count: number, chatId?: number | string): void {
    this.#delayRules.push({ method, count, chatId, ms });
  }

  enforceRateLimits(options: RateLimitOptions): void {
    this.#rateLimits = {
      perChatPerSecond: options.perChatPerSecond ?? 1,
      perChatBurst: options.perChatBurst ?? 3,
      globalPerSecond: options.globalPerSecond ?? 30,
      perGroupPerMinute: options.perGroupPerMinute ?? 20,
      perGroupBurst: options.perGroupBurst ?? 20,
      retryAfter: options.retryAfter,
    };
    this.#chatBuckets.clear();
    this.#globalBucket = { tokens: this.#rateLimits.globalPerSecond, last: Date.now() };
  }

  disableRateLimits(): void {
    this.#rateLimits = null;
  }

  /** How long to hold the call before answering it (a `delayNext` it uses up), if at all. */
  takeDelay(method: string, chatId: unknown): number | undefined {
    return takeRule(this.#delayRules, method, chatId)?.ms;
  }

  /**
   * Whether the call is dropped or fails (a `dropNext` or `failNext` it uses up, or the dice
   * of `failRandomly`), or `undefined` when it gets its normal answer.
   */
  outcome(method: string, chatId: unknown): Outcome | undefined {
    const chaos = this.#chaos;
    const roll = chaos && method !== "getUpdates" ? chaos.random() : 1;
    if (takeRule(this.#dropRules, method, chatId) || roll < (chaos?.dropShare ?? 0)) {
      return { drop: true };
    }
    let fail: Omit<FailRule, "count"> | undefined = takeRule(this.#failRules, method, chatId);
    if (!fail && chaos && roll < chaos.dropShare + chaos.failShare) {
      const code = chaos.codes[Math.floor(chaos.random() * chaos.codes.length)];
      fail = { method, code, description: defaultDescription(code) };
    }
    if (!fail) return undefined;
    const parameters = fail.retryAfter !== undefined ? { retry_after: fail.retryAfter } : undefined;
    const error = new FakeApiError(
      fail.code,
      fail.description,
      parameters,
      fail.body,
      fail.contentType,
    );
    return { drop: false, error };
  }

  /** Throws the 403 of a blocked chat. */
  checkBlocked(chatId: unknown): void {
    const blocked = this.#blocked.get(chatKey(chatId));
    if (blocked !== undefined) throw new FakeApiError(403, blocked);
  }

  /**
   * Takes `count` tokens for a send to `chatId` (an album: one per part), or throws 429 when
   * the flood limits say wait. One token is enough to go; the rest is owed (the bucket goes
   * below zero), so what follows an album waits for all of it.
   */
  checkRateLimit(chatId: unknown, count = 1): void {
    const limits = this.#rateLimits;
    if (!limits) return;
    const now = Date.now();
    const key = chatKey(chatId);
    const group = Number(chatId) < 0;
    const perSecond = group ? limits.perGroupPerMinute / 60 : limits.perChatPerSecond;
    const burst = group ? limits.perGroupBurst : limits.perChatBurst;
    const chat = this.#chatBuckets.get(key) ?? { tokens: burst, last: now };
    this.#chatBuckets.set(key, chat);
    refill(chat, now, perSecond, burst);
    refill(this.#globalBucket, now, limits.globalPerSecond, limits.globalPerSecond);
    const wait = Math.max(
      chat.tokens >= 1 ? 0 : (1 - chat.tokens) / perSecond,
      this.#globalBucket.tokens >= 1 ? 0 : (1 - this.#globalBucket.tokens) / limits.globalPerSecond,
    );
    if (wait > 0) {
      this.#rateLimited++;
      const retryAfter = limits.retryAfter ?? Math.max(1, Math.ceil(wait));
      throw new FakeApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      });
    }
    chat.tokens -= count;
    this.#globalBucket.tokens -= count;
  }
}
