/**
 * The {@link FakeTelegram} class: the HTTP server on `127.0.0.1` and the way of each request
 * through it (token, injected delay, drop or error, the method, the record), and the test's
 * side of Telegram: pushing updates as the users and switching faults on and off. The record
 * of calls and waiting for them come from its base class, `CallLog` (`calls.ts`); the parts
 * live next door: `requests.ts` (the wire format), `objects.ts` (users, chats, messages),
 * `files.ts`, `updates.ts` (the queue `getUpdates` serves), `methods.ts` and `faults.ts`; the
 * test's side of groups and topics comes from the next base class, `TeamSide` (`team_side.ts`,
 * over `team.ts`, `groups.ts` and `forum.ts`).
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
 * - Copies (`copyMessage`, `copyMessages`) are kept in the destination chat with the source's
 *   content, so {@link FakeTelegram.messageIn} shows what the other side sees; the bot's
 *   reactions (`setMessageReaction`) are kept per message ({@link FakeTelegram.reactionOn}).
 * - Error texts follow the Bot API server (tdlib/telegram-bot-api); where its documentation
 *   and the server differ, the server wins: `sendMediaGroup` with one item sends it alone.
 * - Groups are what the test creates (`createGroup`): only there are membership, rights,
 *   topics and upgrades checked. A negative chat id the test never created still takes any
 *   send, as before (old tests send to made-up group ids), but `getChat`, `getChatMember` and
 *   the forum methods answer `chat not found` for it.
 * - In a supergroup the bot is not in, every call is refused with 403, `getChat` too (a
 *   private supergroup; the server lets a public one be read); a basic group still answers
 *   `getChat`, and after `migrateGroup` every other call answers 400 `group chat was upgraded to
 *   a supergroup chat` with `parameters.migrate_to_chat_id`.
 * - A group's messages share one id sequence from 2 (1 is the group's creation), whoever
 *   sends them; a topic's id is its creation message's id, and thread 1 (General) is refused.
 * - Topic names are cleaned and cut at 128 characters (Unicode code points) as TDLib does,
 *   not refused; an empty one is `title must be non-empty`. `icon_color` defaults to the first
 *   documented color; any 24-bit RGB value is taken (TDLib checks only the range).
 * - Service messages the bot causes (a topic created, edited, closed, reopened; a pin) are
 *   kept in the chat and pushed to the bot like the members' service messages (joins, leaves,
 *   upgrades). `createGroup` pushes nothing; `setBotMembership` pushes `my_chat_member`.
 * - Privacy mode (on by default) filters the members' messages the bot gets (see `team.ts`);
 *   the implicit reply of a topic message to the topic's creation message does not count as a
 *   reply to the bot.
 * - `message_thread_id` outside a forum is ignored, as the server does; in private chats it is
 *   not checked (the bot has no topics there).
 *
 * @module
 */

import type { Message, Update, UserFromGetMe } from "grammy/types";
import { type ChaosOptions, type FailOptions, Faults, type RateLimitOptions } from "./faults.ts";
import { type AlbumKind, Files, type MediaKind, type SendMediaOptions } from "./files.ts";
import { canonicalMethod, type MethodHandler, Methods } from "./methods.ts";
import { Commands, type MenuCommand } from "./commands.ts";
import {
  botUserOf,
  type CallbackQueryOptions,
  Chats,
  commandEntities,
  type FakeUser,
  type PushedMessage,
} from "./objects.ts";
import {
  type ApiReply,
  droppedResponse,
  errorReply,
  FakeApiError,
  isRecord,
  jsonResponse,
  readRequest,
  type RequestData,
} from "./requests.ts";
import { Team } from "./team.ts";
import { Business, type BusinessRights, type ConnectOptions } from "./business.ts";
import { TeamSide } from "./team_side.ts";
import { CLIENT_GONE, Updates } from "./updates.ts";

/** What {@link FakeTelegram.sendBusinessText} and its kin return. */
export interface PushedBusinessMessage {
  update_id: number;
  message_id: number;
  message: Record<string, unknown>;
}

/** Options of {@link FakeTelegram.start}. */
export interface FakeTelegramOptions {
  /** Bot token; the part before `:` must be numeric (it is the bot id). Default `123456:TEST`. */
  token?: string;
}

/** A fake Telegram Bot API server on `127.0.0.1`. Start it with {@link FakeTelegram.start}. */
export class FakeTelegram extends TeamSide {
  /** Paths requested from `/file/bot<token>/...` (found or not). */
  readonly downloads: string[] = [];
  /** The bot token the server accepts. */
  readonly token: string;
  /** The bot as returned by `getMe`. */
  readonly botUser: UserFromGetMe;
  /** Base URL to use as grammY's `client.apiRoot` (no trailing slash). */
  readonly apiRoot: string;

  #server: Deno.HttpServer<Deno.NetAddr>;
  #closed = false;
  #sleepers = new Set<() => void>();
  #updates = new Updates();
  #faults = new Faults();
  #files = new Files();
  #chats: Chats;
  #team: Team;
  #commands = new Commands();
  #methods: Methods;
  #business: Business;

  private constructor(token: string) {
    super();
    this.token = token;
    this.botUser = botUserOf(Number(token.split(":")[0]));
    this.#chats = new Chats(this.botUser);
    this.#team = new Team({
      bot: this.botUser,
      chats: this.#chats,
      files: this.#files,
      push: (update) => this.#push(update, true),
    });
    this.#business = new Business(this.botUser, (update) => this.#push(update, true));
    this.#methods = new Methods({
      business: this.#business,
      bot: this.botUser,
      chats: this.#chats,
      files: this.#files,
      faults: this.#faults,
      updates: this.#updates,
      team: this.#team,
      commands: this.#commands,
    });
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
      this.#updates.close();
      for (const wakeUp of [...this.#sleepers]) wakeUp();
      this.stopWaiting();
      await this.#server.shutdown();
    }
    await this.#server.finished;
  }

  /** Groups and topics, behind the methods of {@link TeamSide}. */
  protected get team(): Team {
    return this.#team;
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
    return this.#updates.pending;
  }

  /** The `offset` of the most recent `getUpdates` (0 before any). */
  get lastOffset(): number {
    return this.#updates.lastOffset;
  }

  /** How many sends were answered 429 by {@link enforceRateLimits}. */
  get rateLimited(): number {
    return this.#faults.rateLimited;
  }

  /** The current webhook URL (`""` when none). */
  get webhookUrl(): string {
    return this.#updates.webhookUrl;
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
    const full = this.#updates.queue(update, forceId) as unknown as Record<string, unknown>;
    for (const key of ["message", "edited_message", "channel_post"]) {
      const m = full[key];
      if (isRecord(m) && isRecord(m.chat)) this.#chats.remember(m);
    }
    this.#updates.wake();
    this.notify();
    return full.update_id as number;
  }

  /** Queues a private text message from `from`. A leading `/command` gets its entity. */
  sendText(from: FakeUser, text: string, extra: Partial<Message> = {}): PushedMessage {
    const entities = commandEntities(text);
    return this.#pushMessage(from, { text, ...(entities ? { entities } : {}) }, extra);
  }

  /** Queues a private message from `from` made of `fields` (a location, venue, poll, dice…). */
  sendFields(from: FakeUser, fields: Record<string, unknown>): PushedMessage {
    return this.#pushMessage(from, fields, {});
  }

  /**
   * Queues a private text message from `from` that replies to message `replyTo` of their chat
   * (one they wrote or one the bot sent them).
   */
  sendReply(from: FakeUser, text: string, replyTo: number): PushedMessage {
    const target = this.#chats.replyTarget(from, replyTo);
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
    const edited = this.#chats.editedMessage(from, messageId, changes);
    return this.pushUpdate({ edited_message: edited } as unknown as Omit<Update, "update_id">);
  }

  /** The message the fake holds as `messageId` in chat `chatId` (as last sent or edited). */
  messageIn(chatId: number, messageId: number): Record<string, unknown> | undefined {
    return this.#chats.message(chatId, messageId);
  }

  /** Queues a private media message of `kind` from `from`. */
  sendMedia(from: FakeUser, kind: MediaKind, options: SendMediaOptions = {}): PushedMessage {
    const content = this.#files.userMedia(kind, options);
    return this.#pushMessage(from, content, options.extra ?? {});
  }

  /**
   * Queues an album from `from`: one message update per part, in order, with consecutive
   * message ids and one `media_group_id`, as Telegram delivers an album (each part may carry
   * its caption and its file's bytes; `extra` is merged into every part). Returns the parts as
   * queued.
   */
  sendAlbum(
    from: FakeUser,
    parts: readonly ({ kind: AlbumKind } & Omit<SendMediaOptions, "extra">)[],
    extra: Partial<Message> = {},
  ): PushedMessage[] {
    const media_group_id = this.#chats.nextMediaGroupId();
    return parts.map(({ kind, ...options }) => {
      const content = this.#files.userMedia(kind, options);
      return this.#pushMessage(from, content, { media_group_id, ...extra });
    });
  }

  /**
   * Queues `from`'s own contact, or another's (`userId` of someone else, or `null` for a
   * contact that is no Telegram user), as a message in their chat. `userId` defaults to the
   * sender's id, which is what the "share my number" button sends.
   */
  sendContact(
    from: FakeUser,
    contact: { phone: string; userId?: number | null; firstName?: string },
    extra: Partial<Message> = {},
  ): PushedMessage {
    const userId = contact.userId === undefined ? from.id : contact.userId;
    return this.#pushMessage(from, {
      contact: {
        phone_number: contact.phone,
        first_name: contact.firstName ?? from.first_name,
        ...(contact.firstName === undefined && from.last_name !== undefined
          ? { last_name: from.last_name }
          : {}),
        ...(userId !== null ? { user_id: userId } : {}),
      },
    }, extra);
  }

  /**
   * Queues a `message_reaction` update: `from` set `emoji` on message `messageId` of their chat
   * with the bot (`null`: took their reaction off). `old_reaction` is their reaction before,
   * as the fake remembers it. The bot only gets these when it lists `message_reaction` in
   * `allowed_updates`.
   */
  sendReaction(from: FakeUser, messageId: number, emoji: string | null): number {
    const changed = this.#chats.reactionChange(from, messageId, emoji);
    return this.#push({ message_reaction: changed }, true);
  }

  /**
   * The bot's current reaction (its emoji) on message `messageId` of chat `chatId`, as set by
   * `setMessageReaction`; `undefined` when it has none.
   */
  reactionOn(chatId: number, messageId: number): string | undefined {
    const [first] = this.#chats.botReaction(chatId, messageId);
    return first === undefined ? undefined : String(first.emoji ?? first.custom_emoji_id);
  }

  /**
   * The menu of commands `user` sees in chat `chatId` (their chat with the bot, or a group),
   * chosen from what the bot set with `setMyCommands` by scope and `user.language_code` as the
   * Bot API documents it (see `commands.ts`); `[]` when the bot set none that applies.
   */
  commandMenu(chatId: number, user: FakeUser): MenuCommand[] {
    const group = chatId < 0 ? this.#team.groups.get(chatId) : undefined;
    const status = group?.members.get(user.id)?.status;
    return this.#commands.menuFor({
      chatId,
      userId: user.id,
      languageCode: user.language_code,
      isAdmin: status === "creator" || status === "administrator",
    });
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
    const query = this.#chats.callbackQuery(from, data, options);
    const update_id = this.#push({ callback_query: query }, true);
    return { update_id, callback_query_id: query.id as string };
  }

  /** Serves `bytes` at `{apiRoot}/file/bot{token}/{path}`; `fileId` makes `getFile` find it. */
  setFile(path: string, bytes: Uint8Array | string, fileId?: string): void {
    this.#files.set(path, bytes, fileId);
  }

  #pushMessage(
    from: FakeUser,
    content: Record<string, unknown>,
    extra: Partial<Message>,
  ): PushedMessage {
    const { message_id, message } = this.#chats.userMessage(from, content, extra);
    const update_id = this.pushUpdate({ message } as Omit<Update, "update_id">);
    return { update_id, message_id, message };
  }

  // -------------------------------------------------------------------------------------------
  // Telegram Business (`business.ts`): an owner connects the bot, clients write to the account
  // -------------------------------------------------------------------------------------------

  /** Business Mode in @BotFather: `getMe` says `can_connect_to_business`. */
  setBusinessMode(on: boolean): void {
    (this.botUser as { can_connect_to_business: boolean }).can_connect_to_business = on;
  }

  /** `owner` connects the bot to their business account: pushes `business_connection`. */
  connectBusiness(owner: FakeUser, options: ConnectOptions = {}): string {
    return this.#business.connect(owner, options);
  }

  /**
   * Client `from` presses inline button `data` under message `messageId` the account sent into
   * their business chat of connection `id`: a `callback_query` (see `business.ts`).
   */
  pressBusinessButton(
    id: string,
    from: FakeUser,
    messageId: number,
    data: string,
  ): { update_id: number; callback_query_id: string } {
    return this.#business.press(id, from, messageId, data);
  }

  /** The owner turns the connection off or on, or changes its rights: pushes the new state. */
  changeBusiness(id: string, changes: { enabled?: boolean; rights?: BusinessRights }): void {
    this.#business.change(id, changes);
  }

  /**
   * `from` (a client, or the account's owner writing to client `clientId`) writes a text in the
   * business chat of connection `id`: a `business_message` update.
   */
  sendBusinessText(
    id: string,
    from: FakeUser,
    text: string,
    options: { clientId?: number; replyTo?: number } = {},
  ): PushedBusinessMessage {
    const clientId = options.clientId ?? from.id;
    const reply = options.replyTo === undefined ? {} : {
      reply_to_message: this.#business.messagesIn(id, clientId)
        .find((m) => m.message_id === options.replyTo),
    };
    return this.#business.write(id, clientId, from, { text, ...reply });
  }

  /** A client (or, with `clientId`, the owner) sends media in the business chat. */
  sendBusinessMedia(
    id: string,
    from: FakeUser,
    kind: MediaKind,
    options: SendMediaOptions & { clientId?: number } = {},
  ): PushedBusinessMessage {
    const content = this.#files.userMedia(kind, options);
    return this.#business.write(id, options.clientId ?? from.id, from, {
      ...content,
      ...(options.extra ?? {}),
    });
  }

  /**
   * A client (or, with `clientId`, the owner) sends a message made of `fields` in the business
   * chat: a location, venue, contact, poll or dice, as Telegram's `Message` holds it.
   */
  sendBusinessFields(
    id: string,
    from: FakeUser,
    fields: Record<string, unknown>,
    options: { clientId?: number } = {},
  ): PushedBusinessMessage {
    return this.#business.write(id, options.clientId ?? from.id, from, fields);
  }

  /** An album in the business chat: one `business_message` per part, one media group. */
  sendBusinessAlbum(
    id: string,
    from: FakeUser,
    parts: { kind: AlbumKind; caption?: string }[],
  ): PushedBusinessMessage[] {
    const group = `bizalbum-${++this.#businessAlbums}`;
    return parts.map((part) => {
      const content = this.#files.userMedia(part.kind, { caption: part.caption });
      return this.#business.write(id, from.id, from, { ...content, media_group_id: group });
    });
  }

  #businessAlbums = 0;

  /** The client edits their text `messageId` in the business chat. */
  sendBusinessEdit(id: string, clientId: number, messageId: number, text: string): number {
    return this.#business.edit(id, clientId, messageId, { text });
  }

  /** Messages of the business chat with `clientId` deleted: `deleted_business_messages`. */
  deleteBusinessMessages(id: string, clientId: number, messageIds: number[]): number {
    return this.#business.delete(id, clientId, messageIds);
  }

  /** The client's last message in the business chat is `ms` older (past the 24 hours). */
  ageBusinessChat(id: string, clientId: number, ms: number): void {
    this.#business.age(id, clientId, ms);
  }

  /** What the business chat with `clientId` holds, as both of its sides see it. */
  businessMessagesIn(id: string, clientId: number): Record<string, unknown>[] {
    return this.#business.messagesIn(id, clientId);
  }

  /** Whether the bot marked the client's message `messageId` read (`readBusinessMessage`). */
  businessRead(id: string, clientId: number, messageId: number): boolean {
    return this.#business.wasRead(id, clientId, messageId);
  }

  // -------------------------------------------------------------------------------------------
  // Fault injection
  // -------------------------------------------------------------------------------------------

  /** Every later call with this `chat_id` answers 403 until {@link unblockChat}. */
  blockChat(chatId: number | string, description = "Forbidden: bot was blocked by the user"): void {
    this.#faults.blockChat(chatId, description);
  }

  /** Undoes {@link blockChat}. */
  unblockChat(chatId: number | string): void {
    this.#faults.unblockChat(chatId);
  }

  /**
   * The next `count` calls of `method` fail with `code`. `"*"` matches every method except
   * `getUpdates` (name it explicitly to fail polls).
   */
  failNext(method: string, options: FailOptions): void {
    this.#faults.failNext(canonicalMethod(method), options);
  }

  /**
   * The next `count` calls of `method` (`"*"`: all but `getUpdates`) get no valid answer: the
   * headers promise a body that never comes and the connection is closed, so the client's fetch
   * fails (grammY throws `HttpError`). The call is recorded with `status: 0`.
   */
  dropNext(method: string, count = 1, chatId?: number | string): void {
    this.#faults.dropNext(canonicalMethod(method), count, chatId);
  }

  /**
   * From now on, every call but `getUpdates` fails at random: a `failShare` of them with one
   * of `codes` (default 500, 502, 504), a `dropShare` of them with a dropped connection.
   * Seeded, so a run can be repeated. `null` turns it off.
   */
  failRandomly(options: ChaosOptions | null): void {
    this.#faults.failRandomly(options);
  }

  /** The next `count` calls of `method` (`"*"`: all but `getUpdates`) are answered `ms` later. */
  delayNext(method: string, ms: number, count = 1, chatId?: number | string): void {
    this.#faults.delayNext(canonicalMethod(method), ms, count, chatId);
  }

  /**
   * Turns on Telegram-like flood limits for sending methods (`send*` except `sendChatAction`,
   * and `copyMessage`, `copyMessages`, `forwardMessage`), implemented as token buckets (a
   * call takes a token per message it makes: an album of five, five): each chat has a bucket of
   * `perChatBurst` tokens refilled at `perChatPerSecond`, and there is one global bucket of
   * `globalPerSecond` tokens refilled at `globalPerSecond`. A send needs a token from both
   * (the rest of an album's is owed, the bucket going below zero); otherwise it answers 429 `Too Many Requests: retry after N` with `parameters.retry_after`
   * (rejected sends consume nothing). A group (a negative chat id) has a bucket of
   * `perGroupBurst` (20) refilled at `perGroupPerMinute` (20 a minute) instead of the per-chat
   * one, and `createForumTopic` takes a token there too. Calling it again resets the buckets.
   */
  enforceRateLimits(options: RateLimitOptions = {}): void {
    this.#faults.enforceRateLimits(options);
  }

  /** Turns rate limits off again. */
  disableRateLimits(): void {
    this.#faults.disableRateLimits();
  }

  /**
   * Installs a custom implementation for `method` (also for methods the fake does not know);
   * `undefined` removes it. Return the `result`, or throw {@link FakeApiError}.
   */
  handle(method: string, handler: MethodHandler | undefined): void {
    this.#methods.handle(canonicalMethod(method), handler);
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
    const method = canonicalMethod(decodeURIComponent(match[2]));
    let data: RequestData;
    try {
      data = await readRequest(req, url);
    } catch (e) {
      const reply = errorReply(
        new FakeApiError(400, `Bad Request: can't parse request body: ${String(e)}`),
      );
      this.record(method, { params: {}, files: {} }, at, reply, 400);
      return jsonResponse(400, reply);
    }
    if (decodeURIComponent(match[1]) !== this.token) {
      const reply = errorReply(new FakeApiError(401, "Unauthorized"));
      this.record(method, data, at, reply, 401);
      return jsonResponse(401, reply);
    }
    const chatId = data.params.chat_id;

    const delay = this.#faults.takeDelay(method, chatId);
    if (delay !== undefined) await this.#sleep(delay);

    const outcome = this.#faults.outcome(method, chatId);
    if (outcome?.drop) {
      this.record(method, data, at, undefined, 0);
      return droppedResponse();
    }

    let reply: ApiReply;
    if (outcome?.error.rawBody !== undefined) {
      const { code, rawBody, contentType } = outcome.error;
      this.record(method, data, at, errorReply(outcome.error), code);
      return new Response(rawBody, {
        status: code,
        headers: { "content-type": contentType ?? "text/plain" },
      });
    }
    if (outcome) {
      reply = errorReply(outcome.error);
    } else {
      try {
        const result = await this.#methods.call(method, data, req.signal);
        if (result === CLIENT_GONE) {
          this.record(method, data, at, undefined, 0);
          return jsonResponse(200, { ok: true, result: [] });
        }
        reply = { ok: true, result };
      } catch (e) {
        // A bug in a custom handler still gets a Bot API shaped answer (and is recorded).
        reply = errorReply(
          e instanceof FakeApiError ? e : new FakeApiError(500, `Internal Server Error: ${e}`),
        );
      }
    }
    const status = reply.ok ? 200 : reply.error_code;
    this.record(method, data, at, reply, status);
    return jsonResponse(status, reply);
  }

  #serveFile(token: string, path: string): Response {
    const decoded = decodeURIComponent(path);
    this.downloads.push(decoded);
    if (decodeURIComponent(token) !== this.token) {
      return jsonResponse(401, { ok: false, error_code: 401, description: "Unauthorized" });
    }
    const bytes = this.#files.bytesAt(decoded);
    if (!bytes) return jsonResponse(404, { ok: false, error_code: 404, description: "Not Found" });
    return new Response(bytes.slice(), {
      headers: { "content-type": "application/octet-stream" },
    });
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
}
