/**
 * The bot's menus of commands as the Bot API keeps them: `setMyCommands`, `deleteMyCommands`
 * and `getMyCommands` store one list per scope and language (a list without `language_code`
 * is the scope's list for every language that has none of its own), and {@link Commands.menuFor}
 * answers which list a user sees, by the algorithm the Bot API documents under "Determining
 * list of commands": the first list that is set of
 *
 * - in the chat with the bot: `chat` + language, `chat`, `all_private_chats` + language,
 *   `all_private_chats`, `default` + language, `default`;
 * - in a group: `chat_member` + language, `chat_member`, `chat_administrators` + language and
 *   `chat_administrators` (administrators only), `chat` + language, `chat`,
 *   `all_chat_administrators` + language and `all_chat_administrators` (administrators only),
 *   `all_group_chats` + language, `all_group_chats`, `default` + language, `default`.
 *
 * A scope is told apart by its type and the chat and user it names, however the request wrote
 * them (a number or a numeric string, keys in any order). The checks are the documented ones:
 * a known scope type with the fields it needs, a `language_code` of two letters or none, at
 * most 100 commands, each 1–32 lowercase letters, digits and underscores with a description
 * of 1–256 characters.
 *
 * @module
 */

import { FakeApiError, isRecord, num, str } from "./requests.ts";

/** A command of a menu, as `setMyCommands` takes and `getMyCommands` answers it. */
export interface MenuCommand {
  readonly command: string;
  readonly description: string;
}

/** Who is looking at the menu, and where. */
export interface MenuViewer {
  /** The chat: the user's own id for the chat with the bot, a group's id in a group. */
  readonly chatId: number;
  readonly userId: number;
  /** The user's Telegram language (`User.language_code`). */
  readonly languageCode?: string;
  /** In a group: whether the user is an administrator (or its owner) there. */
  readonly isAdmin?: boolean;
}

const SCOPE_TYPES: ReadonlySet<string> = new Set([
  "default",
  "all_private_chats",
  "all_group_chats",
  "all_chat_administrators",
  "chat",
  "chat_administrators",
  "chat_member",
]);

const COMMAND = /^[a-z0-9_]{1,32}$/;

/** The menus of commands the bot set, per scope and language. */
export class Commands {
  #lists = new Map<string, MenuCommand[]>();

  /** `setMyCommands`. */
  set(params: Record<string, unknown>): true {
    if (!Array.isArray(params.commands)) {
      throw new FakeApiError(400, 'Bad Request: parameter "commands" is required');
    }
    if (params.commands.length > 100) {
      throw new FakeApiError(400, "Bad Request: too many commands specified");
    }
    const commands = params.commands.map((c): MenuCommand => {
      const command = isRecord(c) ? str(c.command) : undefined;
      const description = isRecord(c) ? str(c.description) : undefined;
      if (command === undefined || !COMMAND.test(command)) {
        throw new FakeApiError(400, "Bad Request: BOT_COMMAND_INVALID");
      }
      if (description === undefined || description.length < 1 || description.length > 256) {
        throw new FakeApiError(400, "Bad Request: command description is invalid");
      }
      return { command, description };
    });
    const key = this.#key(params);
    // An empty list is the same as deleting the scope's list.
    if (commands.length === 0) this.#lists.delete(key);
    else this.#lists.set(key, commands);
    return true;
  }

  /** `deleteMyCommands`. */
  delete(params: Record<string, unknown>): true {
    this.#lists.delete(this.#key(params));
    return true;
  }

  /** `getMyCommands`: the list of exactly that scope and language (`[]`: none). */
  get(params: Record<string, unknown>): MenuCommand[] {
    return [...(this.#lists.get(this.#key(params)) ?? [])];
  }

  /** The menu `viewer` sees (see the module's notes); `[]` when no list applies. */
  menuFor(viewer: MenuViewer): MenuCommand[] {
    const scopes: string[] = viewer.chatId > 0
      ? [scopeKey("chat", viewer.chatId), scopeKey("all_private_chats"), scopeKey("default")]
      : [
        scopeKey("chat_member", viewer.chatId, viewer.userId),
        ...(viewer.isAdmin ? [scopeKey("chat_administrators", viewer.chatId)] : []),
        scopeKey("chat", viewer.chatId),
        ...(viewer.isAdmin ? [scopeKey("all_chat_administrators")] : []),
        scopeKey("all_group_chats"),
        scopeKey("default"),
      ];
    const language = (viewer.languageCode ?? "").slice(0, 2).toLowerCase();
    for (const scope of scopes) {
      const list = (language ? this.#lists.get(`${scope}|${language}`) : undefined) ??
        this.#lists.get(`${scope}|`);
      if (list) return [...list];
    }
    return [];
  }

  /** The key of the scope and language a call names, checked. */
  #key(params: Record<string, unknown>): string {
    const language = str(params.language_code) ?? "";
    if (language !== "" && !/^[a-z]{2}$/.test(language)) {
      throw new FakeApiError(400, "Bad Request: invalid language code specified");
    }
    let scope: unknown = params.scope ?? { type: "default" };
    if (typeof scope === "string") {
      try {
        scope = JSON.parse(scope);
      } catch {
        throw new FakeApiError(400, "Bad Request: can't parse BotCommandScope JSON object");
      }
    }
    if (!isRecord(scope) || !SCOPE_TYPES.has(String(scope.type))) {
      throw new FakeApiError(400, "Bad Request: unsupported bot command scope type");
    }
    const type = String(scope.type);
    if (type === "chat" || type === "chat_administrators" || type === "chat_member") {
      const chat = num(scope.chat_id);
      if (chat === undefined) throw new FakeApiError(400, "Bad Request: chat not found");
      if (type !== "chat_member") return `${scopeKey(type, chat)}|${language}`;
      const user = num(scope.user_id);
      if (user === undefined || user <= 0) {
        throw new FakeApiError(400, "Bad Request: invalid user_id specified");
      }
      return `${scopeKey(type, chat, user)}|${language}`;
    }
    return `${scopeKey(type)}|${language}`;
  }
}

function scopeKey(type: string, chatId?: number, userId?: number): string {
  return [type, chatId, userId].filter((x) => x !== undefined).join(":");
}
