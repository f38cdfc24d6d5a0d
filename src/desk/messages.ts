/**
 * A ticket's messages: saving one as it was written, finding the message a reply points at,
 * and writing the deliveries that carry a client's message to the agent (by the relay rules
 * of `src/relay.ts`), at once or, for what was written while waiting, on assignment.
 *
 * @module
 */
import { type ApiCall } from "../outbox/calls.ts";
import { clientToAgent, type MessageContent } from "../relay.ts";
import type { Message, Role, Ticket, User } from "../store/mod.ts";
import { type DeskContext, type Incoming, nameOf } from "./context.ts";

/** The saved message shown as `chatMessageId` in the chat of `userId`, for a reply. */
export function replyTarget(
  ctx: DeskContext,
  userId: number,
  chatMessageId: number | null | undefined,
): Message | undefined {
  if (!chatMessageId) return undefined;
  return ctx.store.messageInChat(userId, chatMessageId);
}

/** The id a saved message has in chat `chatId`: the original or its copy, if there. */
export function idInChat(m: Message, chatId: number): number | null {
  if (m.senderId === chatId && m.chatMessageId > 0) return m.chatMessageId;
  if (m.copyChatId === chatId) return m.copyMessageId;
  return null;
}

/** Saves a message of a ticket, written by `sender` in their chat; returns its id. */
export function saveMessage(
  ctx: DeskContext,
  ticket: Ticket,
  sender: User,
  role: Role,
  incoming: Incoming,
  replyTo: Message | undefined,
  signedInline: boolean | null = null,
): number {
  const { content } = incoming;
  return ctx.store.insertMessage({
    ticketId: ticket.id,
    clientId: ticket.clientId,
    agentId: role === "agent" ? sender.userId : ticket.agentId,
    senderId: sender.userId,
    senderRole: role,
    kind: content.kind,
    text: content.text,
    entities: content.entities ? JSON.stringify(content.entities) : null,
    fileId: content.fileId,
    chatMessageId: incoming.chatMessageId,
    replyToId: replyTo && replyTo.ticketId === ticket.id ? replyTo.id : null,
    signedInline,
    createdAt: ctx.now,
  });
}

/** The calls that carry a client's message to the agent, signed with the client's name. */
export function relayCalls(
  client: User,
  agentId: number,
  m: {
    readonly content: MessageContent;
    readonly chatMessageId: number;
    readonly replyTo: Message | undefined;
  },
): ApiCall[] {
  const source = { chatId: client.userId, messageId: m.chatMessageId };
  const replyTo = m.replyTo ? idInChat(m.replyTo, agentId) : null;
  return clientToAgent(m.content, source, agentId, nameOf(client), replyTo);
}

/** Carries a client's saved message (one written while waiting) to the agent. */
export function relayWaiting(ctx: DeskContext, client: User, agentId: number, m: Message): void {
  const calls = relayCalls(client, agentId, {
    content: contentOf(m),
    chatMessageId: m.chatMessageId,
    replyTo: m.replyToId ? ctx.store.getMessage(m.replyToId) : undefined,
  });
  ctx.store.setSignedInline(m.id, calls.length === 1);
  for (const call of calls) ctx.send(agentId, call, m.id);
}

/** A saved message's content, as the relay rules take it. */
function contentOf(m: Message): MessageContent {
  return {
    kind: m.kind,
    text: m.text,
    entities: m.entities ? JSON.parse(m.entities) : null,
    fileId: m.fileId,
  };
}
