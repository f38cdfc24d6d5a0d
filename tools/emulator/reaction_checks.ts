/**
 * Reactions in the fake Bot API: the emoji Telegram accepts in `ReactionTypeEmoji` (the list
 * of the Bot API documentation, `ReactionTypeEmoji.emoji`), and the checks `setMessageReaction`
 * makes before it records the bot's reaction, with Telegram's error texts: a malformed list is
 * refused by the Bot API server itself ("expected an Array of ReactionType", "can't parse
 * ReactionType: …"), an emoji that is not a reaction by Telegram (`REACTION_INVALID`), and
 * more than one reaction, which a bot (as a user without Premium) may not set
 * (`REACTIONS_TOO_MANY`).
 *
 * Kept apart from the bot's own list (`src/rules/reaction_emoji.ts`) on purpose: the fake checks the
 * bot against Telegram's list, not against itself.
 *
 * @module
 */

import type { ReactionType } from "./objects.ts";
import { FakeApiError, isRecord } from "./requests.ts";

/**
 * The emoji of `ReactionTypeEmoji`, as the Bot API documentation lists them. Written out
 * again, not imported from the bot's `src/rules/reaction_emoji.ts`, on purpose: the fake stands for
 * Telegram, so a mistake in the bot's list must meet Telegram's refusal here, not itself.
 */
export const TELEGRAM_REACTIONS: ReadonlySet<string> = new Set([
  "👍",
  "👎",
  "❤",
  "🔥",
  "🥰",
  "👏",
  "😁",
  "🤔",
  "🤯",
  "😱",
  "🤬",
  "😢",
  "🎉",
  "🤩",
  "🤮",
  "💩",
  "🙏",
  "👌",
  "🕊",
  "🤡",
  "🥱",
  "🥴",
  "😍",
  "🐳",
  "❤\u200d🔥",
  "🌚",
  "🌭",
  "💯",
  "🤣",
  "⚡",
  "🍌",
  "🏆",
  "💔",
  "🤨",
  "😐",
  "🍓",
  "🍾",
  "💋",
  "🖕",
  "😈",
  "😴",
  "😭",
  "🤓",
  "👻",
  "👨\u200d💻",
  "👀",
  "🎃",
  "🙈",
  "😇",
  "😨",
  "🤝",
  "✍",
  "🤗",
  "🫡",
  "🎅",
  "🎄",
  "☃",
  "💅",
  "🤪",
  "🗿",
  "🆒",
  "💘",
  "🙉",
  "🦄",
  "😘",
  "💊",
  "🙊",
  "😎",
  "👾",
  "🤷\u200d♂",
  "🤷",
  "🤷\u200d♀",
  "😡",
]);

/**
 * The `reaction` parameter of `setMessageReaction` as a list of `ReactionType`, checked as
 * Telegram checks it; throws {@link FakeApiError} with Telegram's text otherwise. Absent: `[]`
 * (the bot's reaction is removed).
 */
export function reactionList(value: unknown): ReactionType[] {
  if (value === undefined || value === "") return [];
  if (typeof value === "string") {
    throw new FakeApiError(400, "Bad Request: can't parse reaction types JSON object");
  }
  if (!Array.isArray(value)) {
    throw new FakeApiError(400, "Bad Request: expected an Array of ReactionType");
  }
  const list: ReactionType[] = [];
  for (const item of value) {
    if (!isRecord(item)) {
      throw new FakeApiError(400, "Bad Request: can't parse ReactionType: expected an Object");
    }
    if (item.type === "emoji") {
      if (typeof item.emoji !== "string") {
        throw new FakeApiError(
          400,
          'Bad Request: can\'t parse ReactionType: Field "emoji" must be of type String',
        );
      }
      list.push({ type: "emoji", emoji: item.emoji });
    } else if (item.type === "custom_emoji") {
      list.push({ type: "custom_emoji", custom_emoji_id: String(item.custom_emoji_id) });
    } else {
      throw new FakeApiError(
        400,
        "Bad Request: can't parse ReactionType: invalid reaction type specified",
      );
    }
  }
  return list;
}

/**
 * Refuses what Telegram refuses a bot in a private chat: an emoji that is not one of
 * Telegram's reactions, a custom emoji (only allowed where it is already on the message, which
 * the fake never makes), and more than one reaction.
 */
export function checkBotReaction(list: readonly ReactionType[]): void {
  for (const reaction of list) {
    if (reaction.type !== "emoji" || !TELEGRAM_REACTIONS.has(String(reaction.emoji))) {
      throw new FakeApiError(400, "Bad Request: REACTION_INVALID");
    }
  }
  if (list.length > 1) throw new FakeApiError(400, "Bad Request: REACTIONS_TOO_MANY");
}
