/**
 * The reactions a bot may set on a message (`ReactionTypeEmoji` of the Bot API): Telegram
 * refuses any other emoji. Pure; no Telegram, no database.
 *
 * @module
 */
import type { ReactionTypeEmoji } from "grammy/types";

/** An emoji Telegram offers as a reaction. */
export type ReactionEmoji = ReactionTypeEmoji["emoji"];

/** Every reaction Telegram offers, as its documentation lists them. */
export const REACTIONS: readonly ReactionEmoji[] = [
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
  "❤‍🔥",
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
  "👨‍💻",
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
  "🤷‍♂",
  "🤷",
  "🤷‍♀",
  "😡",
];

const KNOWN: ReadonlySet<string> = new Set(REACTIONS);

/** Whether `value` is a reaction Telegram offers. */
export function isReaction(value: string): value is ReactionEmoji {
  return KNOWN.has(value);
}
