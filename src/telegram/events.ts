/**
 * What the desk is told of an update, read from grammY's context the same way for private
 * chats and the staff group: a button press and a reaction, checked and cut to size.
 *
 * @module
 */
import type { Context } from "grammy";
import type { ButtonPress } from "../desk/mod.ts";
import type { Reaction } from "../desk/reactions.ts";
import { isReaction } from "../reactions.ts";

/** The button press of a `callback_query` update. */
export function pressOf(ctx: Context): ButtonPress {
  const query = ctx.callbackQuery!;
  const messageId = query.message?.message_id;
  return {
    queryId: String(query.id),
    data: typeof query.data === "string" ? query.data.slice(0, 64) : "",
    chatMessageId: Number.isSafeInteger(messageId) ? messageId! : null,
  };
}

/** The reaction of a `message_reaction` update (the first emoji), or `undefined` if unusable. */
export function reactionOf(ctx: Context): Reaction | undefined {
  const changed = ctx.messageReaction!;
  if (!Number.isSafeInteger(changed.message_id)) return undefined;
  const first = Array.isArray(changed.new_reaction) ? changed.new_reaction[0] : undefined;
  const emoji = first?.type === "emoji" && isReaction(first.emoji) ? first.emoji : null;
  return { chatMessageId: changed.message_id, emoji };
}
