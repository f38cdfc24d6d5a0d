/**
 * The desk's client side: the one a ticket's client reached the desk by, picked per ticket
 * (its way in: the bot's own chat, `bot_chat/`, or a company's business account,
 * `business_chat/`). A client's message not in the bot's chat (a business chat's, saved with
 * its id negated) crosses by content; answers, edits and albums go the way the client last
 * wrote. An answer goes where the question was asked.
 *
 * @module
 */
import type { ClientSide } from "./channel.ts";
import type { DeskContext } from "./context.ts";
import { botChat } from "./bot_chat/mod.ts";
import { businessChat } from "./business_chat/mod.ts";

/** The client side of a ticket, by its way in. */
function sideOf(ctx: DeskContext, ticketId: number): ClientSide<DeskContext> {
  return ctx.store.wayOf(ticketId) === null ? botChat : businessChat;
}

/** Every client side behind one: see the module's comment. */
export const clientSide: ClientSide<DeskContext> = {
  toStaff(client, incoming, chatId, options) {
    const side = incoming.chatMessageId < 0 ? businessChat : botChat;
    return side.toStaff(client, incoming, chatId, options);
  },
  answer(ctx, ticket, source, messageId, replyTo, share) {
    sideOf(ctx, ticket.id).answer(ctx, ticket, source, messageId, replyTo, share);
  },
  answerText(ctx, ticket, messageId, text, entities) {
    sideOf(ctx, ticket.id).answerText(ctx, ticket, messageId, text, entities);
  },
  shows(ctx, m) {
    return sideOf(ctx, m.ticketId).shows(ctx, m);
  },
  mirrorEdit(ctx, clientId, messageId) {
    const m = ctx.store.getMessage(messageId);
    if (!m) return;
    sideOf(ctx, m.ticketId).mirrorEdit(ctx, clientId, messageId);
  },
  react(ctx, clientId, target, emoji) {
    if (ctx.store.lastWayOfClient(clientId) !== null) return;
    botChat.react(ctx, clientId, target, emoji);
  },
  album(ctx, ticket, mediaGroupId) {
    sideOf(ctx, ticket.id).album(ctx, ticket, mediaGroupId);
  },
  notice(ctx, ticket, notice) {
    sideOf(ctx, ticket.id).notice(ctx, ticket, notice);
  },
};
