/**
 * What the desk is told of an update, read from grammY's context the same way for private
 * chats and the staff group: the sender, a command, an edit, a button press and a reaction,
 * checked and cut to size.
 *
 * @module
 */
import type { Context, Filter } from "grammy";
import type { Config } from "../config/mod.ts";
import type { ButtonPress, Incoming, Person } from "../desk/mod.ts";
import type { CommandRequest } from "../desk/roles.ts";
import { describeMessage } from "../rules/content.ts";
import { personOf } from "./person.ts";
import type { Reaction } from "../desk/reactions.ts";
import { isReaction } from "../rules/reaction_emoji.ts";

/** The button press of a `callback_query` update. */
export function pressOf(ctx: Filter<Context, "callback_query:data">): ButtonPress {
  const query = ctx.callbackQuery;
  const messageId = query.message?.message_id;
  // A button under a message sent as a business account: the query's message is that
  // business message, with its `business_connection_id`.
  const via = (query.message as { business_connection_id?: unknown } | undefined)
    ?.business_connection_id;
  return {
    queryId: String(query.id),
    data: typeof query.data === "string" ? query.data.slice(0, 64) : "",
    chatMessageId: messageId !== undefined && Number.isSafeInteger(messageId) ? messageId : null,
    connectionId: typeof via === "string" && via !== "" ? via.slice(0, 128) : null,
  };
}

/** The reaction of a `message_reaction` update (the first emoji), or `undefined` if unusable. */
export function reactionOf(ctx: Filter<Context, "message_reaction">): Reaction | undefined {
  const changed = ctx.messageReaction;
  if (!Number.isSafeInteger(changed.message_id)) return undefined;
  const first = Array.isArray(changed.new_reaction) ? changed.new_reaction[0] : undefined;
  const emoji = first?.type === "emoji" && isReaction(first.emoji) ? first.emoji : null;
  return { chatMessageId: changed.message_id, emoji };
}

/** A handler given the update's sender as a person; updates without a usable one are dropped. */
export function bySender<C extends Context>(
  config: Config,
  handler: (ctx: C, person: Person) => void,
): (ctx: C) => void {
  return (ctx) => {
    const person = personOf(ctx, config);
    if (person) handler(ctx, person);
  };
}

/** The update's id. */
export function updateIdOf(ctx: Context): number {
  return ctx.update.update_id;
}

/** A command of the table named `name`, as the desk is given it. */
export function requestOf(ctx: Context, name: string): CommandRequest {
  return {
    name,
    args: typeof ctx.match === "string" ? ctx.match : "",
    chatMessageId: ctx.msg!.message_id,
  };
}

/** The new version of an edited message. */
export function editOf(ctx: Filter<Context, "edited_message">): Incoming {
  const message = ctx.editedMessage;
  return { chatMessageId: message.message_id, content: describeMessage(message) };
}
