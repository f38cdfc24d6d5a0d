/**
 * Forum topics and pinned messages in the emulator: {@link Forum} keeps the topics of every
 * forum supergroup (name, icon, closed, deleted, who made it, the messages in it) and the
 * pinned messages of every chat, answers `createForumTopic`, `editForumTopic`,
 * `closeForumTopic`, `reopenForumTopic`, `deleteForumTopic`, `unpinAllForumTopicMessages`,
 * `pinChatMessage`, `unpinChatMessage`, `unpinAllChatMessages` and, in groups, `deleteMessage`,
 * checks the `message_thread_id` of a send and marks what was sent into a topic.
 *
 * As on Telegram: a topic's id (`message_thread_id`) is the id of its `forum_topic_created`
 * service message; a message in a topic carries `message_thread_id`, `is_topic_message: true`
 * and, unless it replies to something else, `reply_to_message` set to that service message;
 * the General topic is the chat without a thread (`message_thread_id` 1 is refused). Each
 * change of a topic leaves a service message in it (`forum_topic_edited`, `…_closed`,
 * `…_reopened`), and so does a pin (`pinned_message`); they are kept in the chat and pushed
 * to the bot.
 *
 * Error texts are TDLib's (`ForumTopicManager`, `MessagesManager::can_pin_messages`) as the
 * Bot API server words them, and the server's own (`message thread not found`); a topic that
 * does not exist answers the server code `TOPIC_ID_INVALID`, a change that changes nothing
 * `TOPIC_NOT_MODIFIED`.
 *
 * @module
 */

import type { User, UserFromGetMe } from "grammy/types";
import type { Group, Groups } from "./groups.ts";
import { chatKey, type Chats, nowSeconds, withoutReply } from "./objects.ts";
import { requireChat, requireMessageId } from "./params.ts";
import { FakeApiError, isRecord, num, str } from "./requests.ts";

/** A forum topic as the tests see it (`FakeTelegram.topics`). */
export interface TopicInfo {
  /** Its `message_thread_id` (the id of its `forum_topic_created` message). */
  threadId: number;
  name: string;
  /** Color of the icon (RGB), as given or Telegram's first one. */
  iconColor: number;
  iconCustomEmojiId?: string;
  closed: boolean;
  deleted: boolean;
  /** User id of who created it (the bot's id when the bot did). */
  createdBy: number;
}

interface Topic extends TopicInfo {
  /** Ids of the messages in the topic, its creation message first. */
  messages: number[];
}

/** The most characters a topic name keeps (`MAX_FORUM_TOPIC_TITLE_LENGTH`). */
export const MAX_TOPIC_NAME = 128;

/** The icon colors the Bot API documents (`createForumTopic.icon_color`); the first is the default. */
export const TOPIC_COLORS: readonly number[] = [
  0x6FB9F0,
  0xFFD67E,
  0xCB86DB,
  0x8EEE98,
  0xFF93B2,
  0xFB6F5F,
];

/** What `Forum.answer` returns for a method it leaves to `methods.ts`. */
export const NOT_MINE = Symbol("not a forum method");

/** The methods {@link Forum} answers (canonical casing). */
export const FORUM_METHODS: readonly string[] = [
  "createForumTopic",
  "editForumTopic",
  "closeForumTopic",
  "reopenForumTopic",
  "deleteForumTopic",
  "unpinAllForumTopicMessages",
  "pinChatMessage",
  "unpinChatMessage",
  "unpinAllChatMessages",
];

/**
 * A topic name as TDLib cleans it (`clean_name`): control characters become spaces, the ends
 * are trimmed, and what is longer than 128 characters (Unicode code points) is cut, not refused.
 */
export function cleanTopicName(name: string): string {
  // deno-lint-ignore no-control-regex
  const spaced = name.replace(/[\u0000-\u001f\u007f]/g, " ").trim();
  return [...spaced].slice(0, MAX_TOPIC_NAME).join("").trim();
}

/** What the forum needs from the rest of the emulator. */
export interface ForumContext {
  readonly bot: UserFromGetMe;
  readonly chats: Chats;
  readonly groups: Groups;
  /** Keeps a service message of `group` in its chat and pushes it to the bot if it is there. */
  post(group: Group, message: Record<string, unknown>): void;
}

/** The topics and pins of every chat. */
export class Forum {
  readonly #ctx: ForumContext;
  /** Topics by chat, then by thread id. */
  #topics = new Map<string, Map<number, Topic>>();
  /** Pinned message ids by chat, the most recent last. */
  #pins = new Map<string, number[]>();

  constructor(context: ForumContext) {
    this.#ctx = context;
  }

  /** The topics of chat `chatId`, in creation order (deleted ones too). */
  topics(chatId: unknown): TopicInfo[] {
    return [...(this.#topics.get(chatKey(chatId))?.values() ?? [])].map(info);
  }

  /** Topic `threadId` of chat `chatId`, if there is one. */
  topic(chatId: unknown, threadId: number): TopicInfo | undefined {
    const topic = this.#topic(chatId, threadId);
    return topic ? info(topic) : undefined;
  }

  /**
   * The ids of the pinned messages of chat `chatId` (of topic `threadId` when given), the most
   * recent first.
   */
  pinnedIn(chatId: unknown, threadId?: number): number[] {
    const pins = this.#pins.get(chatKey(chatId)) ?? [];
    return pins
      .filter((id) =>
        threadId === undefined ||
        num(this.#ctx.chats.message(chatId, id)?.message_thread_id) === threadId
      )
      .reverse();
  }

  /** The messages of topic `threadId` of `chatId` as the emulator holds them, in order. */
  messagesInThread(chatId: unknown, threadId: number): Record<string, unknown>[] {
    const topic = this.#topic(chatId, threadId);
    if (!topic) return [];
    return topic.messages
      .map((id) => this.#ctx.chats.message(chatId, id))
      .filter((m): m is Record<string, unknown> => m !== undefined);
  }

  /**
   * The topic a message to `group` goes to with `threadId`, for a test pushing one as a member
   * (a mistake of the test throws).
   */
  requireTopic(group: Group, threadId: number): TopicInfo {
    const topic = this.#topic(group.id, threadId);
    if (!group.isForum || !topic || topic.deleted) {
      throw new Error(`no topic ${threadId} in ${group.id}`);
    }
    return topic;
  }

  /**
   * Marks `message` (being sent to `group` into topic `threadId`) as a topic message and
   * files it under the topic; unless it already replies to a message, it replies to the topic's
   * creation message, as every topic message does on Telegram.
   */
  intoTopic(group: Group, threadId: number, message: Record<string, unknown>): void {
    this.requireTopic(group, threadId);
    const topic = this.#topic(group.id, threadId)!;
    message.message_thread_id = threadId;
    message.is_topic_message = true;
    if (message.reply_to_message === undefined) {
      const root = this.#ctx.chats.message(group.id, threadId);
      if (root) message.reply_to_message = root;
    }
    topic.messages.push(num(message.message_id)!);
  }

  /**
   * The topic a send names with `message_thread_id`, checked as the Bot API server checks it:
   * in a forum the General topic (1) and a topic that does not exist (or was deleted) are
   * `message thread not found`, a closed topic is `TOPIC_CLOSED` unless the bot manages
   * topics; elsewhere the parameter is ignored. Without it, a reply goes into the topic of the
   * message it replies to, as in Telegram. `undefined`: no topic.
   */
  checkThread(params: Record<string, unknown>): number | undefined {
    const group = this.#ctx.groups.get(params.chat_id);
    if (!group || !group.isForum) return undefined;
    const replyTo = isRecord(params.reply_parameters)
      ? params.reply_parameters.message_id
      : params.reply_to_message_id;
    const target = replyTo !== undefined ? this.#ctx.chats.message(group.id, replyTo) : undefined;
    const threadId = num(params.message_thread_id) ?? num(target?.message_thread_id);
    if (threadId === undefined || threadId <= 0) return undefined;
    const topic = this.#topic(group.id, threadId);
    if (threadId === 1 || !topic || topic.deleted) {
      throw new FakeApiError(400, "Bad Request: message thread not found");
    }
    if (topic.closed && !this.#ctx.groups.botCan(group, "can_manage_topics")) {
      throw new FakeApiError(400, "Bad Request: TOPIC_CLOSED");
    }
    return threadId;
  }

  /**
   * Marks what a send put into topic `threadId` (its `result`: a message, messages or their
   * `MessageId`s) as topic messages of that topic.
   */
  stamp(params: Record<string, unknown>, result: unknown, threadId: number): void {
    const group = this.#ctx.groups.get(params.chat_id);
    if (!group) return;
    const items = Array.isArray(result) ? result : [result];
    for (const item of items) {
      const id = isRecord(item) ? num(item.message_id) : undefined;
      const message = id !== undefined ? this.#ctx.chats.message(group.id, id) : undefined;
      if (message) this.intoTopic(group, threadId, message);
    }
  }

  /** Answers a forum or pin method, or a `deleteMessage` in a group; else {@link NOT_MINE}. */
  answer(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case "createForumTopic":
        return this.#create(params);
      case "editForumTopic":
        return this.#edit(params);
      case "closeForumTopic":
      case "reopenForumTopic":
        return this.#close(params, method === "closeForumTopic");
      case "deleteForumTopic":
        return this.#delete(params);
      case "unpinAllForumTopicMessages": {
        const { group, topic } = this.#existingTopic(params);
        this.#checkPinRights(group);
        const left = (this.#pins.get(chatKey(group.id)) ?? []).filter((id) =>
          !topic.messages.includes(id)
        );
        this.#pins.set(chatKey(group.id), left);
        return true;
      }
      case "pinChatMessage":
        return this.#pin(params);
      case "unpinChatMessage":
        return this.#unpin(params);
      case "unpinAllChatMessages":
        requireChat(params);
        this.#checkPinRights(this.#ctx.groups.get(params.chat_id));
        this.#pins.delete(chatKey(params.chat_id));
        return true;
      case "deleteMessage":
        return this.#deleteMessage(params);
    }
    return NOT_MINE;
  }

  #topic(chatId: unknown, threadId: number): Topic | undefined {
    return this.#topics.get(chatKey(chatId))?.get(threadId);
  }

  /** The forum named by `chat_id`: `chat not found`, `the chat is not a forum`. */
  #forum(params: Record<string, unknown>): Group {
    requireChat(params);
    const group = this.#ctx.groups.get(params.chat_id);
    if (!group) {
      const id = num(params.chat_id);
      if (id !== undefined && id > 0 && this.#ctx.chats.knownUser(id)) {
        throw new FakeApiError(400, "Bad Request: the chat is not a forum");
      }
      throw new FakeApiError(400, "Bad Request: chat not found");
    }
    if (!group.isForum) throw new FakeApiError(400, "Bad Request: the chat is not a forum");
    return group;
  }

  /** The forum and its topic named by `message_thread_id`, which must exist. */
  #existingTopic(params: Record<string, unknown>): { group: Group; topic: Topic } {
    const group = this.#forum(params);
    const threadId = num(params.message_thread_id);
    if (threadId === undefined || threadId <= 0) {
      throw new FakeApiError(400, "Bad Request: invalid message thread identifier specified");
    }
    const topic = this.#topic(group.id, threadId);
    if (!topic || topic.deleted) throw new FakeApiError(400, "Bad Request: TOPIC_ID_INVALID");
    return { group, topic };
  }

  /** A service message of the bot in topic `topic` of `group` (or the chat), kept and pushed. */
  #service(group: Group, topic: Topic | undefined, content: Record<string, unknown>): number {
    const chats = this.#ctx.chats;
    const message: Record<string, unknown> = {
      message_id: chats.nextBotMessageId(group.id),
      from: chats.botShort(),
      chat: chats.chatObject(group.id),
      date: nowSeconds(),
      ...content,
    };
    if (topic) this.intoTopic(group, topic.threadId, message);
    this.#ctx.post(group, message);
    return num(message.message_id)!;
  }

  #create(params: Record<string, unknown>): Record<string, unknown> {
    const group = this.#forum(params);
    if (!this.#ctx.groups.botCan(group, "can_manage_topics")) {
      throw new FakeApiError(400, "Bad Request: not enough rights to create a topic");
    }
    const name = cleanTopicName(str(params.name) ?? "");
    if (name === "") throw new FakeApiError(400, "Bad Request: title must be non-empty");
    const iconColor = num(params.icon_color) ?? TOPIC_COLORS[0];
    if (iconColor < 0 || iconColor > 0xFFFFFF) {
      throw new FakeApiError(400, "Bad Request: invalid icon color specified");
    }
    const emoji = str(params.icon_custom_emoji_id) || undefined;
    return this.open(group, this.#ctx.chats.botShort(), name, iconColor, emoji);
  }

  /**
   * Opens a topic named `name` in forum `group`, created by `from` (the bot, or a member a
   * test plays): its `forum_topic_created` message is kept and pushed. Returns the `ForumTopic`.
   */
  open(
    group: Group,
    from: User,
    name: string,
    iconColor: number = TOPIC_COLORS[0],
    emoji?: string,
  ): Record<string, unknown> {
    const icon = { icon_color: iconColor, ...(emoji ? { icon_custom_emoji_id: emoji } : {}) };
    const chats = this.#ctx.chats;
    const threadId = chats.nextBotMessageId(group.id);
    const topic: Topic = {
      threadId,
      name,
      iconColor,
      ...(emoji ? { iconCustomEmojiId: emoji } : {}),
      closed: false,
      deleted: false,
      createdBy: from.id,
      messages: [threadId],
    };
    const topics = this.#topics.get(chatKey(group.id)) ?? new Map<number, Topic>();
    this.#topics.set(chatKey(group.id), topics);
    topics.set(threadId, topic);
    this.#ctx.post(group, {
      message_id: threadId,
      from,
      chat: chats.chatObject(group.id),
      date: nowSeconds(),
      message_thread_id: threadId,
      is_topic_message: true,
      forum_topic_created: { name, ...icon },
    });
    return { message_thread_id: threadId, name, ...icon };
  }

  /** Whether the bot may change `topic` without the right: it made it ("outgoing"). */
  #own(topic: Topic): boolean {
    return topic.createdBy === this.#ctx.bot.id;
  }

  #edit(params: Record<string, unknown>): true {
    const { group, topic } = this.#existingTopic(params);
    if (!this.#ctx.groups.botCan(group, "can_manage_topics") && !this.#own(topic)) {
      throw new FakeApiError(400, "Bad Request: not enough rights to edit the topic");
    }
    const given = str(params.name) ?? "";
    const name = cleanTopicName(given);
    if (given !== "" && name === "") {
      throw new FakeApiError(400, "Bad Request: title must be non-empty");
    }
    const editIcon = params.icon_custom_emoji_id !== undefined;
    if (given === "" && !editIcon) return true; // TDLib answers at once: nothing to edit
    const emoji = editIcon ? str(params.icon_custom_emoji_id) ?? "" : undefined;
    const nameChanges = given !== "" && name !== topic.name;
    const iconChanges = emoji !== undefined && emoji !== (topic.iconCustomEmojiId ?? "");
    if (!nameChanges && !iconChanges) {
      throw new FakeApiError(400, "Bad Request: TOPIC_NOT_MODIFIED");
    }
    const edited: Record<string, unknown> = {};
    if (nameChanges) {
      topic.name = name;
      edited.name = name;
    }
    if (iconChanges) {
      if (emoji === "") delete topic.iconCustomEmojiId;
      else topic.iconCustomEmojiId = emoji;
      edited.icon_custom_emoji_id = emoji;
    }
    this.#service(group, topic, { forum_topic_edited: edited });
    return true;
  }

  #close(params: Record<string, unknown>, close: boolean): true {
    const { group, topic } = this.#existingTopic(params);
    if (!this.#ctx.groups.botCan(group, "can_manage_topics") && !this.#own(topic)) {
      throw new FakeApiError(400, "Bad Request: not enough rights to close or open the topic");
    }
    if (topic.closed === close) throw new FakeApiError(400, "Bad Request: TOPIC_NOT_MODIFIED");
    topic.closed = close;
    this.#service(group, topic, close ? { forum_topic_closed: {} } : { forum_topic_reopened: {} });
    return true;
  }

  #delete(params: Record<string, unknown>): true {
    const { group, topic } = this.#existingTopic(params);
    if (!this.#ctx.groups.botCan(group, "can_delete_messages") && !this.#own(topic)) {
      throw new FakeApiError(400, "Bad Request: not enough rights to delete the topic");
    }
    topic.deleted = true;
    const pins = this.#pins.get(chatKey(group.id)) ?? [];
    this.#pins.set(chatKey(group.id), pins.filter((id) => !topic.messages.includes(id)));
    for (const id of topic.messages) this.#ctx.chats.forget(group.id, id);
    topic.messages = [];
    return true;
  }

  /**
   * Whether the bot may pin in `group` (`MessagesManager::can_pin_messages`): in a basic group
   * only as an administrator, in a supergroup with `can_pin_messages`; private chats: always.
   */
  #checkPinRights(group: Group | undefined): void {
    if (!group) return;
    const may = group.basic
      ? group.bot.status === "administrator" && group.bot.rights.can_pin_messages
      : this.#ctx.groups.botCan(group, "can_pin_messages");
    if (!may) {
      throw new FakeApiError(
        400,
        "Bad Request: not enough rights to manage pinned messages in the chat",
      );
    }
  }

  #pin(params: Record<string, unknown>): true {
    requireChat(params);
    requireMessageId(params);
    const message = this.#ctx.chats.message(params.chat_id, params.message_id);
    if (!message) throw new FakeApiError(400, "Bad Request: message to pin not found");
    const group = this.#ctx.groups.get(params.chat_id);
    this.#checkPinRights(group);
    const id = num(params.message_id)!;
    const key = chatKey(params.chat_id);
    const pins = (this.#pins.get(key) ?? []).filter((p) => p !== id);
    pins.push(id);
    this.#pins.set(key, pins);
    if (group) {
      const threadId = num(message.message_thread_id);
      const topic = threadId !== undefined ? this.#topic(group.id, threadId) : undefined;
      this.#service(group, topic, { pinned_message: withoutReply(message) });
    }
    return true;
  }

  #unpin(params: Record<string, unknown>): true {
    requireChat(params);
    this.#checkPinRights(this.#ctx.groups.get(params.chat_id));
    const key = chatKey(params.chat_id);
    const pins = this.#pins.get(key) ?? [];
    const id = num(params.message_id);
    if (id === undefined) {
      if (pins.length === 0) throw new FakeApiError(400, "Bad Request: message to unpin not found");
      pins.pop();
      return true;
    }
    if (!this.#ctx.chats.message(params.chat_id, id)) {
      throw new FakeApiError(400, "Bad Request: message to unpin not found");
    }
    this.#pins.set(key, pins.filter((p) => p !== id));
    return true;
  }

  /**
   * `deleteMessage` in a group the test created: the message must exist (`message to delete not
   * found`); the bot deletes its own messages, and others' with `can_delete_messages` (`message
   * can't be deleted`). Other chats: {@link NOT_MINE}.
   */
  #deleteMessage(params: Record<string, unknown>): unknown {
    const group = this.#ctx.groups.get(params.chat_id);
    if (!group) return NOT_MINE;
    requireMessageId(params);
    const message = this.#ctx.chats.message(group.id, params.message_id);
    if (!message) throw new FakeApiError(400, "Bad Request: message to delete not found");
    const from = isRecord(message.from) ? num(message.from.id) : undefined;
    if (from !== this.#ctx.bot.id && !this.#ctx.groups.botCan(group, "can_delete_messages")) {
      throw new FakeApiError(400, "Bad Request: message can't be deleted");
    }
    const id = num(params.message_id)!;
    this.#ctx.chats.forget(group.id, id);
    const key = chatKey(group.id);
    this.#pins.set(key, (this.#pins.get(key) ?? []).filter((p) => p !== id));
    return true;
  }
}

function info(topic: Topic): TopicInfo {
  const { messages: _, ...rest } = topic;
  return { ...rest };
}
