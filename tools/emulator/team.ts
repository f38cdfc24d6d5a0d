/**
 * Groups and topics put together: {@link Team} joins the group chats (`groups.ts`) and the
 * topics and pins (`forum.ts`) to the messages and updates, for both sides. For the bot it
 * answers `getChat`, `getChatMember`, `getChatAdministrators` and the forum methods, checks
 * access and `message_thread_id` before a send and marks what went into a topic. For the test
 * it creates groups, changes members and the bot's place (pushing `chat_member` /
 * `my_chat_member` updates and the `new_chat_members` / `left_chat_member` service messages),
 * upgrades a basic group, and pushes messages written in a group by its members, which reach
 * the bot only as Telegram's privacy mode lets them.
 *
 * Privacy mode (on by default, as BotFather sets it; `getMe` says so in
 * `can_read_all_group_messages`): a message in a group reaches the bot when the bot is an
 * administrator there, or privacy is off, or it is a service message, or it starts with a
 * command (for this bot: `/cmd` or `/cmd@this_bot`, not `/cmd@other_bot`), or it replies to one
 * of the bot's messages. Replying means an explicit reply: the implicit reply of every topic
 * message to the topic's creation message does not count, even when the bot made the topic.
 * A message the bot does not get is still kept in the chat (`FakeTelegram.messageIn`,
 * `FakeTelegram.messagesInThread`).
 *
 * @module
 */

import type { ChatAdministratorRights, Message, UserFromGetMe } from "grammy/types";
import { cleanTopicName, Forum, FORUM_METHODS } from "./forum.ts";
import { type AlbumKind, type Files, type MediaKind, type SendMediaOptions } from "./files.ts";
import {
  type BotMembership,
  type Group,
  type GroupOptions,
  Groups,
  type MemberStatus,
} from "./groups.ts";
import {
  type Chats,
  commandEntities,
  type FakeUser,
  nowSeconds,
  userObject,
  withoutReply,
} from "./objects.ts";
import { isRecord, num } from "./requests.ts";

export { NOT_MINE } from "./forum.ts";

/** The methods {@link Team.answer} answers (canonical casing). */
export const TEAM_METHODS: readonly string[] = [
  "getChat",
  "getChatMember",
  "getChatAdministrators",
  ...FORUM_METHODS,
];

/** Methods whose `message_thread_id` names a topic to send into. */
const THREADED_METHODS: ReadonlySet<string> = new Set([
  "sendMessage",
  "copyMessage",
  "copyMessages",
  "forwardMessage",
  "forwardMessages",
  "sendMediaGroup",
  "sendPhoto",
  "sendDocument",
  "sendVoice",
  "sendAudio",
  "sendVideo",
  "sendAnimation",
  "sendVideoNote",
  "sendSticker",
  "sendLocation",
  "sendVenue",
  "sendContact",
  "sendChatAction",
]);

/** Where a member's message goes: a topic, a reply. */
export interface GroupMessageOptions {
  /** The topic (`message_thread_id`); none: the General topic, or the chat if no forum. */
  threadId?: number;
  /** The id of the message it replies to (in a forum, its topic is then the default). */
  replyTo?: number;
  /** Extra message fields, merged last. */
  extra?: Partial<Message>;
}

/** What `FakeTelegram.sendGroupText` and its kin return. */
export interface PushedGroupMessage {
  /** Update id of the update the bot gets; `undefined` when it does not get the message. */
  update_id: number | undefined;
  /** Message id in the group. */
  message_id: number;
  /** The message as kept (and pushed, if it was). */
  message: Message;
  /** Whether the bot gets it (privacy mode, its membership). */
  delivered: boolean;
}

/** What {@link Team} needs from the emulator. */
export interface TeamContext {
  readonly bot: UserFromGetMe;
  readonly chats: Chats;
  readonly files: Files;
  /** Queues an update (a message in it is kept in its chat) and wakes the bot's poll. */
  push(update: Record<string, unknown>): number;
}

/** The groups, topics and privacy mode of the emulator. */
export class Team {
  readonly groups: Groups;
  readonly forum: Forum;
  readonly #ctx: TeamContext;
  #privacy = true;

  constructor(context: TeamContext) {
    this.#ctx = context;
    this.groups = new Groups(context.bot, context.chats);
    this.forum = new Forum({
      bot: context.bot,
      chats: context.chats,
      groups: this.groups,
      post: (group, message) => void this.#post(group, message, true),
    });
  }

  // -------------------------------------------------------------------------------------------
  // The bot's side
  // -------------------------------------------------------------------------------------------

  /** Throws what Telegram answers to `method` in a group the bot may not act in. */
  checkAccess(method: string, params: Record<string, unknown>): void {
    this.groups.checkAccess(method, params);
  }

  /** The topic a send of `method` goes into (checked), or `undefined`. */
  checkThread(method: string, params: Record<string, unknown>): number | undefined {
    return THREADED_METHODS.has(method) ? this.forum.checkThread(params) : undefined;
  }

  /** Answers the group and forum methods; {@link NOT_MINE} for the others. */
  answer(method: string, params: Record<string, unknown>): unknown {
    switch (method) {
      case "getChat": {
        const [pinned] = this.forum.pinnedIn(params.chat_id);
        const message = pinned !== undefined
          ? this.#ctx.chats.message(params.chat_id, pinned)
          : undefined;
        return this.groups.getChat(params, message);
      }
      case "getChatMember":
        return this.groups.getChatMember(params);
      case "getChatAdministrators":
        return this.groups.getChatAdministrators(params);
    }
    return this.forum.answer(method, params);
  }

  // -------------------------------------------------------------------------------------------
  // The test's side
  // -------------------------------------------------------------------------------------------

  /** Whether privacy mode is on. */
  get privacyMode(): boolean {
    return this.#privacy;
  }

  /** The messages of group `chatId` the emulator holds, in order. */
  messagesOf(chatId: number): Record<string, unknown>[] {
    return this.#ctx.chats.messagesOf(chatId);
  }

  /** Turns privacy mode on or off (and `getMe`'s `can_read_all_group_messages` with it). */
  setPrivacyMode(on: boolean): void {
    this.#privacy = on;
    (this.#ctx.bot as { can_read_all_group_messages: boolean }).can_read_all_group_messages = !on;
  }

  /** Creates a group; returns its id. */
  createGroup(options: GroupOptions): number {
    return this.groups.create(options).id;
  }

  /**
   * Sets `user`'s status in group `chatId`. Joining or leaving (or being kicked) pushes a
   * `chat_member` update (delivered only when `allowed_updates` lists it) and the service
   * message `new_chat_members` / `left_chat_member` in the chat.
   */
  setMember(
    chatId: number,
    user: FakeUser,
    status: MemberStatus,
    rights?: Partial<ChatAdministratorRights>,
  ): void {
    const group = this.groups.require(chatId);
    const { before, after } = this.groups.setMember(group, user, status, rights);
    const wasIn = isIn(String(before.status), before.is_member);
    const isNowIn = isIn(status, true);
    const actor = status === "kicked" ? this.#owner(group) ?? user : user;
    this.#ctx.push({
      chat_member: {
        chat: this.groups.chatObject(group),
        from: userObject(actor),
        date: nowSeconds(),
        old_chat_member: before,
        new_chat_member: after,
      },
    });
    if (wasIn && !isNowIn) {
      this.#service(group, actor, { left_chat_member: userObject(user) });
    } else if (!wasIn && isNowIn) {
      this.#service(group, user, { new_chat_members: [userObject(user)] });
    }
  }

  /** Sets the bot's place in group `chatId`; pushes the `my_chat_member` update. */
  setBotMembership(
    chatId: number,
    membership: BotMembership,
    rights?: Partial<ChatAdministratorRights>,
  ): void {
    const group = this.groups.require(chatId);
    const { before, after } = this.groups.setBot(group, membership, rights);
    const actor = this.#owner(group);
    this.#ctx.push({
      my_chat_member: {
        chat: this.groups.chatObject(group),
        from: actor ? userObject(actor) : this.#ctx.chats.botShort(),
        date: nowSeconds(),
        old_chat_member: before,
        new_chat_member: after,
      },
    });
  }

  /** Turns topics on or off in supergroup `chatId`. */
  setForum(chatId: number, on: boolean): void {
    const group = this.groups.require(chatId);
    if (group.basic && on) throw new Error(`${chatId} is a basic group: it can't have topics`);
    group.isForum = on;
  }

  /**
   * Upgrades basic group `chatId` to a supergroup: the service message `migrate_to_chat_id` in
   * the old chat, then `migrate_from_chat_id` in the new one; returns the new id.
   */
  migrateGroup(chatId: number): number {
    const old = this.groups.require(chatId);
    const upgraded = this.groups.migrate(old);
    const actor = this.#owner(old);
    this.#service(old, actor, { migrate_to_chat_id: upgraded.id });
    this.#service(upgraded, actor, { migrate_from_chat_id: old.id });
    return upgraded.id;
  }

  /**
   * A topic named `name` opened by member `from` in forum `chatId` (its `forum_topic_created`
   * message pushed as any service message); returns its thread id.
   */
  createTopic(chatId: number, from: FakeUser, name: string, iconColor?: number): number {
    const group = this.groups.require(chatId);
    if (!group.isForum) throw new Error(`${chatId} is not a forum`);
    const member = group.members.get(from.id);
    if (!member || !isIn(member.status, true)) throw new Error(`${from.id} is not in ${chatId}`);
    const topic = this.forum.open(group, userObject(from), cleanTopicName(name), iconColor);
    return num(topic.message_thread_id)!;
  }

  /** A text message by member `from` in group `chatId` (a leading command gets its entity). */
  sendGroupText(
    chatId: number,
    from: FakeUser,
    text: string,
    options: GroupMessageOptions = {},
  ): PushedGroupMessage {
    const entities = commandEntities(text);
    return this.#memberMessage(chatId, from, { text, ...(entities ? { entities } : {}) }, options);
  }

  /** A media message of `kind` by member `from` in group `chatId`. */
  sendGroupMedia(
    chatId: number,
    from: FakeUser,
    kind: MediaKind,
    options: GroupMessageOptions & SendMediaOptions = {},
  ): PushedGroupMessage {
    const content = this.#ctx.files.userMedia(kind, options);
    return this.#memberMessage(chatId, from, content, options);
  }

  /** An album by member `from` in group `chatId`: one message per part, one `media_group_id`. */
  sendGroupAlbum(
    chatId: number,
    from: FakeUser,
    parts: readonly { kind: AlbumKind; caption?: string }[],
    options: GroupMessageOptions = {},
  ): PushedGroupMessage[] {
    const media_group_id = this.#ctx.chats.nextMediaGroupId();
    return parts.map((part) => {
      const content = this.#ctx.files.userMedia(part.kind, { caption: part.caption });
      return this.#memberMessage(chatId, from, { ...content, media_group_id }, options);
    });
  }

  #memberMessage(
    chatId: number,
    from: FakeUser,
    content: Record<string, unknown>,
    options: GroupMessageOptions,
  ): PushedGroupMessage {
    const group = this.groups.require(chatId);
    const member = group.members.get(from.id);
    if (!member || !isIn(member.status, true)) {
      throw new Error(`${from.id} is not a member of ${chatId}: add them with setMember`);
    }
    if (group.migratedTo !== undefined) throw new Error(`${chatId} was upgraded: write there`);
    const chats = this.#ctx.chats;
    const message: Record<string, unknown> = {
      message_id: chats.nextBotMessageId(group.id),
      from: userObject(from),
      chat: this.groups.chatObject(group),
      date: nowSeconds(),
      ...content,
    };
    let threadId = options.threadId;
    if (options.replyTo !== undefined) {
      const target = chats.message(group.id, options.replyTo);
      if (!target) throw new Error(`no message ${options.replyTo} in ${chatId}`);
      message.reply_to_message = withoutReply(target);
      threadId ??= num(target.message_thread_id);
    }
    if (threadId !== undefined) {
      const topic = this.forum.requireTopic(group, threadId);
      const staff = member.status === "creator" || member.status === "administrator";
      if (topic.closed && !staff) throw new Error(`topic ${threadId} is closed to members`);
      this.forum.intoTopic(group, threadId, message);
    }
    Object.assign(message, options.extra ?? {});
    const delivered = this.#reaches(group, message);
    const update_id = this.#post(group, message, delivered);
    return {
      update_id,
      message_id: num(message.message_id)!,
      message: message as unknown as Message,
      delivered,
    };
  }

  /**
   * Queues `from`'s edit of their message `messageId` in group `chatId` (a new text or caption)
   * as an `edited_message` update, which reaches the bot as the message itself would (privacy
   * mode); the chat keeps the edited message either way. Returns the update id, or `undefined`
   * when the bot does not get it.
   */
  sendGroupEdit(
    chatId: number,
    from: FakeUser,
    messageId: number,
    changes: { text?: string; caption?: string },
  ): number | undefined {
    const group = this.groups.require(chatId);
    const before = this.#ctx.chats.message(group.id, messageId);
    if (!before || !isRecord(before.from) || before.from.id !== from.id) {
      throw new Error(`no message ${messageId} of ${from.id} in ${chatId}`);
    }
    const edited: Record<string, unknown> = { ...before, edit_date: nowSeconds() };
    if (changes.text !== undefined) {
      edited.text = changes.text;
      const entities = commandEntities(changes.text);
      if (entities) edited.entities = entities;
      else delete edited.entities;
    }
    if (changes.caption !== undefined) {
      edited.caption = changes.caption;
      delete edited.caption_entities;
    }
    if (this.#reaches(group, edited)) return this.#ctx.push({ edited_message: edited });
    this.#ctx.chats.remember(edited);
    return undefined;
  }

  /** Whether a member's `message` in `group` reaches the bot (see the module's notes). */
  #reaches(group: Group, message: Record<string, unknown>): boolean {
    // An explicit reply: a topic message's implicit one names the topic's first message.
    const target = message.reply_to_message;
    const repliesToBot = isRecord(target) && isRecord(target.from) &&
      target.from.id === this.#ctx.bot.id && target.message_id !== message.message_thread_id;
    if (!this.groups.botIsIn(group)) return false;
    if (group.bot.status === "administrator" || !this.#privacy || repliesToBot) return true;
    const text = typeof message.text === "string"
      ? message.text
      : typeof message.caption === "string"
      ? message.caption
      : undefined;
    if (text === undefined) return false;
    const command = /^\/[A-Za-z0-9_]{1,32}(?:@([A-Za-z0-9_]{3,}))?/.exec(text);
    if (!command) return false;
    const addressee = command[1];
    return addressee === undefined ||
      addressee.toLowerCase() === (this.#ctx.bot.username ?? "").toLowerCase();
  }

  /** A service message by `from` in `group`, kept and pushed to the bot if it is there. */
  #service(group: Group, from: FakeUser | undefined, content: Record<string, unknown>): void {
    const chats = this.#ctx.chats;
    this.#post(group, {
      message_id: chats.nextBotMessageId(group.id),
      from: from ? userObject(from) : chats.botShort(),
      chat: this.groups.chatObject(group),
      date: nowSeconds(),
      ...content,
    }, true);
  }

  /**
   * Keeps `message` in `group`'s chat and, when `deliver` and the bot is in the group, pushes
   * it; returns the update id if it was pushed.
   */
  #post(group: Group, message: Record<string, unknown>, deliver: boolean): number | undefined {
    if (deliver && this.groups.botIsIn(group)) return this.#ctx.push({ message });
    this.#ctx.chats.remember(message);
    return undefined;
  }

  #owner(group: Group): FakeUser | undefined {
    return [...group.members.values()].find((m) => m.status === "creator")?.user;
  }
}

function isIn(status: string, isMember: unknown): boolean {
  return status === "creator" || status === "administrator" || status === "member" ||
    (status === "restricted" && isMember !== false);
}
