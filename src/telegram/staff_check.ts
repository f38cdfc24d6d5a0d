/**
 * Team mode's start check: before the bot takes any update, the staff group (and each
 * department's own, `DEPARTMENTS`' `@-100…`) must be what the desk needs, else the start stops with one readable line ({@link ConfigError}) saying what
 * to put right: the chat exists and the bot is in it, it is a supergroup with topics, and the
 * bot is an administrator allowed to manage topics, delete messages (the support token typed
 * there is deleted at once) and pin messages (the client card, the board). A group that was
 * upgraded to a supergroup (`migrate_to_chat_id`) is followed to its new id, with a warning to
 * update `STAFF_CHAT_ID`.
 *
 * @module
 */
import { type Api, GrammyError } from "grammy";
import type { ChatFullInfo, ChatMember } from "grammy/types";
import { ConfigError, type TeamConfig } from "../config/mod.ts";
import type { Logger } from "../base/log.ts";

/** The rights the bot needs in the staff group, with what each is for. */
export const STAFF_RIGHTS = {
  can_manage_topics: "manage topics",
  can_delete_messages: "delete messages",
  can_pin_messages: "pin messages",
} as const;

/** How many upgrades in a row are followed (one is all Telegram makes). */
const MAX_MIGRATIONS = 2;

/**
 * Checks the staff group of `team` for the bot `botId`; returns the team's settings with the
 * group's id as it is now. Throws {@link ConfigError} when the group will not do.
 */
export async function checkStaffGroup(
  api: Api,
  team: TeamConfig,
  botId: number,
  log: Logger,
): Promise<TeamConfig> {
  const chatId = await checkGroup(api, team.chatId, "STAFF_CHAT_ID", botId, log);
  return chatId === team.chatId ? team : { ...team, chatId };
}

/**
 * Checks the staff group `given` (named in a readable line by `setting`, e.g. `STAFF_CHAT_ID`
 * or `DEPARTMENTS billing`) for the bot `botId`; returns the group's id as it is now (an
 * upgrade to a supergroup followed). Throws {@link ConfigError} when the group will not do.
 */
export async function checkGroup(
  api: Api,
  given: number,
  setting: string,
  botId: number,
  log: Logger,
): Promise<number> {
  let chatId = given;
  let chat: ChatFullInfo | undefined;
  for (let hop = 0; chat === undefined; hop++) {
    try {
      chat = await api.getChat(chatId);
    } catch (error) {
      const moved = migratedTo(error);
      if (moved !== undefined && hop < MAX_MIGRATIONS) {
        log.warn("staff_group.migrated", { from: chatId, to: moved, next: `set ${setting}` });
        chatId = moved;
        continue;
      }
      if (error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500) {
        throw new ConfigError(
          `${setting} ${chatId}: Telegram does not show the bot this chat ` +
            `(${error.description}); add the bot to the staff group and check the id`,
        );
      }
      throw error;
    }
  }
  // A basic group still answers getChat after its upgrade; what it was upgraded to shows
  // when the bot tries to act in it (a harmless "typing…").
  if (chat.type === "group") {
    const moved = await api.sendChatAction(chatId, "typing").then(() => undefined, migratedTo);
    if (moved !== undefined) {
      log.warn("staff_group.migrated", { from: chatId, to: moved, next: `set ${setting}` });
      return await checkGroup(api, moved, setting, botId, log);
    }
  }
  if (chat.type !== "supergroup" || chat.is_forum !== true) {
    throw new ConfigError(
      `${setting} ${chatId} is not a group with topics: turn on Topics in the group's ` +
        "settings (it becomes a supergroup with a new id, which the bot follows)",
    );
  }
  let me: ChatMember;
  try {
    me = await api.getChatMember(chatId, botId);
  } catch (error) {
    if (error instanceof GrammyError && error.error_code >= 400 && error.error_code < 500) {
      throw new ConfigError(`${setting} ${chatId}: the bot is not a member of the group`);
    }
    throw error;
  }
  const rights = me as Partial<Record<keyof typeof STAFF_RIGHTS, boolean>>;
  const missing = me.status === "creator"
    ? []
    : (Object.keys(STAFF_RIGHTS) as (keyof typeof STAFF_RIGHTS)[]).filter((r) =>
      me.status !== "administrator" || rights[r] !== true
    );
  if (missing.length > 0) {
    throw new ConfigError(
      `${setting} ${chatId}: make the bot an administrator of the group allowed to ` +
        `${missing.map((r) => STAFF_RIGHTS[r]).join(", ")}`,
    );
  }
  return chatId;
}

/** The new id Telegram names when a group was upgraded to a supergroup. */
function migratedTo(error: unknown): number | undefined {
  if (!(error instanceof GrammyError)) return undefined;
  const to = error.parameters?.migrate_to_chat_id;
  return typeof to === "number" && Number.isSafeInteger(to) ? to : undefined;
}
