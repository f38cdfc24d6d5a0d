/**
 * A ticket's messages: saving one as it was written, finding the message a reply points at,
 * and writing the one delivery that carries a message to the other side (the call is the
 * channel's client side's to make), at once or, for what was written while waiting, on
 * assignment. The
 * parts of an album go together: the first part writes one delivery for the whole album,
 * built when it is sent, a moment later, from every part stored by then.
 *
 * @module
 */
import { LANE, PRIORITY } from "../outbox/lanes.ts";
import type { MessageEntity } from "grammy/types";
import type { MessageContent } from "../rules/content.ts";
import type { Message, Role, Ticket, User } from "../store/mod.ts";
import type { DeskContext, Incoming } from "./context.ts";

/**
 * How long the parts of an album are collected before it goes (Telegram sends them one
 * update each, within a moment); each new part waits this long again.
 */
export const ALBUM_COLLECT_MS = 1000;

/**
 * The saved message shown as `chatMessageId` in the chat of `userId`, for a reply: the chat
 * the event came from, which for a client's message to a company's account is their business
 * chat (its ids are its own).
 */
export function replyTarget(
  ctx: DeskContext,
  userId: number,
  chatMessageId: number | null | undefined,
): Message | undefined {
  if (!chatMessageId) return undefined;
  if (ctx.via !== null && userId === ctx.author) {
    const id = ctx.store.businessMessage(ctx.via, userId, chatMessageId);
    return id === null ? undefined : ctx.store.getMessage(id);
  }
  return ctx.store.messageInChat(userId, chatMessageId);
}

/** The id a saved message has in chat `chatId`: the original or its copy, if there. */
export function idInChat(m: Message, chatId: number): number | null {
  if ((m.sourceChatId ?? m.senderId) === chatId && m.chatMessageId > 0) return m.chatMessageId;
  if (m.copyChatId === chatId) return m.copyMessageId;
  return null;
}

/**
 * `agent` answers the client of `ticket` with a text they did not write in a chat (a saved
 * reply, a model's draft, an article of the knowledge base): saved as the agent's message,
 * counted as a first response, and carried by the ticket's client side. Returns its id.
 */
export function answerWithText(
  ctx: DeskContext,
  agent: User,
  ticket: Ticket,
  text: string,
  entities: readonly MessageEntity[] | null,
): number {
  const given = entities && entities.length > 0 ? entities : null;
  const content = { kind: "text", text, entities: given, fileId: null };
  const messageId = saveMessage(
    ctx,
    ticket,
    agent,
    "agent",
    { chatMessageId: 0, content },
    undefined,
  );
  if (ticket.firstResponseAt === null) ctx.store.setFirstResponse(ticket.id, ctx.now);
  ctx.channel.client.answerText(ctx, ticket, messageId, text, given);
  return messageId;
}

/**
 * Saves a message of a ticket, written by `sender` in their chat (or, `written`, in the staff
 * group, perhaps as an internal note); returns its id.
 */
export function saveMessage(
  ctx: DeskContext,
  ticket: Ticket,
  sender: User,
  role: Role,
  incoming: Incoming,
  replyTo: Message | undefined,
  signedInline: boolean | null = null,
  written?: { readonly sourceChatId: number; readonly internal: boolean },
): number {
  const { content } = incoming;
  return ctx.store.insertMessage({
    ...written,
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
    mediaGroupId: content.mediaGroupId ?? null,
    createdAt: ctx.now,
  });
}

/**
 * Makes sure the album `mediaGroupId` of a ticket goes to `chatId`: one delivery for all its
 * parts, a moment after the last part came (a part arriving while it waits makes it wait
 * again). The delivery stands in the chat's lane of messages, so what follows waits for it.
 */
export function relayAlbum(
  ctx: DeskContext,
  ticket: Ticket,
  mediaGroupId: string,
  chatId: number,
  topicOf?: number,
): void {
  if (joinAlbum(ctx, ticket, mediaGroupId, chatId)) return;
  // To the client: the way their chat takes it (a business chat's is not the bot's).
  if (chatId === ticket.clientId) return ctx.channel.client.album(ctx, ticket, mediaGroupId);
  albumDelivery(ctx, ticket, mediaGroupId, chatId, topicOf);
}

/**
 * Writes the one delivery of the album `mediaGroupId` of a ticket to `chatId`, a moment from
 * now (`extra`: more of the job's parameters).
 */
export function albumDelivery(
  ctx: DeskContext,
  ticket: Ticket,
  mediaGroupId: string,
  chatId: number,
  topicOf?: number,
  extra: { readonly business_connection_id?: string } = {},
): void {
  // Into a staff group, the album goes to the client's topic (`topicOf`).
  const topic = topicOf !== undefined ? { topic_of: topicOf } : {};
  const call = {
    method: "sendAlbum",
    params: {
      chat_id: chatId,
      ticket_id: ticket.id,
      media_group_id: mediaGroupId,
      ...topic,
      ...extra,
    },
  } as const;
  // Not tied to one message (it carries several), yet relayed: placed as relayed messages are.
  const place = { lane: LANE.messages, priority: PRIORITY.relayed };
  ctx.send(chatId, call, null, { place, at: ctx.now + ALBUM_COLLECT_MS });
}

/**
 * When the album `mediaGroupId` of a ticket already waits to go to `chatId`, makes it wait a
 * moment more, for the part that just came (true); false when no such album waits.
 */
export function joinAlbum(
  ctx: DeskContext,
  ticket: Ticket,
  mediaGroupId: string,
  chatId: number,
): boolean {
  for (const waiting of ctx.store.pendingOf(chatId, "sendAlbum")) {
    const params = JSON.parse(waiting.params);
    if (params.ticket_id === ticket.id && params.media_group_id === mediaGroupId) {
      ctx.store.postpone(waiting.id, ctx.now + ALBUM_COLLECT_MS);
      return true;
    }
  }
  return false;
}

/** Carries a client's saved message (one written while waiting) to the agent. */
export function relayWaiting(ctx: DeskContext, client: User, agentId: number, m: Message): void {
  if (m.mediaGroupId !== null) {
    const ticket = ctx.store.getTicket(m.ticketId);
    if (ticket) relayAlbum(ctx, ticket, m.mediaGroupId, agentId);
    return;
  }
  const replyTo = m.replyToId ? ctx.store.getMessage(m.replyToId) : undefined;
  const message = { content: contentOf(m), chatMessageId: m.chatMessageId };
  const { call, signedInline } = ctx.channel.client.toStaff(client, message, agentId, {
    signed: true,
    replyTo: replyTo ? idInChat(replyTo, agentId) : null,
  });
  ctx.store.setSignedInline(m.id, signedInline);
  ctx.send(agentId, call, m.id);
}

/** A saved message's content, as the relay rules take it. */
export function contentOf(m: Message): MessageContent {
  return {
    kind: m.kind,
    text: m.text,
    entities: m.entities ? JSON.parse(m.entities) : null,
    fileId: m.fileId,
    mediaGroupId: m.mediaGroupId,
  };
}
