/**
 * Telegram Business in the fake: accounts that connect the bot (`business_connection`
 * updates, their rights, enabled or not), the business chat of each client with an account
 * (the client's id as its chat id, yet a chat of its own: its messages and their ids are not
 * the bot's private chat's), the client's and the owner's messages there (`business_message`,
 * `edited_business_message`, `deleted_business_messages`), and the calls that carry
 * `business_connection_id`: checked (the connection known and enabled, `can_reply`, the chat
 * active in the last 24 hours) and kept in that chat, sent as the account. Also
 * `getBusinessConnection` and `readBusinessMessage`. The account's messages may carry an inline
 * keyboard; a client's press on one comes as a `callback_query` whose `message` is the business
 * message.
 *
 * Error texts: the Bot API documents the conditions, not the texts; those here follow the
 * server's (TDLib's) error codes as they are reported (`BUSINESS_PEER_USAGE_MISSING`, ...),
 * see `docs/business.md`.
 *
 * @module
 */

import type { UserFromGetMe } from "grammy/types";
import { Chats, type FakeUser, nowSeconds, userObject } from "./objects.ts";
import { FakeApiError, num, str } from "./requests.ts";

/** The rights of a business bot (BusinessBotRights), as far as the desk uses them. */
export interface BusinessRights {
  can_reply?: boolean;
  can_read_messages?: boolean;
  can_delete_sent_messages?: boolean;
  can_delete_all_messages?: boolean;
}

/** Options of `FakeTelegram.connectBusiness`. */
export interface ConnectOptions {
  /** The connection's id (default `biz-<owner id>`). */
  id?: string;
  /** Default: may reply and read messages. */
  rights?: BusinessRights;
  /** Default true. */
  enabled?: boolean;
  /**
   * Whether the bot is told (`business_connection`); false: connected while the bot was not
   * getting updates (it learns of it with `getBusinessConnection`). Default true.
   */
  announce?: boolean;
}

/** How long a client's chat stays open to the account after they wrote (24 hours). */
export const BUSINESS_WINDOW_MS = 24 * 3600_000;

/** Methods that take `business_connection_id`, as the Bot API lists them (those the fake has). */
export const BUSINESS_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "sendPhoto",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendDocument",
  "sendSticker",
  "sendVideoNote",
  "sendVoice",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendMediaGroup",
  "sendChatAction",
  "editMessageText",
  "editMessageCaption",
  "editMessageReplyMarkup",
]);

interface Connection {
  id: string;
  owner: FakeUser;
  date: number;
  rights: BusinessRights;
  enabled: boolean;
  chats: Chats;
  /** Per client chat: when the client last wrote (ms). */
  active: Map<number, number>;
  /** Messages the bot marked read, as `chat:message`. */
  read: Set<string>;
}

/** The business connections and chats of the fake. */
export class Business {
  readonly #bot: UserFromGetMe;
  readonly #push: (update: Record<string, unknown>) => number;
  readonly #connections = new Map<string, Connection>();
  /** Users who wrote to a business account (to tell them from those who started the bot). */
  readonly #clients = new Set<number>();
  /** Callback queries pressed in business chats. */
  #queries = 0;

  constructor(bot: UserFromGetMe, push: (update: Record<string, unknown>) => number) {
    this.#bot = bot;
    this.#push = push;
  }

  /** The `BusinessConnection` object of a connection. */
  #object(c: Connection): Record<string, unknown> {
    return {
      id: c.id,
      user: userObject(c.owner),
      user_chat_id: c.owner.id,
      date: c.date,
      rights: { ...c.rights },
      is_enabled: c.enabled,
    };
  }

  /** An owner connects the bot to their account: pushes `business_connection`; its id. */
  connect(owner: FakeUser, options: ConnectOptions = {}): string {
    const id = options.id ?? `biz-${owner.id}`;
    const c: Connection = {
      id,
      owner,
      date: nowSeconds(),
      rights: options.rights ?? { can_reply: true, can_read_messages: true },
      enabled: options.enabled ?? true,
      chats: this.#connections.get(id)?.chats ?? new Chats(this.#bot),
      active: this.#connections.get(id)?.active ?? new Map(),
      read: this.#connections.get(id)?.read ?? new Set(),
    };
    this.#connections.set(id, c);
    if (options.announce !== false) this.#push({ business_connection: this.#object(c) });
    return id;
  }

  /** The owner changes the connection (rights, or turns it off/on): pushes the new state. */
  change(id: string, changes: { enabled?: boolean; rights?: BusinessRights }): void {
    const c = this.#get(id);
    if (changes.enabled !== undefined) c.enabled = changes.enabled;
    if (changes.rights !== undefined) c.rights = changes.rights;
    this.#push({ business_connection: this.#object(c) });
  }

  /** A message written in the business chat with `clientId` (by the client or the owner). */
  write(
    id: string,
    clientId: number,
    from: FakeUser,
    content: Record<string, unknown>,
  ): { update_id: number; message_id: number; message: Record<string, unknown> } {
    const c = this.#get(id);
    const client = from.id === c.owner.id ? undefined : from;
    if (client) {
      this.#clients.add(client.id);
      c.active.set(client.id, Date.now());
      c.chats.rememberUser(client);
    }
    c.chats.shareMessageIds(clientId);
    const message_id = c.chats.nextBotMessageId(clientId);
    const message: Record<string, unknown> = {
      message_id,
      from: userObject(from),
      chat: c.chats.chatObject(clientId),
      date: nowSeconds(),
      business_connection_id: id,
      ...content,
    };
    c.chats.remember(message);
    const update_id = this.#push({ business_message: message });
    return { update_id, message_id, message };
  }

  /** The client (or owner) edits message `messageId` of the business chat. */
  edit(id: string, clientId: number, messageId: number, changes: Record<string, unknown>): number {
    const c = this.#get(id);
    const edited = c.chats.edit({ chat_id: clientId, message_id: messageId }, changes);
    edited.edit_date = nowSeconds();
    return this.#push({ edited_business_message: { ...edited, business_connection_id: id } });
  }

  /** Messages of the business chat deleted (by the client or the owner). */
  delete(id: string, clientId: number, messageIds: number[]): number {
    const c = this.#get(id);
    for (const m of messageIds) c.chats.forget(clientId, m);
    return this.#push({
      deleted_business_messages: {
        business_connection_id: id,
        chat: c.chats.chatObject(clientId),
        message_ids: messageIds,
      },
    });
  }

  /**
   * The client presses the inline button `data` under message `messageId` the account sent
   * into their business chat: a `callback_query` whose `message` is that business message,
   * with its `business_connection_id` (the bot answers it with `answerCallbackQuery`, as any).
   * Only a button the message carries can be pressed.
   */
  press(
    id: string,
    from: FakeUser,
    messageId: number,
    data: string,
  ): { update_id: number; callback_query_id: string } {
    const c = this.#get(id);
    const message = c.chats.message(from.id, messageId);
    if (!message) throw new Error(`no message ${messageId} in ${from.id}'s business chat`);
    const markup = message.reply_markup as
      | { inline_keyboard?: { callback_data?: string }[][] }
      | undefined;
    if (!markup?.inline_keyboard?.some((row) => row.some((b) => b.callback_data === data))) {
      throw new Error(`message ${messageId} carries no button ${data}`);
    }
    const query = {
      id: `bcq-${++this.#queries}`,
      from: userObject(from),
      chat_instance: `bci-${id}-${from.id}`,
      data,
      message: { ...message, business_connection_id: id },
    };
    const update_id = this.#push({ callback_query: query });
    return { update_id, callback_query_id: query.id };
  }

  /** The chat's last activity goes `ms` back in time (to pass the 24 hours). */
  age(id: string, clientId: number, ms: number): void {
    const c = this.#get(id);
    const at = c.active.get(clientId);
    if (at !== undefined) c.active.set(clientId, at - ms);
  }

  /** The messages of the business chat with `clientId`, in order. */
  messagesIn(id: string, clientId: number): Record<string, unknown>[] {
    return this.#get(id).chats.messagesOf(clientId);
  }

  /** Whether the bot marked message `messageId` of the chat read. */
  wasRead(id: string, clientId: number, messageId: number): boolean {
    return this.#get(id).read.has(`${clientId}:${messageId}`);
  }

  /** Whether `userId` wrote to an account but not (as far as `chats` knows) to the bot. */
  onlyBusiness(userId: unknown, chats: Chats): boolean {
    const id = num(userId);
    return id !== undefined && this.#clients.has(id) && chats.knownUser(id) === undefined;
  }

  /**
   * Checks a call of one of {@link BUSINESS_METHODS} that carries `business_connection_id` and
   * returns the chats it acts on (the connection's business chats). (A method that takes no
   * such parameter ignores it, as Telegram does: it is not brought here.)
   */
  chatsFor(_method: string, params: Record<string, unknown>): Chats {
    const c = this.#known(params.business_connection_id);
    if (!c.enabled) throw new FakeApiError(400, "Bad Request: BUSINESS_CONNECTION_INVALID");
    if (c.rights.can_reply !== true) {
      throw new FakeApiError(403, "Forbidden: BOT_BUSINESS_MISSING");
    }
    const chatId = num(params.chat_id);
    const at = chatId === undefined ? undefined : c.active.get(chatId);
    if (at === undefined || Date.now() - at > BUSINESS_WINDOW_MS) {
      throw new FakeApiError(400, "Bad Request: BUSINESS_PEER_USAGE_MISSING");
    }
    return c.chats;
  }

  /** Marks what the bot sent through a connection as the account's (`from`: the owner). */
  stamp(params: Record<string, unknown>, result: unknown): unknown {
    const c = this.#known(params.business_connection_id);
    const mark = (m: unknown) => {
      if (m === null || typeof m !== "object") return;
      const message = m as Record<string, unknown>;
      message.from = userObject(c.owner);
      message.business_connection_id = c.id;
      message.sender_business_bot = {
        id: this.#bot.id,
        is_bot: true,
        first_name: this.#bot.first_name,
        username: this.#bot.username,
      };
    };
    if (Array.isArray(result)) result.forEach(mark);
    else mark(result);
    return result;
  }

  /** `getBusinessConnection`. */
  getConnection(params: Record<string, unknown>): Record<string, unknown> {
    return this.#object(this.#known(params.business_connection_id));
  }

  /** `readBusinessMessage`: needs `can_read_messages` and a chat active in 24 hours. */
  readMessage(params: Record<string, unknown>): true {
    const c = this.#known(params.business_connection_id);
    if (!c.enabled) throw new FakeApiError(400, "Bad Request: BUSINESS_CONNECTION_INVALID");
    if (c.rights.can_read_messages !== true) {
      throw new FakeApiError(403, "Forbidden: BOT_BUSINESS_MISSING");
    }
    const chatId = num(params.chat_id);
    const at = chatId === undefined ? undefined : c.active.get(chatId);
    if (at === undefined || Date.now() - at > BUSINESS_WINDOW_MS) {
      throw new FakeApiError(400, "Bad Request: BUSINESS_PEER_USAGE_MISSING");
    }
    if (!c.chats.message(chatId, params.message_id)) {
      throw new FakeApiError(400, "Bad Request: message not found");
    }
    c.read.add(`${chatId}:${params.message_id}`);
    return true;
  }

  #known(id: unknown): Connection {
    const c = this.#connections.get(str(id) ?? "");
    if (!c) throw new FakeApiError(400, "Bad Request: business connection not found");
    return c;
  }

  #get(id: string): Connection {
    const c = this.#connections.get(id);
    if (!c) throw new Error(`no business connection ${id}`);
    return c;
  }
}
