/**
 * Group chats in the emulator: the basic groups and supergroups (forums or not) a test creates
 * (`FakeTelegram.createGroup`), their members with their statuses and administrator rights, the
 * bot's own membership and rights, the upgrade of a basic group to a supergroup, and what the
 * Bot API says about them: `getChat` (also for private chats), `getChatMember`,
 * `getChatAdministrators` and the access check every call naming such a chat goes through.
 * Topics and pins live in `forum.ts`; `team.ts` ties both to the updates.
 *
 * The access check follows the Bot API server (tdlib/telegram-bot-api, `check_chat_access`):
 * in a supergroup the bot is not in (it left, was never added or was kicked) every call is
 * refused, `getChat` included (`Forbidden: bot is not a member of the supergroup chat`,
 * `Forbidden: bot was kicked from the supergroup chat`); in a basic group only reading the chat
 * itself still works (`getChat`, `getChatMember` of the bot), the rest answers `Forbidden: bot
 * is not a member of the group chat` / `Forbidden: bot was kicked from the group chat`, or, once
 * the group was upgraded, 400 `Bad Request: group chat was upgraded to a supergroup chat` with
 * `parameters.migrate_to_chat_id`. Chats the test never created keep the old permissive
 * behaviour for sends (any negative id is a group that accepts messages), but the methods that
 * describe a chat answer `Bad Request: chat not found` for them.
 *
 * @module
 */

import type { Chat, ChatAdministratorRights, User, UserFromGetMe } from "grammy/types";
import { chatKey, type Chats, type FakeUser, userObject } from "./objects.ts";
import { FakeApiError, num } from "./requests.ts";

/** A member's status, as `ChatMember.status` says it. */
export type MemberStatus =
  | "creator"
  | "administrator"
  | "member"
  | "restricted"
  | "left"
  | "kicked";

/** The bot's place in a group, as a test sets it. */
export type BotMembership = "administrator" | "member" | "absent" | "kicked";

/** Options of `FakeTelegram.createGroup`. */
export interface GroupOptions {
  /** The chat's title. Default `Team <n>`. */
  title?: string;
  /** A basic group (id like `-4xxxxxxxx`) instead of a supergroup (`-100xxxxxxxxxx`). */
  basic?: boolean;
  /** Whether the supergroup has topics. Default `true` for a supergroup (never for a basic group). */
  isForum?: boolean;
  /** The owner (`creator`). */
  creator?: FakeUser;
  /** Administrators (with the default rights; change them with `setMember`). */
  admins?: FakeUser[];
  /** Plain members. */
  members?: FakeUser[];
  /** The bot's place. Default `administrator`. */
  bot?: BotMembership;
  /** The bot's administrator rights, over {@link DEFAULT_ADMIN_RIGHTS}. */
  botRights?: Partial<ChatAdministratorRights>;
  /** The chat id (it must have the form of the kind of chat). Default: the next free one. */
  id?: number;
}

/** Every administrator right, as the Bot API server writes them for a group. */
export type AdminRights = Required<
  Pick<
    ChatAdministratorRights,
    | "is_anonymous"
    | "can_manage_chat"
    | "can_delete_messages"
    | "can_manage_video_chats"
    | "can_restrict_members"
    | "can_promote_members"
    | "can_change_info"
    | "can_invite_users"
    | "can_post_stories"
    | "can_edit_stories"
    | "can_delete_stories"
    | "can_pin_messages"
    | "can_manage_topics"
  >
>;

/**
 * The rights an administrator gets unless told otherwise: what Telegram's apps tick when a
 * bot (or a person) is made an administrator of a group, with topics managed, messages deleted
 * and pinned; not promoting others, not posting stories, not anonymous.
 */
export const DEFAULT_ADMIN_RIGHTS: Readonly<AdminRights> = {
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: true,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
  can_manage_topics: true,
};

/**
 * What members who are not administrators may do (`ChatPermissions`), as a new group has it:
 * write and send anything, invite; not change the chat, pin or manage topics.
 */
const DEFAULT_PERMISSIONS = {
  can_send_messages: true,
  can_send_media_messages: true,
  can_send_audios: true,
  can_send_documents: true,
  can_send_photos: true,
  can_send_videos: true,
  can_send_video_notes: true,
  can_send_voice_notes: true,
  can_send_polls: true,
  can_send_other_messages: true,
  can_add_web_page_previews: true,
  can_react_to_messages: true,
  can_change_info: false,
  can_invite_users: true,
  can_pin_messages: false,
  can_manage_topics: false,
};

/** A restricted member may do nothing of the above. */
const NO_PERMISSIONS = Object.fromEntries(
  Object.keys(DEFAULT_PERMISSIONS).map((k) => [k, false]),
);

const NO_GIFTS = {
  unlimited_gifts: false,
  limited_gifts: false,
  unique_gifts: false,
  premium_subscription: false,
  gifts_from_channels: false,
};

/** A member of a group as the emulator keeps them. */
export interface Member {
  user: FakeUser;
  status: MemberStatus;
  rights: AdminRights;
}

/** A group chat the test created. */
export interface Group {
  readonly id: number;
  readonly basic: boolean;
  title: string;
  isForum: boolean;
  /** Members by user id (former ones too, as `left` or `kicked`). */
  members: Map<number, Member>;
  /** The bot's status (`left` when absent) and rights. */
  bot: { status: "administrator" | "member" | "left" | "kicked"; rights: AdminRights };
  /** The supergroup a basic group was upgraded to. */
  migratedTo?: number;
  /** The basic group a supergroup was upgraded from. */
  migratedFrom?: number;
}

/** Methods that only read the chat itself, which a basic group the bot left still answers. */
function readsChatOnly(method: string, params: Record<string, unknown>, botId: number): boolean {
  return method === "getChat" || (method === "getChatMember" && num(params.user_id) === botId);
}

/** The group chats the test created and what the bot may do in them. */
export class Groups {
  readonly #bot: UserFromGetMe;
  readonly #chats: Chats;
  #groups = new Map<string, Group>();
  #supergroups = 0;
  #basicGroups = 0;

  constructor(bot: UserFromGetMe, chats: Chats) {
    this.#bot = bot;
    this.#chats = chats;
    chats.groupChat = (id) => {
      const group = this.get(id);
      return group ? this.chatObject(group) : undefined;
    };
  }

  /** The group `chatId`, if the test created it. */
  get(chatId: unknown): Group | undefined {
    return this.#groups.get(chatKey(chatId));
  }

  /** The group `chatId`; throws (a test's mistake) when there is none. */
  require(chatId: number): Group {
    const group = this.get(chatId);
    if (!group) throw new Error(`no group ${chatId}: create it with createGroup`);
    return group;
  }

  /** Creates a group (see {@link GroupOptions}). */
  create(options: GroupOptions): Group {
    const basic = options.basic === true;
    const id = options.id ??
      (basic ? -(400_000_000 + ++this.#basicGroups) : -(1_002_000_000_000 + ++this.#supergroups));
    if (basic === String(id).startsWith("-100") || id >= 0) {
      throw new Error(`${id} is not the id of a ${basic ? "basic group" : "supergroup"}`);
    }
    if (this.get(id)) throw new Error(`group ${id} exists already`);
    if (basic && options.isForum) throw new Error("a basic group has no topics");
    const botStatus = options.bot ?? "administrator";
    const group: Group = {
      id,
      basic,
      title: options.title ?? `Team ${this.#groups.size + 1}`,
      isForum: !basic && (options.isForum ?? true),
      members: new Map(),
      bot: {
        status: botStatus === "absent" ? "left" : botStatus,
        rights: { ...DEFAULT_ADMIN_RIGHTS, ...options.botRights } as AdminRights,
      },
    };
    this.#groups.set(chatKey(id), group);
    this.#chats.shareMessageIds(id);
    if (options.creator) this.#put(group, options.creator, "creator");
    for (const u of options.admins ?? []) this.#put(group, u, "administrator");
    for (const u of options.members ?? []) this.#put(group, u, "member");
    return group;
  }

  /**
   * Sets `user`'s status in `group` (administrators get {@link DEFAULT_ADMIN_RIGHTS} over
   * `rights`) and returns their `ChatMember` before and after.
   */
  setMember(
    group: Group,
    user: FakeUser,
    status: MemberStatus,
    rights: Partial<ChatAdministratorRights> = {},
  ): { before: Record<string, unknown>; after: Record<string, unknown> } {
    const before = this.memberObject(group, user.id);
    this.#put(group, user, status, rights);
    return { before, after: this.memberObject(group, user.id) };
  }

  /** Sets the bot's place in `group`; returns its `ChatMember` before and after. */
  setBot(
    group: Group,
    membership: BotMembership,
    rights: Partial<ChatAdministratorRights> = {},
  ): { before: Record<string, unknown>; after: Record<string, unknown> } {
    const before = this.memberObject(group, this.#bot.id);
    group.bot = {
      status: membership === "absent" ? "left" : membership,
      rights: { ...DEFAULT_ADMIN_RIGHTS, ...rights } as AdminRights,
    };
    return { before, after: this.memberObject(group, this.#bot.id) };
  }

  /**
   * Upgrades basic group `group` to a new supergroup with its title, members and bot, as
   * Telegram does when a group gets big or public: the old id answers `group chat was upgraded
   * to a supergroup chat` from then on. Returns the supergroup.
   */
  migrate(group: Group): Group {
    if (!group.basic) throw new Error(`${group.id} is a supergroup already`);
    if (group.migratedTo !== undefined) throw new Error(`${group.id} was upgraded already`);
    const id = -(1_002_000_000_000 + ++this.#supergroups);
    const upgraded: Group = {
      id,
      basic: false,
      title: group.title,
      isForum: false,
      members: new Map([...group.members].map(([k, m]) => [k, { ...m }])),
      bot: { ...group.bot },
      migratedFrom: group.id,
    };
    group.migratedTo = id;
    this.#groups.set(chatKey(id), upgraded);
    this.#chats.shareMessageIds(id);
    return upgraded;
  }

  /** The `Chat` object of `group`, as messages carry it. */
  chatObject(group: Group): Chat {
    return {
      id: group.id,
      type: group.basic ? "group" : "supergroup",
      title: group.title,
      ...(group.isForum ? { is_forum: true } : {}),
    } as Chat;
  }

  /** Whether the bot is in `group` (as a member or an administrator). */
  botIsIn(group: Group): boolean {
    return group.bot.status === "administrator" || group.bot.status === "member";
  }

  /**
   * Whether the bot may do what `right` allows in `group`: as an administrator with that right,
   * or as a member when every member may (the group's permissions).
   */
  botCan(
    group: Group,
    right: "can_pin_messages" | "can_manage_topics" | "can_delete_messages",
  ): boolean {
    if (group.bot.status === "administrator") return group.bot.rights[right];
    if (group.bot.status !== "member" || right === "can_delete_messages") return false;
    return DEFAULT_PERMISSIONS[right];
  }

  /**
   * Throws what the Bot API server answers to `method` on a group the bot may not act in (see
   * the module's notes); chats the test did not create pass.
   */
  checkAccess(method: string, params: Record<string, unknown>): void {
    const group = this.get(params.chat_id);
    if (!group) return;
    const status = group.bot.status;
    if (!group.basic) {
      if (status === "kicked") {
        throw new FakeApiError(403, "Forbidden: bot was kicked from the supergroup chat");
      }
      if (status === "left") {
        throw new FakeApiError(403, "Forbidden: bot is not a member of the supergroup chat");
      }
      return;
    }
    if (readsChatOnly(method, params, this.#bot.id)) return;
    if (group.migratedTo !== undefined) {
      throw new FakeApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", {
        migrate_to_chat_id: group.migratedTo,
      });
    }
    if (status === "kicked") {
      throw new FakeApiError(403, "Forbidden: bot was kicked from the group chat");
    }
    if (status === "left") {
      throw new FakeApiError(403, "Forbidden: bot is not a member of the group chat");
    }
  }

  /** `getChat`: the `ChatFullInfo` of a group the test created or a user the emulator saw. */
  getChat(params: Record<string, unknown>, pinned: Record<string, unknown> | undefined): unknown {
    const id = num(params.chat_id);
    const group = this.get(params.chat_id);
    const common = {
      accent_color_id: 0,
      max_reaction_count: 11,
      accepted_gift_types: NO_GIFTS,
      ...(pinned ? { pinned_message: pinned } : {}),
    };
    if (group) {
      return { ...this.chatObject(group), permissions: DEFAULT_PERMISSIONS, ...common };
    }
    const known = id !== undefined && id > 0 ? this.#chats.knownUser(id) : undefined;
    if (!known) throw new FakeApiError(400, "Bad Request: chat not found");
    return { ...this.#chats.chatObject(id), ...common };
  }

  /** `getChatMember`: the `ChatMember` of `user_id` in a group (the bot included). */
  getChatMember(params: Record<string, unknown>): Record<string, unknown> {
    const userId = num(params.user_id);
    if (userId === undefined || userId <= 0) {
      throw new FakeApiError(400, "Bad Request: invalid user_id specified");
    }
    const chatId = num(params.chat_id);
    const privateUser = chatId !== undefined && chatId > 0
      ? this.#chats.knownUser(chatId)
      : undefined;
    if (privateUser && (userId === chatId || userId === this.#bot.id)) {
      const u = userId === chatId ? userObject(privateUser) : this.#chats.botShort();
      return { user: u, status: "member" };
    }
    const group = this.#requireGroupOrPrivate(params);
    if (userId !== this.#bot.id && !group.members.has(userId) && !this.#chats.knownUser(userId)) {
      throw new FakeApiError(400, "Bad Request: user not found");
    }
    return this.memberObject(group, userId);
  }

  /** `getChatAdministrators`: the owner and the administrators, the bot among them if it is one. */
  getChatAdministrators(params: Record<string, unknown>): Record<string, unknown>[] {
    const group = this.#requireGroupOrPrivate(params);
    const ids = [...group.members.values()]
      .filter((m) => m.status === "creator" || m.status === "administrator")
      .sort((a, b) => (a.status === "creator" ? 0 : 1) - (b.status === "creator" ? 0 : 1))
      .map((m) => m.user.id);
    if (group.bot.status === "administrator") ids.push(this.#bot.id);
    return ids.map((id) => this.memberObject(group, id));
  }

  /** The `ChatMember` object of user `userId` (or the bot) in `group`, as the server writes it. */
  memberObject(group: Group, userId: number): Record<string, unknown> {
    let user: User;
    let status: MemberStatus;
    let rights: AdminRights;
    if (userId === this.#bot.id) {
      user = this.#chats.botShort();
      status = group.bot.status;
      rights = group.bot.rights;
    } else {
      const member = group.members.get(userId);
      const known = member?.user ?? this.#chats.knownUser(userId);
      user = known ? userObject(known) : { id: userId, is_bot: false, first_name: "User" };
      status = member?.status ?? "left";
      rights = member?.rights ?? DEFAULT_ADMIN_RIGHTS;
    }
    switch (status) {
      case "creator":
        return { user, status, is_anonymous: false };
      case "administrator": {
        const { is_anonymous, ...can } = rights;
        const shown: Record<string, unknown> = { ...can };
        if (group.basic) delete shown.can_manage_topics;
        return {
          user,
          status,
          can_be_edited: false,
          ...shown,
          can_manage_voice_chats: rights.can_manage_video_chats,
          is_anonymous,
        };
      }
      case "restricted":
        return group.basic
          ? { user, status }
          : { user, status, until_date: 0, ...NO_PERMISSIONS, is_member: true };
      case "kicked":
        return { user, status, until_date: 0 };
      default:
        return { user, status };
    }
  }

  #requireGroupOrPrivate(params: Record<string, unknown>): Group {
    const group = this.get(params.chat_id);
    if (group) return group;
    const id = num(params.chat_id);
    if (id !== undefined && id > 0 && this.#chats.knownUser(id)) {
      throw new FakeApiError(400, "Bad Request: there are no administrators in the private chat");
    }
    throw new FakeApiError(400, "Bad Request: chat not found");
  }

  #put(
    group: Group,
    user: FakeUser,
    status: MemberStatus,
    rights: Partial<ChatAdministratorRights> = {},
  ): void {
    if (user.id === this.#bot.id) throw new Error("use setBotMembership for the bot");
    this.#chats.rememberUser(user);
    group.members.set(user.id, {
      user,
      status,
      rights: { ...DEFAULT_ADMIN_RIGHTS, ...rights } as AdminRights,
    });
  }
}
