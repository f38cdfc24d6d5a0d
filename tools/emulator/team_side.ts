/**
 * The test's side of groups and forum topics, as methods of `FakeTelegram` (its base class,
 * {@link TeamSide}): creating groups, setting members and the bot's place, forums, upgrading a
 * basic group, privacy mode, pushing messages as members, and looking at topics, pins and the
 * messages of a topic. The work is done by `Team` (`team.ts`); this class only gives it the
 * names the tests call. Kept apart from `team.ts` because it extends `CallLog` (`calls.ts`),
 * which imports `methods.ts`, which imports `team.ts`.
 *
 * @module
 */

import type { ChatAdministratorRights } from "grammy/types";
import { CallLog } from "./calls.ts";
import type { TopicInfo } from "./forum.ts";
import type { AlbumKind, MediaKind, SendMediaOptions } from "./files.ts";
import type { BotMembership, GroupOptions, MemberStatus } from "./groups.ts";
import type { FakeUser } from "./objects.ts";
import type { GroupMessageOptions, PushedGroupMessage, Team } from "./team.ts";

/** The group and forum methods of `FakeTelegram`. */
export abstract class TeamSide extends CallLog {
  /** The groups, topics and privacy mode behind these methods. */
  protected abstract get team(): Team;

  /**
   * Creates a group the bot is in (unless `bot: "absent"`) and returns its id: a supergroup
   * with topics (`-100…`) by default, a basic group (`-4…`) with `basic: true`.
   */
  createGroup(options: GroupOptions = {}): number {
    return this.team.createGroup(options);
  }

  /**
   * Sets `user`'s status in group `chatId` (`rights` for an administrator, over the default
   * ones). Joining or leaving pushes a `chat_member` update and a service message.
   */
  setMember(
    chatId: number,
    user: FakeUser,
    status: MemberStatus,
    rights?: Partial<ChatAdministratorRights>,
  ): void {
    this.team.setMember(chatId, user, status, rights);
  }

  /** Sets the bot's place in group `chatId` and pushes `my_chat_member`. */
  setBotMembership(
    chatId: number,
    membership: BotMembership,
    rights?: Partial<ChatAdministratorRights>,
  ): void {
    this.team.setBotMembership(chatId, membership, rights);
  }

  /** Turns topics on or off in supergroup `chatId`. */
  setForum(chatId: number, on: boolean): void {
    this.team.setForum(chatId, on);
  }

  /** Upgrades basic group `chatId` to a supergroup and returns the supergroup's id. */
  migrateGroup(chatId: number): number {
    return this.team.migrateGroup(chatId);
  }

  /**
   * Turns the bot's privacy mode on (the default, as BotFather sets it) or off; `getMe`'s
   * `can_read_all_group_messages` follows.
   */
  setPrivacyMode(on: boolean): void {
    this.team.setPrivacyMode(on);
  }

  /** A topic named `name` opened by member `from` in forum `chatId`; returns its thread id. */
  createTopic(chatId: number, from: FakeUser, name: string, iconColor?: number): number {
    return this.team.createTopic(chatId, from, name, iconColor);
  }

  /** A text by member `from` in group `chatId`, in topic `threadId` or replying to `replyTo`. */
  sendGroupText(
    chatId: number,
    from: FakeUser,
    text: string,
    options: GroupMessageOptions = {},
  ): PushedGroupMessage {
    return this.team.sendGroupText(chatId, from, text, options);
  }

  /**
   * `from`'s edit of their message `messageId` in group `chatId`, pushed as `edited_message`
   * when the bot would get the message; returns the update id (`undefined`: not delivered).
   */
  sendGroupEdit(
    chatId: number,
    from: FakeUser,
    messageId: number,
    changes: { text?: string; caption?: string },
  ): number | undefined {
    return this.team.sendGroupEdit(chatId, from, messageId, changes);
  }

  /** A media message of `kind` by member `from` in group `chatId`. */
  sendGroupMedia(
    chatId: number,
    from: FakeUser,
    kind: MediaKind,
    options: GroupMessageOptions & SendMediaOptions = {},
  ): PushedGroupMessage {
    return this.team.sendGroupMedia(chatId, from, kind, options);
  }

  /** An album by member `from` in group `chatId`: one message per part, one `media_group_id`. */
  sendGroupAlbum(
    chatId: number,
    from: FakeUser,
    parts: readonly { kind: AlbumKind; caption?: string }[],
    options: GroupMessageOptions = {},
  ): PushedGroupMessage[] {
    return this.team.sendGroupAlbum(chatId, from, parts, options);
  }

  /** The topics of chat `chatId`, in creation order, deleted ones included. */
  topics(chatId: number): TopicInfo[] {
    return this.team.forum.topics(chatId);
  }

  /** Topic `threadId` of chat `chatId`, if there is one. */
  topic(chatId: number, threadId: number): TopicInfo | undefined {
    return this.team.forum.topic(chatId, threadId);
  }

  /** Ids of the pinned messages of chat `chatId` (of topic `threadId`), the most recent first. */
  pinnedIn(chatId: number, threadId?: number): number[] {
    return this.team.forum.pinnedIn(chatId, threadId);
  }

  /**
   * What the team sees in the General topic of forum `chatId` (or in a group without topics):
   * the messages that are in no topic, in order (deleted ones not).
   */
  messagesInGeneral(chatId: number): Record<string, unknown>[] {
    return this.team.messagesOf(chatId).filter((m) => m.message_thread_id === undefined);
  }

  /**
   * What the team sees in topic `threadId` of `chatId`: its creation message, the members'
   * messages, the bot's sends and copies and the service messages, in order (deleted ones not).
   */
  messagesInThread(chatId: number, threadId: number): Record<string, unknown>[] {
    return this.team.forum.messagesInThread(chatId, threadId);
  }
}
