/**
 * The record of the calls the fake Bot API answered, and waiting for them: {@link ApiCall},
 * and {@link CallLog}, the base of `FakeTelegram` that holds `calls`, `onRecord`, `callsOf`,
 * `sentTo`, `waitFor`, `waitForCall` and `describeCalls` (the list of the last calls that
 * timeout errors show).
 *
 * @module
 */

import { canonicalMethod } from "./methods.ts";
import { sameChat } from "./objects.ts";
import { type ApiReply, type RecordedFile, type RequestData, str } from "./requests.ts";

/** One recorded Bot API request and the answer it got. */
export interface ApiCall {
  /** Method name (canonical casing when the method is known, e.g. `sendMessage`). */
  method: string;
  /** Request parameters; form/query values are decoded (numbers, booleans, JSON objects). */
  params: Record<string, unknown>;
  /**
   * Uploaded files, keyed by the API field name (`document`, `photo`, ...) when the upload is
   * referenced by a top-level field (directly or via `attach://<part>`), else by part name.
   */
  files: Record<string, RecordedFile>;
  /** Arrival time (`Date.now()`). */
  at: number;
  /** The body that was answered, or `undefined` when no HTTP answer was delivered. */
  response: ApiReply | undefined;
  /** `result` of a successful answer, `undefined` otherwise. */
  result: unknown;
  /** Whether the answer was `{ ok: true }`. */
  ok: boolean;
  /** HTTP status answered; `0` if the connection was dropped or the client went away. */
  status: number;
}

/** Options of {@link CallLog.waitFor}. */
export interface WaitOptions {
  /** How long to wait before rejecting. Default 5000 ms. */
  timeoutMs?: number;
  /** Added to the timeout error to say what was expected. */
  message?: string;
}

/** Options of {@link CallLog.waitForCall}. */
export interface WaitForCallOptions extends WaitOptions {
  /** Only consider calls at index `>= after` (pass a previous `tg.calls.length`). */
  after?: number;
}

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

function shortText(call: ApiCall): string {
  const p = call.params;
  const t = str(p.text) ?? str(p.caption) ?? str(p.data) ?? "";
  const oneLine = t.replace(/\s+/g, " ");
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

function describeCall(call: ApiCall, index: number): string {
  const chat = call.params.chat_id !== undefined ? ` chat_id=${String(call.params.chat_id)}` : "";
  const text = shortText(call);
  const poll = call.method === "getUpdates"
    ? ` offset=${String(call.params.offset ?? 0)}` +
      (Array.isArray(call.result) ? ` (${call.result.length} updates)` : "")
    : "";
  let outcome: string;
  if (call.response === undefined) outcome = "no answer";
  else if (call.response.ok) outcome = "ok";
  else outcome = `${call.response.error_code} ${call.response.description}`;
  const quoted = text ? ` ${JSON.stringify(text)}` : "";
  return `  #${index} ${call.method}${chat}${poll}${quoted} -> ${outcome}`;
}

/** The recorded calls of a fake Bot API server and the tests waiting for them. */
export abstract class CallLog {
  /** Every API call, in the order their answers were decided. */
  readonly calls: ApiCall[] = [];
  /**
   * Called with each call as it is recorded, i.e. the moment its answer is decided (for
   * `getUpdates`: when the updates are handed out). For benchmarks that need their own clock.
   */
  onRecord: ((call: ApiCall) => void) | undefined = undefined;

  #waiters = new Set<Waiter>();
  #stopped = false;

  /** All calls of `method`, in order. */
  callsOf(method: string): ApiCall[] {
    const name = canonicalMethod(method);
    return this.calls.filter((c) => c.method === name);
  }

  /** Successful calls (other than `getUpdates`) whose `chat_id` equals `chatId`, in order. */
  sentTo(chatId: number | string): ApiCall[] {
    return this.calls.filter((c) =>
      c.ok && c.method !== "getUpdates" && sameChat(c.params.chat_id, chatId)
    );
  }

  /**
   * Resolves with the predicate's value as soon as it is truthy. The predicate is re-checked on
   * every recorded call (and every 20 ms, for predicates that look at other state). Rejects on
   * timeout with the last calls listed.
   */
  waitFor<T>(
    predicate: (calls: readonly ApiCall[]) => T | undefined | null | false,
    options: WaitOptions = {},
  ): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const timers: {
        timeout?: ReturnType<typeof setTimeout>;
        poll?: ReturnType<typeof setInterval>;
      } = {};
      const finish = (error: Error | null, value?: T) => {
        if (settled) return;
        settled = true;
        clearTimeout(timers.timeout);
        clearInterval(timers.poll);
        this.#waiters.delete(waiter);
        if (error) reject(error);
        else resolve(value as T);
      };
      const waiter: Waiter = {
        check: () => {
          if (settled) return;
          let value: T | undefined | null | false;
          try {
            value = predicate(this.calls);
          } catch (e) {
            finish(e instanceof Error ? e : new Error(String(e)));
            return;
          }
          if (value) finish(null, value);
        },
        fail: (error) => finish(error),
      };
      waiter.check();
      if (settled) return;
      if (this.#stopped) {
        finish(new Error("FakeTelegram was closed"));
        return;
      }
      this.#waiters.add(waiter);
      timers.poll = setInterval(waiter.check, 20);
      timers.timeout = setTimeout(() => {
        const what = options.message ? `: ${options.message}` : "";
        finish(
          new Error(`waitFor timed out after ${timeoutMs} ms${what}\n${this.describeCalls()}`),
        );
      }, timeoutMs);
    });
  }

  /**
   * Waits for the first call of `method` matching `filter` (at index `>= options.after` when
   * given) and returns it.
   */
  waitForCall(
    method: string,
    filter?: (call: ApiCall) => boolean,
    options: WaitForCallOptions = {},
  ): Promise<ApiCall> {
    const name = canonicalMethod(method);
    const from = options.after ?? 0;
    const message = options.message ??
      `a ${method} call${filter ? " matching the filter" : ""}${
        options.after !== undefined ? ` after call #${from}` : ""
      }`;
    return this.waitFor(
      (calls) => calls.slice(from).find((c) => c.method === name && (!filter || filter(c))),
      { timeoutMs: options.timeoutMs, message },
    );
  }

  /** A readable list of the last `count` calls (used in timeout errors). */
  describeCalls(count = 15): string {
    const start = Math.max(0, this.calls.length - count);
    const lines = this.calls.slice(start).map((c, i) => describeCall(c, start + i));
    return `Last ${lines.length} of ${this.calls.length} calls:\n${lines.join("\n") || "  (none)"}`;
  }

  /** Records a call of `method` that arrived `at` and was answered (or not), then tells. */
  protected record(
    method: string,
    data: RequestData,
    at: number,
    response: ApiReply | undefined,
    status: number,
  ): void {
    this.calls.push({
      method,
      params: data.params,
      files: data.files,
      at,
      response,
      result: response?.ok ? response.result : undefined,
      ok: response?.ok ?? false,
      status,
    });
    this.onRecord?.(this.calls[this.calls.length - 1]);
    this.notify();
  }

  /** Lets the waiters look again (something they may be waiting for changed). */
  protected notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  /** Rejects every pending wait, and every later one that is not satisfied at once. */
  protected stopWaiting(): void {
    this.#stopped = true;
    for (const waiter of [...this.#waiters]) waiter.fail(new Error("FakeTelegram was closed"));
  }
}
