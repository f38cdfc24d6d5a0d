/**
 * The Telegram objects of the fake Bot API: the fake users the tests play ({@link user},
 * {@link userObject}), the bot itself, chats, and {@link Chats}, which keeps every message
 * of every chat (the users' and the bot's) with Telegram-like message ids, and builds the
 * messages, edits and button presses the tests push as updates.
 *
 * @module
 */

import type { Chat, Message, MessageEntity, User, UserFromGetMe } from "grammy/types";
import { isRecord, num } from "./requests.ts";

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

/** The bot with id `id`, as `getMe` returns it. */
export function botUserOf(id: number): UserFromGetMe {
  return {
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
}

/** What `FakeTelegram.sendText` and `FakeTelegram.sendMedia` return. */
export interface PushedMessage {
  /** Update id of the queued update. */
  update_id: number;
  /** Message id of the user's message. */
  message_id: number;
  /** The message as queued. */
  message: Message;
}

/** Options of `FakeTelegram.sendCallbackQuery`. */
export interface CallbackQueryOptions {
  /** Id of the (bot) message carrying the button. */
  messageId?: number;
  /** Chat of that message. Default: the user's private chat. */
  chatId?: number;
}

/** The current time as a Telegram `date` (seconds). */
export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** A chat id as a map key (numbers and their strings are the same chat). */
export function chatKey(id: unknown): string {
  return String(id);
}

/** Whether chat ids `a` (present) and `b` name the same chat. */
export function sameChat(a: unknown, b: unknown): boolean {
  return a !== undefined && a !== null && chatKey(a) === chatKey(b);
}

/** Telegram marks a leading `/command` (optionally `@botname`) as a bot_command entity. */
export function commandEntities(text: string): MessageEntity[] | undefined {
  const m = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,})?/.exec(text);
  return m ? [{ type: "bot_command", offset: 0, length: m[0].length }] : undefined;
}

/**
 * `message` as `reply_to_message` (or `pinned_message`) carries it: "will not contain further
 * reply_to_message fields even if it itself is a reply" (the Bot API documentation).
 */
export function withoutReply(message: Record<string, unknown>): Record<string, unknown> {
  const { reply_to_message: _, ...shallow } = message;
  return shallow;
}

/** Telegram echoes only inline keyboards in `Message.reply_markup`. */
export function inlineMarkup(params: Record<string, unknown>): Record<string, unknown> {
  const markup = params.reply_markup;
  return isRecord(markup) && Array.isArray(markup.inline_keyboard) ? { reply_markup: markup } : {};
}

const FIRST_BOT_MESSAGE_ID = 100_000;

/** The fields of a message that are its content (what `copyMessage` carries over). */
const CONTENT_FIELDS: readonly string[] = [
  "text",
  "entities",
  "link_preview_options",
  "animation",
  "audio",
  "document",
  "photo",
  "sticker",
  "video",
  "video_note",
  "voice",
  "caption",
  "caption_entities",
  "show_caption_above_media",
  "has_media_spoiler",
  "contact",
  "dice",
  "game",
  "poll",
  "venue",
  "location",
  "story",
];

/** Content fields that make a message one that can carry a caption. */
const CAPTIONED_FIELDS: readonly string[] = [
  "animation",
  "audio",
  "document",
  "photo",
  "video",
  "voice",
];

/**
 * The content of `original` as a copy has it: its text or media, caption and entities;
 * not its id, sender, date, reply, buttons, album or forward origin.
 */
export function copiedContent(original: Record<string, unknown>): Record<string, unknown> {
  const content: Record<string, unknown> = {};
  for (const field of CONTENT_FIELDS) {
    if (original[field] !== undefined) content[field] = original[field];
  }
  return content;
}

/** Whether a message with `content` can carry a caption (a photo, a document, …). */
export function takesCaption(content: Record<string, unknown>): boolean {
  return CAPTIONED_FIELDS.some((field) => content[field] !== undefined);
}

/** A reaction as the Bot API writes it (`ReactionType`). */
export type ReactionType = Record<string, unknown>;

/**
 * The chats the fake knows: the users seen so far, every message of every chat as last sent
 * or edited, and the next message ids (the users' count from 1, the bot's from 100,000, per
 * chat).
 */
export class Chats {
  readonly #bot: UserFromGetMe;
  #botMessageIds = new Map<string, number>();
  #userMessageIds = new Map<number, number>();
  #users = new Map<number, FakeUser>();
  #messages = new Map<string, Record<string, unknown>>();
  #callbackCounter = 0;
  #mediaGroupCounter = 0;
  /** The bot's reaction on each message (`chat:message`), as last set. */
  #botReactions = new Map<string, ReactionType[]>();
  /** Each user's reaction on each message of their chat (`chat:message`), as last pushed. */
  #userReactions = new Map<string, ReactionType[]>();
  /** Group chats, whose messages share one counter (the next id), as `groups.ts` registers them. */
  #groupMessageIds = new Map<string, number>();
  /** The `Chat` object of a group chat the emulator knows (`groups.ts`), if it is one. */
  groupChat: ((id: number) => Chat | undefined) | undefined = undefined;

  constructor(bot: UserFromGetMe) {
    this.#bot = bot;
  }

  /** The message `messageId` of chat `chatId`, if the fake holds it. */
  message(chatId: unknown, messageId: unknown): Record<string, unknown> | undefined {
    return this.#messages.get(`${chatKey(chatId)}:${String(messageId)}`);
  }

  /** The messages of chat `chatId` the fake holds, by id. */
  messagesOf(chatId: unknown): Record<string, unknown>[] {
    const prefix = `${chatKey(chatId)}:`;
    return [...this.#messages].filter(([key]) => key.startsWith(prefix)).map(([, m]) => m)
      .sort((a, b) => Number(a.message_id) - Number(b.message_id));
  }

  /** Keeps `message` (any message with a `chat`) under its chat and id. */
  remember(message: Record<string, unknown>): void {
    const chat = message.chat;
    if (!isRecord(chat)) return;
    this.#messages.set(`${chatKey(chat.id)}:${String(message.message_id)}`, message);
  }

  /** Forgets message `messageId` of chat `chatId` (it was deleted). */
  forget(chatId: unknown, messageId: unknown): void {
    this.#messages.delete(`${chatKey(chatId)}:${String(messageId)}`);
  }

  /**
   * A new album id, as Telegram's `media_group_id`: a string of digits, the same on every part
   * of one album.
   */
  nextMediaGroupId(): string {
    return `${13_579_246_810 + ++this.#mediaGroupCounter}`;
  }

  /** Sets (or, with `[]`, removes) the bot's reaction on message `messageId` of `chatId`. */
  setBotReaction(chatId: unknown, messageId: unknown, reaction: ReactionType[]): void {
    const key = `${chatKey(chatId)}:${String(messageId)}`;
    if (reaction.length === 0) this.#botReactions.delete(key);
    else this.#botReactions.set(key, reaction);
  }

  /** The bot's current reaction on message `messageId` of `chatId` (`[]`: none). */
  botReaction(chatId: unknown, messageId: unknown): ReactionType[] {
    return this.#botReactions.get(`${chatKey(chatId)}:${String(messageId)}`) ?? [];
  }

  /**
   * The `message_reaction` update body for `from` changing their reaction on message
   * `messageId` of their chat to `emoji` (`null`: removing it), with their reaction before as
   * `old_reaction`; the new one is kept for the next change.
   */
  reactionChange(from: FakeUser, messageId: number, emoji: string | null): Record<string, unknown> {
    this.#users.set(from.id, from);
    const key = `${chatKey(from.id)}:${messageId}`;
    const old = this.#userReactions.get(key) ?? [];
    const now: ReactionType[] = emoji === null ? [] : [{ type: "emoji", emoji }];
    if (now.length === 0) this.#userReactions.delete(key);
    else this.#userReactions.set(key, now);
    return {
      chat: this.chatObject(from.id),
      message_id: messageId,
      user: userObject(from),
      date: nowSeconds(),
      old_reaction: old,
      new_reaction: now,
    };
  }

  /** A user the emulator has seen (who wrote, pressed, reacted or was put in a group). */
  knownUser(id: number): FakeUser | undefined {
    return this.#users.get(id);
  }

  /** Remembers `u` (e.g. a group member), so that chats and members can name them. */
  rememberUser(u: FakeUser): void {
    this.#users.set(u.id, u);
  }

  /**
   * Makes `chatId` a chat whose messages, whoever sends them, take one counter, as in a group
   * (`groups.ts`): from 2, message 1 being the creation of the group (which is also why a
   * forum's General topic, thread 1, is never a topic one can send into).
   */
  shareMessageIds(chatId: unknown): void {
    const key = chatKey(chatId);
    if (!this.#groupMessageIds.has(key)) this.#groupMessageIds.set(key, 2);
  }

  /** The bot as it appears in `from`. */
  botShort(): User {
    return {
      id: this.#bot.id,
      is_bot: true,
      first_name: this.#bot.first_name,
      username: this.#bot.username,
    };
  }

  /** The `Chat` object of a chat id: a user's private chat, a group or a channel. */
  chatObject(chatId: unknown): Chat {
    const id = num(chatId);
    if (id === undefined) {
      // "@channelusername"
      const username = String(chatId).replace(/^@/, "");
      return { id: 0, type: "channel", title: username, username } as Chat;
    }
    if (id < 0) {
      const group = this.groupChat?.(id);
      if (group) return group;
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

  /** The id of the next message the bot sends to `chatId`. */
  nextBotMessageId(chatId: unknown): number {
    const key = chatKey(chatId);
    const shared = this.#groupMessageIds.get(key);
    if (shared !== undefined) {
      this.#groupMessageIds.set(key, shared + 1);
      return shared;
    }
    const id = (this.#botMessageIds.get(key) ?? FIRST_BOT_MESSAGE_ID - 1) + 1;
    this.#botMessageIds.set(key, id);
    return id;
  }

  /**
   * A message the bot sends to `params.chat_id` with `content` (replying to the message named
   * by `reply_parameters` or `reply_to_message_id`, with the inline keyboard), kept.
   */
  botMessage(
    params: Record<string, unknown>,
    content: Record<string, unknown>,
  ): Record<string, unknown> {
    const message: Record<string, unknown> = {
      message_id: this.nextBotMessageId(params.chat_id),
      from: this.botShort(),
      date: nowSeconds(),
      chat: this.chatObject(params.chat_id),
    };
    const replyTo = isRecord(params.reply_parameters)
      ? num(params.reply_parameters.message_id)
      : num(params.reply_to_message_id);
    if (replyTo !== undefined) {
      const original = this.message(params.chat_id, replyTo);
      if (original) message.reply_to_message = withoutReply(original);
    }
    Object.assign(message, content, inlineMarkup(params));
    this.remember(message);
    return message;
  }

  /**
   * A private message from `from` with `content` and `extra` (the next message id of their
   * chat unless `extra` gives one). Not kept yet: that happens when it is pushed.
   */
  userMessage(
    from: FakeUser,
    content: Record<string, unknown>,
    extra: Partial<Message>,
  ): { message_id: number; message: Message } {
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
    return { message_id: messageId, message };
  }

  /** Message `replyTo` of `from`'s chat as a reply target (a stub when the fake has none). */
  replyTarget(from: FakeUser, replyTo: number): Record<string, unknown> {
    return this.message(from.id, replyTo) ?? {
      message_id: replyTo,
      date: nowSeconds(),
      chat: this.chatObject(from.id),
    };
  }

  /** `from`'s message `messageId` with a new text or caption, as Telegram sends an edit. */
  editedMessage(
    from: FakeUser,
    messageId: number,
    changes: { text?: string; caption?: string },
  ): Record<string, unknown> {
    const before = this.message(from.id, messageId);
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
    return edited;
  }

  /** A callback query by `from` with `data`, on the bot message `options.messageId` if given. */
  callbackQuery(
    from: FakeUser,
    data: string,
    options: CallbackQueryOptions,
  ): Record<string, unknown> {
    this.#users.set(from.id, from);
    const chatId = options.chatId ?? from.id;
    const query: Record<string, unknown> = {
      id: `cbq-${++this.#callbackCounter}`,
      from: userObject(from),
      chat_instance: `ci-${chatId}`,
      data,
    };
    if (options.messageId !== undefined) {
      query.message = this.message(chatId, options.messageId) ?? {
        message_id: options.messageId,
        date: nowSeconds(),
        chat: this.chatObject(chatId),
        from: this.botShort(),
      };
    }
    return query;
  }

  /**
   * Edits message `params.message_id` of `params.chat_id` with `changes` (a stub bot message
   * when the fake does not hold it) and returns the edited message.
   */
  edit(params: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
    const key = `${chatKey(params.chat_id)}:${String(params.message_id)}`;
    const before = this.#messages.get(key) ?? {
      message_id: params.message_id,
      date: nowSeconds(),
      chat: this.chatObject(params.chat_id),
      from: this.botShort(),
    };
    const edited: Record<string, unknown> = { ...before, ...changes, edit_date: nowSeconds() };
    this.#messages.set(key, edited);
    return edited;
  }
}
