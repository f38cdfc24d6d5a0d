/**
 * A fake Telegram Bot API server for end-to-end tests.
 *
 * It listens on `127.0.0.1` with a random port, speaks the Bot API over real HTTP (JSON,
 * multipart/form-data, urlencoded forms and GET query strings), records every call, lets the
 * test play the users by pushing updates that the bot fetches with `getUpdates`, and can inject
 * faults (blocked chats, error replies, dropped connections, delays, rate limits).
 *
 * ```ts
 * const tg = await FakeTelegram.start();
 * const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
 * tg.sendText(user(42, "Ann"), "/start");
 * const call = await tg.waitForCall("sendMessage", (c) => c.params.chat_id === 42);
 * await tg.close();
 * ```
 *
 * Notes on fidelity:
 * - A call is appended to {@link FakeTelegram.calls} when its answer has been decided (after any
 *   injected delay, or when a held long poll is released), so `response`/`ok` are always final;
 *   `at` is the arrival time.
 * - Only one `getUpdates` is served at a time: when a second one arrives while one is held, the
 *   older one is answered with `[]` (real Telegram answers 409 Conflict to the older one).
 * - `allowed_updates` is a persistent setting like on Telegram; an empty list (or never setting
 *   it) means "everything except chat_member, message_reaction and message_reaction_count".
 *   Queued updates of a known type that is not allowed are dropped when `getUpdates` runs;
 *   updates of unknown types (see {@link FakeTelegram.pushRaw}) are always delivered.
 * - `parse_mode` is not interpreted: the returned message carries the text as sent.
 *
 * @module
 */

import type {
  Chat,
  Message,
  MessageEntity,
  ResponseParameters,
  Update,
  User,
  UserFromGetMe,
} from "grammy/types";
import { mulberry32 } from "./random.ts";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/** A file uploaded by the bot (multipart/form-data), as recorded in {@link ApiCall.files}. */
export interface RecordedFile {
  /** File name given in the multipart part. */
  filename: string;
  /** Content type given in the multipart part (grammY sends `application/octet-stream`). */
  mimeType: string;
  /** Raw bytes of the upload. */
  bytes: Uint8Array;
  /** The bytes decoded as UTF-8. */
  text(): string;
}

/** The body of a Bot API answer. */
export type ApiReply =
  | { ok: true; result: unknown }
  | { ok: false; error_code: number; description: string; parameters?: ResponseParameters };

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

/** A simulated Telegram user (the tests play them). */
export interface FakeUser {
  /** Telegram user id (also the private chat id). */
  id: number;
  /** First name. */
  first_name: string;
  /** Optional last name. */
  last_name?: string;
  /** Optional username (without `@`). */
  username?: string;
  /** Optional IETF language tag, e.g. `"en"`. */
  language_code?: string;
}

/** Builds a {@link FakeUser}. */
export function user(
  id: number,
  first_name: string,
  extra: Omit<Partial<FakeUser>, "id" | "first_name"> = {},
): FakeUser {
  return { id, first_name, ...extra };
}

/** The Telegram `User` object of a fake user, as it appears in `from`. */
export function userObject(u: FakeUser): User {
  return {
    id: u.id,
    is_bot: false,
    first_name: u.first_name,
    ...(u.last_name !== undefined ? { last_name: u.last_name } : {}),
    ...(u.username !== undefined ? { username: u.username } : {}),
    ...(u.language_code !== undefined ? { language_code: u.language_code } : {}),
  };
}

/** Options of {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  /** Bot token; the part before `:` must be numeric (it is the bot id). Default `123456:TEST`. */
  token?: string;
}

/** Options of {@link FakeTelegram.waitFor}. */
export interface WaitOptions {
  /** How long to wait before rejecting. Default 5000 ms. */
  timeoutMs?: number;
  /** Added to the timeout error to say what was expected. */
  message?: string;
}

/** Options of {@link FakeTelegram.waitForCall}. */
export interface WaitForCallOptions extends WaitOptions {
  /** Only consider calls at index `>= after` (pass a previous `tg.calls.length`). */
  after?: number;
}

/** Options of {@link FakeTelegram.failNext}. */
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
}

/** Options of {@link FakeTelegram.enforceRateLimits}. */
export interface RateLimitOptions {
  /** Sustained sends per second per chat. Default 1. */
  perChatPerSecond?: number;
  /** Bucket size per chat (sends allowed at once). Default 3. */
  perChatBurst?: number;
  /** Sustained sends per second over all chats (also the global bucket size). Default 30. */
  globalPerSecond?: number;
  /** `retry_after` to answer; by default the seconds until a token is available (at least 1). */
  retryAfter?: number;
}

/** Kinds of media {@link FakeTelegram.sendMedia} can build. */
export type MediaKind =
  | "photo"
  | "document"
  | "voice"
  | "audio"
  | "video"
  | "sticker"
  | "video_note"
  | "location"
  | "contact"
  | "animation";

/** Options of {@link FakeTelegram.sendMedia}. */
export interface SendMediaOptions {
  /** Caption (only for kinds where Telegram allows one; otherwise an error is thrown). */
  caption?: string;
  /** File name for document/audio/video/animation. */
  fileName?: string;
  /** MIME type for document/audio/video/animation/voice. */
  mimeType?: string;
  /** File content served by `getFile` + `/file/bot<token>/<path>`; a placeholder by default. */
  bytes?: Uint8Array | string;
  /** Extra message fields, merged last. */
  extra?: Partial<Message>;
}

/** What {@link FakeTelegram.sendText} and {@link FakeTelegram.sendMedia} return. */
export interface PushedMessage {
  /** Update id of the queued update. */
  update_id: number;
  /** Message id of the user's message. */
  message_id: number;
  /** The message as queued. */
  message: Message;
}

/** Options of {@link FakeTelegram.sendCallbackQuery}. */
export interface CallbackQueryOptions {
  /** Id of the (bot) message carrying the button. */
  messageId?: number;
  /** Chat of that message. Default: the user's private chat. */
  chatId?: number;
}

/** A custom method implementation installed with {@link FakeTelegram.handle}. */
export type MethodHandler = (
  params: Record<string, unknown>,
  files: Record<string, RecordedFile>,
) => unknown | Promise<unknown>;

/** Throw this from a {@link MethodHandler} to answer with a Bot API error. */
export class FakeApiError extends Error {
  /** Creates an error answered as `{ ok: false, error_code, description, parameters }`. */
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: ResponseParameters,
  ) {
    super(`${code}: ${description}`);
    this.name = "FakeApiError";
  }
}

// ---------------------------------------------------------------------------------------------
// Constants and small helpers
// ---------------------------------------------------------------------------------------------

/** Methods that post a message: the ones Telegram's flood limits count. */
const SENDING_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "copyMessage",
  "forwardMessage",
  "sendPhoto",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendVideo",
  "sendAnimation",
  "sendVideoNote",
  "sendSticker",
  "sendLocation",
  "sendContact",
]);

/** Methods answered by the fake (canonical casing; lookups are case-insensitive). */
const KNOWN_METHODS: readonly string[] = [
  "getMe",
  "getUpdates",
  "deleteWebhook",
  "setWebhook",
  "getWebhookInfo",
  "setMyCommands",
  "deleteMyCommands",
  "getMyCommands",
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
  "deleteMessage",
  "answerCallbackQuery",
  "sendChatAction",
  "getFile",
  ...SENDING_METHODS,
];

const METHOD_BY_LOWER = new Map<string, string>(KNOWN_METHODS.map((m) => [m.toLowerCase(), m]));

/** Upload methods and the field that carries the media. */
const MEDIA_METHODS: Record<string, FileKind> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendVoice: "voice",
  sendAudio: "audio",
  sendVideo: "video",
  sendAnimation: "animation",
  sendVideoNote: "video_note",
  sendSticker: "sticker",
};

type FileKind = Exclude<MediaKind, "location" | "contact">;

const CAPTION_KINDS = new Set<MediaKind>([
  "photo",
  "document",
  "voice",
  "audio",
  "video",
  "animation",
]);

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

const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "offset",
  "limit",
  "timeout",
  "message_thread_id",
  "reply_to_message_id",
  "user_id",
  "cache_time",
  "duration",
  "width",
  "height",
  "length",
  "latitude",
  "longitude",
  "horizontal_accuracy",
  "max_connections",
]);

const BOOLEAN_FIELDS = new Set([
  "disable_notification",
  "protect_content",
  "allow_sending_without_reply",
  "disable_web_page_preview",
  "disable_content_type_detection",
  "has_spoiler",
  "show_caption_above_media",
  "supports_streaming",
  "show_alert",
  "drop_pending_updates",
]);

/** Free-text fields never parsed as JSON even when they look like it. */
const TEXT_FIELDS = new Set([
  "text",
  "caption",
  "title",
  "performer",
  "description",
  "first_name",
  "last_name",
  "phone_number",
  "vcard",
  "emoji",
  "url",
  "file_id",
  "callback_query_id",
  "callback_data",
  "inline_message_id",
  "secret_token",
  "language_code",
  "action",
  "parse_mode",
  "caption_parse_mode",
]);

const FIRST_BOT_MESSAGE_ID = 100_000;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

function chatKey(id: unknown): string {
  return String(id);
}

function sameChat(a: unknown, b: unknown): boolean {
  return a !== undefined && a !== null && chatKey(a) === chatKey(b);
}

/** Decodes a string value of a form field or query parameter. */
function decodeValue(key: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (BOOLEAN_FIELDS.has(key) && (value === "true" || value === "false")) return value === "true";
  if (!TEXT_FIELDS.has(key) && /^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function recordFile(file: File, bytes: Uint8Array): RecordedFile {
  return {
    filename: file.name,
    mimeType: file.type,
    bytes,
    text: () => decoder.decode(bytes),
  };
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json" },
  });
}

/**
 * A response that announces a body it never sends: the server closes the connection early and
 * the client's `fetch` body read fails ("error reading a body from connection"), which grammY
 * reports as an `HttpError`. (A stream that errors works too, but Deno logs the error.)
 */
function droppedResponse(): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.close();
    },
  });
  return new Response(body, {
    status: 200,
    headers: { "content-type": "application/json", "content-length": "64" },
  });
}

function defaultDescription(code: number, retryAfter?: number): string {
  switch (code) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 409:
      return "Conflict";
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 500:
      return "Internal Server Error";
    case 502:
      return "Bad Gateway";
    default:
      return `Error ${code}`;
  }
}

function updateType(update: Record<string, unknown>): string | undefined {
  return Object.keys(update).find((k) => k !== "update_id");
}

/** Telegram marks a leading `/command` (optionally `@botname`) as a bot_command entity. */
function commandEntities(text: string): MessageEntity[] | undefined {
  const m = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?/.exec(text);
  return m ? [{ type: "bot_command", offset: 0, length: m[0].length }] : undefined;
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

interface CallRule {
  method: string;
  count: number;
  chatId?: number | string;
}

interface FailRule extends CallRule {
  code: number;
  description: string;
  retryAfter?: number;
}

interface DelayRule extends CallRule {
  ms: number;
}

interface HeldPoll {
  wake(): void;
  release(): void;
}

interface Waiter {
  check(): void;
  fail(error: Error): void;
}

interface Bucket {
  tokens: number;
  last: number;
}

/** Marker returned by a handler when the client went away before the answer. */
const CLIENT_GONE = Symbol("client gone");

interface RequestData {
  params: Record<string, unknown>;
  files: Record<string, RecordedFile>;
}

// ---------------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------------

/** A fake Telegram Bot API server on `127.0.0.1`. Start it with {@link FakeTelegram.start}. */
export class FakeTelegram {
  /** Every API call, in the order their answers were decided. */
  readonly calls: ApiCall[] = [];
  /** Paths requested from `/file/bot<token>/...` (found or not). */
  readonly downloads: string[] = [];
  /** The bot token the server accepts. */
  readonly token: string;
  /** The bot as returned by `getMe`. */
  readonly botUser: UserFromGetMe;
  /** Base URL to use as grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;
  /**
   * Called with each call as it is recorded, i.e. the moment its answer is decided (for
   * `getUpdates`: when the updates are handed out). For benchmarks that need their own clock.
   */
  onRecord: ((call: ApiCall) => void) | undefined = undefined;

  #server: Deno.HttpServer<Deno.NetAddr>;
  #closed = false;
  #queue: Update[] = [];
  #nextUpdateId = 1;
  #lastOffset = 0;
  #allowedUpdates: Set<string> | null = null;
  #held: HeldPoll | null = null;
  #waiters = new Set<Waiter>();
  #sleepers = new Set<() => void>();
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
  #botMessageIds = new Map<string, number>();
  #userMessageIds = new Map<number, number>();
  #users = new Map<number, FakeUser>();
  #messages = new Map<string, Record<string, unknown>>();
  #files = new Map<string, Uint8Array>();
  #fileIdToPath = new Map<string, string>();
  #fileCounter = 0;
  #callbackCounter = 0;
  #webhookUrl = "";
  #commands = new Map<string, unknown[]>();
  #handlers = new Map<string, MethodHandler>();

  private constructor(token: string) {
    const id = Number(token.split(":")[0]);
    this.token = token;
    this.botUser = {
      id,
      is_bot: true,
      first_name: "Test Desk",
      username: "test_desk_bot",
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
      has_topics_enabled: false,
      allows_users_to_create_topics: false,
      can_manage_bots: false,
      supports_join_request_queries: false,
    };
    this.#server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      (req) => this.#handleRequest(req),
    );
    this.apiRoot = `http://127.0.0.1:${this.#server.addr.port}`;
  }

  /** Starts a server on `127.0.0.1` with a random free port. */
  static start(options: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const token = options.token ?? "123456:TEST";
    if (!/^\d+:[A-Za-z0-9_-]+$/.test(token)) {
      return Promise.reject(new Error(`Invalid fake bot token ${JSON.stringify(token)}`));
    }
    return Promise.resolve(new FakeTelegram(token));
  }

  /**
   * Stops the server: answers a held `getUpdates` with `[]`, cuts injected delays short,
   * rejects pending `waitFor`s and waits for in-flight requests. Safe to call twice.
   */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#held?.release();
      for (const wakeUp of [...this.#sleepers]) wakeUp();
      for (const waiter of [...this.#waiters]) waiter.fail(new Error("FakeTelegram was closed"));
      await this.#server.shutdown();
    }
    await this.#server.finished;
  }

  /** Allows `await using tg = await FakeTelegram.start()`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  // -------------------------------------------------------------------------------------------
  // Inspection
  // -------------------------------------------------------------------------------------------

  /** Number of queued updates not yet confirmed by a `getUpdates` offset. */
  get pendingUpdates(): number {
    return this.#queue.length;
  }

  /** The `offset` of the most recent `getUpdates` (0 before any). */
  get lastOffset(): number {
    return this.#lastOffset;
  }

  /** How many sends were answered 429 by {@link enforceRateLimits}. */
  get rateLimited(): number {
    return this.#rateLimited;
  }

  /** The current webhook URL (`""` when none). */
  get webhookUrl(): string {
    return this.#webhookUrl;
  }

  /** All calls of `method`, in order. */
  callsOf(method: string): ApiCall[] {
    const name = this.#canonical(method);
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
      if (this.#closed) {
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
    const name = this.#canonical(method);
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

  // -------------------------------------------------------------------------------------------
  // Updates (the tests play the users)
  // -------------------------------------------------------------------------------------------

  /** Queues an update with the next update id and wakes a held `getUpdates`. */
  pushUpdate(update: Omit<Update, "update_id">): number {
    return this.#push(update as Record<string, unknown>, true);
  }

  /**
   * Queues anything as an update (e.g. malformed or unknown kinds). A numeric `update_id` is
   * kept (later ids continue after it); otherwise the next id is assigned.
   */
  pushRaw(update: Record<string, unknown>): number {
    return this.#push(update, false);
  }

  #push(update: Record<string, unknown>, forceId: boolean): number {
    const given = num(update.update_id);
    const id = !forceId && given !== undefined ? given : this.#nextUpdateId;
    this.#nextUpdateId = Math.max(this.#nextUpdateId, id + 1);
    const full = { ...update, update_id: id } as Update;
    let at = this.#queue.length;
    while (at > 0 && this.#queue[at - 1].update_id > id) at--;
    this.#queue.splice(at, 0, full);
    for (const key of ["message", "edited_message", "channel_post", "business_message"]) {
      const m = (full as unknown as Record<string, unknown>)[key];
      if (isRecord(m) && isRecord(m.chat)) this.#rememberMessage(m);
    }
    this.#held?.wake();
    this.#notify();
    return id;
  }

  /** Queues a private text message from `from`. A leading `/command` gets its entity. */
  sendText(from: FakeUser, text: string, extra: Partial<Message> = {}): PushedMessage {
    const entities = commandEntities(text);
    return this.#pushMessage(from, { text, ...(entities ? { entities } : {}) }, extra);
  }

  /**
   * Queues a private text message from `from` that replies to message `replyTo` of their chat
   * (one they wrote or one the bot sent them).
   */
  sendReply(from: FakeUser, text: string, replyTo: number): PushedMessage {
    const target = this.#messages.get(`${chatKey(from.id)}:${replyTo}`) ?? {
      message_id: replyTo,
      date: nowSeconds(),
      chat: this.#chatObject(from.id),
    };
    return this.sendText(from, text, { reply_to_message: target as never });
  }

  /**
   * Queues an `edited_message` update: `from`'s message `messageId` with a new text or
   * caption (as Telegram sends it when a user edits a message).
   */
  sendEdit(
    from: FakeUser,
    messageId: number,
    changes: { text?: string; caption?: string },
  ): number {
    const before = this.#messages.get(`${chatKey(from.id)}:${messageId}`);
    if (!before) throw new Error(`no message ${messageId} in the chat of ${from.id}`);
    const edited: Record<string, unknown> = { ...before, edit_date: nowSeconds() };
    if (changes.text !== undefined) {
      edited.text = changes.text;
      delete edited.entities;
    }
    if (changes.caption !== undefined) {
      edited.caption = changes.caption;
      delete edited.caption_entities;
    }
    return this.pushUpdate({ edited_message: edited } as unknown as Omit<Update, "update_id">);
  }

  /** The message the fake holds as `messageId` in chat `chatId` (as last sent or edited). */
  messageIn(chatId: number, messageId: number): Record<string, unknown> | undefined {
    return this.#messages.get(`${chatKey(chatId)}:${messageId}`);
  }

  /** Queues a private media message of `kind` from `from`. */
  sendMedia(from: FakeUser, kind: MediaKind, options: SendMediaOptions = {}): PushedMessage {
    const content: Record<string, unknown> = {};
    if (kind === "location") {
      content.location = { latitude: 52.520008, longitude: 13.404954 };
    } else if (kind === "contact") {
      content.contact = { phone_number: "+15555550100", first_name: "Contact", user_id: 777_000 };
    } else {
      const fileId = this.#newFileId(kind);
      const bytes = options.bytes ?? `fake ${kind} content ${fileId}`;
      const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
      this.#storeFile(fileId, kind, data, options.fileName);
      const media = this.#mediaObject(kind, fileId, {
        fileName: options.fileName,
        mimeType: options.mimeType,
        size: data.length,
      });
      content[kind] = media;
      if (kind === "animation") content.document = media;
    }
    if (options.caption !== undefined) {
      if (!CAPTION_KINDS.has(kind)) throw new Error(`Telegram allows no caption on ${kind}`);
      content.caption = options.caption;
      const entities = commandEntities(options.caption);
      if (entities) content.caption_entities = entities;
    }
    return this.#pushMessage(from, content, options.extra ?? {});
  }

  /**
   * Queues a callback query (an inline button press) by `from` with `data`, attached to the bot
   * message `messageId` when given (the recorded message if the bot sent it).
   */
  sendCallbackQuery(
    from: FakeUser,
    data: string,
    options: CallbackQueryOptions = {},
  ): { update_id: number; callback_query_id: string } {
    this.#users.set(from.id, from);
    const chatId = options.chatId ?? from.id;
    const id = `cbq-${++this.#callbackCounter}`;
    const query: Record<string, unknown> = {
      id,
      from: userObject(from),
      chat_instance: `ci-${chatId}`,
      data,
    };
    if (options.messageId !== undefined) {
      query.message = this.#messages.get(`${chatKey(chatId)}:${options.messageId}`) ?? {
        message_id: options.messageId,
        date: nowSeconds(),
        chat: this.#chatObject(chatId),
        from: this.#botShort(),
      };
    }
    const update_id = this.#push({ callback_query: query }, true);
    return { update_id, callback_query_id: id };
  }

  /** Serves `bytes` at `{apiRoot}/file/bot{token}/{path}`; `fileId` makes `getFile` find it. */
  setFile(path: string, bytes: Uint8Array | string, fileId?: string): void {
    this.#files.set(path, typeof bytes === "string" ? encoder.encode(bytes) : bytes);
    if (fileId !== undefined) this.#fileIdToPath.set(fileId, path);
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection
  // -------------------------------------------------------------------------------------------

  /** Every later call with this `chat_id` answers 403 until {@link unblockChat}. */
  blockChat(chatId: number | string, description = "Forbidden: bot was blocked by the user"): void {
    this.#blocked.set(chatKey(chatId), description);
  }

  /** Undoes {@link blockChat}. */
  unblockChat(chatId: number | string): void {
    this.#blocked.delete(chatKey(chatId));
  }

  /**
   * The next `count` calls of `method` fail with `code`. `"*"` matches every method except
   * `getUpdates` (name it explicitly to fail polls).
   */
  failNext(method: string, options: FailOptions): void {
    this.#failRules.push({
      method: this.#canonical(method),
      count: options.count ?? 1,
      chatId: options.chatId,
      code: options.code,
      description: options.description ?? defaultDescription(options.code, options.retryAfter),
      retryAfter: options.retryAfter,
    });
  }

  /**
   * The next `count` calls of `method` (`"*"`: all but `getUpdates`) get no valid answer: the
   * headers promise a body that never comes and the connection is closed, so the client's fetch
   * fails (grammY throws `HttpError`). The call is recorded with `status: 0`.
   */
  dropNext(method: string, count = 1, chatId?: number | string): void {
    this.#dropRules.push({ method: this.#canonical(method), count, chatId });
  }

  /**
   * From now on, every call but `getUpdates` fails at random: a `failShare` of them with one
   * of `codes` (default 500, 502, 504), a `dropShare` of them with a dropped connection.
   * Seeded, so a run can be repeated. `null` turns it off.
   */
  failRandomly(
    options: { failShare: number; dropShare?: number; codes?: number[]; seed?: number } | null,
  ): void {
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

  /** The next `count` calls of `method` (`"*"`: all but `getUpdates`) are answered `ms` later. */
  delayNext(method: string, ms: number, count = 1, chatId?: number | string): void {
    this.#delayRules.push({ method: this.#canonical(method), count, chatId, ms });
  }

  /**
   * Turns on Telegram-like flood limits for sending methods (`send*` except `sendChatAction`,
   * `copyMessage`, `forwardMessage`), implemented as token buckets: each chat has a bucket of
   * `perChatBurst` tokens refilled at `perChatPerSecond`, and there is one global bucket of
   * `globalPerSecond` tokens refilled at `globalPerSecond`. A send needs a token from both;
   * otherwise it answers 429 `Too Many Requests: retry after N` with `parameters.retry_after`
   * (rejected sends consume nothing). Calling it again resets the buckets.
   */
  enforceRateLimits(options: RateLimitOptions = {}): void {
    this.#rateLimits = {
      perChatPerSecond: options.perChatPerSecond ?? 1,
      perChatBurst: options.perChatBurst ?? 3,
      globalPerSecond: options.globalPerSecond ?? 30,
      retryAfter: options.retryAfter,
    };
    this.#chatBuckets.clear();
    this.#globalBucket = { tokens: this.#rateLimits.globalPerSecond, last: Date.now() };
  }

  /** Turns rate limits off again. */
  disableRateLimits(): void {
    this.#rateLimits = null;
  }

  /**
   * Installs a custom implementation for `method` (also for methods the fake does not know);
   * `undefined` removes it. Return the `result`, or throw {@link FakeApiError}.
   */
  handle(method: string, handler: MethodHandler | undefined): void {
    const name = this.#canonical(method);
    if (handler) this.#handlers.set(name, handler);
    else this.#handlers.delete(name);
  }

  // -------------------------------------------------------------------------------------------
  // HTTP handling
  // -------------------------------------------------------------------------------------------

  async #handleRequest(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file) return this.#serveFile(file[1], file[2]);
    const match = /^\/bot([^/]*)\/(?:test\/)?([^/]+)$/.exec(url.pathname);
    if (!match) return jsonResponse(404, { ok: false, error_code: 404, description: "Not Found" });
    const at = Date.now();
    const method = this.#canonical(decodeURIComponent(match[2]));
    let data: RequestData;
    try {
      data = await readRequest(req, url);
    } catch (e) {
      const reply = this.#errorReply(
        new FakeApiError(400, `Bad Request: can't parse request body: ${String(e)}`),
      );
      this.#record(method, { params: {}, files: {} }, at, reply, 400);
      return jsonResponse(400, reply);
    }
    if (decodeURIComponent(match[1]) !== this.token) {
      const reply = this.#errorReply(new FakeApiError(401, "Unauthorized"));
      this.#record(method, data, at, reply, 401);
      return jsonResponse(401, reply);
    }
    const chatId = data.params.chat_id;

    const delay = takeRule(this.#delayRules, method, chatId);
    if (delay) await this.#sleep(delay.ms);

    const roll = this.#chaos && method !== "getUpdates" ? this.#chaos.random() : 1;
    if (takeRule(this.#dropRules, method, chatId) || roll < (this.#chaos?.dropShare ?? 0)) {
      this.#record(method, data, at, undefined, 0);
      return droppedResponse();
    }

    let reply: ApiReply;
    let fail = takeRule(this.#failRules, method, chatId);
    if (!fail && this.#chaos && roll < this.#chaos.dropShare + this.#chaos.failShare) {
      const code = this.#chaos.codes[Math.floor(this.#chaos.random() * this.#chaos.codes.length)];
      fail = { method, count: 1, code, description: defaultDescription(code) };
    }
    if (fail) {
      reply = this.#errorReply(
        new FakeApiError(
          fail.code,
          fail.description,
          fail.retryAfter !== undefined ? { retry_after: fail.retryAfter } : undefined,
        ),
      );
    } else {
      try {
        const result = await this.#dispatch(method, data, req);
        if (result === CLIENT_GONE) {
          this.#record(method, data, at, undefined, 0);
          return jsonResponse(200, { ok: true, result: [] });
        }
        reply = { ok: true, result };
      } catch (e) {
        // A bug in a custom handler still gets a Bot API shaped answer (and is recorded).
        reply = this.#errorReply(
          e instanceof FakeApiError ? e : new FakeApiError(500, `Internal Server Error: ${e}`),
        );
      }
    }
    const status = reply.ok ? 200 : reply.error_code;
    this.#record(method, data, at, reply, status);
    return jsonResponse(status, reply);
  }

  #serveFile(token: string, path: string): Response {
    const decoded = decodeURIComponent(path);
    this.downloads.push(decoded);
    if (decodeURIComponent(token) !== this.token) {
      return jsonResponse(401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const bytes = this.#files.get(decoded);
    if (!bytes) return jsonResponse(404, { ok: false, error_code: 404, description: "Not Found" });
    return new Response(bytes.slice(), {
      headers: { "content-type": "application/octet-stream" },
    });
  }

  #errorReply(e: FakeApiError): ApiReply {
    return {
      ok: false,
      error_code: e.code,
      description: e.description,
      ...(e.parameters ? { parameters: e.parameters } : {}),
    };
  }

  #record(
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
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) waiter.check();
  }

  #sleep(ms: number): Promise<void> {
    if (this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const wakeUp = () => {
        clearTimeout(timer);
        this.#sleepers.delete(wakeUp);
        resolve();
      };
      const timer = setTimeout(wakeUp, ms);
      this.#sleepers.add(wakeUp);
    });
  }

  #canonical(method: string): string {
    return method === "*" ? method : METHOD_BY_LOWER.get(method.toLowerCase()) ?? method;
  }

  // -------------------------------------------------------------------------------------------
  // Methods
  // -------------------------------------------------------------------------------------------

  async #dispatch(method: string, data: RequestData, req: Request): Promise<unknown> {
    const { params, files } = data;
    const custom = this.#handlers.get(method);
    if (custom) return await custom(params, files);

    if (params.chat_id !== undefined && method !== "getUpdates") {
      const blocked = this.#blocked.get(chatKey(params.chat_id));
      if (blocked !== undefined) throw new FakeApiError(403, blocked);
    }
    if (SENDING_METHODS.has(method)) this.#checkRateLimit(params.chat_id);

    switch (method) {
      case "getMe":
        return this.botUser;
      case "getUpdates":
        return await this.#getUpdates(params, req);
      case "deleteWebhook":
        this.#webhookUrl = "";
        if (params.drop_pending_updates === true) this.#queue = [];
        return true;
      case "setWebhook":
        this.#webhookUrl = str(params.url) ?? "";
        if (params.drop_pending_updates === true) this.#queue = [];
        return true;
      case "getWebhookInfo":
        return {
          url: this.#webhookUrl,
          has_custom_certificate: false,
          pending_update_count: this.#queue.length,
          max_connections: 40,
          ...(this.#allowedUpdates ? { allowed_updates: [...this.#allowedUpdates] } : {}),
        };
      case "setMyCommands":
        if (!Array.isArray(params.commands)) {
          throw new FakeApiError(400, 'Bad Request: parameter "commands" is required');
        }
        this.#commands.set(commandsKey(params), params.commands);
        return true;
      case "deleteMyCommands":
        this.#commands.delete(commandsKey(params));
        return true;
      case "getMyCommands":
        return this.#commands.get(commandsKey(params)) ?? [];
      case "sendMessage":
        return this.#sendMessage(params);
      case "copyMessage":
        this.#requireChat(params);
        requireMessageId(params);
        return { message_id: this.#nextBotMessageId(params.chat_id) };
      case "forwardMessage":
        return this.#forwardMessage(params);
      case "sendLocation":
        this.#requireChat(params);
        return this.#botMessage(params, {
          location: { latitude: num(params.latitude) ?? 0, longitude: num(params.longitude) ?? 0 },
        });
      case "sendContact":
        this.#requireChat(params);
        return this.#botMessage(params, {
          contact: {
            phone_number: str(params.phone_number) ?? "",
            first_name: str(params.first_name) ?? "",
            ...(params.last_name !== undefined ? { last_name: params.last_name } : {}),
          },
        });
      case "editMessageText":
        if (typeof params.text !== "string" || params.text === "") {
          throw new FakeApiError(400, "Bad Request: message text is empty");
        }
        return this.#edit(params, {
          text: params.text,
          ...(params.entities !== undefined ? { entities: params.entities } : {}),
          ...inlineMarkup(params),
        });
      case "editMessageCaption":
        return this.#edit(params, {
          caption: str(params.caption) ?? "",
          ...(params.caption_entities !== undefined
            ? { caption_entities: params.caption_entities }
            : {}),
          ...inlineMarkup(params),
        });
      case "editMessageReplyMarkup":
        return this.#edit(params, inlineMarkup(params));
      case "deleteMessage":
        this.#requireChat(params);
        requireMessageId(params);
        this.#messages.delete(`${chatKey(params.chat_id)}:${String(params.message_id)}`);
        return true;
      case "answerCallbackQuery":
        if (typeof params.callback_query_id !== "string") {
          throw new FakeApiError(400, "Bad Request: query is too old and response timeout expired");
        }
        return true;
      case "sendChatAction":
        this.#requireChat(params);
        return true;
      case "getFile":
        return this.#getFile(params);
    }
    const kind = MEDIA_METHODS[method];
    if (kind) return this.#sendMedia(kind, params, files);
    throw new FakeApiError(404, "Not Found: method not found");
  }

  #requireChat(params: Record<string, unknown>): void {
    if (params.chat_id === undefined || params.chat_id === "") {
      throw new FakeApiError(400, "Bad Request: chat_id is empty");
    }
  }

  #checkRateLimit(chatId: unknown): void {
    const limits = this.#rateLimits;
    if (!limits) return;
    const now = Date.now();
    const key = chatKey(chatId);
    const chat = this.#chatBuckets.get(key) ?? { tokens: limits.perChatBurst, last: now };
    this.#chatBuckets.set(key, chat);
    refill(chat, now, limits.perChatPerSecond, limits.perChatBurst);
    refill(this.#globalBucket, now, limits.globalPerSecond, limits.globalPerSecond);
    const wait = Math.max(
      chat.tokens >= 1 ? 0 : (1 - chat.tokens) / limits.perChatPerSecond,
      this.#globalBucket.tokens >= 1 ? 0 : (1 - this.#globalBucket.tokens) / limits.globalPerSecond,
    );
    if (wait > 0) {
      this.#rateLimited++;
      const retryAfter = limits.retryAfter ?? Math.max(1, Math.ceil(wait));
      throw new FakeApiError(429, `Too Many Requests: retry after ${retryAfter}`, {
        retry_after: retryAfter,
      });
    }
    chat.tokens -= 1;
    this.#globalBucket.tokens -= 1;
  }

  async #getUpdates(
    params: Record<string, unknown>,
    req: Request,
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

    const first = this.#selectUpdates(limit);
    if (first.length > 0 || timeout === 0 || this.#closed) return first;

    return await new Promise<Update[] | typeof CLIENT_GONE>((resolve) => {
      const signal = req.signal;
      const finish = (result: Update[] | typeof CLIENT_GONE) => {
        clearTimeout(timer);
        signal.removeEventListener("abort", onAbort);
        if (this.#held === held) this.#held = null;
        resolve(result);
      };
      const onAbort = () => finish(CLIENT_GONE);
      const held: HeldPoll = {
        wake: () => {
          const batch = this.#selectUpdates(limit);
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
  #selectUpdates(limit: number): Update[] {
    const allowed = this.#allowedUpdates;
    this.#queue = this.#queue.filter((u) => {
      const type = updateType(u as unknown as Record<string, unknown>);
      if (type === undefined || !KNOWN_UPDATE_TYPES.has(type)) return true;
      return allowed ? allowed.has(type) : !OPT_IN_UPDATES.has(type);
    });
    return this.#queue.slice(0, limit);
  }

  #sendMessage(params: Record<string, unknown>): Record<string, unknown> {
    this.#requireChat(params);
    const text = params.text;
    if (typeof text !== "string" || text.trim() === "") {
      throw new FakeApiError(400, "Bad Request: message text is empty");
    }
    if (params.parse_mode === undefined && text.length > 4096) {
      throw new FakeApiError(400, "Bad Request: message is too long");
    }
    return this.#botMessage(params, {
      text,
      ...(params.entities !== undefined ? { entities: params.entities } : {}),
    });
  }

  #forwardMessage(params: Record<string, unknown>): Record<string, unknown> {
    this.#requireChat(params);
    if (params.from_chat_id === undefined) {
      throw new FakeApiError(400, "Bad Request: from_chat_id is empty");
    }
    requireMessageId(params);
    const original = this.#messages.get(
      `${chatKey(params.from_chat_id)}:${String(params.message_id)}`,
    );
    const content: Record<string, unknown> = {};
    if (original) {
      for (const [k, v] of Object.entries(original)) {
        if (!["message_id", "date", "chat", "from", "edit_date", "forward_origin"].includes(k)) {
          content[k] = v;
        }
      }
    }
    const sender = isRecord(original?.from) ? original.from : undefined;
    content.forward_origin = sender
      ? { type: "user", sender_user: sender, date: num(original?.date) ?? nowSeconds() }
      : { type: "hidden_user", sender_user_name: "Hidden", date: nowSeconds() };
    return this.#botMessage(params, content);
  }

  #sendMedia(
    kind: FileKind,
    params: Record<string, unknown>,
    files: Record<string, RecordedFile>,
  ): Record<string, unknown> {
    this.#requireChat(params);
    const upload = files[kind];
    const ref = params[kind];
    let fileId: string;
    let size: number | undefined;
    let fileName: string | undefined;
    if (upload) {
      fileId = this.#newFileId(kind);
      size = upload.bytes.length;
      fileName = upload.filename;
      this.#storeFile(fileId, kind, upload.bytes, fileName);
    } else if (typeof ref === "string" && ref !== "") {
      fileId = ref;
    } else {
      throw new FakeApiError(400, `Bad Request: there is no ${kind} in the request`);
    }
    const caption = str(params.caption);
    if (caption !== undefined && params.parse_mode === undefined && caption.length > 1024) {
      throw new FakeApiError(400, "Bad Request: message caption is too long");
    }
    const media = this.#mediaObject(kind, fileId, {
      fileName,
      size,
      duration: num(params.duration),
      width: num(params.width),
      height: num(params.height),
      emoji: str(params.emoji),
    });
    const content: Record<string, unknown> = { [kind]: media };
    if (kind === "animation") content.document = media;
    if (caption !== undefined && CAPTION_KINDS.has(kind)) {
      content.caption = caption;
      if (params.caption_entities !== undefined) content.caption_entities = params.caption_entities;
    }
    return this.#botMessage(params, content);
  }

  #edit(
    params: Record<string, unknown>,
    changes: Record<string, unknown>,
  ): Record<string, unknown> | true {
    if (params.inline_message_id !== undefined) return true;
    this.#requireChat(params);
    requireMessageId(params);
    const key = `${chatKey(params.chat_id)}:${String(params.message_id)}`;
    const before = this.#messages.get(key) ?? {
      message_id: params.message_id,
      date: nowSeconds(),
      chat: this.#chatObject(params.chat_id),
      from: this.#botShort(),
    };
    const edited: Record<string, unknown> = { ...before, ...changes, edit_date: nowSeconds() };
    this.#messages.set(key, edited);
    return edited;
  }

  #getFile(params: Record<string, unknown>): Record<string, unknown> {
    const fileId = str(params.file_id);
    const path = fileId !== undefined ? this.#fileIdToPath.get(fileId) : undefined;
    if (fileId === undefined || path === undefined) {
      throw new FakeApiError(400, "Bad Request: invalid file_id");
    }
    return {
      file_id: fileId,
      file_unique_id: uniqueIdOf(fileId),
      file_size: this.#files.get(path)?.length ?? 0,
      file_path: path,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Message building
  // -------------------------------------------------------------------------------------------

  #botShort(): User {
    return {
      id: this.botUser.id,
      is_bot: true,
      first_name: this.botUser.first_name,
      username: this.botUser.username,
    };
  }

  #chatObject(chatId: unknown): Chat {
    const id = num(chatId);
    if (id === undefined) {
      // "@channelusername"
      const username = String(chatId).replace(/^@/, "");
      return { id: 0, type: "channel", title: username, username } as Chat;
    }
    if (id < 0) {
      return String(id).startsWith("-100")
        ? { id, type: "supergroup", title: `Group ${id}` }
        : { id, type: "group", title: `Group ${id}` };
    }
    const known = this.#users.get(id);
    return {
      id,
      type: "private",
      first_name: known?.first_name ?? "User",
      ...(known?.last_name !== undefined ? { last_name: known.last_name } : {}),
      ...(known?.username !== undefined ? { username: known.username } : {}),
    };
  }

  #nextBotMessageId(chatId: unknown): number {
    const key = chatKey(chatId);
    const id = (this.#botMessageIds.get(key) ?? FIRST_BOT_MESSAGE_ID - 1) + 1;
    this.#botMessageIds.set(key, id);
    return id;
  }

  #botMessage(
    params: Record<string, unknown>,
    content: Record<string, unknown>,
  ): Record<string, unknown> {
    const message: Record<string, unknown> = {
      message_id: this.#nextBotMessageId(params.chat_id),
      from: this.#botShort(),
      date: nowSeconds(),
      chat: this.#chatObject(params.chat_id),
    };
    const replyTo = isRecord(params.reply_parameters)
      ? num(params.reply_parameters.message_id)
      : num(params.reply_to_message_id);
    if (replyTo !== undefined) {
      const original = this.#messages.get(`${chatKey(params.chat_id)}:${replyTo}`);
      if (original) message.reply_to_message = original;
    }
    Object.assign(message, content, inlineMarkup(params));
    this.#rememberMessage(message);
    return message;
  }

  #rememberMessage(message: Record<string, unknown>): void {
    const chat = message.chat;
    if (!isRecord(chat)) return;
    this.#messages.set(`${chatKey(chat.id)}:${String(message.message_id)}`, message);
  }

  #pushMessage(
    from: FakeUser,
    content: Record<string, unknown>,
    extra: Partial<Message>,
  ): PushedMessage {
    this.#users.set(from.id, from);
    let messageId = extra.message_id;
    if (messageId === undefined) {
      messageId = (this.#userMessageIds.get(from.id) ?? 0) + 1;
      this.#userMessageIds.set(from.id, messageId);
    }
    const chat: Chat.PrivateChat = {
      id: from.id,
      type: "private",
      first_name: from.first_name,
      ...(from.last_name !== undefined ? { last_name: from.last_name } : {}),
      ...(from.username !== undefined ? { username: from.username } : {}),
    };
    const message = {
      message_id: messageId,
      from: userObject(from),
      chat,
      date: nowSeconds(),
      ...content,
      ...extra,
    } as Message;
    const update_id = this.pushUpdate({ message } as Omit<Update, "update_id">);
    return { update_id, message_id: messageId, message };
  }

  #newFileId(kind: string): string {
    return `fake-${kind}-${++this.#fileCounter}`;
  }

  #storeFile(fileId: string, kind: string, bytes: Uint8Array, fileName?: string): void {
    const ext = fileName?.includes(".") ? fileName.slice(fileName.lastIndexOf(".")) : "";
    this.setFile(`${kind}s/file_${this.#fileCounter}${ext}`, bytes, fileId);
  }

  #mediaObject(
    kind: FileKind,
    fileId: string,
    o: {
      fileName?: string;
      mimeType?: string;
      size?: number;
      duration?: number;
      width?: number;
      height?: number;
      emoji?: string;
    },
  ): unknown {
    const base = {
      file_id: fileId,
      file_unique_id: uniqueIdOf(fileId),
      ...(o.size !== undefined ? { file_size: o.size } : {}),
    };
    const duration = o.duration ?? 3;
    switch (kind) {
      case "photo":
        return [
          {
            ...base,
            file_id: `${fileId}-s`,
            file_unique_id: `${base.file_unique_id}s`,
            width: 90,
            height: 67,
          },
          { ...base, width: o.width ?? 800, height: o.height ?? 600 },
        ];
      case "document":
        return {
          ...base,
          file_name: o.fileName ?? "document.pdf",
          mime_type: o.mimeType ?? guessMime(o.fileName) ?? "application/pdf",
        };
      case "voice":
        return { ...base, duration, mime_type: o.mimeType ?? "audio/ogg" };
      case "audio":
        return {
          ...base,
          duration,
          file_name: o.fileName ?? "audio.mp3",
          mime_type: o.mimeType ?? "audio/mpeg",
        };
      case "video":
      case "animation":
        return {
          ...base,
          width: o.width ?? 640,
          height: o.height ?? 360,
          duration,
          file_name: o.fileName ?? `${kind}.mp4`,
          mime_type: o.mimeType ?? "video/mp4",
        };
      case "video_note":
        return { ...base, length: o.width ?? 240, duration };
      case "sticker":
        return {
          ...base,
          type: "regular",
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: o.emoji ?? "🙂",
        };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Module-private helpers that need the types above
// ---------------------------------------------------------------------------------------------

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

function requireMessageId(params: Record<string, unknown>): void {
  if (params.message_id === undefined) {
    throw new FakeApiError(400, "Bad Request: message identifier is not specified");
  }
}

function commandsKey(params: Record<string, unknown>): string {
  return `${JSON.stringify(params.scope ?? { type: "default" })}|${
    str(params.language_code) ?? ""
  }`;
}

/** Telegram echoes only inline keyboards in `Message.reply_markup`. */
function inlineMarkup(params: Record<string, unknown>): Record<string, unknown> {
  const markup = params.reply_markup;
  return isRecord(markup) && Array.isArray(markup.inline_keyboard) ? { reply_markup: markup } : {};
}

function uniqueIdOf(fileId: string): string {
  return `u-${fileId}`;
}

function guessMime(fileName: string | undefined): string | undefined {
  const ext = fileName?.split(".").pop()?.toLowerCase();
  const types: Record<string, string> = {
    txt: "text/plain",
    pdf: "application/pdf",
    json: "application/json",
    png: "image/png",
    jpg: "image/jpeg",
    jpeg: "image/jpeg",
    zip: "application/zip",
    csv: "text/csv",
  };
  return ext !== undefined ? types[ext] : undefined;
}

async function readRequest(req: Request, url: URL): Promise<RequestData> {
  const params: Record<string, unknown> = {};
  const files: Record<string, RecordedFile> = {};
  for (const [key, value] of url.searchParams) params[key] = decodeValue(key, value);
  if (req.method === "GET" || req.method === "HEAD") return { params, files };

  const type = (req.headers.get("content-type") ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const form = await req.formData();
    const parts = new Map<string, RecordedFile>();
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") params[key] = decodeValue(key, value);
      else parts.set(key, recordFile(value, new Uint8Array(await value.arrayBuffer())));
    }
    // grammY: field = "attach://<part>", file in part <part>; others put the File in the field.
    for (const [key, value] of Object.entries(params)) {
      if (typeof value !== "string" || !value.startsWith("attach://")) continue;
      const part = value.slice("attach://".length);
      const file = parts.get(part);
      if (file) {
        files[key] = file;
        parts.delete(part);
      }
    }
    for (const [name, file] of parts) files[name] = file;
  } else if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [key, value] of new URLSearchParams(await req.text())) {
      params[key] = decodeValue(key, value);
    }
  } else {
    const text = await req.text();
    if (text.trim() !== "") {
      const body: unknown = JSON.parse(text);
      if (!isRecord(body)) throw new Error("the JSON body is not an object");
      for (const [key, value] of Object.entries(body)) {
        params[key] = typeof value === "string" && NUMERIC_FIELDS.has(key)
          ? decodeValue(key, value)
          : value;
      }
    }
  }
  return { params, files };
}
