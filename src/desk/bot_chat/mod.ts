/**
 * The client side of a client who writes to the bot itself, in their private chat with it:
 * their message is copied to the staff side (signed with their name for an agent's chat, as
 * it is for a topic), and staff answers are copied into their chat, where edits and
 * reactions follow by the message's id in that chat.
 *
 * @module
 */
import { copy, react, sendText } from "../../outbox/builders.ts";
import { agentToClient, clientToAgent } from "../../outbox/carry.ts";
import type { ClientSide } from "../channel.ts";
import type { DeskContext } from "../context.ts";
import { nameOf } from "../context.ts";
import { albumDelivery } from "../messages.ts";

/** The client's private chat with the bot. */
export const botChat: ClientSide<DeskContext> = {
  toStaff(client, incoming, chatId, { signed, replyTo }) {
    const source = { chatId: client.userId, messageId: incoming.chatMessageId };
    if (!signed) {
      const call = copy(chatId, source.chatId, source.messageId, { replyTo });
      return { call, signedInline: false };
    }
    const signer = { clientId: client.userId, name: nameOf(client) };
    return clientToAgent(incoming.content, source, chatId, signer, replyTo);
  },
  answer(ctx, ticket, source, messageId, replyTo) {
    ctx.send(ticket.clientId, agentToClient(source, ticket.clientId, replyTo), messageId);
  },
  answerText(ctx, ticket, messageId, text, entities) {
    const options = entities && entities.length > 0 ? { entities: [...entities] } : {};
    ctx.send(ticket.clientId, sendText(ticket.clientId, text, options), messageId);
  },
  shows(_ctx, m) {
    return m.copyChatId === m.clientId;
  },
  mirrorEdit(ctx, clientId, messageId) {
    ctx.send(clientId, {
      method: "editCopy",
      params: { chat_id: clientId, message_id: messageId },
    });
  },
  react(ctx, clientId, target, emoji) {
    ctx.send(clientId, react(clientId, target, emoji));
  },
  album(ctx, ticket, mediaGroupId) {
    albumDelivery(ctx, ticket, mediaGroupId, ticket.clientId);
  },
  notice() {
    // Said in full with `ctx.say` where it happens: nothing more.
  },
};
